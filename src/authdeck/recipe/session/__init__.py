"""Sessions: access and refresh tokens in cookies or headers, local JWT verification, claims, refresh and sign-out.

Add ``session.init()`` to ``authdeck.init(recipe_list=[...])``; protect routes with
``authdeck.recipe.session.framework.<fastapi|flask|django>.verify_session``; create sessions with
``authdeck.recipe.session.asyncio.create_new_session`` (or ``.syncio``).

Claims from other recipes
-------------------------
A recipe that puts a claim into every new session (emailverification's ``st-ev``, userroles' ``st-role`` and
``st-perm``) or wants a validator applied on every verified request registers it while it is being built, i.e.
inside its ``RecipeInit`` (the order of recipes in ``recipe_list`` does not matter)::

    from authdeck.recipe.session.recipe import SessionRecipe

    SessionRecipe.add_claim_from_other_recipe(EmailVerificationClaim)        # built into each new session
    SessionRecipe.add_claim_validator_from_other_recipe(EmailVerificationClaim.validators.is_verified())

Both are class methods, so ``SessionRecipe.get_instance().add_claim_from_other_recipe(claim)`` works as well
once the session recipe exists. Registrations belong to the current ``authdeck.init()`` and are forgotten by
``Authdeck.reset()``. A claim key may be registered once (``ConfigError`` otherwise). At session creation each
claim's ``build()`` runs ``fetch_value(user_id, recipe_user_id, tenant_id, payload, user_context)`` and stores
``{"v": value, "t": now_ms}`` under its key; validators run after every successful verification, in
registration order, after refetching claims whose validator's ``should_refetch`` is true. Apps may replace the
global list per route with ``override_global_claim_validators`` or per recipe with
``RecipeInterface.get_global_claim_validators``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck.framework.request import BaseRequest
from authdeck.recipe._module import RecipeInit, RecipeModule
from authdeck.recipe.session import utils as _utils
from authdeck.recipe.session.constants import TokenTransferMethod
from authdeck.recipe.session.interfaces import SessionContainer
from authdeck.recipe.session.recipe import SessionRecipe
from authdeck.recipe.session.utils import InputErrorHandlers, InputOverrideConfig, SessionOverrideConfig


def init(
    cookie_domain: str | None = None,
    older_cookie_domain: str | None = None,
    cookie_secure: bool | None = None,
    cookie_same_site: Literal["lax", "none", "strict"] | None = None,
    session_expired_status_code: int | None = None,
    anti_csrf: Literal["VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE"] | None = None,
    get_token_transfer_method: Callable[[BaseRequest, bool, dict[str, Any]], TokenTransferMethod | Literal["any"]]
    | None = None,
    error_handlers: InputErrorHandlers | None = None,
    override: InputOverrideConfig | None = None,
    invalid_claim_status_code: int | None = None,
    use_dynamic_access_token_signing_key: bool | None = None,
    expose_access_token_to_frontend_in_cookie_based_auth: bool | None = None,
    jwks_refresh_interval_sec: int | None = None,
) -> RecipeInit:
    """Configure sessions (parameters in supertokens_python's order; pass them by name).

    Defaults: SameSite ``none`` when the api and website domains are on different sites (or schemes), else
    ``lax``; Secure when the api domain is https; anti-CSRF ``VIA_CUSTOM_HEADER`` when SameSite is none, else
    ``NONE``; 401 for expired sessions and 403 for failed claims; JWKS cached for 4 hours.
    """
    given = _utils.SessionInitInput(
        cookie_domain=cookie_domain,
        older_cookie_domain=older_cookie_domain,
        cookie_secure=cookie_secure,
        cookie_same_site=cookie_same_site,
        session_expired_status_code=session_expired_status_code,
        invalid_claim_status_code=invalid_claim_status_code,
        anti_csrf=anti_csrf,
        get_token_transfer_method=get_token_transfer_method,
        error_handlers=error_handlers,
        override=override,
        use_dynamic_access_token_signing_key=use_dynamic_access_token_signing_key,
        expose_access_token_to_frontend_in_cookie_based_auth=expose_access_token_to_frontend_in_cookie_based_auth,
        jwks_refresh_interval_sec=jwks_refresh_interval_sec,
    )
    given.check()

    def make(app_info: AppInfo, querier: Querier) -> RecipeModule:
        return SessionRecipe(app_info, querier, _utils.validate_and_normalise_user_input(app_info, given))

    return make


__all__ = [
    "InputErrorHandlers",
    "InputOverrideConfig",
    "SessionContainer",
    "SessionOverrideConfig",
    "SessionRecipe",
    "TokenTransferMethod",
    "init",
]
