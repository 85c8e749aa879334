"""Overrides: wrap recipe functions and APIs, disable routes, and answer GENERAL_ERROR from an override."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from authdeck.exceptions import GeneralError
from authdeck.recipe import emailpassword
from authdeck.recipe.emailpassword import InputOverrideConfig
from authdeck.recipe.emailpassword.interfaces import APIInterface, RecipeInterface
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import form, serve

pytestmark = pytest.mark.anyio


@pytest.fixture
def recorded() -> list[tuple[str, str]]:
    return []


@pytest.fixture
async def http(
    core: CoreProcess, app_client: CoreClient, recorded: list[tuple[str, str]]
) -> AsyncIterator[httpx.AsyncClient]:
    def functions(original: RecipeInterface) -> RecipeInterface:
        original_sign_up = original.sign_up

        async def sign_up(
            email: str, password: str, tenant_id: str, session: Any, link: bool | None, user_context: dict[str, Any]
        ) -> Any:
            recorded.append((email, tenant_id))
            return await original_sign_up(email, password, tenant_id, session, link, user_context)

        original.sign_up = sign_up  # type: ignore[method-assign]
        return original

    def apis(original: APIInterface) -> APIInterface:
        async def sign_in_post(form_fields: Any, *args: Any) -> Any:
            email = next(f.value for f in form_fields if f.id == "email")
            if email.endswith("@blocked.example"):
                raise GeneralError("This account is blocked. Contact support.")
            return await original_sign_in_post(form_fields, *args)

        original_sign_in_post = original.sign_in_post
        original.sign_in_post = sign_in_post  # type: ignore[method-assign]
        original.email_exists_get = None  # type: ignore[assignment]
        original.disable_generate_password_reset_token_post = True
        return original

    override = InputOverrideConfig(functions=functions, apis=apis)
    async with serve(core, app_client, [emailpassword.init(override=override)]) as client:
        yield client


async def test_wrapped_sign_up_is_called_with_the_normalised_input(
    http: httpx.AsyncClient, recorded: list[tuple[str, str]]
) -> None:
    reply = await http.post("/auth/signup", json=form(email=" w@example.com ", password="abcd1234"))
    assert reply.json()["status"] == "OK"
    assert recorded == [("w@example.com", "public")]


async def test_recipe_functions_called_from_code_also_go_through_the_override(
    http: httpx.AsyncClient, recorded: list[tuple[str, str]]
) -> None:
    from authdeck.recipe.emailpassword.asyncio import sign_up

    await sign_up("public", "code@example.com", "abcd1234")
    assert recorded == [("code@example.com", "public")]


async def test_general_error_raised_by_an_api_override_is_answered_as_general_error(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json=form(email="x@blocked.example", password="abcd1234"))
    assert (reply.status_code, reply.json()) == (
        200,
        {"status": "GENERAL_ERROR", "message": "This account is blocked. Contact support."},
    )


async def test_other_requests_reach_the_original_api(http: httpx.AsyncClient) -> None:
    await http.post("/auth/signup", json=form(email="ok@example.com", password="abcd1234"))
    reply = await http.post("/auth/signin", json=form(email="ok@example.com", password="abcd1234"))
    assert reply.json()["status"] == "OK"


async def test_api_set_to_none_falls_through_to_the_app(http: httpx.AsyncClient) -> None:
    for path in ("/auth/emailpassword/email/exists", "/auth/signup/email/exists"):
        reply = await http.get(path, params={"email": "a@b.co"})
        assert reply.status_code == 404
        assert reply.json() == {"detail": "Not Found"}  # FastAPI's own 404


async def test_disable_flag_turns_a_route_off_but_not_its_neighbour(http: httpx.AsyncClient) -> None:
    assert (await http.post("/auth/user/password/reset/token", json=form(email="a@b.co"))).status_code == 404
    reply = await http.post("/auth/user/password/reset", json={"token": "t", **form(password="abcd1234")})
    assert reply.json() == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}


async def test_override_returning_something_else_is_refused_at_init(core: CoreProcess, app_client: CoreClient) -> None:
    from authdeck.exceptions import ConfigError

    bad = InputOverrideConfig(apis=lambda original: None)  # type: ignore[arg-type,return-value]
    with pytest.raises(ConfigError, match="override.apis must return"):
        async with serve(core, app_client, [emailpassword.init(override=bad)]):
            pass
