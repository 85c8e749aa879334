"""The SDK's view of a Flask request; one per request, kept in ``flask.g`` so the middleware and
``verify_session`` share its state (session, queued response changes)."""

from __future__ import annotations

import asyncio
from typing import Any

import flask

from authdeck.framework._cookies import cookie_values
from authdeck.framework.request import BaseRequest

_G_KEY = "_authdeck_request"


class FlaskRequest(BaseRequest):
    """Wraps the real request object (not the context-local proxy): SDK code reads it from the SDK's loop thread."""

    def __init__(self, request: flask.Request, g: Any) -> None:
        super().__init__()
        self._request = request
        self._g = g

    def method(self) -> str:
        return self._request.method

    def get_path(self) -> str:
        # Like upstream's Flask adapter, the path includes the mount point (SCRIPT_NAME).
        return self._request.script_root + self._request.path

    def get_query_param(self, key: str, default: str | None = None) -> str | None:
        return self._request.args.get(key, default)

    def get_query_params(self) -> dict[str, str]:
        return self._request.args.to_dict()

    def get_header(self, key: str) -> str | None:
        return self._request.headers.get(key)

    def get_cookie(self, key: str) -> str | None:
        return self._request.cookies.get(key)

    def get_cookie_values(self, key: str) -> list[str]:
        return cookie_values(self._request.headers.getlist("Cookie"), key)

    async def body(self) -> bytes:
        # Reading the WSGI input may block on a slow client; keep that off the shared SDK loop.
        return await asyncio.to_thread(self._request.get_data, cache=True)

    def client_ip(self) -> str | None:
        return self._request.remote_addr

    def get_original_request(self) -> flask.Request:
        return self._request

    def set_session(self, session: Any) -> None:
        """Also ``g.supertokens``, where upstream's Flask apps look for the session."""
        super().set_session(session)
        self._g.supertokens = session


def wrap_request() -> FlaskRequest:
    """The SDK's view of the current Flask request: the same object for the middleware and ``verify_session``."""
    current: flask.Request = flask.request._get_current_object()  # type: ignore[attr-defined]
    existing = flask.g.get(_G_KEY)
    if isinstance(existing, FlaskRequest) and existing.get_original_request() is current:
        return existing
    wrapped = FlaskRequest(current, flask.g._get_current_object())
    setattr(flask.g, _G_KEY, wrapped)
    return wrapped


def forget_request() -> None:
    """Drop the wrapper and session from ``g``: an app context pushed by the app may outlive one request."""
    flask.g.pop(_G_KEY, None)
    flask.g.pop("supertokens", None)
