"""Fixtures: authdeck (session + emailpassword + emailverification) in a FastAPI app on a fresh core app."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest

from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe import emailpassword, emailverification
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import Outbox, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def outbox() -> Outbox:
    return Outbox()


@pytest.fixture
async def http(core: CoreProcess, app_client: CoreClient, outbox: Outbox) -> AsyncIterator[httpx.AsyncClient]:
    recipes = [
        emailpassword.init(email_delivery=EmailDeliveryConfig(service=outbox)),
        emailverification.init(mode="OPTIONAL"),
    ]
    async with serve(core, app_client, recipes) as client:
        yield client
