"""The default RecipeInterface: each function is one CDI call to the core (cdi.md §2.1)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from authdeck import _sync
from authdeck._querier import Querier
from authdeck.recipe.emailpassword.interfaces import (
    ConsumePasswordResetTokenOkResult,
    CreateResetPasswordOkResult,
    EmailAlreadyExistsError,
    PasswordPolicyViolationError,
    PasswordResetTokenInvalidError,
    RecipeInterface,
    SignInOkResult,
    SignUpOkResult,
    UnknownUserIdError,
    UpdateEmailOrPasswordEmailChangeNotAllowedError,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from authdeck.recipe.emailpassword.utils import FORM_FIELD_PASSWORD_ID, EmailPasswordConfig
from authdeck.types import RecipeUserId, User

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer

RID = "emailpassword"


class RecipeImplementation(RecipeInterface):
    def __init__(self, querier: Querier, get_config: Callable[[], EmailPasswordConfig]) -> None:
        self.querier = querier
        self._get_config = get_config

    async def sign_up(
        self,
        email: str,
        password: str,
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        user_context: dict[str, Any],
    ) -> SignUpOkResult | EmailAlreadyExistsError:
        # Account linking is not supported, so a sign-up is exactly the creation of a recipe user.
        return await self.create_new_recipe_user(email, password, tenant_id, user_context)

    async def create_new_recipe_user(
        self, email: str, password: str, tenant_id: str, user_context: dict[str, Any]
    ) -> SignUpOkResult | EmailAlreadyExistsError:
        reply = await self.querier.post(f"/{tenant_id}/recipe/signup", {"email": email, "password": password}, rid=RID)
        if reply.get("status") == "OK":
            return SignUpOkResult(User.from_json(reply["user"]), RecipeUserId(reply["recipeUserId"]))
        return EmailAlreadyExistsError()

    async def sign_in(
        self,
        email: str,
        password: str,
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        user_context: dict[str, Any],
    ) -> SignInOkResult | WrongCredentialsError:
        return await self.verify_credentials(email, password, tenant_id, user_context)

    async def verify_credentials(
        self, email: str, password: str, tenant_id: str, user_context: dict[str, Any]
    ) -> SignInOkResult | WrongCredentialsError:
        reply = await self.querier.post(f"/{tenant_id}/recipe/signin", {"email": email, "password": password}, rid=RID)
        if reply.get("status") == "OK":
            return SignInOkResult(User.from_json(reply["user"]), RecipeUserId(reply["recipeUserId"]))
        return WrongCredentialsError()

    async def create_reset_password_token(
        self, user_id: str, email: str, tenant_id: str, user_context: dict[str, Any]
    ) -> CreateResetPasswordOkResult | UnknownUserIdError:
        reply = await self.querier.post(
            f"/{tenant_id}/recipe/user/password/reset/token", {"userId": user_id, "email": email}, rid=RID
        )
        if reply.get("status") == "OK":
            return CreateResetPasswordOkResult(reply["token"])
        return UnknownUserIdError()

    async def consume_password_reset_token(
        self, token: str, tenant_id: str, user_context: dict[str, Any]
    ) -> ConsumePasswordResetTokenOkResult | PasswordResetTokenInvalidError:
        reply = await self.querier.post(
            f"/{tenant_id}/recipe/user/password/reset/token/consume", {"token": token}, rid=RID
        )
        if reply.get("status") == "OK":
            return ConsumePasswordResetTokenOkResult(reply["email"], reply["userId"])
        return PasswordResetTokenInvalidError()

    async def update_email_or_password(
        self,
        recipe_user_id: RecipeUserId,
        email: str | None,
        password: str | None,
        apply_password_policy: bool | None,
        tenant_id_for_password_policy: str,
        user_context: dict[str, Any],
    ) -> (
        UpdateEmailOrPasswordOkResult
        | EmailAlreadyExistsError
        | UnknownUserIdError
        | UpdateEmailOrPasswordEmailChangeNotAllowedError
        | PasswordPolicyViolationError
    ):
        if password is not None and apply_password_policy is not False:
            field = next(f for f in self._get_config().sign_up_feature.form_fields if f.id == FORM_FIELD_PASSWORD_ID)
            error = await _sync.call_maybe_async(field.validate, password, tenant_id_for_password_policy)
            if error is not None:
                return PasswordPolicyViolationError(error)
        body: dict[str, Any] = {"recipeUserId": recipe_user_id.get_as_string()}
        if email is not None:
            body["email"] = email
        if password is not None:
            body["password"] = password
        reply = await self.querier.put("/recipe/user", body, rid=RID)
        status = reply.get("status")
        if status == "OK":
            return UpdateEmailOrPasswordOkResult()
        if status == "EMAIL_ALREADY_EXISTS_ERROR":
            return EmailAlreadyExistsError()
        if status == "EMAIL_CHANGE_NOT_ALLOWED_ERROR":
            return UpdateEmailOrPasswordEmailChangeNotAllowedError(str(reply.get("reason", "")))
        return UnknownUserIdError()
