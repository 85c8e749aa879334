"""The default APIInterface of email verification: send the link, use it, and report the state."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from authdeck.recipe.emailverification.claims import EmailVerificationClaim, UnknownUserIdForClaimError
from authdeck.recipe.emailverification.interfaces import (
    APIInterface,
    APIOptions,
    CreateEmailVerificationTokenEmailAlreadyVerifiedError,
    EmailDoesNotExistError,
    EmailVerifyPostInvalidTokenError,
    EmailVerifyPostOkResult,
    GenerateEmailVerifyTokenPostEmailAlreadyVerifiedError,
    GenerateEmailVerifyTokenPostOkResult,
    GetEmailForUserIdOkResult,
    IsEmailVerifiedGetOkResult,
    VerifyEmailUsingTokenOkResult,
)
from authdeck.recipe.emailverification.types import VerificationEmailTemplateVars, VerificationEmailTemplateVarsUser
from authdeck.recipe.emailverification.utils import get_email_verify_link
from authdeck.recipe.session.exceptions import raise_unauthorised_exception
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer

log = logging.getLogger("authdeck.emailverification")


def _recipe() -> Any:
    from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe

    return EmailVerificationRecipe.get_instance()


async def update_session_if_required_post_email_verification(
    session: SessionContainer | None, verified_recipe_user_id: RecipeUserId, user_context: dict[str, Any]
) -> SessionContainer | None:
    """Refresh ``st-ev`` in the caller's session when it belongs to the user whose email was just verified."""
    if session is None:
        return None
    if session.get_recipe_user_id(user_context).get_as_string() != verified_recipe_user_id.get_as_string():
        return None  # verified from another user's browser: that session is not about this email
    try:
        await session.fetch_and_set_claim(EmailVerificationClaim, user_context)
    except UnknownUserIdForClaimError:
        raise_unauthorised_exception("Unknown User ID provided")
    return session


class APIImplementation(APIInterface):
    async def email_verify_post(
        self,
        token: str,
        session: SessionContainer | None,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> EmailVerifyPostOkResult | EmailVerifyPostInvalidTokenError:
        result = await api_options.recipe_implementation.verify_email_using_token(token, tenant_id, True, user_context)
        if not isinstance(result, VerifyEmailUsingTokenOkResult):
            return EmailVerifyPostInvalidTokenError()
        new_session = await update_session_if_required_post_email_verification(
            session, result.user.recipe_user_id, user_context
        )
        return EmailVerifyPostOkResult(result.user, new_session)

    async def is_email_verified_get(
        self, session: SessionContainer, api_options: APIOptions, user_context: dict[str, Any]
    ) -> IsEmailVerifiedGetOkResult:
        recipe_user_id = session.get_recipe_user_id(user_context)
        info = await _recipe().get_email_for_recipe_user_id(None, recipe_user_id, user_context)
        if isinstance(info, EmailDoesNotExistError):
            return IsEmailVerifiedGetOkResult(True, None)
        if not isinstance(info, GetEmailForUserIdOkResult):
            # The session's user is gone (or never was an auth user): sign it out.
            raise_unauthorised_exception("Unknown User ID provided")
        verified = await api_options.recipe_implementation.is_email_verified(recipe_user_id, info.email, user_context)
        if verified:
            new_session = await update_session_if_required_post_email_verification(
                session, recipe_user_id, user_context
            )
            return IsEmailVerifiedGetOkResult(True, new_session)
        await session.set_claim_value(EmailVerificationClaim, False, user_context)
        return IsEmailVerifiedGetOkResult(False, None)

    async def generate_email_verify_token_post(
        self, session: SessionContainer, api_options: APIOptions, user_context: dict[str, Any]
    ) -> GenerateEmailVerifyTokenPostOkResult | GenerateEmailVerifyTokenPostEmailAlreadyVerifiedError:
        tenant_id = session.get_tenant_id(user_context)
        recipe_user_id = session.get_recipe_user_id(user_context)
        info = await _recipe().get_email_for_recipe_user_id(None, recipe_user_id, user_context)
        if isinstance(info, EmailDoesNotExistError):
            log.debug("verification email not sent: user %s has no email", recipe_user_id.get_as_string())
            new_session = await update_session_if_required_post_email_verification(
                session, recipe_user_id, user_context
            )
            return GenerateEmailVerifyTokenPostEmailAlreadyVerifiedError(new_session)
        if not isinstance(info, GetEmailForUserIdOkResult):
            raise_unauthorised_exception("Unknown User ID provided")
        created = await api_options.recipe_implementation.create_email_verification_token(
            recipe_user_id, info.email, tenant_id, user_context
        )
        if isinstance(created, CreateEmailVerificationTokenEmailAlreadyVerifiedError):
            new_session = await update_session_if_required_post_email_verification(
                session, recipe_user_id, user_context
            )
            return GenerateEmailVerifyTokenPostEmailAlreadyVerifiedError(new_session)
        if await session.get_claim_value(EmailVerificationClaim, user_context) is not False:
            # The email was unverified elsewhere and this session still says otherwise: correct it now.
            await session.fetch_and_set_claim(EmailVerificationClaim, user_context)
        link = get_email_verify_link(api_options.app_info, created.token, tenant_id, api_options.request, user_context)
        template_vars = VerificationEmailTemplateVars(
            VerificationEmailTemplateVarsUser(session.get_user_id(user_context), recipe_user_id, info.email),
            link,
            tenant_id,
        )
        await api_options.email_delivery.ingredient_interface_impl.send_email(template_vars, user_context)
        return GenerateEmailVerifyTokenPostOkResult()
