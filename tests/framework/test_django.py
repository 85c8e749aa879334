"""The Django adapter under WSGI (Client, sync middleware) and ASGI (AsyncClient, async middleware), with sync
and async views: SDK routes, pass-through, queued headers on app responses, errors; same bytes as FastAPI."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django
import httpx
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import AsyncClient, Client
from django.urls import path

from authdeck._supertokens import Authdeck
from authdeck.exceptions import BadInputError, ConfigError
from authdeck.framework.django import wrap_request
from authdeck.framework.response import queue_change
from tests.framework.test_flask import COOKIES, fastapi_tokens_reply, set_tokens, start_sdk

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="test-only-not-secret",  # noqa: S106
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=["authdeck.framework.django.django_middleware.middleware"],
        INSTALLED_APPS=[],
        DATABASES={},
        USE_TZ=True,
    )
    django.setup()


def hello(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"hi": "there"})


async def ahello(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"hi": "async"})


def maybe(request: HttpRequest) -> HttpResponse:
    return HttpResponse("app answered")


def queued(request: HttpRequest) -> HttpResponse:
    queue_change(wrap_request(request).state, set_tokens)
    response = JsonResponse({"ok": True})
    response["Access-Control-Expose-Headers"] = "x-app"
    return response


async def aqueued(request: HttpRequest) -> HttpResponse:
    return queued(request)


def bad_input(request: HttpRequest) -> HttpResponse:
    raise BadInputError("the app said no")


async def abad_input(request: HttpRequest) -> HttpResponse:
    raise BadInputError("the app said no, async")


def unclaimed(request: HttpRequest) -> HttpResponse:
    raise ConfigError("nobody claims this")


urlpatterns = [
    path("hello", hello),
    path("ahello", ahello),
    path("auth/maybe", maybe),
    path("queued", queued),
    path("aqueued", aqueued),
    path("bad-input", bad_input),
    path("abad-input", abad_input),
    path("unclaimed", unclaimed),
]


@pytest.fixture(autouse=True)
def sdk() -> Iterator[None]:
    start_sdk("django")
    yield
    Authdeck.reset()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def set_cookie_lines(response: Any) -> list[str]:
    return [morsel.OutputString() for morsel in response.cookies.values()]


def test_sdk_route_is_served_with_tenant_query_and_client_ip() -> None:
    reply = Client().post("/auth/Tenant-1/echo?x=1", {"a": [1, "ü"]}, content_type="application/json")
    assert reply.status_code == 200
    assert reply["Content-Type"] == "application/json"
    assert reply.json() == {"tenant": "tenant-1", "body": {"a": [1, "ü"]}, "query": {"x": "1"}, "ip": "127.0.0.1"}


@pytest.mark.anyio
async def test_sdk_route_is_served_under_asgi() -> None:
    reply = await AsyncClient().post("/auth/echo", {"a": 1}, content_type="application/json")
    assert reply.status_code == 200
    assert reply.json() == {"tenant": "public", "body": {"a": 1}, "query": {}, "ip": "127.0.0.1"}


def test_other_paths_and_declined_sdk_routes_reach_sync_and_async_views() -> None:
    client = Client()
    assert client.get("/hello").json() == {"hi": "there"}
    assert client.get("/ahello").json() == {"hi": "async"}
    assert client.get("/auth/maybe").content == b"app answered"
    assert client.get("/auth/nothing").status_code == 404


@pytest.mark.anyio
async def test_async_stack_reaches_sync_and_async_views() -> None:
    client = AsyncClient()
    assert (await client.get("/hello")).json() == {"hi": "there"}
    assert (await client.get("/ahello")).json() == {"hi": "async"}
    assert (await client.get("/auth/maybe")).content == b"app answered"


def test_malformed_json_is_400_with_message() -> None:
    reply = Client().post("/auth/echo", b"{nope", content_type="application/json")
    assert (reply.status_code, reply.json()) == (400, {"message": "The request body is not valid JSON"})


@pytest.mark.anyio
async def test_malformed_json_is_400_under_asgi() -> None:
    reply = await AsyncClient().post("/auth/echo", b"[1]", content_type="application/json")
    assert (reply.status_code, reply.json()) == (400, {"message": "The request body must be a JSON object"})


def test_sdk_errors_from_routes_and_views_become_their_responses() -> None:
    client = Client()
    reply = client.post("/auth/echo", {"fail": 1}, content_type="application/json")
    assert (reply.status_code, reply.json()) == (400, {"message": "fail was given"})
    assert (client.get("/bad-input").json(), client.get("/bad-input").status_code) == (
        {"message": "the app said no"},
        400,
    )
    reply = client.get("/abad-input")
    assert (reply.status_code, reply.json()) == (400, {"message": "the app said no, async"})


@pytest.mark.anyio
async def test_sdk_errors_from_views_under_asgi() -> None:
    client = AsyncClient()
    reply = await client.get("/abad-input")
    assert (reply.status_code, reply.json()) == (400, {"message": "the app said no, async"})
    reply = await client.get("/bad-input")
    assert (reply.status_code, reply.json()) == (400, {"message": "the app said no"})


def test_errors_no_recipe_claims_are_500() -> None:
    assert Client(raise_request_exception=False).get("/unclaimed").status_code == 500


@pytest.mark.parametrize("view", ["/queued", "/aqueued"])
def test_queued_changes_land_on_the_app_response(view: str) -> None:
    reply = Client().get(view)
    assert reply.json() == {"ok": True}
    assert set_cookie_lines(reply) == [c.header_value() for c in COOKIES]
    assert reply["front-token"] == "ft"
    assert reply["Access-Control-Expose-Headers"] == "x-app,front-token"


@pytest.mark.anyio
async def test_queued_changes_land_on_the_app_response_under_asgi() -> None:
    reply = await AsyncClient().get("/aqueued")
    assert set_cookie_lines(reply) == [c.header_value() for c in COOKIES]
    assert reply["front-token"] == "ft"


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        pass


def test_set_cookie_and_headers_on_the_wire_are_the_same_bytes_as_fastapi() -> None:
    expected = asyncio.run(fastapi_tokens_reply())
    Authdeck.reset()
    start_sdk("django")
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        reply = httpx.get(f"http://127.0.0.1:{server.server_port}/auth/tokens")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert reply.headers.get_list("set-cookie") == expected.headers.get_list("set-cookie")
    for name in ("front-token", "access-control-expose-headers", "content-type", "content-length"):
        assert reply.headers[name] == expected.headers[name]
    assert reply.content == expected.content
