"""The SDK's view of a Django request; one per request, kept on the HttpRequest so the middleware and
``verify_session`` share its state (session, queued response changes)."""

from __future__ import annotations

import asyncio
from typing import Any

from django.core.handlers.asgi import ASGIRequest  # type: ignore[import-untyped]
from django.http import HttpRequest  # type: ignore[import-untyped]

from authdeck.framework._cookies import cookie_values
from authdeck.framework.request import BaseRequest

_ATTR = "_authdeck_request"


class DjangoRequest(BaseRequest):
    def __init__(self, request: HttpRequest) -> None:
        super().__init__()
        self._request = request

    def method(self) -> str:
        return str(self._request.method)

    def get_path(self) -> str:
        return str(self._request.path)

    def get_query_param(self, key: str, default: str | None = None) -> str | None:
        value = self._request.GET.get(key, default)
        return value if value is None or isinstance(value, str) else str(value)

    def get_query_params(self) -> dict[str, str]:
        return {key: str(value) for key, value in self._request.GET.dict().items()}

    def get_header(self, key: str) -> str | None:
        value = self._request.headers.get(key)
        return None if value is None else str(value)

    def get_cookie(self, key: str) -> str | None:
        value = self._request.COOKIES.get(key)
        return None if value is None else str(value)

    def get_cookie_values(self, key: str) -> list[str]:
        return cookie_values([self._request.META.get("HTTP_COOKIE", "")], key)

    async def body(self) -> bytes:
        if isinstance(self._request, ASGIRequest):
            return bytes(self._request.body)  # already read into memory by Django's ASGI handler
        # Reading the WSGI input may block on a slow client; keep that off the shared SDK loop.
        return bytes(await asyncio.to_thread(lambda: self._request.body))

    def client_ip(self) -> str | None:
        ip = self._request.META.get("REMOTE_ADDR")
        return ip if isinstance(ip, str) else None

    def get_original_request(self) -> HttpRequest:
        return self._request

    def set_session(self, session: Any) -> None:
        """Also ``request.supertokens``, where upstream's Django views look for the session."""
        super().set_session(session)
        self._request.supertokens = session


def wrap_request(request: HttpRequest) -> DjangoRequest:
    """The SDK's view of ``request``: the same object for the middleware and ``verify_session``."""
    existing = getattr(request, _ATTR, None)
    if isinstance(existing, DjangoRequest):
        return existing
    wrapped = DjangoRequest(request)
    setattr(request, _ATTR, wrapped)
    return wrapped
