"""A pure ASGI middleware: serves authdeck's routes, adds queued session headers to the app's responses,
and turns authdeck errors raised by the app (e.g. from ``verify_session``) into their responses."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from authdeck._supertokens import Authdeck
from authdeck.exceptions import AuthdeckError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse, pending_changes

_SCOPE_KEY = "authdeck.request"


class StarletteRequest(BaseRequest):
    def __init__(self, request: Request) -> None:
        super().__init__()
        self._request = request

    def method(self) -> str:
        return self._request.method

    def get_path(self) -> str:
        root = self._request.scope.get("root_path", "")
        path: str = self._request.scope["path"]
        return path[len(root) :] if root and path.startswith(root) else path

    def get_query_param(self, key: str, default: str | None = None) -> str | None:
        return self._request.query_params.get(key, default)

    def get_query_params(self) -> dict[str, str]:
        return dict(self._request.query_params)

    def get_header(self, key: str) -> str | None:
        return self._request.headers.get(key)

    def get_cookie(self, key: str) -> str | None:
        return self._request.cookies.get(key)

    def get_cookie_values(self, key: str) -> list[str]:
        from authdeck.framework._cookies import cookie_values

        return cookie_values(self._request.headers.getlist("cookie"), key)

    async def body(self) -> bytes:
        return await self._request.body()

    def client_ip(self) -> str | None:
        return self._request.client.host if self._request.client else None

    def get_original_request(self) -> Request:
        return self._request


def wrap_request(request: Request) -> StarletteRequest:
    """The SDK's view of ``request``; the same object for the middleware and for dependencies."""
    existing = request.scope.get(_SCOPE_KEY)
    if isinstance(existing, StarletteRequest):
        return existing
    wrapped = StarletteRequest(request)
    request.scope[_SCOPE_KEY] = wrapped
    return wrapped


async def send_response(response: BaseResponse, send: Send) -> None:
    body = response.body or b""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.header_items()]
    headers.append((b"content-type", response.media_type.encode("latin-1")))
    headers.append((b"content-length", str(len(body)).encode()))
    await send({"type": "http.response.start", "status": response.status_code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class AuthdeckMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        sdk = Authdeck.get_instance()
        request = wrap_request(Request(scope, receive))
        user_context: dict[str, Any] = {}
        served = await sdk.middleware(request, BaseResponse(), user_context)
        if served is not None:
            await send_response(served, send)
            return
        started = False

        async def send_with_changes(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = pending_changes(request.state)
                if extra:
                    message = dict(message)
                    message["headers"] = [
                        *message.get("headers", []),
                        *((k.encode("latin-1"), v.encode("latin-1")) for k, v in extra),
                    ]
            await send(message)

        try:
            await self.app(scope, receive, send_with_changes)
        except AuthdeckError as err:
            if started:
                raise
            reply = await sdk.handle_error(request, err, BaseResponse(), user_context)
            await send_response(reply, send)


def get_middleware() -> type[AuthdeckMiddleware]:
    """The middleware class, for ``app.add_middleware(get_middleware())``."""
    return AuthdeckMiddleware
