"""Email verification functions (asyncio and syncio) against a real core."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator

import pytest

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe import emailpassword, emailverification
from authdeck.recipe.emailpassword import asyncio as ep
from authdeck.recipe.emailpassword.interfaces import SignUpOkResult
from authdeck.recipe.emailverification import asyncio as ev
from authdeck.recipe.emailverification import syncio as ev_sync
from authdeck.recipe.emailverification.interfaces import (
    CreateEmailVerificationLinkEmailAlreadyVerifiedError,
    CreateEmailVerificationLinkOkResult,
    CreateEmailVerificationTokenEmailAlreadyVerifiedError,
    CreateEmailVerificationTokenOkResult,
    SendEmailVerificationEmailAlreadyVerifiedError,
    SendEmailVerificationEmailOkResult,
    UnknownUserIdError,
    VerifyEmailUsingTokenInvalidTokenError,
    VerifyEmailUsingTokenOkResult,
)
from authdeck.types import RecipeUserId
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import Outbox, start_sdk


@pytest.fixture
async def sdk(core: CoreProcess, app_client: CoreClient, outbox: Outbox) -> AsyncIterator[Outbox]:
    start_sdk(
        core,
        app_client,
        [emailpassword.init(), emailverification.init("OPTIONAL", email_delivery=EmailDeliveryConfig(service=outbox))],
    )
    yield outbox
    await Authdeck.get_instance().querier.aclose()
    Authdeck.reset()


async def new_user(email: str = "e@example.com") -> RecipeUserId:
    created = await ep.sign_up("public", email, "abcd1234")
    assert isinstance(created, SignUpOkResult)
    return created.recipe_user_id


@pytest.mark.anyio
async def test_token_verify_and_state(sdk: Outbox) -> None:
    rid = await new_user()
    assert await ev.is_email_verified(rid) is False
    token = await ev.create_email_verification_token("public", rid)
    assert isinstance(token, CreateEmailVerificationTokenOkResult)
    result = await ev.verify_email_using_token("public", token.token)
    assert isinstance(result, VerifyEmailUsingTokenOkResult)
    assert result.user.to_json() == {"recipeUserId": rid.get_as_string(), "email": "e@example.com"}
    assert await ev.is_email_verified(rid) is True
    assert await ev.is_email_verified(rid, "e@example.com") is True
    assert isinstance(
        await ev.create_email_verification_token("public", rid), CreateEmailVerificationTokenEmailAlreadyVerifiedError
    )
    assert isinstance(await ev.verify_email_using_token("public", token.token), VerifyEmailUsingTokenInvalidTokenError)


@pytest.mark.anyio
async def test_unverify_and_revoke_tokens(sdk: Outbox) -> None:
    rid = await new_user()
    token = await ev.create_email_verification_token("public", rid)
    assert isinstance(token, CreateEmailVerificationTokenOkResult)
    await ev.revoke_email_verification_tokens("public", rid)
    assert isinstance(await ev.verify_email_using_token("public", token.token), VerifyEmailUsingTokenInvalidTokenError)
    token = await ev.create_email_verification_token("public", rid)
    assert isinstance(token, CreateEmailVerificationTokenOkResult)
    await ev.verify_email_using_token("public", token.token)
    await ev.unverify_email(rid)
    assert await ev.is_email_verified(rid) is False


@pytest.mark.anyio
async def test_link_and_email(sdk: Outbox) -> None:
    rid = await new_user()
    link = await ev.create_email_verification_link("public", rid)
    assert isinstance(link, CreateEmailVerificationLinkOkResult)
    assert re.fullmatch(r"http://localhost:3000/auth/verify-email\?token=[A-Za-z0-9_\-]+&tenantId=public", link.link)
    sent = await ev.send_email_verification_email("public", rid.get_as_string(), rid)
    assert isinstance(sent, SendEmailVerificationEmailOkResult)
    assert sdk.sent[-1].user.email == "e@example.com"
    token = re.search(r"token=([^&]+)", sdk.sent[-1].email_verify_link)
    assert token is not None
    await ev.verify_email_using_token("public", token.group(1))
    assert isinstance(
        await ev.create_email_verification_link("public", rid), CreateEmailVerificationLinkEmailAlreadyVerifiedError
    )
    assert isinstance(
        await ev.send_email_verification_email("public", rid.get_as_string(), rid),
        SendEmailVerificationEmailAlreadyVerifiedError,
    )


@pytest.mark.anyio
async def test_functions_without_email_for_an_unknown_user_raise(sdk: Outbox) -> None:
    with pytest.raises(UnknownUserIdError):
        await ev.is_email_verified(RecipeUserId("nobody"))
    # With the email given, no lookup is needed.
    assert await ev.is_email_verified(RecipeUserId("nobody"), "n@example.com") is False


@pytest.fixture
def sync_sdk(core: CoreProcess, app_client: CoreClient) -> Iterator[None]:
    start_sdk(core, app_client, [emailpassword.init(), emailverification.init("REQUIRED")])
    yield
    _sync.run(Authdeck.get_instance().querier.aclose())
    Authdeck.reset()


def test_syncio_functions_run_their_async_twins(sync_sdk: None, caplog: pytest.LogCaptureFixture) -> None:
    from authdeck.recipe.emailpassword import syncio as ep_sync

    created = ep_sync.sign_up("public", "s@example.com", "abcd1234")
    assert isinstance(created, SignUpOkResult)
    rid = created.recipe_user_id
    token = ev_sync.create_email_verification_token("public", rid)
    assert isinstance(token, CreateEmailVerificationTokenOkResult)
    ev_sync.revoke_email_verification_tokens("public", rid)
    link = ev_sync.create_email_verification_link("public", rid)
    assert isinstance(link, CreateEmailVerificationLinkOkResult)
    assert isinstance(
        ev_sync.send_email_verification_email("public", rid.get_as_string(), rid), SendEmailVerificationEmailOkResult
    )
    assert "Email verification link for s@example.com" in caplog.text  # the console default
    assert isinstance(
        ev_sync.verify_email_using_token("public", link.link.split("token=")[1].split("&")[0]),
        VerifyEmailUsingTokenOkResult,
    )
    assert ev_sync.is_email_verified(rid) is True
    ev_sync.unverify_email(rid)
    assert ev_sync.is_email_verified(rid) is False


def test_invalid_mode_is_refused_when_init_is_called() -> None:
    with pytest.raises(ConfigError, match="'REQUIRED' or 'OPTIONAL'"):
        emailverification.init(mode="required")  # type: ignore[arg-type]


def test_get_email_function_must_be_callable() -> None:
    with pytest.raises(ConfigError, match="get_email_for_recipe_user_id"):
        emailverification.init(mode="OPTIONAL", get_email_for_recipe_user_id="x")  # type: ignore[arg-type]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
