"""Overrides of email verification and a custom get_email_for_recipe_user_id."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from authdeck.recipe import emailpassword, emailverification
from authdeck.recipe.emailverification import InputOverrideConfig
from authdeck.recipe.emailverification.interfaces import (
    APIInterface,
    EmailDoesNotExistError,
    GetEmailForUserIdOkResult,
    RecipeInterface,
    UnknownUserIdError,
)
from authdeck.types import RecipeUserId
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import Outbox, bearer, serve
from tests.recipe.emailverification.conftest import sign_up

pytestmark = pytest.mark.anyio

no_email_users: set[str] = set()


def get_email(recipe_user_id: RecipeUserId, user_context: dict[str, Any]) -> Any:
    if recipe_user_id.get_as_string() in no_email_users:
        return EmailDoesNotExistError()
    if recipe_user_id.get_as_string() == "custom":
        return GetEmailForUserIdOkResult("custom@example.com")
    return UnknownUserIdError()  # let authdeck look the user up


@pytest.fixture
def checked() -> list[str]:
    return []


@pytest.fixture
async def http(
    core: CoreProcess, app_client: CoreClient, outbox: Outbox, checked: list[str]
) -> AsyncIterator[httpx.AsyncClient]:
    def functions(original: RecipeInterface) -> RecipeInterface:
        is_verified = original.is_email_verified

        async def is_email_verified(recipe_user_id: RecipeUserId, email: str, user_context: dict[str, Any]) -> bool:
            checked.append(email)
            return await is_verified(recipe_user_id, email, user_context)

        original.is_email_verified = is_email_verified  # type: ignore[method-assign]
        return original

    def apis(original: APIInterface) -> APIInterface:
        original.email_verify_post = None  # type: ignore[assignment]
        return original

    no_email_users.clear()
    recipes = [
        emailpassword.init(),
        emailverification.init(
            "REQUIRED",
            email_delivery=emailverification.EmailDeliveryConfig(service=outbox),
            get_email_for_recipe_user_id=get_email,
            override=InputOverrideConfig(functions=functions, apis=apis),
        ),
    ]
    async with serve(core, app_client, recipes) as client:
        yield client


async def test_disabled_verify_route_falls_through_to_the_app(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/user/email/verify", json={"token": "x"})
    assert (reply.status_code, reply.json()) == (404, {"detail": "Not Found"})
    # The GET on the same path is another API and still served.
    assert (await http.get("/auth/user/email/verify")).status_code == 401


async def test_function_override_sees_the_claim_fetch_at_sign_up(http: httpx.AsyncClient, checked: list[str]) -> None:
    await sign_up(http)
    assert checked == ["v@example.com"]


async def test_user_without_email_counts_as_verified(http: httpx.AsyncClient, outbox: Outbox) -> None:
    signed_up = await sign_up(http, "x@example.com")
    no_email_users.add(signed_up.json()["user"]["id"])
    reply = await http.post("/auth/user/email/verify/token", headers=bearer(signed_up))
    assert reply.json() == {"status": "EMAIL_ALREADY_VERIFIED_ERROR"}
    assert outbox.sent == []
    state = await http.get("/auth/user/email/verify", headers=bearer(reply))
    assert state.json() == {"status": "OK", "isVerified": True}
    assert "front-token" not in state.headers  # nothing to update for a user without email
    assert (await http.get("/protected", headers=bearer(reply))).status_code == 200
