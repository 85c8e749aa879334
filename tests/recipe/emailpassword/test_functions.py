"""The emailpassword functions (asyncio and their syncio twins) against a real core."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe import emailpassword, emailverification
from authdeck.recipe.emailpassword import asyncio as ep
from authdeck.recipe.emailpassword import syncio as ep_sync
from authdeck.recipe.emailpassword.interfaces import (
    ConsumePasswordResetTokenOkResult,
    CreateResetPasswordOkResult,
    EmailAlreadyExistsError,
    PasswordPolicyViolationError,
    PasswordResetTokenInvalidError,
    SignInOkResult,
    SignUpOkResult,
    UnknownUserIdError,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from authdeck.types import RecipeUserId
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import Outbox, start_sdk


@pytest.fixture
async def sdk(core: CoreProcess, app_client: CoreClient, outbox: Outbox) -> AsyncIterator[Outbox]:
    start_sdk(core, app_client, [emailpassword.init(email_delivery=EmailDeliveryConfig(service=outbox))])
    yield outbox
    await Authdeck.get_instance().querier.aclose()
    Authdeck.reset()


async def new_user(email: str = "f@example.com") -> SignUpOkResult:
    result = await ep.sign_up("public", email, "abcd1234")
    assert isinstance(result, SignUpOkResult)
    return result


@pytest.mark.anyio
async def test_sign_up_and_sign_in(sdk: Outbox) -> None:
    created = await new_user()
    assert created.user.emails == ["f@example.com"]
    assert created.recipe_user_id.get_as_string() == created.user.id
    assert isinstance(await ep.sign_up("public", "f@example.com", "zzzz9999"), EmailAlreadyExistsError)
    signed_in = await ep.sign_in("public", "f@example.com", "abcd1234")
    assert isinstance(signed_in, SignInOkResult) and signed_in.user.id == created.user.id
    assert isinstance(await ep.sign_in("public", "f@example.com", "wrong999"), WrongCredentialsError)
    assert isinstance(await ep.verify_credentials("public", "f@example.com", "abcd1234"), SignInOkResult)
    assert isinstance(await ep.verify_credentials("public", "nobody@example.com", "abcd1234"), WrongCredentialsError)


@pytest.mark.anyio
async def test_sign_up_function_applies_no_validators(sdk: Outbox) -> None:
    # As upstream: the functions are for the app's own flows, which decide what is acceptable.
    assert isinstance(await ep.sign_up("public", "weak@example.com", "x"), SignUpOkResult)


@pytest.mark.anyio
async def test_update_password_applies_the_policy_unless_told_not_to(sdk: Outbox) -> None:
    user = await new_user()
    rid = user.recipe_user_id
    weak = await ep.update_email_or_password(rid, password="short")
    assert isinstance(weak, PasswordPolicyViolationError)
    assert weak.failure_reason == "Password must contain at least 8 characters, including a number"
    assert isinstance(
        await ep.update_email_or_password(rid, password="short", apply_password_policy=False),
        UpdateEmailOrPasswordOkResult,
    )
    assert isinstance(await ep.sign_in("public", "f@example.com", "short"), SignInOkResult)


@pytest.mark.anyio
async def test_update_email_detects_duplicates_and_unknown_users(sdk: Outbox) -> None:
    first = await new_user("one@example.com")
    await new_user("two@example.com")
    assert isinstance(
        await ep.update_email_or_password(first.recipe_user_id, email="two@example.com"), EmailAlreadyExistsError
    )
    assert isinstance(
        await ep.update_email_or_password(first.recipe_user_id, email="uno@example.com"), UpdateEmailOrPasswordOkResult
    )
    assert isinstance(await ep.sign_in("public", "uno@example.com", "abcd1234"), SignInOkResult)
    assert isinstance(
        await ep.update_email_or_password(RecipeUserId("no-such-user"), password="abcd12345"), UnknownUserIdError
    )


@pytest.mark.anyio
async def test_reset_token_functions(sdk: Outbox) -> None:
    user = await new_user()
    token = await ep.create_reset_password_token("public", user.user.id, "f@example.com")
    assert isinstance(token, CreateResetPasswordOkResult)
    consumed = await ep.consume_password_reset_token("public", token.token)
    assert isinstance(consumed, ConsumePasswordResetTokenOkResult)
    assert (consumed.user_id, consumed.email) == (user.user.id, "f@example.com")
    assert isinstance(await ep.consume_password_reset_token("public", token.token), PasswordResetTokenInvalidError)
    assert isinstance(
        await ep.create_reset_password_token("public", "no-such-user", "f@example.com"), UnknownUserIdError
    )


@pytest.mark.anyio
async def test_reset_password_using_token(sdk: Outbox) -> None:
    user = await new_user()
    token = await ep.create_reset_password_token("public", user.user.id, "f@example.com")
    assert isinstance(token, CreateResetPasswordOkResult)
    weak = await ep.reset_password_using_token("public", token.token, "weak")
    assert isinstance(weak, PasswordPolicyViolationError)  # the token is spent anyway, as upstream
    token = await ep.create_reset_password_token("public", user.user.id, "f@example.com")
    assert isinstance(token, CreateResetPasswordOkResult)
    assert isinstance(
        await ep.reset_password_using_token("public", token.token, "fresh1234"), UpdateEmailOrPasswordOkResult
    )
    assert isinstance(await ep.sign_in("public", "f@example.com", "fresh1234"), SignInOkResult)
    assert isinstance(
        await ep.reset_password_using_token("public", "bogus", "fresh1234"), PasswordResetTokenInvalidError
    )


@pytest.mark.anyio
async def test_create_reset_password_link_and_send_email(sdk: Outbox) -> None:
    user = await new_user()
    link = await ep.create_reset_password_link("public", user.user.id, "f@example.com")
    assert isinstance(link, str)
    assert re.fullmatch(r"http://localhost:3000/auth/reset-password\?token=[A-Za-z0-9_\-]+&tenantId=public", link)
    assert isinstance(await ep.create_reset_password_link("public", "nobody", "f@example.com"), UnknownUserIdError)
    assert await ep.send_reset_password_email("public", user.user.id, "f@example.com") == "OK"
    assert sdk.sent[-1].user.email == "f@example.com"
    assert await ep.send_reset_password_email("public", user.user.id, "other@example.com") == "UNKNOWN_USER_ID_ERROR"
    assert await ep.send_reset_password_email("public", "nobody", "f@example.com") == "UNKNOWN_USER_ID_ERROR"
    assert len(sdk.sent) == 1


@pytest.fixture
def sync_sdk(core: CoreProcess, app_client: CoreClient) -> Iterator[None]:
    start_sdk(core, app_client, [emailpassword.init(), emailverification.init(mode="OPTIONAL")])
    yield
    _sync.run(Authdeck.get_instance().querier.aclose())
    Authdeck.reset()


def test_syncio_functions_run_their_async_twins(sync_sdk: None) -> None:
    created = ep_sync.sign_up("public", "s@example.com", "abcd1234")
    assert isinstance(created, SignUpOkResult)
    assert isinstance(ep_sync.sign_in("public", "s@example.com", "abcd1234"), SignInOkResult)
    assert isinstance(ep_sync.verify_credentials("public", "s@example.com", "nope1234"), WrongCredentialsError)
    token = ep_sync.create_reset_password_token("public", created.user.id, "s@example.com")
    assert isinstance(token, CreateResetPasswordOkResult)
    assert isinstance(
        ep_sync.reset_password_using_token("public", token.token, "again1234"), UpdateEmailOrPasswordOkResult
    )
    assert isinstance(
        ep_sync.update_email_or_password(created.recipe_user_id, password="third1234"), UpdateEmailOrPasswordOkResult
    )
    link = ep_sync.create_reset_password_link("public", created.user.id, "s@example.com")
    assert isinstance(link, str) and "/auth/reset-password?token=" in link
    token = ep_sync.create_reset_password_token("public", created.user.id, "s@example.com")
    assert isinstance(token, CreateResetPasswordOkResult)
    assert isinstance(ep_sync.consume_password_reset_token("public", token.token), ConsumePasswordResetTokenOkResult)
    assert ep_sync.send_reset_password_email("public", created.user.id, "s@example.com") == "OK"


def test_syncio_refuses_to_run_inside_an_event_loop(sync_sdk: None) -> None:
    import asyncio

    async def inside() -> None:
        with pytest.raises(RuntimeError, match="use the authdeck.asyncio function"):
            ep_sync.sign_in("public", "s@example.com", "abcd1234")

    asyncio.run(inside())
