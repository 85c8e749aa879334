"""The session recipe: its routes (/session/refresh, /signout), error responses, and the claim registry
other recipes add their claims and validators to."""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from typing import Any, ClassVar

from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe._module import APIRoute, RecipeModule, UserContext
from authdeck.recipe.session import _transfer
from authdeck.recipe.session._jwks import JWKSCache
from authdeck.recipe.session.api import handle_refresh_api, handle_signout_api
from authdeck.recipe.session.api.implementation import APIImplementation
from authdeck.recipe.session.claims import SessionClaim, SessionClaimValidator
from authdeck.recipe.session.constants import (
    ANTI_CSRF_HEADER_KEY,
    AUTH_MODE_HEADER_KEY,
    AUTHORIZATION_HEADER_KEY,
    RID_HEADER_KEY,
    SESSION_REFRESH,
    SIGNOUT,
)
from authdeck.recipe.session.exceptions import (
    ClearDuplicateSessionCookiesError,
    InvalidClaimsError,
    SessionError,
    TokenTheftError,
    UnauthorisedError,
)
from authdeck.recipe.session.interfaces import (
    APIInterface,
    APIOptions,
    OverrideGlobalClaimValidators,
    RecipeInterface,
    SessionContainer,
)
from authdeck.recipe.session.recipe_implementation import RecipeImplementation
from authdeck.recipe.session.utils import NormalisedSessionConfig


@dataclass
class _ClaimRegistry:
    claims: list[SessionClaim[Any]] = field(default_factory=list)
    validators: list[SessionClaimValidator] = field(default_factory=list)


# Keyed by the Authdeck instance being built, so other recipes may register before or after session.init()
# in recipe_list, and a new init() (tests) starts empty.
_REGISTRIES: weakref.WeakKeyDictionary[Authdeck, _ClaimRegistry] = weakref.WeakKeyDictionary()


def _registry() -> _ClaimRegistry:
    sdk = Authdeck.get_instance()
    registry = _REGISTRIES.get(sdk)
    if registry is None:
        registry = _REGISTRIES[sdk] = _ClaimRegistry()
    return registry


class SessionRecipe(RecipeModule):
    recipe_id: ClassVar[str] = "session"

    def __init__(self, app_info: AppInfo, querier: Querier, config: NormalisedSessionConfig) -> None:
        super().__init__(app_info, querier)
        self.config = config
        self.jwks = JWKSCache(querier, config.jwks_refresh_interval_sec)
        original: RecipeInterface = RecipeImplementation(querier, config, app_info, self.jwks)
        functions = config.override.functions
        self.recipe_implementation: RecipeInterface = functions(original) if functions else original
        api: APIInterface = APIImplementation()
        apis = config.override.apis
        self.api_implementation: APIInterface = apis(api) if apis else api

    @classmethod
    def get_instance(cls) -> SessionRecipe:
        recipe = Authdeck.get_instance().find_recipe(cls)
        if recipe is None:
            raise ConfigError("the session recipe is not initialised; add session.init() to init(recipe_list=[...])")
        return recipe

    @classmethod
    def get_instance_optional(cls) -> SessionRecipe | None:
        """The session recipe, or None when init() has not been called or has no session.init()."""
        try:
            return Authdeck.get_instance().find_recipe(cls)
        except ConfigError:
            return None

    # --- claims from other recipes (see the package docstring) ---

    @classmethod
    def add_claim_from_other_recipe(cls, claim: SessionClaim[Any]) -> None:
        registry = _registry()
        if any(c.key == claim.key for c in registry.claims):
            raise ConfigError(f"Claim {claim.key!r} added by multiple recipes")
        registry.claims.append(claim)

    @classmethod
    def add_claim_validator_from_other_recipe(cls, claim_validator: SessionClaimValidator) -> None:
        _registry().validators.append(claim_validator)

    @classmethod
    def get_claims_added_by_other_recipes(cls) -> list[SessionClaim[Any]]:
        return list(_registry().claims)

    @classmethod
    def get_claim_validators_added_by_other_recipes(cls) -> list[SessionClaimValidator]:
        return list(_registry().validators)

    # --- routes ---

    def get_apis_handled(self) -> list[APIRoute]:
        api = self.api_implementation
        routes = []
        if not api.disable_refresh_post and getattr(api, "refresh_post", None) is not None:
            routes.append(APIRoute("post", SESSION_REFRESH, SESSION_REFRESH))
        if not api.disable_signout_post and getattr(api, "signout_post", None) is not None:
            routes.append(APIRoute("post", SIGNOUT, SIGNOUT))
        return routes

    def _options(self, request: BaseRequest, response: BaseResponse | None) -> APIOptions:
        return APIOptions(request, response, self.recipe_id, self.config, self.recipe_implementation)

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        options = self._options(request, response)
        if api_id == SESSION_REFRESH:
            return await handle_refresh_api(self.api_implementation, options, user_context)
        if api_id == SIGNOUT:
            return await handle_signout_api(self, self.api_implementation, options, user_context)
        return None

    def get_all_cors_headers(self) -> list[str]:
        return [ANTI_CSRF_HEADER_KEY, RID_HEADER_KEY, AUTHORIZATION_HEADER_KEY, AUTH_MODE_HEADER_KEY]

    # --- errors ---

    def is_error_from_this_recipe(self, err: Exception) -> bool:
        return isinstance(err, SessionError)

    async def handle_error(
        self, request: BaseRequest, err: Exception, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse:
        if not isinstance(err, SessionError):
            raise err
        # As upstream: an error reply carries only the error's own changes, not tokens queued before it (a claim
        # refetched just before a 403 is simply refetched on the next request).
        _transfer.discard_queued(request)
        for mutate in err.response_mutators:
            mutate(response)
        handlers = self.config.error_handlers
        if isinstance(err, UnauthorisedError):
            if err.clear_tokens:
                self._clear_all(request, response, user_context)
            return await handlers.on_unauthorised(self.config, request, err.message, response)
        if isinstance(err, TokenTheftError):
            self._clear_all(request, response, user_context)

            async def revoke(handle: str) -> Any:
                return await self.recipe_implementation.revoke_session(handle, {})

            return await handlers.on_token_theft_detected(
                self.config, revoke, request, err.session_handle, err.user_id, err.recipe_user_id, response
            )
        if isinstance(err, InvalidClaimsError):
            return await handlers.on_invalid_claim(self.config, request, err.payload, response)
        if isinstance(err, ClearDuplicateSessionCookiesError):
            return await handlers.on_clear_duplicate_session_cookies(request, err.message, response)
        return await handlers.on_try_refresh_token(self.config, request, err.message, response)

    def _clear_all(self, request: BaseRequest, response: BaseResponse, user_context: UserContext) -> None:
        for mutate in _transfer.clear_all_methods_mutators(self.config, request, user_context):
            mutate(response)

    # --- verify_session (used by the framework integrations) ---

    async def verify_session(
        self,
        request: BaseRequest,
        anti_csrf_check: bool | None,
        session_required: bool,
        check_database: bool,
        override_global_claim_validators: OverrideGlobalClaimValidators | None,
        user_context: dict[str, Any],
    ) -> SessionContainer | None:
        return await self.api_implementation.verify_session(
            self._options(request, None),
            anti_csrf_check,
            session_required,
            check_database,
            override_global_claim_validators,
            user_context,
        )
