"""A FastAPI app with the session recipe, on a fresh app of a real core, driven in-process over httpx.

``make_app(**session_kwargs)`` builds it; its routes create sessions and check them in the ways tests need.
Tokens are sent explicitly on each request (the client keeps no cookie jar), so every test says what it sends.
"""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import Depends, FastAPI, Request

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck._querier import Querier
from authdeck._supertokens import Authdeck
from authdeck.framework.fastapi import get_middleware
from authdeck.recipe import session
from authdeck.recipe._module import RecipeInit
from authdeck.recipe.session import SessionContainer
from authdeck.recipe.session.asyncio import create_new_session
from authdeck.recipe.session.claims import PrimitiveClaim
from authdeck.recipe.session.framework.fastapi import verify_session
from authdeck.types import RecipeUserId
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess

LevelClaim = PrimitiveClaim("level", lambda user_id, recipe_user_id, tenant_id, payload, ctx: "basic")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def parse_set_cookie(line: str) -> dict[str, Any]:
    """``{"name", "value", "raw", <attribute lower-case>: value or True}``."""
    parts = [p.strip() for p in line.split(";")]
    name, _, value = parts[0].partition("=")
    cookie: dict[str, Any] = {"name": name, "value": value, "raw": line}
    for attr in parts[1:]:
        key, sep, val = attr.partition("=")
        cookie[key.lower()] = val if sep else True
    return cookie


def decode_jwt_payload(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return decoded


@dataclass
class Reply:
    response: httpx.Response
    cookies: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def status(self) -> int:
        return self.response.status_code

    def json(self) -> Any:
        return self.response.json()

    def header(self, name: str) -> str | None:
        return self.response.headers.get(name)

    def cookie_value(self, name: str) -> str:
        value: str = self.cookies[name]["value"]
        return value


@dataclass
class SessionApp:
    http: httpx.AsyncClient
    cdi: CoreClient

    async def call(
        self,
        method: str,
        path: str,
        *,
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        bearer: str | None = None,
        json_body: Any = None,
    ) -> Reply:
        sent = dict(headers or {})
        if cookies:
            sent["cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if bearer is not None:
            sent["authorization"] = f"Bearer {bearer}"
        response = await self.http.request(method, path, headers=sent, json=json_body)
        self.http.cookies.clear()  # no implicit cookie jar: each test sends exactly what it means to
        parsed = {}
        for line in response.headers.get_list("set-cookie"):
            cookie = parse_set_cookie(line)
            parsed[cookie["name"]] = cookie
        return Reply(response, parsed)

    async def create(self, user_id: str = "user-1", *, mode: str | None = None, **body: Any) -> Reply:
        headers = {"st-auth-mode": mode} if mode else {}
        return await self.call("POST", "/create", headers=headers, json_body={"userId": user_id, **body})

    def session_exists(self, handle: str) -> bool:
        reply = self.cdi.get("/recipe/session", params={"sessionHandle": handle})
        assert reply.status_code == 200, reply.text
        return bool(reply.json()["status"] == "OK")


def build_api() -> FastAPI:
    api = FastAPI()
    api.add_middleware(get_middleware())

    def describe(s: SessionContainer) -> dict[str, Any]:
        return {
            "userId": s.get_user_id(),
            "recipeUserId": s.get_recipe_user_id().get_as_string(),
            "handle": s.get_handle(),
            "tenantId": s.get_tenant_id(),
            "payload": s.get_access_token_payload(),
        }

    @api.post("/create")
    async def create(request: Request) -> dict[str, Any]:
        body = await request.json()
        s = await create_new_session(
            request,
            body.get("tenantId", "public"),
            RecipeUserId(body["userId"]),
            body.get("payload"),
            body.get("data"),
        )
        return describe(s)

    @api.get("/protected")
    async def protected_get(s: SessionContainer = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    @api.post("/protected")
    async def protected_post(s: SessionContainer = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    @api.get("/protected-db")
    async def protected_db(
        s: SessionContainer = Depends(verify_session(check_database=True)),  # noqa: B008
    ) -> dict[str, Any]:
        return describe(s)

    @api.get("/optional")
    async def optional(
        s: SessionContainer | None = Depends(verify_session(session_required=False)),  # noqa: B008
    ) -> dict[str, Any]:
        return {"hasSession": s is not None}

    @api.post("/merge")
    async def merge(request: Request, s: SessionContainer = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        await s.merge_into_access_token_payload(await request.json())
        return describe(s)

    def level_is(value: str) -> Any:
        return verify_session(
            override_global_claim_validators=lambda validators, _s, _ctx: [
                *validators,
                LevelClaim.validators.has_value(value),
            ]
        )

    @api.get("/level/gold")
    async def gold(s: SessionContainer = Depends(level_is("gold"))) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    @api.get("/level/basic")
    async def basic(s: SessionContainer = Depends(level_is("basic"))) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    return api


MakeApp = Callable[..., Awaitable[SessionApp]]


@pytest.fixture
async def make_app(core: CoreProcess) -> AsyncIterator[MakeApp]:
    opened: list[SessionApp] = []

    async def make(
        *,
        core_config: dict[str, Any] | None = None,
        api_domain: str = "http://localhost:8000",
        website_domain: str = "http://localhost:3000",
        other_recipes: tuple[RecipeInit, ...] = (),
        **session_kwargs: Any,
    ) -> SessionApp:
        cdi = core.new_app(core_config)
        Authdeck.reset()
        init(
            app_info=InputAppInfo(app_name="T", api_domain=api_domain, website_domain=website_domain),
            framework="fastapi",
            supertokens_config=SupertokensConfig(connection_uri=f"{core.url}/appid-{cdi.app_id}", api_key=API_KEY),
            recipe_list=[session.init(**session_kwargs), *other_recipes],
        )
        http = httpx.AsyncClient(transport=httpx.ASGITransport(app=build_api()), base_url=api_domain)
        app = SessionApp(http, cdi)
        opened.append(app)
        return app

    yield make
    for app in opened:
        await app.http.aclose()
        app.cdi.close()
    if Authdeck._instance is not None:
        await close_querier(Authdeck._instance.querier)
    Authdeck.reset()


async def close_querier(querier: Querier) -> None:
    """Close the querier's client on each loop it used (syncio calls use the sync bridge's loop); unclosed
    sockets fail the run. Querier.aclose() alone closes only the current loop's client."""
    running = asyncio.get_running_loop()
    for loop, client in list(querier._clients.values()):
        if loop is running:
            await client.aclose()
        elif not loop.is_closed():
            future = asyncio.run_coroutine_threadsafe(client.aclose(), loop)
            await asyncio.wrap_future(future)
    querier._clients.clear()
