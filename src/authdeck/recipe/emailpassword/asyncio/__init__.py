"""Functions of the emailpassword recipe for async code (``await sign_up(...)``)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from authdeck.asyncio import get_user
from authdeck.recipe.emailpassword.interfaces import (
    ConsumePasswordResetTokenOkResult,
    CreateResetPasswordOkResult,
    EmailAlreadyExistsError,
    PasswordPolicyViolationError,
    PasswordResetTokenInvalidError,
    SignInOkResult,
    SignUpOkResult,
    UnknownUserIdError,
    UpdateEmailOrPasswordEmailChangeNotAllowedError,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe
from authdeck.recipe.emailpassword.types import (
    EmailTemplateVars,
    PasswordResetEmailTemplateVars,
    PasswordResetEmailTemplateVarsUser,
)
from authdeck.recipe.emailpassword.utils import get_password_reset_link, get_request_from_user_context
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer

DEFAULT_TENANT_ID = "public"


def _ctx(user_context: dict[str, Any] | None) -> dict[str, Any]:
    return {} if user_context is None else user_context


async def sign_up(
    tenant_id: str,
    email: str,
    password: str,
    session: SessionContainer | None = None,
    user_context: dict[str, Any] | None = None,
) -> SignUpOkResult | EmailAlreadyExistsError:
    """Create an emailpassword user (no validators run here: the caller decides what is acceptable)."""
    impl = EmailPasswordRecipe.get_instance().recipe_implementation
    return await impl.sign_up(
        email, password, tenant_id or DEFAULT_TENANT_ID, session, session is not None, _ctx(user_context)
    )


async def sign_in(
    tenant_id: str,
    email: str,
    password: str,
    session: SessionContainer | None = None,
    user_context: dict[str, Any] | None = None,
) -> SignInOkResult | WrongCredentialsError:
    impl = EmailPasswordRecipe.get_instance().recipe_implementation
    return await impl.sign_in(
        email, password, tenant_id or DEFAULT_TENANT_ID, session, session is not None, _ctx(user_context)
    )


async def verify_credentials(
    tenant_id: str, email: str, password: str, user_context: dict[str, Any] | None = None
) -> SignInOkResult | WrongCredentialsError:
    """Check a password without signing in (no session, no linking)."""
    impl = EmailPasswordRecipe.get_instance().recipe_implementation
    return await impl.verify_credentials(email, password, tenant_id or DEFAULT_TENANT_ID, _ctx(user_context))


async def create_reset_password_token(
    tenant_id: str, user_id: str, email: str, user_context: dict[str, Any] | None = None
) -> CreateResetPasswordOkResult | UnknownUserIdError:
    impl = EmailPasswordRecipe.get_instance().recipe_implementation
    return await impl.create_reset_password_token(user_id, email, tenant_id or DEFAULT_TENANT_ID, _ctx(user_context))


async def consume_password_reset_token(
    tenant_id: str, token: str, user_context: dict[str, Any] | None = None
) -> ConsumePasswordResetTokenOkResult | PasswordResetTokenInvalidError:
    """Spend a reset token (it works once) and say whose it was; the password is not changed."""
    impl = EmailPasswordRecipe.get_instance().recipe_implementation
    return await impl.consume_password_reset_token(token, tenant_id or DEFAULT_TENANT_ID, _ctx(user_context))


async def reset_password_using_token(
    tenant_id: str, token: str, new_password: str, user_context: dict[str, Any] | None = None
) -> UpdateEmailOrPasswordOkResult | PasswordPolicyViolationError | PasswordResetTokenInvalidError | UnknownUserIdError:
    """Spend the token, then set the new password (the password policy applies)."""
    ctx = _ctx(user_context)
    consumed = await consume_password_reset_token(tenant_id, token, ctx)
    if isinstance(consumed, PasswordResetTokenInvalidError):
        return consumed
    result = await update_email_or_password(
        RecipeUserId(consumed.user_id), None, new_password, True, tenant_id or DEFAULT_TENANT_ID, ctx
    )
    if isinstance(result, EmailAlreadyExistsError | UpdateEmailOrPasswordEmailChangeNotAllowedError):
        return UnknownUserIdError()  # unreachable: the email is not changed here
    return result


async def update_email_or_password(
    recipe_user_id: RecipeUserId,
    email: str | None = None,
    password: str | None = None,
    apply_password_policy: bool | None = None,
    tenant_id_for_password_policy: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> (
    UpdateEmailOrPasswordOkResult
    | EmailAlreadyExistsError
    | UnknownUserIdError
    | UpdateEmailOrPasswordEmailChangeNotAllowedError
    | PasswordPolicyViolationError
):
    """Change a user's email and/or password; the password policy applies unless told otherwise."""
    impl = EmailPasswordRecipe.get_instance().recipe_implementation
    return await impl.update_email_or_password(
        recipe_user_id,
        email,
        password,
        apply_password_policy,
        tenant_id_for_password_policy or DEFAULT_TENANT_ID,
        _ctx(user_context),
    )


async def create_reset_password_link(
    tenant_id: str, user_id: str, email: str, user_context: dict[str, Any] | None = None
) -> str | UnknownUserIdError:
    """``<origin><website_base_path>/reset-password?token=...&tenantId=...``"""
    ctx = _ctx(user_context)
    token = await create_reset_password_token(tenant_id, user_id, email, ctx)
    if isinstance(token, UnknownUserIdError):
        return token
    recipe = EmailPasswordRecipe.get_instance()
    request = get_request_from_user_context(ctx)
    return get_password_reset_link(recipe.app_info, token.token, tenant_id or DEFAULT_TENANT_ID, request, ctx)


async def send_reset_password_email(
    tenant_id: str, user_id: str, email: str, user_context: dict[str, Any] | None = None
) -> Literal["OK", "UNKNOWN_USER_ID_ERROR"]:
    """Create a reset link for the user's emailpassword login with ``email`` and send it."""
    ctx = _ctx(user_context)
    user = await get_user(user_id, ctx)
    if user is None:
        return "UNKNOWN_USER_ID_ERROR"
    method = next(
        (m for m in user.login_methods if m.recipe_id == "emailpassword" and m.has_same_email_as(email)), None
    )
    if method is None or method.email is None:
        return "UNKNOWN_USER_ID_ERROR"
    link = await create_reset_password_link(tenant_id, user_id, email, ctx)
    if isinstance(link, UnknownUserIdError):
        return "UNKNOWN_USER_ID_ERROR"
    template_vars = PasswordResetEmailTemplateVars(
        PasswordResetEmailTemplateVarsUser(user.id, method.recipe_user_id, method.email),
        link,
        tenant_id or DEFAULT_TENANT_ID,
    )
    await send_email(template_vars, ctx)
    return "OK"


async def send_email(input_: EmailTemplateVars, user_context: dict[str, Any] | None = None) -> None:
    """Send a password reset email through the configured service."""
    recipe = EmailPasswordRecipe.get_instance()
    await recipe.email_delivery.ingredient_interface_impl.send_email(input_, _ctx(user_context))


__all__ = [
    "consume_password_reset_token",
    "create_reset_password_link",
    "create_reset_password_token",
    "reset_password_using_token",
    "send_email",
    "send_reset_password_email",
    "sign_in",
    "sign_up",
    "update_email_or_password",
    "verify_credentials",
]
