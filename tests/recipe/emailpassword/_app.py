"""A FastAPI app with authdeck on a fresh core app, served in-process, and an outbox that records emails."""

from __future__ import annotations

import base64
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import Depends, FastAPI

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck._supertokens import Authdeck
from authdeck.framework.fastapi import get_middleware
from authdeck.ingredients.emaildelivery.types import EmailDeliveryInterface
from authdeck.recipe import session
from authdeck.recipe._module import RecipeInit
from authdeck.recipe.session import SessionContainer
from authdeck.recipe.session.framework.fastapi import verify_session
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess

API_DOMAIN = "http://localhost:8000"
WEBSITE_DOMAIN = "http://localhost:3000"


class Outbox(EmailDeliveryInterface[Any]):
    """A real email service for tests: it keeps what it was asked to send."""

    def __init__(self) -> None:
        self.sent: list[Any] = []

    async def send_email(self, template_vars: Any, user_context: dict[str, Any]) -> None:
        self.sent.append(template_vars)


def start_sdk(core: CoreProcess, client: CoreClient, recipes: list[RecipeInit]) -> None:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="Test App", api_domain=API_DOMAIN, website_domain=WEBSITE_DOMAIN),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri=f"{core.url}/appid-{client.app_id}", api_key=API_KEY),
        recipe_list=[session.init(), *recipes],
    )


def build_app() -> FastAPI:
    app = FastAPI()
    app.add_middleware(get_middleware())

    @app.get("/protected")
    async def protected(s: SessionContainer = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        return {"userId": s.get_user_id(), "payload": s.get_access_token_payload()}

    return app


@asynccontextmanager
async def serve(core: CoreProcess, client: CoreClient, recipes: list[RecipeInit]) -> AsyncIterator[httpx.AsyncClient]:
    """authdeck initialised with session + ``recipes``; an httpx client bound to the app in-process."""
    start_sdk(core, client, recipes)
    transport = httpx.ASGITransport(app=build_app())
    try:
        async with httpx.AsyncClient(transport=transport, base_url=API_DOMAIN) as http:
            yield http
    finally:
        await Authdeck.get_instance().querier.aclose()
        Authdeck.reset()


def form(**fields: Any) -> dict[str, Any]:
    return {"formFields": [{"id": k, "value": v} for k, v in fields.items()]}


def front_token_payload(reply: httpx.Response) -> dict[str, Any]:
    """The access-token payload the SDK sent in ``front-token`` (standard base64 of JSON)."""
    decoded: dict[str, Any] = json.loads(base64.b64decode(reply.headers["front-token"]))
    return decoded


def bearer(reply: httpx.Response) -> dict[str, str]:
    """Headers that authenticate as the session created (header mode) by ``reply``."""
    return {"authorization": f"Bearer {reply.headers['st-access-token']}"}
