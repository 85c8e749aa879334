"""Functions of email verification for synchronous code; each runs its ``asyncio`` twin."""

from __future__ import annotations

from typing import Any

from authdeck import _sync
from authdeck.recipe.emailverification import asyncio as _async
from authdeck.recipe.emailverification.interfaces import (
    CreateEmailVerificationLinkEmailAlreadyVerifiedError,
    CreateEmailVerificationLinkOkResult,
    CreateEmailVerificationTokenEmailAlreadyVerifiedError,
    CreateEmailVerificationTokenOkResult,
    RevokeEmailVerificationTokensOkResult,
    SendEmailVerificationEmailAlreadyVerifiedError,
    SendEmailVerificationEmailOkResult,
    UnverifyEmailOkResult,
    VerifyEmailUsingTokenInvalidTokenError,
    VerifyEmailUsingTokenOkResult,
)
from authdeck.recipe.emailverification.types import EmailTemplateVars
from authdeck.types import RecipeUserId


def create_email_verification_token(
    tenant_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> CreateEmailVerificationTokenOkResult | CreateEmailVerificationTokenEmailAlreadyVerifiedError:
    return _sync.run(_async.create_email_verification_token(tenant_id, recipe_user_id, email, user_context))


def verify_email_using_token(
    tenant_id: str, token: str, attempt_account_linking: bool = True, user_context: dict[str, Any] | None = None
) -> VerifyEmailUsingTokenOkResult | VerifyEmailUsingTokenInvalidTokenError:
    return _sync.run(_async.verify_email_using_token(tenant_id, token, attempt_account_linking, user_context))


def is_email_verified(
    recipe_user_id: RecipeUserId, email: str | None = None, user_context: dict[str, Any] | None = None
) -> bool:
    return _sync.run(_async.is_email_verified(recipe_user_id, email, user_context))


def revoke_email_verification_tokens(
    tenant_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> RevokeEmailVerificationTokensOkResult:
    return _sync.run(_async.revoke_email_verification_tokens(tenant_id, recipe_user_id, email, user_context))


def unverify_email(
    recipe_user_id: RecipeUserId, email: str | None = None, user_context: dict[str, Any] | None = None
) -> UnverifyEmailOkResult:
    return _sync.run(_async.unverify_email(recipe_user_id, email, user_context))


def send_email(input_: EmailTemplateVars, user_context: dict[str, Any] | None = None) -> None:
    _sync.run(_async.send_email(input_, user_context))


def create_email_verification_link(
    tenant_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> CreateEmailVerificationLinkOkResult | CreateEmailVerificationLinkEmailAlreadyVerifiedError:
    return _sync.run(_async.create_email_verification_link(tenant_id, recipe_user_id, email, user_context))


def send_email_verification_email(
    tenant_id: str,
    user_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> SendEmailVerificationEmailOkResult | SendEmailVerificationEmailAlreadyVerifiedError:
    return _sync.run(_async.send_email_verification_email(tenant_id, user_id, recipe_user_id, email, user_context))


__all__ = _async.__all__
