"""The overridable surfaces of emailpassword: RecipeInterface (core calls) and APIInterface (the routes),
with the result classes each returns.

An API attribute set to None (or a ``disable_<name> = True`` flag) turns that route off, so the request
falls through to the app.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar

from authdeck.types import RecipeUserId, User

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck.framework.request import BaseRequest
    from authdeck.framework.response import BaseResponse
    from authdeck.ingredients.emaildelivery import EmailDeliveryIngredient
    from authdeck.recipe.emailpassword.types import EmailTemplateVars, FormField
    from authdeck.recipe.emailpassword.utils import EmailPasswordConfig
    from authdeck.recipe.session import SessionContainer


class _Status:
    status: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status}


# --- results of RecipeInterface ---------------------------------------------------------------------------


class SignUpOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, user: User, recipe_user_id: RecipeUserId) -> None:
        self.user = user
        self.recipe_user_id = recipe_user_id

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "user": self.user.to_json()}


class SignInOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, user: User, recipe_user_id: RecipeUserId) -> None:
        self.user = user
        self.recipe_user_id = recipe_user_id


class EmailAlreadyExistsError(_Status):
    status = "EMAIL_ALREADY_EXISTS_ERROR"


class WrongCredentialsError(_Status):
    status = "WRONG_CREDENTIALS_ERROR"


class CreateResetPasswordOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, token: str) -> None:
        self.token = token


class ConsumePasswordResetTokenOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, email: str, user_id: str) -> None:
        self.email = email
        self.user_id = user_id

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "email": self.email, "userId": self.user_id}


class PasswordResetTokenInvalidError(_Status):
    status = "RESET_PASSWORD_INVALID_TOKEN_ERROR"


class UpdateEmailOrPasswordOkResult:
    status: ClassVar[str] = "OK"


class UnknownUserIdError:
    status: ClassVar[str] = "UNKNOWN_USER_ID_ERROR"


class UpdateEmailOrPasswordEmailChangeNotAllowedError:
    status: ClassVar[str] = "EMAIL_CHANGE_NOT_ALLOWED_ERROR"

    def __init__(self, reason: str) -> None:
        self.reason = reason


class PasswordPolicyViolationError(_Status):
    status = "PASSWORD_POLICY_VIOLATED_ERROR"

    def __init__(self, failure_reason: str) -> None:
        self.failure_reason = failure_reason

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "failureReason": self.failure_reason}


class RecipeInterface(ABC):
    """The core calls of emailpassword; override to change what sign-up, sign-in or reset do."""

    @abstractmethod
    async def sign_up(
        self,
        email: str,
        password: str,
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        user_context: dict[str, Any],
    ) -> SignUpOkResult | EmailAlreadyExistsError: ...

    @abstractmethod
    async def create_new_recipe_user(
        self, email: str, password: str, tenant_id: str, user_context: dict[str, Any]
    ) -> SignUpOkResult | EmailAlreadyExistsError: ...

    @abstractmethod
    async def sign_in(
        self,
        email: str,
        password: str,
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        user_context: dict[str, Any],
    ) -> SignInOkResult | WrongCredentialsError: ...

    @abstractmethod
    async def verify_credentials(
        self, email: str, password: str, tenant_id: str, user_context: dict[str, Any]
    ) -> SignInOkResult | WrongCredentialsError: ...

    @abstractmethod
    async def create_reset_password_token(
        self, user_id: str, email: str, tenant_id: str, user_context: dict[str, Any]
    ) -> CreateResetPasswordOkResult | UnknownUserIdError: ...

    @abstractmethod
    async def consume_password_reset_token(
        self, token: str, tenant_id: str, user_context: dict[str, Any]
    ) -> ConsumePasswordResetTokenOkResult | PasswordResetTokenInvalidError: ...

    @abstractmethod
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
    ): ...


# --- results of APIInterface ------------------------------------------------------------------------------


class EmailExistsGetOkResult(_Status):
    status = "OK"

    def __init__(self, exists: bool) -> None:
        self.exists = exists

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "exists": self.exists}


class GeneratePasswordResetTokenPostOkResult(_Status):
    status = "OK"


class GeneratePasswordResetTokenPostNotAllowedResponse(_Status):
    status = "PASSWORD_RESET_NOT_ALLOWED"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason}


class PasswordResetPostOkResult(_Status):
    status = "OK"

    def __init__(self, email: str, user: User) -> None:
        self.email = email
        self.user = user


class SignInPostOkResult(_Status):
    status = "OK"

    def __init__(self, user: User, session: SessionContainer) -> None:
        self.user = user
        self.session = session

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "user": self.user.to_json()}


class SignInPostNotAllowedResponse(_Status):
    status = "SIGN_IN_NOT_ALLOWED"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason}


class SignUpPostOkResult(_Status):
    status = "OK"

    def __init__(self, user: User, session: SessionContainer) -> None:
        self.user = user
        self.session = session

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "user": self.user.to_json()}


class SignUpPostNotAllowedResponse(_Status):
    status = "SIGN_UP_NOT_ALLOWED"

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "reason": self.reason}


class APIOptions:
    """What an API function gets besides its input: the request, the response, config and implementations."""

    def __init__(
        self,
        request: BaseRequest,
        response: BaseResponse,
        recipe_id: str,
        config: EmailPasswordConfig,
        recipe_implementation: RecipeInterface,
        app_info: AppInfo,
        email_delivery: EmailDeliveryIngredient[EmailTemplateVars],
    ) -> None:
        self.request = request
        self.response = response
        self.recipe_id = recipe_id
        self.config = config
        self.recipe_implementation = recipe_implementation
        self.app_info = app_info
        self.email_delivery = email_delivery


class APIInterface(ABC):
    """The routes of emailpassword. Set an attribute to None, or its ``disable_*`` flag, to turn a route off."""

    def __init__(self) -> None:
        self.disable_email_exists_get = False
        self.disable_generate_password_reset_token_post = False
        self.disable_password_reset_post = False
        self.disable_sign_in_post = False
        self.disable_sign_up_post = False

    @abstractmethod
    async def email_exists_get(
        self, email: str, tenant_id: str, api_options: APIOptions, user_context: dict[str, Any]
    ) -> EmailExistsGetOkResult: ...

    @abstractmethod
    async def generate_password_reset_token_post(
        self, form_fields: list[FormField], tenant_id: str, api_options: APIOptions, user_context: dict[str, Any]
    ) -> GeneratePasswordResetTokenPostOkResult | GeneratePasswordResetTokenPostNotAllowedResponse: ...

    @abstractmethod
    async def password_reset_post(
        self,
        form_fields: list[FormField],
        token: str,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> PasswordResetPostOkResult | PasswordResetTokenInvalidError | PasswordPolicyViolationError: ...

    @abstractmethod
    async def sign_in_post(
        self,
        form_fields: list[FormField],
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> SignInPostOkResult | WrongCredentialsError | SignInPostNotAllowedResponse: ...

    @abstractmethod
    async def sign_up_post(
        self,
        form_fields: list[FormField],
        tenant_id: str,
        session: SessionContainer | None,
        should_try_linking_with_session_user: bool | None,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> SignUpPostOkResult | EmailAlreadyExistsError | SignUpPostNotAllowedResponse: ...
