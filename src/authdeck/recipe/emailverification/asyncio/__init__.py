"""Functions of email verification for async code. Without ``email``, the user's email is looked up."""

from __future__ import annotations

from typing import Any

from authdeck.recipe.emailverification.interfaces import (
    CreateEmailVerificationLinkEmailAlreadyVerifiedError,
    CreateEmailVerificationLinkOkResult,
    CreateEmailVerificationTokenEmailAlreadyVerifiedError,
    CreateEmailVerificationTokenOkResult,
    EmailDoesNotExistError,
    GetEmailForUserIdOkResult,
    RevokeEmailVerificationTokensOkResult,
    SendEmailVerificationEmailAlreadyVerifiedError,
    SendEmailVerificationEmailOkResult,
    UnknownUserIdError,
    UnverifyEmailOkResult,
    VerifyEmailUsingTokenInvalidTokenError,
    VerifyEmailUsingTokenOkResult,
)
from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe
from authdeck.recipe.emailverification.types import (
    EmailTemplateVars,
    VerificationEmailTemplateVars,
    VerificationEmailTemplateVarsUser,
)
from authdeck.recipe.emailverification.utils import get_email_verify_link, get_request_from_user_context
from authdeck.types import RecipeUserId

DEFAULT_TENANT_ID = "public"


def _ctx(user_context: dict[str, Any] | None) -> dict[str, Any]:
    return {} if user_context is None else user_context


async def _email_of(recipe_user_id: RecipeUserId, user_context: dict[str, Any]) -> str | None:
    """The user's email, None if it has none; raises UnknownUserIdError for an unknown user."""
    info = await EmailVerificationRecipe.get_instance().get_email_for_recipe_user_id(None, recipe_user_id, user_context)
    if isinstance(info, GetEmailForUserIdOkResult):
        return info.email
    if isinstance(info, EmailDoesNotExistError):
        return None
    raise UnknownUserIdError(f"Unknown User ID provided without email: {recipe_user_id.get_as_string()}")


async def create_email_verification_token(
    tenant_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> CreateEmailVerificationTokenOkResult | CreateEmailVerificationTokenEmailAlreadyVerifiedError:
    ctx = _ctx(user_context)
    if email is None:
        email = await _email_of(recipe_user_id, ctx)
        if email is None:
            return CreateEmailVerificationTokenEmailAlreadyVerifiedError()
    impl = EmailVerificationRecipe.get_instance().recipe_implementation
    return await impl.create_email_verification_token(recipe_user_id, email, tenant_id or DEFAULT_TENANT_ID, ctx)


async def verify_email_using_token(
    tenant_id: str, token: str, attempt_account_linking: bool = True, user_context: dict[str, Any] | None = None
) -> VerifyEmailUsingTokenOkResult | VerifyEmailUsingTokenInvalidTokenError:
    impl = EmailVerificationRecipe.get_instance().recipe_implementation
    return await impl.verify_email_using_token(
        token, tenant_id or DEFAULT_TENANT_ID, attempt_account_linking, _ctx(user_context)
    )


async def is_email_verified(
    recipe_user_id: RecipeUserId, email: str | None = None, user_context: dict[str, Any] | None = None
) -> bool:
    """Whether the email is verified; a user without an email counts as verified."""
    ctx = _ctx(user_context)
    if email is None:
        email = await _email_of(recipe_user_id, ctx)
        if email is None:
            return True
    return await EmailVerificationRecipe.get_instance().recipe_implementation.is_email_verified(
        recipe_user_id, email, ctx
    )


async def revoke_email_verification_tokens(
    tenant_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> RevokeEmailVerificationTokensOkResult:
    ctx = _ctx(user_context)
    if email is None:
        email = await _email_of(recipe_user_id, ctx)
        if email is None:
            return RevokeEmailVerificationTokensOkResult()
    impl = EmailVerificationRecipe.get_instance().recipe_implementation
    return await impl.revoke_email_verification_tokens(recipe_user_id, email, tenant_id or DEFAULT_TENANT_ID, ctx)


async def unverify_email(
    recipe_user_id: RecipeUserId, email: str | None = None, user_context: dict[str, Any] | None = None
) -> UnverifyEmailOkResult:
    ctx = _ctx(user_context)
    if email is None:
        email = await _email_of(recipe_user_id, ctx)
        if email is None:
            return UnverifyEmailOkResult()
    return await EmailVerificationRecipe.get_instance().recipe_implementation.unverify_email(recipe_user_id, email, ctx)


async def send_email(input_: EmailTemplateVars, user_context: dict[str, Any] | None = None) -> None:
    """Send a verification email through the configured service."""
    recipe = EmailVerificationRecipe.get_instance()
    await recipe.email_delivery.ingredient_interface_impl.send_email(input_, _ctx(user_context))


async def create_email_verification_link(
    tenant_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> CreateEmailVerificationLinkOkResult | CreateEmailVerificationLinkEmailAlreadyVerifiedError:
    """``<origin><website_base_path>/verify-email?token=...&tenantId=...``"""
    ctx = _ctx(user_context)
    created = await create_email_verification_token(tenant_id, recipe_user_id, email, ctx)
    if isinstance(created, CreateEmailVerificationTokenEmailAlreadyVerifiedError):
        return CreateEmailVerificationLinkEmailAlreadyVerifiedError()
    recipe = EmailVerificationRecipe.get_instance()
    request = get_request_from_user_context(ctx)
    link = get_email_verify_link(recipe.app_info, created.token, tenant_id or DEFAULT_TENANT_ID, request, ctx)
    return CreateEmailVerificationLinkOkResult(link)


async def send_email_verification_email(
    tenant_id: str,
    user_id: str,
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> SendEmailVerificationEmailOkResult | SendEmailVerificationEmailAlreadyVerifiedError:
    ctx = _ctx(user_context)
    if email is None:
        email = await _email_of(recipe_user_id, ctx)
        if email is None:
            return SendEmailVerificationEmailAlreadyVerifiedError()
    link = await create_email_verification_link(tenant_id, recipe_user_id, email, ctx)
    if isinstance(link, CreateEmailVerificationLinkEmailAlreadyVerifiedError):
        return SendEmailVerificationEmailAlreadyVerifiedError()
    template_vars = VerificationEmailTemplateVars(
        VerificationEmailTemplateVarsUser(user_id, recipe_user_id, email), link.link, tenant_id or DEFAULT_TENANT_ID
    )
    await send_email(template_vars, ctx)
    return SendEmailVerificationEmailOkResult()


__all__ = [
    "create_email_verification_link",
    "create_email_verification_token",
    "is_email_verified",
    "revoke_email_verification_tokens",
    "send_email",
    "send_email_verification_email",
    "unverify_email",
    "verify_email_using_token",
]
