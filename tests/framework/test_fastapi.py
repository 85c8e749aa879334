"""The FastAPI adapter: routes under the base path (with a tenant prefix), pass-through, error handling."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck._supertokens import Authdeck
from authdeck.exceptions import BadInputError
from authdeck.framework.fastapi import get_middleware
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse, queue_change
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext


class EchoRecipe(RecipeModule):
    """A minimal recipe that exercises routing: it echoes what it was given."""

    recipe_id = "echo"

    def get_apis_handled(self) -> list[APIRoute]:
        return [APIRoute("post", "/echo", "echo"), APIRoute("get", "/files", "files", prefix=True)]

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        if api_id == "files":
            response.set_json_content({"path": request.get_path()})
            return response
        body = await request.json_object()
        if "fail" in body:
            raise BadInputError("fail was given")
        response.set_json_content({"tenant": tenant_id, "body": body})
        return response

    @classmethod
    def init(cls) -> RecipeInit:
        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return cls(app_info, querier)

        return make


@pytest.fixture
def app() -> Iterator[FastAPI]:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="T", api_domain="http://localhost:8000", website_domain="http://localhost:3000"),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri="http://127.0.0.1:9"),
        recipe_list=[EchoRecipe.init()],
    )
    api = FastAPI()
    api.add_middleware(get_middleware())

    @api.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hi": "there"}

    @api.get("/queued")
    async def queued() -> dict[str, str]:
        return {"ok": "yes"}

    yield api
    Authdeck.reset()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.anyio
async def test_sdk_route_is_served_under_the_base_path(client: httpx.AsyncClient) -> None:
    reply = await client.post("/auth/echo", json={"a": 1})
    assert reply.json() == {"tenant": "public", "body": {"a": 1}}


@pytest.mark.anyio
async def test_tenant_prefix_is_routed(client: httpx.AsyncClient) -> None:
    reply = await client.post("/auth/Tenant-1/echo", json={})
    assert reply.json()["tenant"] == "tenant-1"


@pytest.mark.anyio
async def test_other_paths_reach_the_app(client: httpx.AsyncClient) -> None:
    assert (await client.get("/hello")).json() == {"hi": "there"}
    assert (await client.get("/auth/nothing-here")).status_code == 404


@pytest.mark.anyio
async def test_prefix_routes_match_sub_paths(client: httpx.AsyncClient) -> None:
    assert (await client.get("/auth/files/a/b.js")).json() == {"path": "/auth/files/a/b.js"}


@pytest.mark.anyio
async def test_malformed_json_is_400_with_message(client: httpx.AsyncClient) -> None:
    reply = await client.post("/auth/echo", content=b"{nope", headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert reply.json() == {"message": "The request body is not valid JSON"}


@pytest.mark.anyio
async def test_bad_input_error_is_400(client: httpx.AsyncClient) -> None:
    reply = await client.post("/auth/echo", json={"fail": True})
    assert (reply.status_code, reply.json()) == (400, {"message": "fail was given"})


def test_queued_changes_are_rendered_as_headers() -> None:
    from authdeck.framework.response import pending_changes

    state: dict[str, Any] = {}
    queue_change(state, lambda r: r.set_header("front-token", "remove"))
    assert pending_changes(state) == [("front-token", "remove")]
