"""The SDK's process-wide state made by init(), and the framework-neutral routing of ``/auth`` requests."""

from __future__ import annotations

import re
from typing import Any, Literal, TypeVar

from authdeck._appinfo import AppInfo, InputAppInfo, SupertokensConfig
from authdeck._querier import Querier
from authdeck.exceptions import AuthdeckError, BadInputError, ConfigError, GeneralError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse, apply_pending
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext

FRAMEWORKS = ("fastapi", "flask", "django")
_TENANT_RE = re.compile(r"^/([a-zA-Z0-9-]+)(/.*)$")

R = TypeVar("R", bound=RecipeModule)


class Authdeck:
    """What init() built: app info, the core querier and the recipes, in the order given."""

    _instance: Authdeck | None = None

    def __init__(self, app_info: AppInfo, querier: Querier, recipe_inits: list[RecipeInit]) -> None:
        self.app_info = app_info
        self.querier = querier
        self.recipes: list[RecipeModule] = []
        Authdeck._instance = self  # recipes may look each other up while being built
        try:
            for make in recipe_inits:
                recipe = make(app_info, querier)
                if any(r.recipe_id == recipe.recipe_id for r in self.recipes):
                    raise ConfigError(f"recipe {recipe.recipe_id!r} is in recipe_list twice; list each recipe once")
                self.recipes.append(recipe)
        except BaseException:
            Authdeck._instance = None
            raise

    @classmethod
    def get_instance(cls) -> Authdeck:
        if cls._instance is None:
            raise ConfigError("authdeck.init() has not been called; call it once when your app starts")
        return cls._instance

    @classmethod
    def reset(cls) -> None:
        """Forget init() and close its connections (for tests that initialise several times in one process)."""
        if cls._instance is not None:
            cls._instance.querier.close()
        cls._instance = None

    def find_recipe(self, recipe_type: type[R]) -> R | None:
        for recipe in self.recipes:
            if isinstance(recipe, recipe_type):
                return recipe
        return None

    def get_all_cors_headers(self) -> list[str]:
        headers = {"rid", "fdi-version"}
        for recipe in self.recipes:
            headers.update(recipe.get_all_cors_headers())
        return sorted(headers)

    def _route(self, method: str, path: str, rid: str | None) -> tuple[RecipeModule, APIRoute] | None:
        candidates = [(r, a) for r in self.recipes for a in r.get_apis_handled() if a.matches(method, path)]
        if not candidates:
            return None
        for recipe, api in candidates:
            if recipe.recipe_id == rid:
                return recipe, api
        return candidates[0]

    async def middleware(
        self, request: BaseRequest, response: BaseResponse, user_context: UserContext | None = None
    ) -> BaseResponse | None:
        """Serve ``request`` if it is an SDK route; None means the app should handle it."""
        # A gateway in front strips api_gateway_path, so the app sees paths under the bare base path; the
        # gateway path only appears in what the SDK advertises (links, cookie paths).
        base = self.app_info.api_base_path[len(self.app_info.api_gateway_path) :]
        path = request.get_path()
        if base and not (path == base or path.startswith(base + "/")):
            return None
        rest = path[len(base) :] or "/"
        if len(rest) > 1:
            rest = rest.rstrip("/")
        method = request.method().lower()
        rid = request.get_header("rid")
        if rid == "anti-csrf":
            rid = None
        tenant_id = "public"
        found = self._route(method, rest, rid)
        if found is None:
            m = _TENANT_RE.match(rest)
            if m is None:
                return None
            found = self._route(method, m.group(2), rid)
            if found is None:
                return None
            tenant_id = m.group(1).lower()
        recipe, api = found
        context = user_context if user_context is not None else {}
        context.setdefault("_default", {"request": request})
        try:
            result = await recipe.handle_api_request(api.api_id, tenant_id, request, response, context)
        except AuthdeckError as err:
            return await self.handle_error(request, err, response, context)
        if result is not None:
            # Tokens of a session created or refreshed while serving the route go on its reply.
            apply_pending(request.state, result)
        return result

    async def handle_error(
        self, request: BaseRequest, err: AuthdeckError, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse:
        """Turn an SDK error into its response; errors no recipe claims are re-raised."""
        if isinstance(err, BadInputError):
            response.set_status(400)
            response.set_json_content({"message": err.message})
            return response
        if isinstance(err, GeneralError):
            response.set_status(200)
            response.set_json_content({"status": "GENERAL_ERROR", "message": err.message})
            return response
        for recipe in self.recipes:
            if recipe.is_error_from_this_recipe(err):
                return await recipe.handle_error(request, err, response, user_context)
        raise err


def init(
    app_info: InputAppInfo,
    framework: Literal["fastapi", "flask", "django"],
    supertokens_config: SupertokensConfig,
    recipe_list: list[RecipeInit],
    mode: Literal["asgi", "wsgi"] | None = None,
    telemetry: bool | None = None,
    debug: bool | None = None,
) -> None:
    """Set authdeck up for this process; call once, before the app serves requests.

    ``telemetry`` is accepted for compatibility and ignored: authdeck never sends telemetry.
    """
    del telemetry  # there is none
    if Authdeck._instance is not None:
        raise ConfigError(
            "authdeck.init() was already called in this process; call it once at start-up "
            "(tests can call authdeck._supertokens.Authdeck.reset() in between)"
        )
    if framework not in FRAMEWORKS:
        raise ConfigError(f"framework {framework!r} is not supported; use one of: {', '.join(FRAMEWORKS)}")
    if mode is None:
        mode = "wsgi" if framework == "flask" else "asgi"
    if mode not in ("asgi", "wsgi"):
        raise ConfigError(f"mode {mode!r} is not supported; use 'asgi' or 'wsgi'")
    if not recipe_list:
        raise ConfigError("recipe_list is empty; add at least session.init()")
    if debug:
        import logging

        logging.getLogger("authdeck").setLevel(logging.DEBUG)
    info = AppInfo.build(app_info, framework, mode)
    querier = Querier(supertokens_config.connection_uri, supertokens_config.api_key)
    Authdeck(info, querier, list(recipe_list))


def get_all_cors_headers() -> list[str]:
    """The request headers the app's CORS middleware must allow for authdeck's routes."""
    return Authdeck.get_instance().get_all_cors_headers()


def default_user_context(user_context: dict[str, Any] | None) -> dict[str, Any]:
    return {} if user_context is None else user_context
