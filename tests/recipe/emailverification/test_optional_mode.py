"""OPTIONAL mode: the claim is kept in the session but nothing is blocked."""

from __future__ import annotations

import httpx
import pytest

from tests.recipe.emailpassword._app import bearer, front_token_payload
from tests.recipe.emailverification.conftest import sign_up

pytestmark = pytest.mark.anyio


@pytest.fixture
def mode() -> str:
    return "OPTIONAL"


async def test_optional_mode_lets_unverified_users_through_with_the_claim_set(http: httpx.AsyncClient) -> None:
    signed_up = await sign_up(http)
    assert front_token_payload(signed_up)["up"]["st-ev"]["v"] is False
    reply = await http.get("/protected", headers=bearer(signed_up))
    assert reply.status_code == 200
    assert reply.json()["payload"]["st-ev"]["v"] is False
