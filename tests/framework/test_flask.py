"""The Flask adapter: SDK routes, pass-through, queued headers on app responses, errors; same bytes as FastAPI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import flask
import httpx
import pytest
from fastapi import FastAPI

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck._supertokens import Authdeck
from authdeck.exceptions import BadInputError, ConfigError
from authdeck.framework.fastapi import get_middleware
from authdeck.framework.flask import Middleware, wrap_request
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse, Cookie, queue_change
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext

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
    assert reply.headers["Content-Type"] == "application/json"
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

