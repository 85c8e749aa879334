"""The email verification recipe: its routes, the ``st-ev`` claim it adds to sessions, overrides and email."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.asyncio import get_user
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.ingredients.emaildelivery import EmailDeliveryIngredient
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext, api_enabled
from authdeck.recipe.emailverification.api.email_verify import handle_email_verify_api, handle_is_email_verified_api
from authdeck.recipe.emailverification.api.generate_email_verify_token import handle_generate_email_verify_token_api
from authdeck.recipe.emailverification.api.implementation import APIImplementation
from authdeck.recipe.emailverification.claims import EmailVerificationClaim
from authdeck.recipe.emailverification.exceptions import (
    EmailVerificationInvalidTokenError,
    SuperTokensEmailVerificationError,
)
from authdeck.recipe.emailverification.interfaces import (
    APIInterface,
    APIOptions,
    EmailDoesNotExistError,
    GetEmailForUserIdOkResult,
    GetEmailForUserIdResult,
    RecipeInterface,
    TypeGetEmailForUserIdFunction,
    UnknownUserIdError,
)
from authdeck.recipe.emailverification.recipe_implementation import RecipeImplementation
from authdeck.recipe.emailverification.types import EmailTemplateVars
from authdeck.recipe.emailverification.utils import (
    MODE_TYPE,
    EmailVerificationConfig,
    InputOverrideConfig,
    validate_and_normalise_user_input,
)
from authdeck.types import RecipeUserId, User

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier

USER_EMAIL_VERIFY_TOKEN = "/user/email/verify/token"  # noqa: S105 (a path)
USER_EMAIL_VERIFY = "/user/email/verify"

Handler = Callable[[str, APIInterface, APIOptions, dict[str, Any]], Awaitable[BaseResponse]]

# api_id, method, path, APIInterface attribute, handler
_ROUTES: list[tuple[str, str, str, str, Handler]] = [
    (
        "generate_email_verify_token",
        "post",
        USER_EMAIL_VERIFY_TOKEN,
        "generate_email_verify_token_post",
        handle_generate_email_verify_token_api,
    ),
    ("email_verify", "post", USER_EMAIL_VERIFY, "email_verify_post", handle_email_verify_api),
    ("is_email_verified", "get", USER_EMAIL_VERIFY, "is_email_verified_get", handle_is_email_verified_api),
]


class EmailVerificationRecipe(RecipeModule):
    recipe_id = "emailverification"

    def __init__(self, app_info: AppInfo, querier: Querier, config: EmailVerificationConfig) -> None:
        super().__init__(app_info, querier)
        self.config = config
        original = RecipeImplementation(querier)
        functions = config.override.functions
        self.recipe_implementation: RecipeInterface = original if functions is None else functions(original)
        if not isinstance(self.recipe_implementation, RecipeInterface):
            raise ConfigError("emailverification override.functions must return the RecipeInterface it got")
        api = APIImplementation()
        apis = config.override.apis
        self.api_implementation: APIInterface = api if apis is None else apis(api)
        if not isinstance(self.api_implementation, APIInterface):
            raise ConfigError("emailverification override.apis must return the APIInterface it got")
        self.email_delivery: EmailDeliveryIngredient[EmailTemplateVars] = EmailDeliveryIngredient(
            config.get_email_delivery_config()
        )
        # Registered while recipe_list is being built, so the order of recipes does not matter.
        from authdeck.recipe.session.recipe import SessionRecipe

        SessionRecipe.add_claim_from_other_recipe(EmailVerificationClaim)
        if config.mode == "REQUIRED":
            SessionRecipe.add_claim_validator_from_other_recipe(EmailVerificationClaim.validators.is_verified())

    async def get_email_for_recipe_user_id(
        self, user: User | None, recipe_user_id: RecipeUserId, user_context: dict[str, Any]
    ) -> GetEmailForUserIdResult:
        """The email of this login method: the app's function decides first, then the core's user record."""
        custom: TypeGetEmailForUserIdFunction | None = self.config.get_email_for_recipe_user_id
        if custom is not None:
            answer: GetEmailForUserIdResult = await _sync.call_maybe_async(custom, recipe_user_id, user_context)
            if not isinstance(answer, UnknownUserIdError):
                return answer
        if user is None:
            user = await get_user(recipe_user_id.get_as_string(), user_context)
            if user is None:
                return UnknownUserIdError()
        for method in user.login_methods:
            if method.recipe_user_id.get_as_string() == recipe_user_id.get_as_string():
                if method.email is not None:
                    return GetEmailForUserIdOkResult(method.email)
                return EmailDoesNotExistError()
        return UnknownUserIdError()

    def _enabled(self, attribute: str) -> bool:
        return api_enabled(self.api_implementation, attribute)

    def get_apis_handled(self) -> list[APIRoute]:
        return [APIRoute(method, path, api_id) for api_id, method, path, attr, _ in _ROUTES if self._enabled(attr)]

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        route = next((r for r in _ROUTES if r[0] == api_id), None)
        if route is None or not self._enabled(route[3]):
            return None
        options = APIOptions(
            request,
            response,
            self.recipe_id,
            self.config,
            self.recipe_implementation,
            self.app_info,
            self.email_delivery,
        )
        return await route[4](tenant_id, self.api_implementation, options, user_context)

    def is_error_from_this_recipe(self, err: Exception) -> bool:
        return isinstance(err, SuperTokensEmailVerificationError)

    async def handle_error(
        self, request: BaseRequest, err: Exception, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse:
        if not isinstance(err, SuperTokensEmailVerificationError):
            raise err
        status = (
            "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"
            if isinstance(err, EmailVerificationInvalidTokenError)
            else "EMAIL_ALREADY_VERIFIED_ERROR"
        )
        response.set_status(200)
        response.set_json_content({"status": status})
        return response

    @staticmethod
    def init(
        mode: MODE_TYPE,
        email_delivery: EmailDeliveryConfig[EmailTemplateVars] | None = None,
        get_email_for_recipe_user_id: TypeGetEmailForUserIdFunction | None = None,
        override: InputOverrideConfig | None = None,
    ) -> RecipeInit:
        config = validate_and_normalise_user_input(mode, email_delivery, get_email_for_recipe_user_id, override)

        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return EmailVerificationRecipe(app_info, querier, config)

        return make

    @staticmethod
    def get_instance_optional() -> EmailVerificationRecipe | None:
        sdk = Authdeck._instance
        return None if sdk is None else sdk.find_recipe(EmailVerificationRecipe)

    @staticmethod
    def get_instance() -> EmailVerificationRecipe:
        recipe = EmailVerificationRecipe.get_instance_optional()
        if recipe is None:
            raise ConfigError(
                "the emailverification recipe is not initialised; "
                "add emailverification.init(mode=...) to init(recipe_list=[...])"
            )
        return recipe

    get_instance_or_throw = get_instance


__all__ = ["EmailVerificationClaim", "EmailVerificationRecipe"]
