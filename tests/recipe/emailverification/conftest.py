"""Fixtures: authdeck (session + emailpassword + emailverification) with recording outboxes."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe import emailpassword, emailverification
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import Outbox, form, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
def mode() -> str:
    return "REQUIRED"


@pytest.fixture
async def http(
    core: CoreProcess, app_client: CoreClient, outbox: Outbox, mode: str
) -> AsyncIterator[httpx.AsyncClient]:
    recipes = [
        # emailverification first: the claim registry must not depend on the order of recipe_list.
        emailverification.init(mode=mode, email_delivery=EmailDeliveryConfig(service=outbox)),  # type: ignore[arg-type]
        emailpassword.init(),
    ]
    async with serve(core, app_client, recipes) as client:
        yield client


async def sign_up(http: httpx.AsyncClient, email: str = "v@example.com") -> httpx.Response:
    reply = await http.post("/auth/signup", json=form(email=email, password="abcd1234"))
    assert reply.json()["status"] == "OK", reply.text
    return reply
