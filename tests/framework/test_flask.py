"""The Flask adapter: SDK routes, pass-through, queued headers on app responses, errors; same bytes as FastAPI."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Annotated, Any

import flask
import httpx
import pytest
from anyio.from_thread import start_blocking_portal
from fastapi import Depends, FastAPI, Request

from authdeck import InputAppInfo, SupertokensConfig, _sync, init
from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck._supertokens import Authdeck
from authdeck.exceptions import BadInputError, ConfigError
from authdeck.framework.fastapi import get_middleware
from authdeck.framework.flask import Middleware, wrap_request
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse, Cookie, queue_change
from authdeck.recipe import emailpassword, session, usermetadata, userroles
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext
from authdeck.recipe.session import SessionContainer
from authdeck.recipe.session import asyncio as session_async
from authdeck.recipe.session import syncio as session_sync
from authdeck.recipe.session.framework.fastapi import verify_session as fastapi_verify_session
from authdeck.recipe.session.framework.flask import verify_session
from authdeck.recipe.userroles import UserRoleClaim
from authdeck.recipe.userroles import syncio as userroles_sync
from tests._harness.core_process import API_KEY, CoreProcess

COOKIES = [
    Cookie("sAccessToken", "a.b.c", 1_900_000_000_000, "/", None, False, True, "lax"),
    Cookie("sRefreshToken", "r/t+=", 1_900_000_000_000, "/auth/session/refresh", None, False, True, "lax"),
    Cookie("sAccessToken", "", 0, "/", ".example.com", True, True, "none"),
]


def set_tokens(response: BaseResponse) -> None:
    for cookie in COOKIES:
        response.set_cookie(cookie)
    response.set_header("front-token", "ft")
    response.append_to_header("Access-Control-Expose-Headers", "front-token")


class ProbeRecipe(RecipeModule):
    """A recipe serving routes that exercise the adapter: JSON echo, tokens, errors."""

    recipe_id = "probe"

    def get_apis_handled(self) -> list[APIRoute]:
        return [
            APIRoute("post", "/echo", "echo"),
            APIRoute("get", "/tokens", "tokens"),
            APIRoute("get", "/maybe", "maybe"),
        ]

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        if api_id == "maybe":
            return None  # the recipe lets the app answer
        if api_id == "tokens":
            set_tokens(response)
            response.set_json_content({"status": "OK"})
            return response
        body = await request.json_object()
        if "fail" in body:
            raise BadInputError("fail was given")
        response.set_json_content(
            {"tenant": tenant_id, "body": body, "query": request.get_query_params(), "ip": request.client_ip()}
        )
        return response

    @classmethod
    def init(cls) -> RecipeInit:
        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return cls(app_info, querier)

        return make


def start_sdk(framework: Any) -> None:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="T", api_domain="http://localhost:8000", website_domain="http://localhost:3000"),
        framework=framework,
        supertokens_config=SupertokensConfig(connection_uri="http://127.0.0.1:9"),
        recipe_list=[ProbeRecipe.init()],
    )


def make_app() -> flask.Flask:
    app = flask.Flask(__name__)
    Middleware(app)

    @app.get("/hello")
    def hello() -> dict[str, str]:
        return {"hi": "there"}

    @app.get("/auth/maybe")
    def maybe() -> str:
        return "app answered"

    @app.post("/form")
    def form() -> dict[str, str]:
        return dict(flask.request.form)

    @app.get("/queued")
    def queued() -> flask.Response:
        queue_change(wrap_request().state, set_tokens)
        response = flask.jsonify({"ok": True})
        response.headers["Access-Control-Expose-Headers"] = "x-app"
        return response

    @app.get("/bad-input")
    def bad_input() -> str:
        raise BadInputError("the app said no")

    @app.get("/unclaimed")
    def unclaimed() -> str:
        raise ConfigError("nobody claims this")

    @app.get("/same")
    def same() -> dict[str, bool]:
        return {"same": wrap_request() is wrap_request()}

    return app


@pytest.fixture
def client() -> Iterator[flask.testing.FlaskClient]:
    start_sdk("flask")
    yield make_app().test_client()
    Authdeck.reset()


def test_sdk_route_is_served_with_tenant_query_and_client_ip(client: flask.testing.FlaskClient) -> None:
    reply = client.post("/auth/Tenant-1/echo?x=1", json={"a": [1, "ü"]})
    assert reply.status_code == 200
    assert reply.headers["Content-Type"] == "application/json; charset=utf-8"
    assert reply.get_json() == {"tenant": "tenant-1", "body": {"a": [1, "ü"]}, "query": {"x": "1"}, "ip": "127.0.0.1"}


def test_other_paths_and_declined_sdk_routes_reach_the_app(client: flask.testing.FlaskClient) -> None:
    assert client.get("/hello").get_json() == {"hi": "there"}
    assert client.get("/auth/maybe").text == "app answered"
    assert client.get("/auth/nothing").status_code == 404


def test_app_can_still_read_its_form_body(client: flask.testing.FlaskClient) -> None:
    assert client.post("/form", data={"name": "x"}).get_json() == {"name": "x"}


def test_malformed_json_is_400_with_message(client: flask.testing.FlaskClient) -> None:
    reply = client.post("/auth/echo", data=b"{nope", content_type="application/json")
    assert (reply.status_code, reply.get_json()) == (400, {"message": "The request body is not valid JSON"})
    reply = client.post("/auth/echo", json=[1, 2])
    assert (reply.status_code, reply.get_json()) == (400, {"message": "The request body must be a JSON object"})


def test_sdk_errors_from_routes_and_views_become_their_responses(client: flask.testing.FlaskClient) -> None:
    reply = client.post("/auth/echo", json={"fail": 1})
    assert (reply.status_code, reply.get_json()) == (400, {"message": "fail was given"})
    reply = client.get("/bad-input")
    assert (reply.status_code, reply.get_json()) == (400, {"message": "the app said no"})


def test_errors_no_recipe_claims_are_500() -> None:
    start_sdk("flask")
    try:
        app = make_app()
        app.config["PROPAGATE_EXCEPTIONS"] = False
        assert app.test_client().get("/unclaimed").status_code == 500
    finally:
        Authdeck.reset()


def test_one_sdk_request_object_per_request(client: flask.testing.FlaskClient) -> None:
    assert client.get("/same").get_json() == {"same": True}


def test_queued_changes_land_on_the_app_response_as_separate_set_cookie_headers(
    client: flask.testing.FlaskClient,
) -> None:
    reply = client.get("/queued")
    assert reply.get_json() == {"ok": True}
    assert reply.headers.getlist("Set-Cookie") == [c.header_value() for c in COOKIES]
    assert reply.headers["front-token"] == "ft"
    assert reply.headers["Access-Control-Expose-Headers"] == "x-app,front-token"
    # Nothing leaks into the next request.
    assert client.get("/hello").headers.getlist("Set-Cookie") == []


async def fastapi_tokens_reply() -> httpx.Response:
    start_sdk("fastapi")
    api = FastAPI()
    api.add_middleware(get_middleware())
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=api), base_url="http://t") as c:
        return await c.get("/auth/tokens")


def test_set_cookie_and_headers_are_the_same_bytes_as_fastapi() -> None:
    try:
        expected = asyncio.run(fastapi_tokens_reply())
        start_sdk("flask")
        reply = make_app().test_client().get("/auth/tokens")
    finally:
        Authdeck.reset()
    assert reply.headers.getlist("Set-Cookie") == expected.headers.get_list("set-cookie")
    assert reply.headers.getlist("Set-Cookie") == [c.header_value() for c in COOKIES]
    for name in ("front-token", "access-control-expose-headers", "content-type", "content-length"):
        assert reply.headers[name] == expected.headers[name]
    assert reply.data == expected.content



# --- Sessions against a real core: the same scenario through FastAPI and Flask must look the same ---

SDK_HEADERS = ("front-token", "st-access-token", "st-refresh-token", "anti-csrf", "access-control-expose-headers")


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, list[str]]

    def cookie(self, name: str) -> str:
        for line in self.headers.get("set-cookie", []):
            key, _, rest = line.partition("=")
            if key == name:
                return rest.split(";", 1)[0]
        raise AssertionError(f"no Set-Cookie for {name}: {self.headers}")


Send = Callable[[str, str, dict[str, str], Any], Reply]


def encode(body: Any) -> bytes | None:
    """Request bodies: raw bytes as given (malformed JSON on purpose), None for none, else JSON."""
    if body is None or isinstance(body, bytes):
        return body
    return json.dumps(body).encode()


def reply_of(status: int, content: bytes, header_lists: Callable[[str], list[str]]) -> Reply:
    names = ("set-cookie", "content-type", *SDK_HEADERS)
    headers = {name: header_lists(name) for name in names if header_lists(name)}
    try:
        body = json.loads(content) if content else None
    except ValueError:
        body = content.decode(errors="replace")
    return Reply(status, body, headers)


def normalised(reply: Reply, user_id: str) -> tuple[int, Any, dict[str, list[str]]]:
    """Tokens, expiry times and the user id vary per run; everything else must match byte for byte."""
    headers: dict[str, list[str]] = {}
    for name, values in reply.headers.items():
        if name == "set-cookie":
            values = [re.sub(r"^(\w+)=(?!\"\")[^;]+", r"\1=<token>", v) for v in values]
            values = [re.sub(r"expires=(?!Thu, 01 Jan 1970)[^;]+", "expires=<time>", v) for v in values]
        elif name in ("front-token", "st-access-token", "st-refresh-token", "anti-csrf"):
            values = ["<token>" if v not in ("", "remove") else v for v in values]
        headers[name] = values
    text = json.dumps(reply.body).replace(user_id, "<user>")
    text = re.sub(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<uuid>", text)
    text = re.sub(r'"timeJoined": \d+', '"timeJoined": 0', text)
    body = json.loads(text)
    if isinstance(body, dict):
        body.pop("payload", None)
    return reply.status, body, headers


def session_scenario(send: Send, user_id: str, views: str = "") -> list[Reply]:
    """Create (cookie and header mode), verify, reject, refresh, check a claim, sign out.

    ``views`` prefixes the app's own routes (Django serves sync and async variants of them).
    """
    replies = []
    created = send("POST", f"{views}/create", {"st-auth-mode": "cookie"}, {"userId": user_id})
    access, refresh = created.cookie("sAccessToken"), created.cookie("sRefreshToken")
    replies.append(created)
    replies.append(send("GET", f"{views}/protected", {"Cookie": f"sAccessToken={access}"}, None))
    replies.append(send("GET", f"{views}/protected", {}, None))
    replies.append(send("GET", f"{views}/protected", {"Cookie": "sAccessToken=not-a-jwt"}, None))
    replies.append(send("GET", f"{views}/optional", {}, None))
    replies.append(send("GET", f"{views}/admin", {"Cookie": f"sAccessToken={access}"}, None))
    refreshed = send("POST", "/auth/session/refresh", {"Cookie": f"sRefreshToken={refresh}"}, None)
    replies.append(refreshed)
    new_access = refreshed.cookie("sAccessToken")
    replies.append(send("GET", f"{views}/protected", {"Cookie": f"sAccessToken={new_access}"}, None))
    # The old refresh token again: the core sees a reused, rotated token (theft) and the SDK clears everything.
    replies.append(send("POST", "/auth/session/refresh", {"Cookie": f"sRefreshToken={refresh}"}, None))
    header_mode = send("POST", f"{views}/create", {}, {"userId": user_id})
    replies.append(header_mode)
    bearer = header_mode.headers["st-access-token"][0]
    replies.append(send("GET", f"{views}/protected", {"Authorization": f"Bearer {bearer}"}, None))
    replies.append(send("POST", "/auth/signout", {"Authorization": f"Bearer {bearer}"}, None))
    replies.append(send("POST", "/auth/signout", {"Cookie": f"sAccessToken={new_access}"}, None))
    return replies


def emailpassword_scenario(send: Send, user_id: str, views: str = "") -> list[Reply]:
    """Sign up, sign in (cookie and header mode) through the SDK routes, use the session, and bad input."""

    def form(email: str, password: str) -> dict[str, Any]:
        return {"formFields": [{"id": "email", "value": email}, {"id": "password", "value": password}]}

    email = f"{user_id}@example.com"
    cookie_mode = {"st-auth-mode": "cookie"}
    replies = [send("POST", "/auth/signup", cookie_mode, form(email, "abcd1234"))]
    access = replies[0].cookie("sAccessToken")
    replies.append(send("GET", f"{views}/protected", {"Cookie": f"sAccessToken={access}"}, None))
    replies.append(send("POST", "/auth/signup", cookie_mode, form(email, "abcd1234")))
    replies.append(send("POST", "/auth/signup", cookie_mode, form("not-an-email", "short")))
    replies.append(send("POST", "/auth/signin", {}, form(email, "wrong-password1")))
    signed_in = send("POST", "/auth/signin", {}, form(email, "abcd1234"))
    replies.append(signed_in)
    bearer = signed_in.headers["st-access-token"][0]
    replies.append(send("GET", f"{views}/protected", {"Authorization": f"Bearer {bearer}"}, None))
    replies.append(send("GET", f"/auth/emailpassword/email/exists?email={email}", {}, None))
    replies.append(send("POST", "/auth/signin", {}, b"{not json"))
    replies.append(send("POST", "/auth/signin", {}, {"formFields": "nope"}))
    replies.append(send("POST", "/auth/signin", {}, {}))
    return replies


Scenario = Callable[[Send, str, str], list[Reply]]


def admin_validators(validators: list[Any], session: Any, user_context: dict[str, Any]) -> list[Any]:
    return [*validators, UserRoleClaim.validators.includes("admin")]


def start_session_sdk(framework: Any, connection_uri: str) -> None:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="T", api_domain="http://localhost:8000", website_domain="http://localhost:3000"),
        framework=framework,
        supertokens_config=SupertokensConfig(connection_uri=connection_uri, api_key=API_KEY),
        recipe_list=[session.init(), emailpassword.init(), userroles.init(), usermetadata.init()],
    )


# Module level: with postponed annotations FastAPI resolves Annotated[...] in the module's globals.
required_session = fastapi_verify_session()
optional_session = fastapi_verify_session(session_required=False)
admin_session = fastapi_verify_session(override_global_claim_validators=admin_validators)


def make_fastapi_session_app() -> FastAPI:
    api = FastAPI()
    api.add_middleware(get_middleware())

    @api.post("/create")
    async def create(request: Request) -> dict[str, bool]:
        body = await request.json()
        created = await session_async.create_new_session(request, "public", body["userId"])
        return {"created": bool(created.get_handle())}

    @api.get("/protected")
    async def protected(s: Annotated[SessionContainer, Depends(required_session)]) -> dict[str, Any]:
        return {"userId": s.get_user_id(), "payload": s.get_access_token_payload()}

    @api.get("/optional")
    async def optional(s: Annotated[SessionContainer | None, Depends(optional_session)]) -> Any:
        return {"has": s is not None}

    @api.get("/admin")
    async def admin(
        s: Annotated[SessionContainer, Depends(admin_session)],
    ) -> dict[str, bool]:
        return {"ok": True}

    return api


def make_flask_session_app() -> flask.Flask:
    app = flask.Flask(__name__)
    Middleware(app)

    @app.post("/create")
    def create() -> dict[str, bool]:
        body = flask.request.get_json()
        created = session_sync.create_new_session(flask.request, "public", body["userId"])
        return {"created": bool(created.get_handle())}

    @app.get("/protected")
    @verify_session()
    def protected() -> dict[str, Any]:
        s = flask.g.supertokens
        return {"userId": s.get_user_id(), "payload": s.get_access_token_payload()}

    @app.get("/optional")
    @verify_session(session_required=False)
    def optional() -> dict[str, bool]:
        return {"has": flask.g.supertokens is not None}

    @app.get("/admin")
    @verify_session(override_global_claim_validators=admin_validators)
    def admin() -> dict[str, bool]:
        return {"ok": True}

    @app.get("/async-protected")
    @verify_session()
    async def async_protected() -> dict[str, str]:
        return {"userId": flask.g.supertokens.get_user_id()}

    return app


def run_fastapi_scenario(connection_uri: str, user_id: str, scenario: Scenario = session_scenario) -> list[Reply]:
    start_session_sdk("fastapi", connection_uri)
    transport = httpx.ASGITransport(app=make_fastapi_session_app())
    with start_blocking_portal() as portal:
        client = httpx.AsyncClient(transport=transport, base_url="http://localhost")

        def send(method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
            client.cookies.clear()  # cookies travel only in the explicit headers, as for the other frameworks
            data, sent = encode(body), dict(headers)
            if data is not None:
                sent["content-type"] = "application/json"
            r = portal.call(lambda: client.request(method, path, headers=sent, content=data))
            return reply_of(r.status_code, r.content, r.headers.get_list)

        try:
            return scenario(send, user_id, "")
        finally:
            portal.call(client.aclose)
            portal.call(Authdeck.get_instance().querier.aclose)  # the connections of the portal's event loop


def run_flask_scenario(connection_uri: str, user_id: str, scenario: Scenario = session_scenario) -> list[Reply]:
    start_session_sdk("flask", connection_uri)
    client = make_flask_session_app().test_client(use_cookies=False)

    def send(method: str, path: str, headers: dict[str, str], body: Any) -> Reply:
        r = client.open(path, method=method, headers=headers, data=encode(body), content_type="application/json")
        return reply_of(r.status_code, r.data, r.headers.getlist)

    return scenario(send, user_id, "")


@pytest.fixture
def core_uri(core: CoreProcess) -> Iterator[str]:
    with core.new_app() as client:
        yield f"{core.url}/appid-{client.app_id}"
    if Authdeck._instance is not None:
        _sync.run(Authdeck._instance.querier.aclose())
    Authdeck.reset()


def test_session_scenario_through_flask_matches_fastapi(core_uri: str) -> None:
    expected = [normalised(r, "user-fastapi") for r in run_fastapi_scenario(core_uri, "user-fastapi")]
    got = [normalised(r, "user-flask") for r in run_flask_scenario(core_uri, "user-flask")]
    for index, (ours, theirs) in enumerate(zip(got, expected, strict=True)):
        assert ours == theirs, f"step {index}"
    statuses = [status for status, _, _ in got]
    # The last sign-out uses a token of the session that theft detection revoked.
    assert statuses == [200, 200, 401, 401, 200, 403, 200, 200, 401, 200, 200, 200, 401]


def test_role_claims_are_in_the_access_token_and_guard_a_view(core_uri: str) -> None:
    start_session_sdk("flask", core_uri)
    userroles_sync.create_new_role_or_add_permissions("admin", ["read", "write"])
    userroles_sync.add_role_to_user("public", "ada", "admin")
    client = make_flask_session_app().test_client(use_cookies=False)
    created = client.post("/create", json={"userId": "ada"}, headers={"st-auth-mode": "cookie"})
    cookie = {"Cookie": f"sAccessToken={created.headers.getlist('Set-Cookie')[0].split(';')[0].split('=', 1)[1]}"}
    payload = client.get("/protected", headers=cookie).get_json()["payload"]
    assert payload["st-role"]["v"] == ["admin"]
    assert sorted(payload["st-perm"]["v"]) == ["read", "write"]
    assert isinstance(payload["st-role"]["t"], int)
    assert client.get("/admin", headers=cookie).get_json() == {"ok": True}


def test_async_flask_views_can_be_protected(core_uri: str) -> None:
    start_session_sdk("flask", core_uri)
    client = make_flask_session_app().test_client(use_cookies=False)
    token = client.post("/create", json={"userId": "u-async"}).headers["st-access-token"]
    reply = client.get("/async-protected", headers={"Authorization": f"Bearer {token}"})
    assert reply.get_json() == {"userId": "u-async"}
    assert client.get("/async-protected").status_code == 401


def test_emailpassword_routes_through_flask_match_fastapi(core_uri: str) -> None:
    theirs = run_fastapi_scenario(core_uri, "fastapi-ep", emailpassword_scenario)
    ours = run_flask_scenario(core_uri, "flask-ep", emailpassword_scenario)
    expected = [normalised(r, "fastapi-ep") for r in theirs]
    got = [normalised(r, "flask-ep") for r in ours]
    for index, (mine, other) in enumerate(zip(got, expected, strict=True)):
        assert mine == other, f"step {index}"
    assert [status for status, _, _ in got] == [200, 200, 200, 200, 200, 200, 200, 200, 400, 400, 200]
    assert [body.get("status") for _, body, _ in got[:8]] == [
        "OK", None, "FIELD_ERROR", "FIELD_ERROR", "WRONG_CREDENTIALS_ERROR", "OK", None, "OK"
    ]
    assert got[8][1] == {"message": "The request body is not valid JSON"}
