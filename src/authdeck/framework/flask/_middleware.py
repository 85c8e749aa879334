"""Flask: ``Middleware(app)`` serves authdeck's routes before the app's views, adds queued session headers
to the app's responses, and turns authdeck errors raised by views into their responses."""

from __future__ import annotations

from typing import Any

import flask

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.exceptions import AuthdeckError
from authdeck.framework.flask._request import forget_request, wrap_request
from authdeck.framework.response import BaseResponse, pending_changes

_SERVED = "flask.served"


def render(reply: BaseResponse) -> flask.Response:
    """A Flask response carrying exactly the SDK's status, headers, cookies and body."""
    response = flask.Response(reply.body or b"", status=reply.status_code, content_type=reply.media_type)
    for key, value in reply.header_items():
        response.headers.add(key, value)
    return response


def apply_changes(response: flask.Response, changes: list[tuple[str, str]]) -> None:
    """Put queued SDK headers onto the app's own response; each cookie keeps its own Set-Cookie header."""
    for key, value in changes:
        if key == "set-cookie":
            response.headers.add(key, value)
        elif key == "access-control-expose-headers" and response.headers.get(key):
            response.headers[key] = f"{response.headers[key]},{value}"
        else:
            response.headers[key] = value


class Middleware:
    """``Middleware(app)``, as in supertokens_python; call it after ``authdeck.init(framework="flask", ...)``."""

    def __init__(self, app: flask.Flask) -> None:
        self.app = app
        app.before_request(self._before_request)
        app.after_request(self._after_request)
        app.teardown_request(self._teardown_request)
        app.register_error_handler(AuthdeckError, self._handle_error)

    @staticmethod
    def _before_request() -> flask.Response | None:
        request = wrap_request()
        served = _sync.run(Authdeck.get_instance().middleware(request, BaseResponse(), {}))
        if served is None:
            return None
        request.state[_SERVED] = True
        return render(served)

    @staticmethod
    def _after_request(response: flask.Response) -> flask.Response:
        request = wrap_request()
        # SDK routes write their own headers; only app views get the queued ones.
        if not request.state.get(_SERVED):
            apply_changes(response, pending_changes(request.state))
        return response

    @staticmethod
    def _teardown_request(_exc: BaseException | None) -> None:
        forget_request()

    @staticmethod
    def _handle_error(err: AuthdeckError) -> flask.Response:
        return render_error(err)


def render_error(err: AuthdeckError, user_context: dict[str, Any] | None = None) -> flask.Response:
    """The SDK's response for ``err`` (401/403/400 JSON ...); errors no recipe claims are re-raised (500)."""
    request = wrap_request()
    reply = _sync.run(Authdeck.get_instance().handle_error(request, err, BaseResponse(), user_context or {}))
    return render(reply)
