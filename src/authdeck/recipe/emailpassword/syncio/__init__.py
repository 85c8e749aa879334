"""Functions of the emailpassword recipe for synchronous code; each runs its ``asyncio`` twin."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from authdeck import _sync
from authdeck.recipe.emailpassword import asyncio as _async
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
from authdeck.recipe.emailpassword.types import EmailTemplateVars
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer


def sign_up(
    tenant_id: str,
    email: str,
    password: str,
    session: SessionContainer | None = None,
    user_context: dict[str, Any] | None = None,
) -> SignUpOkResult | EmailAlreadyExistsError:
    return _sync.run(_async.sign_up(tenant_id, email, password, session, user_context))


def sign_in(
    tenant_id: str,
    email: str,
    password: str,
    session: SessionContainer | None = None,
    user_context: dict[str, Any] | None = None,
) -> SignInOkResult | WrongCredentialsError:
    return _sync.run(_async.sign_in(tenant_id, email, password, session, user_context))


def verify_credentials(
    tenant_id: str, email: str, password: str, user_context: dict[str, Any] | None = None
) -> SignInOkResult | WrongCredentialsError:
    return _sync.run(_async.verify_credentials(tenant_id, email, password, user_context))


def create_reset_password_token(
    tenant_id: str, user_id: str, email: str, user_context: dict[str, Any] | None = None
) -> CreateResetPasswordOkResult | UnknownUserIdError:
    return _sync.run(_async.create_reset_password_token(tenant_id, user_id, email, user_context))


def consume_password_reset_token(
    tenant_id: str, token: str, user_context: dict[str, Any] | None = None
) -> ConsumePasswordResetTokenOkResult | PasswordResetTokenInvalidError:
    return _sync.run(_async.consume_password_reset_token(tenant_id, token, user_context))


def reset_password_using_token(
    tenant_id: str, token: str, new_password: str, user_context: dict[str, Any] | None = None
) -> UpdateEmailOrPasswordOkResult | PasswordPolicyViolationError | PasswordResetTokenInvalidError | UnknownUserIdError:
    return _sync.run(_async.reset_password_using_token(tenant_id, token, new_password, user_context))


def update_email_or_password(
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
    return _sync.run(
        _async.update_email_or_password(
            recipe_user_id, email, password, apply_password_policy, tenant_id_for_password_policy, user_context
        )
    )


def create_reset_password_link(
    tenant_id: str, user_id: str, email: str, user_context: dict[str, Any] | None = None
) -> str | UnknownUserIdError:
    return _sync.run(_async.create_reset_password_link(tenant_id, user_id, email, user_context))


def send_reset_password_email(
    tenant_id: str, user_id: str, email: str, user_context: dict[str, Any] | None = None
) -> Literal["OK", "UNKNOWN_USER_ID_ERROR"]:
    return _sync.run(_async.send_reset_password_email(tenant_id, user_id, email, user_context))


def send_email(input_: EmailTemplateVars, user_context: dict[str, Any] | None = None) -> None:
    _sync.run(_async.send_email(input_, user_context))


__all__ = _async.__all__
