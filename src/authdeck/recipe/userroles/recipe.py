"""The userroles recipe module: no routes; adds the ``st-role`` / ``st-perm`` claims to new sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext
from authdeck.recipe.session.recipe import SessionRecipe
from authdeck.recipe.userroles.claims import PermissionClaim, UserRoleClaim
from authdeck.recipe.userroles.interfaces import APIInterface
from authdeck.recipe.userroles.recipe_implementation import RecipeImplementation
from authdeck.recipe.userroles.utils import UserRolesConfig, UserRolesOverrideConfig, validate_and_normalise_user_input

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier

__all__ = ["PermissionClaim", "UserRoleClaim", "UserRolesRecipe"]


class UserRolesRecipe(RecipeModule):
    recipe_id: ClassVar[str] = "userroles"

    def __init__(self, app_info: AppInfo, querier: Querier, config: UserRolesConfig) -> None:
        super().__init__(app_info, querier)
        self.config = config
        implementation = RecipeImplementation(querier)
        functions = config.override.functions
        self.recipe_implementation = implementation if functions is None else functions(implementation)
        api = APIInterface()
        self.api_implementation = api if config.override.apis is None else config.override.apis(api)
        # Registered while recipe_list is being built, so the order of session.init() in it does not matter.
        if not config.skip_adding_roles_to_access_token:
            SessionRecipe.add_claim_from_other_recipe(UserRoleClaim)
        if not config.skip_adding_permissions_to_access_token:
            SessionRecipe.add_claim_from_other_recipe(PermissionClaim)

    @classmethod
    def init(
        cls,
        skip_adding_roles_to_access_token: bool = False,
        skip_adding_permissions_to_access_token: bool = False,
        override: UserRolesOverrideConfig | None = None,
    ) -> RecipeInit:
        config = validate_and_normalise_user_input(
            skip_adding_roles_to_access_token, skip_adding_permissions_to_access_token, override
        )

        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return cls(app_info, querier, config)

        return make

    @classmethod
    def get_instance(cls) -> UserRolesRecipe:
        recipe = Authdeck.get_instance().find_recipe(cls)
        if recipe is None:
            raise ConfigError("userroles is not initialised; add userroles.init() to init(recipe_list=[...])")
        return recipe

    def get_apis_handled(self) -> list[APIRoute]:
        return []

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        return None
