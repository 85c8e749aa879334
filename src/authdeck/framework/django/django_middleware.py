"""Django: add ``"authdeck.framework.django.django_middleware.middleware"`` to MIDDLEWARE.

It serves authdeck's routes, adds queued session headers to the app's responses, and turns authdeck errors
raised by views into their responses. It runs natively under WSGI (sync) and ASGI (async).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponseBase  # type: ignore[import-untyped]

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.exceptions import AuthdeckError
from authdeck.framework.django._request import wrap_request
from authdeck.framework.django._response import apply_changes, render
from authdeck.framework.response import BaseResponse, pending_changes

SyncGetResponse = Callable[[HttpRequest], HttpResponseBase]
AsyncGetResponse = Callable[[HttpRequest], Awaitable[HttpResponseBase]]


def render_error(request: HttpRequest, err: AuthdeckError) -> HttpResponseBase:
    """The SDK's response for ``err`` (401/403/400 JSON ...), from sync code; unclaimed errors are re-raised."""
    sdk = Authdeck.get_instance()
    return render(_sync.run(sdk.handle_error(wrap_request(request), err, BaseResponse(), {})))


async def render_error_async(request: HttpRequest, err: AuthdeckError) -> HttpResponseBase:
    sdk = Authdeck.get_instance()
    return render(await sdk.handle_error(wrap_request(request), err, BaseResponse(), {}))


class _Middleware:
    def __init__(self, get_response: Any) -> None:
        self.get_response = get_response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponseBase | None:
        """Django calls this (always synchronously, in a thread under ASGI) when a view raises."""
        if not isinstance(exception, AuthdeckError):
            return None
        try:
            return render_error(request, exception)
        except AuthdeckError:
            return None  # no recipe claims it: Django's own 500 handling takes over

    @staticmethod
    def _finish(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        apply_changes(response, pending_changes(wrap_request(request).state))
        return response


class _SyncMiddleware(_Middleware):
    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        served = _sync.run(Authdeck.get_instance().middleware(wrap_request(request), BaseResponse(), {}))
        if served is not None:
            return render(served)
        return self._finish(request, self.get_response(request))


class _AsyncMiddleware(_Middleware):
    def __init__(self, get_response: Any) -> None:
        super().__init__(get_response)
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponseBase:
        served = await Authdeck.get_instance().middleware(wrap_request(request), BaseResponse(), {})
        if served is not None:
            return render(served)
        return self._finish(request, await self.get_response(request))


def middleware(get_response: SyncGetResponse | AsyncGetResponse) -> _Middleware:
    """The middleware factory Django calls with the next handler; sync or async to match it."""
    if iscoroutinefunction(get_response):
        return _AsyncMiddleware(get_response)
    return _SyncMiddleware(get_response)


middleware.sync_capable = True  # type: ignore[attr-defined]
middleware.async_capable = True  # type: ignore[attr-defined]
