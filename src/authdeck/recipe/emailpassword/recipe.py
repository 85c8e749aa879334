"""The emailpassword recipe: its routes, the wiring of overrides and email delivery, its FIELD_ERROR replies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.ingredients.emaildelivery import EmailDeliveryIngredient
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext, api_enabled
from authdeck.recipe.emailpassword.api.email_exists import handle_email_exists_api
from authdeck.recipe.emailpassword.api.implementation import APIImplementation
from authdeck.recipe.emailpassword.api.password_reset import (
    handle_generate_password_reset_token_api,
    handle_password_reset_api,
)
from authdeck.recipe.emailpassword.api.signin import handle_sign_in_api
from authdeck.recipe.emailpassword.api.signup import handle_sign_up_api
from authdeck.recipe.emailpassword.exceptions import FieldError, SuperTokensEmailPasswordError
from authdeck.recipe.emailpassword.interfaces import APIInterface, APIOptions, RecipeInterface
from authdeck.recipe.emailpassword.recipe_implementation import RecipeImplementation
from authdeck.recipe.emailpassword.types import EmailTemplateVars
from authdeck.recipe.emailpassword.utils import (
    EmailPasswordConfig,
    InputOverrideConfig,
    InputSignUpFeature,
    validate_and_normalise_user_input,
)

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier

SIGNUP = "/signup"
SIGNIN = "/signin"
SIGNUP_EMAIL_EXISTS_OLD = "/signup/email/exists"
SIGNUP_EMAIL_EXISTS = "/emailpassword/email/exists"
USER_PASSWORD_RESET_TOKEN = "/user/password/reset/token"  # noqa: S105 (a path)
USER_PASSWORD_RESET = "/user/password/reset"  # noqa: S105 (a path)

Handler = Callable[[str, APIInterface, APIOptions, dict[str, Any]], Awaitable[BaseResponse]]

# api_id → (method, path, APIInterface attribute, handler)
_ROUTES: list[tuple[str, str, str, str, Handler]] = [
    ("signup", "post", SIGNUP, "sign_up_post", handle_sign_up_api),
    ("signin", "post", SIGNIN, "sign_in_post", handle_sign_in_api),
    ("email_exists", "get", SIGNUP_EMAIL_EXISTS, "email_exists_get", handle_email_exists_api),
    ("email_exists_old", "get", SIGNUP_EMAIL_EXISTS_OLD, "email_exists_get", handle_email_exists_api),
    (
        "generate_password_reset_token",
        "post",
        USER_PASSWORD_RESET_TOKEN,
        "generate_password_reset_token_post",
        handle_generate_password_reset_token_api,
    ),
    ("password_reset", "post", USER_PASSWORD_RESET, "password_reset_post", handle_password_reset_api),
]


class EmailPasswordRecipe(RecipeModule):
    recipe_id = "emailpassword"

    def __init__(self, app_info: AppInfo, querier: Querier, config: EmailPasswordConfig) -> None:
        super().__init__(app_info, querier)
        self.config = config
        original = RecipeImplementation(querier, lambda: self.config)
        functions = config.override.functions
        self.recipe_implementation: RecipeInterface = original if functions is None else functions(original)
        if not isinstance(self.recipe_implementation, RecipeInterface):
            raise ConfigError("emailpassword override.functions must return the (modified) RecipeInterface it got")
        api = APIImplementation(querier)
        apis = config.override.apis
        self.api_implementation: APIInterface = api if apis is None else apis(api)
        if not isinstance(self.api_implementation, APIInterface):
            raise ConfigError("emailpassword override.apis must return the (modified) APIInterface it got")
        self.email_delivery: EmailDeliveryIngredient[EmailTemplateVars] = EmailDeliveryIngredient(
            config.get_email_delivery_config()
        )

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
        return isinstance(err, SuperTokensEmailPasswordError)

    async def handle_error(
        self, request: BaseRequest, err: Exception, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse:
        if isinstance(err, FieldError):
            response.set_status(200)
            response.set_json_content({"status": "FIELD_ERROR", "formFields": err.get_json_form_fields()})
            return response
        raise err

    @staticmethod
    def init(
        sign_up_feature: InputSignUpFeature | None = None,
        override: InputOverrideConfig | None = None,
        email_delivery: EmailDeliveryConfig[EmailTemplateVars] | None = None,
    ) -> RecipeInit:
        config = validate_and_normalise_user_input(sign_up_feature, override, email_delivery)

        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return EmailPasswordRecipe(app_info, querier, config)

        return make

    @staticmethod
    def get_instance_optional() -> EmailPasswordRecipe | None:
        try:
            sdk = Authdeck.get_instance()
        except ConfigError:
            return None
        return sdk.find_recipe(EmailPasswordRecipe)

    @staticmethod
    def get_instance() -> EmailPasswordRecipe:
        recipe = EmailPasswordRecipe.get_instance_optional()
        if recipe is None:
            raise ConfigError(
                "the emailpassword recipe is not initialised; add emailpassword.init() to init(recipe_list=[...])"
            )
        return recipe

    get_instance_or_throw = get_instance
