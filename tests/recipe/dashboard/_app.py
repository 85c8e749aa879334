"""A FastAPI app with authdeck's dashboard on a fresh core app, served in-process, plus dashboard users."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
from fastapi import FastAPI

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck._supertokens import Authdeck
from authdeck.framework.fastapi import get_middleware
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe import dashboard, emailpassword, emailverification, session, usermetadata, userroles
from authdeck.recipe._module import RecipeInit
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess
from tests.recipe.emailpassword._app import Outbox

API_DOMAIN = "http://localhost:8000"
WEBSITE_DOMAIN = "http://localhost:3000"
ADMIN = "admin@example.com"
VIEWER = "viewer@example.com"
PASSWORD = "dashboard-pass-1"  # noqa: S105 (a test credential)
CLIENT_IP = "127.0.0.1"


def all_recipes(outbox: Outbox, **dashboard_options: Any) -> list[RecipeInit]:
    return [
        session.init(),
        emailpassword.init(),
        emailverification.init(mode="OPTIONAL", email_delivery=EmailDeliveryConfig(service=outbox)),  # type: ignore[arg-type]
        usermetadata.init(),
        userroles.init(),
        dashboard.init(**dashboard_options),
    ]


@dataclass
class DashboardApp:
    """The app under test, and the core app behind it (``core_client`` speaks CDI with the API key)."""

    core_client: CoreClient
    app: FastAPI
    base: str = "/auth"
    outbox: Outbox = field(default_factory=Outbox)
    _clients: list[httpx.AsyncClient] = field(default_factory=list)

    def http(self, ip: str = CLIENT_IP) -> httpx.AsyncClient:
        """A client of the app as seen from ``ip`` (closed when the app is)."""
        transport = httpx.ASGITransport(app=self.app, client=(ip, 40000))
        client = httpx.AsyncClient(transport=transport, base_url=API_DOMAIN)
        self._clients.append(client)
        return client

    def api(self, path: str, tenant: str | None = None) -> str:
        return f"{self.base}{'/' + tenant if tenant else ''}/dashboard/api{path}"

    def create_dashboard_user(self, email: str, password: str = PASSWORD) -> None:
        self.core_client.ok("POST", "/recipe/dashboard/user", json={"email": email, "password": password})

    async def sign_in(self, email: str, password: str = PASSWORD, ip: str = CLIENT_IP) -> str:
        reply = await self.http(ip).post(self.api("/signin"), json={"email": email, "password": password})
        assert reply.status_code == 200 and reply.json()["status"] == "OK", reply.text
        session_id: str = reply.json()["sessionId"]
        return session_id

    def sign_up_app_user(self, email: str, password: str = "abcd1234") -> str:  # noqa: S107 (a test credential)
        """An end user of the app, made directly in the core."""
        body = self.core_client.ok("POST", "/public/recipe/signup", json={"email": email, "password": password})
        user_id: str = body["user"]["id"]
        return user_id


def start_sdk(
    core: CoreProcess,
    client: CoreClient,
    recipes: list[RecipeInit],
    *,
    connection_uri: str | None = None,
    **app_info: Any,
) -> None:
    Authdeck.reset()
    info = {"app_name": "Test App", "api_domain": API_DOMAIN, "website_domain": WEBSITE_DOMAIN, **app_info}
    uri = connection_uri or f"{core.url}/appid-{client.app_id}"
    init(
        app_info=InputAppInfo(**info),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri=uri, api_key=API_KEY),
        recipe_list=recipes,
    )


def build_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(get_middleware())

    @app.get("/hello")
    async def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


@asynccontextmanager
async def serve(
    core: CoreProcess,
    client: CoreClient,
    *,
    recipes: list[RecipeInit] | None = None,
    outbox: Outbox | None = None,
    base: str = "/auth",
    dashboard_options: dict[str, Any] | None = None,
    connection_uri: str | None = None,
    **app_info: Any,
) -> AsyncIterator[DashboardApp]:
    """authdeck with every recipe the dashboard uses (or ``recipes``), served in-process.

    ``connection_uri`` replaces the SDK's default one (this core's app) when given."""
    outbox = outbox or Outbox()
    recipes = recipes or all_recipes(outbox, **(dashboard_options or {}))
    start_sdk(core, client, recipes, connection_uri=connection_uri, **app_info)
    app = DashboardApp(client, build_app(), base, outbox)
    try:
        yield app
    finally:
        for http in app._clients:
            await http.aclose()
        await Authdeck.get_instance().querier.aclose()
        Authdeck.reset()


def bearer(token: str) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}
