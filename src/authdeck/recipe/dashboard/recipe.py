"""The dashboard recipe module: its routes (HTML pages, static files, API), security headers on every reply,
and the wiring of overrides."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext
from authdeck.recipe.dashboard import _guard, _static
from authdeck.recipe.dashboard._ratelimit import SignInLimiter
from authdeck.recipe.dashboard._routes import BY_ID, ROUTES
from authdeck.recipe.dashboard.api.implementation import APIImplementation
from authdeck.recipe.dashboard.constants import (
    HTML_PAGES,
    HTML_PAGES_WITH_SUBPATHS,
    SECURITY_HEADERS,
    STATIC,
)
from authdeck.recipe.dashboard.interfaces import APIInterface, APIOptions, RecipeInterface
from authdeck.recipe.dashboard.recipe_implementation import RecipeImplementation
from authdeck.recipe.dashboard.utils import DashboardConfig, DashboardOverrideConfig, validate_and_normalise_user_input

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier

HTML = "dashboard_html"
STATIC_FILES = "dashboard_static"


class DashboardRecipe(RecipeModule):
    recipe_id: ClassVar[str] = "dashboard"

    def __init__(self, app_info: AppInfo, querier: Querier, config: DashboardConfig) -> None:
        super().__init__(app_info, querier)
        self.config = config
        original = RecipeImplementation(querier, app_info)
        functions = config.override.functions
        self.recipe_implementation: RecipeInterface = original if functions is None else functions(original)
        if not isinstance(self.recipe_implementation, RecipeInterface):
            raise ConfigError("dashboard override.functions must return the (modified) RecipeInterface it got")
        api = APIImplementation()
        apis = config.override.apis
        self.api_implementation: APIInterface = api if apis is None else apis(api)
        if not isinstance(self.api_implementation, APIInterface):
            raise ConfigError("dashboard override.apis must return the (modified) APIInterface it got")
        self.signin_limiter = SignInLimiter()

    @classmethod
    def init(
        cls,
        api_key: str | None = None,
        admins: list[str] | None = None,
        override: DashboardOverrideConfig | None = None,
    ) -> RecipeInit:
        config = validate_and_normalise_user_input(api_key, admins, override)

        def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
            return cls(app_info, querier, config)

        return make

    @classmethod
    def get_instance_optional(cls) -> DashboardRecipe | None:
        try:
            return Authdeck.get_instance().find_recipe(cls)
        except ConfigError:
            return None

    @classmethod
    def get_instance(cls) -> DashboardRecipe:
        recipe = cls.get_instance_optional()
        if recipe is None:
            raise ConfigError(
                "the dashboard recipe is not initialised; add dashboard.init() to init(recipe_list=[...])"
            )
        return recipe

    def api_options(self, request: BaseRequest, response: BaseResponse) -> APIOptions:
        return APIOptions(
            request, response, self.recipe_id, self.config, self.recipe_implementation, self.app_info, self.querier
        )

    def _html_enabled(self) -> bool:
        return getattr(self.api_implementation, "dashboard_get", None) is not None

    def get_apis_handled(self) -> list[APIRoute]:
        routes = [APIRoute(r.method, r.path, r.api_id) for r in ROUTES]
        routes.append(APIRoute("get", STATIC, STATIC_FILES, prefix=True))
        if self._html_enabled():
            routes += [APIRoute("get", page, HTML, prefix=page in HTML_PAGES_WITH_SUBPATHS) for page in HTML_PAGES]
        return routes

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        for name, value in SECURITY_HEADERS:
            response.set_header(name, value)
        if api_id == STATIC_FILES:
            # The app sees paths without api_gateway_path (the gateway strips it); the file is what follows
            # ".../dashboard/static/", tenant segment or not.
            bare_base = len(self.app_info.api_base_path) - len(self.app_info.api_gateway_path)
            path = request.get_path()
            marker = STATIC + "/"
            at = path.find(marker, bare_base)
            relative = path[at + len(marker) :] if at >= 0 else ""
            return _static.serve(request, response, relative)
        if api_id == HTML:
            dashboard_get = getattr(self.api_implementation, "dashboard_get", None)
            if dashboard_get is None:
                return None
            response.set_header("Cache-Control", "no-store")
            response.set_status(200)
            response.set_html_content(await dashboard_get(self.api_options(request, response), user_context))
            return response
        route = BY_ID.get(api_id)
        if route is None:
            return None
        return await _guard.run(self, route, tenant_id, request, response, user_context)
