"""The default APIInterface: what sign-up, sign-in, email-exists and the password reset routes do."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from authdeck._querier import Querier
from authdeck.asyncio import get_user, list_users_by_account_info
from authdeck.recipe.emailpassword.api.utils import form_field_value
from authdeck.recipe.emailpassword.interfaces import (
    APIInterface,
    APIOptions,
    EmailAlreadyExistsError,
    EmailExistsGetOkResult,
    GeneratePasswordResetTokenPostNotAllowedResponse,
    GeneratePasswordResetTokenPostOkResult,
    PasswordPolicyViolationError,
    PasswordResetPostOkResult,
    PasswordResetTokenInvalidError,
    SignInPostNotAllowedResponse,
    SignInPostOkResult,
    SignUpPostNotAllowedResponse,
    SignUpPostOkResult,
    UnknownUserIdError,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from authdeck.recipe.emailpassword.types import (
    FormField,
    PasswordResetEmailTemplateVars,
    PasswordResetEmailTemplateVarsUser,
)
from authdeck.recipe.emailpassword.utils import FORM_FIELD_EMAIL_ID, FORM_FIELD_PASSWORD_ID, get_password_reset_link
from authdeck.types import AccountInfo, LoginMethod, RecipeUserId, User

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer

log = logging.getLogger("authdeck.emailpassword")

FAKE_EMAIL_SUFFIXES = ("@stfakeemail.supertokens.com", ".fakeemail.com")


def is_fake_email(email: str) -> bool:
    """Placeholder emails other login methods make up; they can never sign in or up with a password."""
    return email.lower().endswith(FAKE_EMAIL_SUFFIXES)


def _emailpassword_method(users: list[User], email: str) -> tuple[User, LoginMethod] | None:
    for user in users:
        for method in user.login_methods:
            if method.recipe_id == "emailpassword" and method.has_same_email_as(email):
                return user, method
    return None


class APIImplementation(APIInterface):
    def __init__(self, querier: Querier) -> None:
        super().__init__()
        self.querier = querier

    async def _check_first_factor(self, tenant_id: str) -> None:
        """Refuse a tenant whose configured first factors leave emailpassword out (401, as upstream)."""
        reply = await self.querier.get(f"/{tenant_id}/recipe/multitenancy/tenant/v2", rid="multitenancy")
        if reply.get("status") != "OK":
            raise LookupError(f"tenant {tenant_id!r} does not exist in the core")
        factors = reply.get("firstFactors")
        if isinstance(factors, list) and "emailpassword" not in factors:
            from authdeck.recipe.session.exceptions import UnauthorisedError

            raise UnauthorisedError("A valid session is required to authenticate with secondary factors")

    async def email_exists_get(
        self, email: str, tenant_id: str, api_options: APIOptions, user_context: dict[str, Any]
    ) -> EmailExistsGetOkResult:
        users = await list_users_by_account_info(tenant_id, AccountInfo(email=email), False, user_context)
        return EmailExistsGetOkResult(_emailpassword_method(users, email) is not None)

    async def generate_password_reset_token_post(
        self, form_fields: list[FormField], tenant_id: str, api_options: APIOptions, user_context: dict[str, Any]
    ) -> GeneratePasswordResetTokenPostOkResult | GeneratePasswordResetTokenPostNotAllowedResponse:
        email: str = form_field_value(form_fields, FORM_FIELD_EMAIL_ID)
        found = _emailpassword_method(
            await list_users_by_account_info(tenant_id, AccountInfo(email=email), False, user_context), email
        )
        if found is None:
            # The reply is the same either way, so the route does not reveal who has an account.
            log.debug("password reset email not sent: no emailpassword user with that email in %s", tenant_id)
            return GeneratePasswordResetTokenPostOkResult()
        user, method = found
        created = await api_options.recipe_implementation.create_reset_password_token(
            method.recipe_user_id.get_as_string(), email, tenant_id, user_context
        )
        if isinstance(created, UnknownUserIdError):
            return GeneratePasswordResetTokenPostOkResult()
        link = get_password_reset_link(
            api_options.app_info, created.token, tenant_id, api_options.request, user_context
        )
        template_vars = PasswordResetEmailTemplateVars(
            PasswordResetEmailTemplateVarsUser(user.id, method.recipe_user_id, email), link, tenant_id
        )
        await api_options.email_delivery.ingredient_interface_impl.send_email(template_vars, user_context)
        return GeneratePasswordResetTokenPostOkResult()

    async def password_reset_post(
        self,
        form_fields: list[FormField],
        token: str,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> PasswordResetPostOkResult | PasswordResetTokenInvalidError | PasswordPolicyViolationError:
        new_password: str = form_field_value(form_fields, FORM_FIELD_PASSWORD_ID)
        consumed = await api_options.recipe_implementation.consume_password_reset_token(token, tenant_id, user_context)
        if isinstance(consumed, PasswordResetTokenInvalidError):
            return consumed
        user = await get_user(consumed.user_id, user_context)
        method = None
        if user is not None:
            method = next(
                (
                    lm
                    for lm in user.login_methods
                    if lm.recipe_id == "emailpassword" and lm.recipe_user_id.get_as_string() == consumed.user_id
                ),
                None,
            )
        if user is None or method is None:
            # The user (or its password login) went away between issuing and using the token.
            return PasswordResetTokenInvalidError()
        updated = await api_options.recipe_implementation.update_email_or_password(
            method.recipe_user_id, None, new_password, True, tenant_id, user_context
        )
        if isinstance(updated, PasswordPolicyViolationError):
            return updated
        if not isinstance(updated, UpdateEmailOrPasswordOkResult):
            return PasswordResetTokenInvalidError()
        if method.has_same_email_as(consumed.email) and await _mark_email_verified(
            method.recipe_user_id, consumed.email, tenant_id, user_context
        ):
            user = await get_user(consumed.user_id, user_context) or user
        return PasswordResetPostOkResult(consumed.email, user)

    async def sign_in_post(
        self,
        form_fields: list[FormField],
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> SignInPostOkResult | WrongCredentialsError | SignInPostNotAllowedResponse:
        email: str = form_field_value(form_fields, FORM_FIELD_EMAIL_ID)
        password: str = form_field_value(form_fields, FORM_FIELD_PASSWORD_ID)
        if is_fake_email(email):
            return WrongCredentialsError()
        await self._check_first_factor(tenant_id)
        result = await api_options.recipe_implementation.sign_in(
            email, password, tenant_id, session, should_try_linking_with_session_user, user_context
        )
        if isinstance(result, WrongCredentialsError):
            return result
        if session is not None and session.get_user_id(user_context) == result.user.id:
            # Already signed in as this user (a session is loaded below FDI 3.1, or when linking was asked for):
            # keep that session rather than issue new tokens, as upstream does.
            return SignInPostOkResult(result.user, session)
        new_session = await _create_session(api_options, tenant_id, result.recipe_user_id, user_context)
        return SignInPostOkResult(result.user, new_session)

    async def sign_up_post(
        self,
        form_fields: list[FormField],
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> SignUpPostOkResult | EmailAlreadyExistsError | SignUpPostNotAllowedResponse:
        email: str = form_field_value(form_fields, FORM_FIELD_EMAIL_ID)
        password: str = form_field_value(form_fields, FORM_FIELD_PASSWORD_ID)
        if is_fake_email(email):
            return EmailAlreadyExistsError()
        await self._check_first_factor(tenant_id)
        result = await api_options.recipe_implementation.sign_up(
            email, password, tenant_id, session, should_try_linking_with_session_user, user_context
        )
        if isinstance(result, EmailAlreadyExistsError):
            return result
        new_session = await _create_session(api_options, tenant_id, result.recipe_user_id, user_context)
        return SignUpPostOkResult(result.user, new_session)


async def _create_session(
    api_options: APIOptions, tenant_id: str, recipe_user_id: RecipeUserId, user_context: dict[str, Any]
) -> SessionContainer:
    from authdeck.recipe.session.asyncio import create_new_session

    return await create_new_session(api_options.request, tenant_id, recipe_user_id, {}, {}, user_context)


async def _mark_email_verified(
    recipe_user_id: RecipeUserId, email: str, tenant_id: str, user_context: dict[str, Any]
) -> bool:
    """A working reset link proves the user reads that mailbox, so its email counts as verified."""
    from authdeck.recipe.emailverification.interfaces import CreateEmailVerificationTokenOkResult
    from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe

    recipe = EmailVerificationRecipe.get_instance_optional()
    if recipe is None:
        return False
    impl = recipe.recipe_implementation
    created = await impl.create_email_verification_token(recipe_user_id, email, tenant_id, user_context)
    if not isinstance(created, CreateEmailVerificationTokenOkResult):
        return False  # already verified
    await impl.verify_email_using_token(created.token, tenant_id, False, user_context)
    return True
