"""The overridable surfaces of email verification: RecipeInterface (core calls) and APIInterface (routes),
the result classes, and what ``get_email_for_recipe_user_id`` may return."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, ClassVar

from authdeck.exceptions import AuthdeckError
from authdeck.recipe.emailverification.types import EmailVerificationUser
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck.framework.request import BaseRequest
    from authdeck.framework.response import BaseResponse
    from authdeck.ingredients.emaildelivery import EmailDeliveryIngredient
    from authdeck.recipe.emailverification.types import VerificationEmailTemplateVars
    from authdeck.recipe.emailverification.utils import EmailVerificationConfig
    from authdeck.recipe.session import SessionContainer


class _Status:
    status: ClassVar[str]

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status}


# --- results of RecipeInterface and of the functions ------------------------------------------------------


class CreateEmailVerificationTokenOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, token: str) -> None:
        self.token = token


class CreateEmailVerificationTokenEmailAlreadyVerifiedError(_Status):
    status = "EMAIL_ALREADY_VERIFIED_ERROR"


class CreateEmailVerificationLinkOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, link: str) -> None:
        self.link = link


class CreateEmailVerificationLinkEmailAlreadyVerifiedError(_Status):
    status = "EMAIL_ALREADY_VERIFIED_ERROR"


class SendEmailVerificationEmailOkResult(_Status):
    status = "OK"


class SendEmailVerificationEmailAlreadyVerifiedError(_Status):
    status = "EMAIL_ALREADY_VERIFIED_ERROR"


class VerifyEmailUsingTokenOkResult:
    status: ClassVar[str] = "OK"

    def __init__(self, user: EmailVerificationUser) -> None:
        self.user = user

    def to_json(self) -> dict[str, Any]:
        return {"user": self.user.to_json(), "status": self.status}


class VerifyEmailUsingTokenInvalidTokenError(_Status):
    status = "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"


class RevokeEmailVerificationTokensOkResult(_Status):
    status = "OK"


class UnverifyEmailOkResult(_Status):
    status = "OK"


class RecipeInterface(ABC):
    """The core calls of email verification; override to change them."""

    @abstractmethod
    async def create_email_verification_token(
        self, recipe_user_id: RecipeUserId, email: str, tenant_id: str, user_context: dict[str, Any]
    ) -> CreateEmailVerificationTokenOkResult | CreateEmailVerificationTokenEmailAlreadyVerifiedError: ...

    @abstractmethod
    async def verify_email_using_token(
        self, token: str, tenant_id: str, attempt_account_linking: bool, user_context: dict[str, Any]
    ) -> VerifyEmailUsingTokenOkResult | VerifyEmailUsingTokenInvalidTokenError: ...

    @abstractmethod
    async def is_email_verified(
        self, recipe_user_id: RecipeUserId, email: str, user_context: dict[str, Any]
    ) -> bool: ...

    @abstractmethod
    async def revoke_email_verification_tokens(
        self, recipe_user_id: RecipeUserId, email: str, tenant_id: str, user_context: dict[str, Any]
    ) -> RevokeEmailVerificationTokensOkResult: ...

    @abstractmethod
    async def unverify_email(
        self, recipe_user_id: RecipeUserId, email: str, user_context: dict[str, Any]
    ) -> UnverifyEmailOkResult: ...


# --- results of APIInterface ------------------------------------------------------------------------------


class EmailVerifyPostOkResult(_Status):
    status = "OK"

    def __init__(self, user: EmailVerificationUser, new_session: SessionContainer | None) -> None:
        self.user = user
        self.new_session = new_session


class EmailVerifyPostInvalidTokenError(_Status):
    status = "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"


class IsEmailVerifiedGetOkResult(_Status):
    status = "OK"

    def __init__(self, is_verified: bool, new_session: SessionContainer | None) -> None:
        self.is_verified = is_verified
        self.new_session = new_session

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "isVerified": self.is_verified}


class GenerateEmailVerifyTokenPostOkResult(_Status):
    status = "OK"


class GenerateEmailVerifyTokenPostEmailAlreadyVerifiedError(_Status):
    status = "EMAIL_ALREADY_VERIFIED_ERROR"

    def __init__(self, new_session: SessionContainer | None) -> None:
        self.new_session = new_session


class APIOptions:
    """What an API function gets besides its input: the request, the response, config and implementations."""

    def __init__(
        self,
        request: BaseRequest,
        response: BaseResponse,
        recipe_id: str,
        config: EmailVerificationConfig,
        recipe_implementation: RecipeInterface,
        app_info: AppInfo,
        email_delivery: EmailDeliveryIngredient[VerificationEmailTemplateVars],
    ) -> None:
        self.request = request
        self.response = response
        self.recipe_id = recipe_id
        self.config = config
        self.recipe_implementation = recipe_implementation
        self.app_info = app_info
        self.email_delivery = email_delivery


class APIInterface(ABC):
    """The routes of email verification. Set an attribute to None, or its ``disable_*`` flag, to turn it off."""

    def __init__(self) -> None:
        self.disable_email_verify_post = False
        self.disable_is_email_verified_get = False
        self.disable_generate_email_verify_token_post = False

    @abstractmethod
    async def email_verify_post(
        self,
        token: str,
        session: SessionContainer | None,
        tenant_id: str,
        api_options: APIOptions,
        user_context: dict[str, Any],
    ) -> EmailVerifyPostOkResult | EmailVerifyPostInvalidTokenError: ...

    @abstractmethod
    async def is_email_verified_get(
        self, session: SessionContainer, api_options: APIOptions, user_context: dict[str, Any]
    ) -> IsEmailVerifiedGetOkResult: ...

    @abstractmethod
    async def generate_email_verify_token_post(
        self, session: SessionContainer, api_options: APIOptions, user_context: dict[str, Any]
    ) -> GenerateEmailVerifyTokenPostOkResult | GenerateEmailVerifyTokenPostEmailAlreadyVerifiedError: ...


# --- what get_email_for_recipe_user_id answers ------------------------------------------------------------


class GetEmailForUserIdOkResult:
    def __init__(self, email: str) -> None:
        self.email = email


class EmailDoesNotExistError(AuthdeckError):
    """The user exists but has no email (it then counts as verified)."""


class UnknownUserIdError(AuthdeckError):
    """No user has this recipe user id."""


GetEmailForUserIdResult = GetEmailForUserIdOkResult | EmailDoesNotExistError | UnknownUserIdError
TypeGetEmailForUserIdFunction = Callable[
    [RecipeUserId, dict[str, Any]], Awaitable[GetEmailForUserIdResult] | GetEmailForUserIdResult
]
