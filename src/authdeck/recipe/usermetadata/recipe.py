"""The usermetadata recipe module: no routes, only functions that store a JSON object per user in the core."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext
from authdeck.recipe.usermetadata.interfaces import APIInterface
from authdeck.recipe.usermetadata.recipe_implementation import RecipeImplementation
from authdeck.recipe.usermetadata.utils import UserMetadataOverrideConfig

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier


class UserMetadataRecipe(RecipeModule):
    recipe_id: ClassVar[str] = "usermetadata"

    def __init__(self, app_info: AppInfo, querier: Querier, override: UserMetadataOverrideConfig) -> None:
        super().__init__(app_info, querier)
        implementation = RecipeImplementation(querier)
        self.recipe_implementation = (
            implementation if override.functions is None else override.functions(implementation)
        )
        api = APIInterface()
        self.api_implementation = api if override.apis is None else override.apis(api)

    @classmethod
    def init(cls, override: UserMetadataOverrideConfig | None = None) -> RecipeInit:
        config = override if override is not None else UserMetadataOverrideConfig()
        if not isinstance(config, UserMetadataOverrideConfig):
            raise ConfigError("usermetadata.init(override=...) takes a UserMetadataOverrideConfig")

        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return cls(app_info, querier, config)

        return make

    @classmethod
    def get_instance(cls) -> UserMetadataRecipe:
        recipe = Authdeck.get_instance().find_recipe(cls)
        if recipe is None:
            raise ConfigError("usermetadata is not initialised; add usermetadata.init() to init(recipe_list=[...])")
        return recipe

    def get_apis_handled(self) -> list[APIRoute]:
        return []

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        return None
