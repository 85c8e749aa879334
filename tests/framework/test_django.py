"""The Django adapter under WSGI (Client, sync middleware) and ASGI (AsyncClient, async middleware), with sync
and async views: SDK routes, pass-through, queued headers on app responses, errors; same bytes as FastAPI."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server

import django
import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.test import AsyncClient, Client
from django.urls import path

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.exceptions import BadInputError, ConfigError
from authdeck.framework.django import wrap_request
from authdeck.framework.response import queue_change
from authdeck.recipe.session import asyncio as session_async
from authdeck.recipe.session import syncio as session_sync
from authdeck.recipe.session.framework.django.asyncio import verify_session as async_verify_session
from authdeck.recipe.session.framework.django.syncio import verify_session as sync_verify_session
from tests._harness.core_process import CoreProcess
from tests.framework.test_flask import (
    COOKIES,
    Reply,
    Scenario,
    admin_validators,
    emailpassword_scenario,
    encode,
    fastapi_tokens_reply,
    normalised,
    reply_of,
    run_fastapi_scenario,
    session_scenario,
    set_tokens,
    start_sdk,
    start_session_sdk,
)

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


# --- Session views, sync (authdeck...django.syncio) and async (authdeck...django.asyncio) ---


def create(request: HttpRequest) -> HttpResponse:
    body = json.loads(request.body)
    created = session_sync.create_new_session(request, "public", body["userId"])
    return JsonResponse({"created": bool(created.get_handle())})


@sync_verify_session()
def protected(request: HttpRequest) -> HttpResponse:
    s = request.supertokens
    return JsonResponse({"userId": s.get_user_id(), "payload": s.get_access_token_payload()})


@sync_verify_session(session_required=False)
def optional(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"has": request.supertokens is not None})


@sync_verify_session(override_global_claim_validators=admin_validators)
def admin(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


async def acreate(request: HttpRequest) -> HttpResponse:
    body = json.loads(request.body)
    created = await session_async.create_new_session(request, "public", body["userId"])
    return JsonResponse({"created": bool(created.get_handle())})


@async_verify_session()
async def aprotected(request: HttpRequest) -> HttpResponse:
    s = request.supertokens
    return JsonResponse({"userId": s.get_user_id(), "payload": s.get_access_token_payload()})


@async_verify_session(session_required=False)
async def aoptional(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"has": request.supertokens is not None})


@async_verify_session(override_global_claim_validators=admin_validators)
async def aadmin(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("sync/create", create),
    path("sync/protected", protected),
    path("sync/optional", optional),
    path("sync/admin", admin),
    path("async/create", acreate),
    path("async/protected", aprotected),
    path("async/optional", aoptional),
    path("async/admin", aadmin),
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
    assert reply["Content-Type"] == "application/json; charset=utf-8"
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


@pytest.fixture
def core_uri(core: CoreProcess) -> Iterator[str]:
    with core.new_app() as client:
        yield f"{core.url}/appid-{client.app_id}"
    if Authdeck._instance is not None:
        _sync.run(Authdeck._instance.querier.aclose())
    Authdeck.reset()


def django_header_lists(response: Any) -> Any:
    def header_list(name: str) -> list[str]:
        if name == "set-cookie":
            return set_cookie_lines(response)
        return [response.headers[name]] if name in response.headers else []

    return header_list


def use_cookie_jar(client: Client | AsyncClient, headers: dict[str, str]) -> dict[str, str]:
    """Move a Cookie header into the client's jar: the test clients always send the jar as a cookie header of
    their own, and under ASGI Django joins repeated headers with ',' (which would garble ours)."""
    client.cookies.clear()
    rest = dict(headers)
    cookie = rest.pop("Cookie", None)
    if cookie:
        client.cookies.load(cookie)
    return rest


def run_django_sync_scenario(connection_uri: str, user_id: str, scenario: Scenario = session_scenario) -> list[Reply]:
    start_session_sdk("django", connection_uri)
    client = Client()

    def send(method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        data = encode(body) or b""
        rest = use_cookie_jar(client, headers)
        r = client.generic(method, path, data, content_type="application/json", headers=rest)
        return reply_of(r.status_code, r.content, django_header_lists(r))

    return scenario(send, user_id, "/sync")


def run_django_async_scenario(connection_uri: str, user_id: str, scenario: Scenario = session_scenario) -> list[Reply]:
    start_session_sdk("django", connection_uri)
    with start_blocking_portal() as portal:
        client = AsyncClient()

        def send(method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
            data = encode(body) or b""
            rest = use_cookie_jar(client, headers)
            r = portal.call(lambda: client.generic(method, path, data, content_type="application/json", headers=rest))
            return reply_of(r.status_code, r.content, django_header_lists(r))

        try:
            return scenario(send, user_id, "/async")
        finally:
            portal.call(Authdeck.get_instance().querier.aclose)  # the connections of the portal's event loop


@pytest.mark.parametrize("run", [run_django_sync_scenario, run_django_async_scenario], ids=["wsgi-sync", "asgi-async"])
def test_session_scenario_through_django_matches_fastapi(core_uri: str, run: Any) -> None:
    expected = [normalised(r, "user-fastapi") for r in run_fastapi_scenario(core_uri, "user-fastapi")]
    got = [normalised(r, "user-django") for r in run(core_uri, "user-django")]
    for index, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        assert ours == theirs, f"step {index}"
    assert [status for status, _, _ in got] == [200, 200, 401, 401, 200, 403, 200, 200, 401, 200, 200, 200, 401]


@pytest.mark.parametrize("run", [run_django_sync_scenario, run_django_async_scenario], ids=["wsgi-sync", "asgi-async"])
def test_emailpassword_routes_through_django_match_fastapi(core_uri: str, run: Any) -> None:
    theirs = run_fastapi_scenario(core_uri, "fastapi-ep", emailpassword_scenario)
    ours = run(core_uri, "django-ep", emailpassword_scenario)
    expected = [normalised(r, "fastapi-ep") for r in theirs]
    got = [normalised(r, "django-ep") for r in ours]
    for index, (mine, other) in enumerate(zip(got, expected, strict=True)):
        assert mine == other, f"step {index}"
    json_type = {"content-type": ["application/json; charset=utf-8"]}
    assert got[8] == (400, {"message": "The request body is not valid JSON"}, json_type)
