"""Sessions in a request: which transfer method carries the tokens, anti-CSRF, and where new tokens go.

These implement create_new_session / get_session / refresh_session for a request (fdi.md §2.1, §2.5, §2.6).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, Literal

from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.recipe.session import _jwt, _transfer
from authdeck.recipe.session.claims import SessionClaimValidator
from authdeck.recipe.session.constants import (
    AUTH_MODE_HEADER_KEY,
    AVAILABLE_TOKEN_TRANSFER_METHODS,
    LEGACY_ID_REFRESH_TOKEN_COOKIE_KEY,
    PROTECTED_PROPS,
    RID_HEADER_KEY,
    TokenTransferMethod,
    TokenType,
)
from authdeck.recipe.session.exceptions import (
    ClearDuplicateSessionCookiesError,
    ResponseMutator,
    SessionError,
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authdeck.recipe.session.interfaces import OverrideGlobalClaimValidators, SessionContainer
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck.recipe.session.recipe import SessionRecipe

TOKEN_TYPES: tuple[TokenType, ...] = ("access", "refresh")
SAME_SITE_NONE_WITHOUT_SECURE = (
    "Since your API and website domain are different, for sessions to work, please use https on your apiDomain "
    "and don't set cookieSecure to false."
)
DUPLICATE_COOKIES_WITHOUT_OLDER_DOMAIN = (
    "The request contains multiple session cookies. This may happen if you've changed the 'cookie_domain' setting "
    "in your configuration. To clear tokens from the previous domain, set 'older_cookie_domain' in your config."
)


async def get_required_claim_validators(
    recipe: SessionRecipe,
    session: SessionContainer,
    override_global_claim_validators: OverrideGlobalClaimValidators | None,
    user_context: dict[str, Any],
) -> list[SessionClaimValidator]:
    from_recipes = recipe.get_claim_validators_added_by_other_recipes()
    validators = recipe.recipe_implementation.get_global_claim_validators(
        session.get_tenant_id(), session.get_user_id(), session.get_recipe_user_id(), from_recipes, user_context
    )
    if inspect.isawaitable(validators):
        validators = await validators
    if override_global_claim_validators is None:
        return list(validators)
    overridden = override_global_claim_validators(list(validators), session, user_context)
    if inspect.isawaitable(overridden):
        overridden = await overridden
    return list(overridden)


def _allowed_method(
    recipe: SessionRecipe, request: BaseRequest, for_create: bool, ctx: dict[str, Any]
) -> TokenTransferMethod | Literal["any"]:
    return recipe.config.get_token_transfer_method(request, for_create, ctx)


async def get_session_from_request(
    recipe: SessionRecipe,
    request: BaseRequest,
    *,
    session_required: bool,
    anti_csrf_check: bool | None,
    check_database: bool,
    override_global_claim_validators: OverrideGlobalClaimValidators | None,
    user_context: dict[str, Any],
) -> SessionContainer | None:
    config = recipe.config
    if request.get_cookie(LEGACY_ID_REFRESH_TOKEN_COOKIE_KEY) is not None:
        raise TryRefreshTokenError("using legacy session, please call the refresh API")
    # Tokens that do not have an access token's structure are ignored, as if they were not sent.
    tokens: dict[TokenTransferMethod, _jwt.ParsedJWT] = {}
    for method in AVAILABLE_TOKEN_TRANSFER_METHODS:
        raw = _transfer.get_token(request, "access", method)
        if raw is None:
            continue
        try:
            parsed = _jwt.parse_jwt_without_signature_verification(raw)
            _jwt.validate_access_token_structure(parsed.payload, parsed.version)
        except _jwt.TokenStructureError:
            continue
        tokens[method] = parsed
    allowed = _allowed_method(recipe, request, False, user_context)
    request_method: TokenTransferMethod | None = None
    if allowed in ("any", "header") and "header" in tokens:
        request_method = "header"
    elif allowed in ("any", "cookie") and "cookie" in tokens:
        if _transfer.has_multiple_cookies_for_token_type(request, "access"):
            raise TryRefreshTokenError("Multiple access tokens present in the request cookies.")
        request_method = "cookie"
    chosen = tokens.get(request_method) if request_method else None
    if chosen is not None:
        _jwt.remember_parsed(user_context, chosen)
    access_token = chosen.raw_token_string if chosen is not None else None

    do_anti_csrf_check = anti_csrf_check if anti_csrf_check is not None else request.method().lower() != "get"
    if request_method == "header" or access_token is None:
        do_anti_csrf_check = False
    if do_anti_csrf_check and config.get_anti_csrf(request, user_context) == "VIA_CUSTOM_HEADER":
        if request.get_header(RID_HEADER_KEY) is None:
            raise TryRefreshTokenError(
                "anti-csrf check failed. Please pass 'rid: \"session\"' header in the request, or set "
                "doAntiCsrfCheck to false for this API"
            )
        do_anti_csrf_check = False

    session = await recipe.recipe_implementation.get_session(
        access_token,
        _transfer.get_anti_csrf_header(request),
        do_anti_csrf_check,
        session_required,
        check_database,
        override_global_claim_validators,
        user_context,
    )
    if session is None:
        return None
    validators = await get_required_claim_validators(recipe, session, override_global_claim_validators, user_context)
    await session.assert_claims(validators, user_context)
    # Only an overridden get_session can succeed without a token; its tokens then follow the allowed method.
    final: TokenTransferMethod = request_method or ("cookie" if allowed == "cookie" else "header")
    await session.attach_to_request_response(request, final, user_context)
    return session


async def create_new_session_in_request(
    recipe: SessionRecipe,
    request: BaseRequest,
    *,
    user_id: str,
    recipe_user_id: RecipeUserId,
    tenant_id: str,
    access_token_payload: dict[str, Any],
    session_data_in_database: dict[str, Any],
    user_context: dict[str, Any],
) -> SessionContainer:
    config = recipe.config
    payload = await build_initial_payload(
        recipe, user_id, recipe_user_id, tenant_id, access_token_payload, user_context
    )
    method = _allowed_method(recipe, request, True, user_context)
    output: TokenTransferMethod
    if method == "cookie" or (method == "any" and (request.get_header(AUTH_MODE_HEADER_KEY) or "").lower() == "cookie"):
        output = "cookie"
    else:
        output = "header"
    if (
        output == "cookie"
        and config.get_cookie_same_site(request, user_context) == "none"
        and not config.cookie_secure
        and not config.both_domains_local(request, user_context)
    ):
        raise ConfigError(SAME_SITE_NONE_WITHOUT_SECURE)
    session = await recipe.recipe_implementation.create_new_session(
        user_id, recipe_user_id, payload, session_data_in_database, output == "header", tenant_id, user_context
    )
    for other in AVAILABLE_TOKEN_TRANSFER_METHODS:
        if other != output and _transfer.get_token(request, "access", other) is not None:
            _transfer.queue(request, _transfer.clear_session_mutators(config, request, user_context, other))
    await session.attach_to_request_response(request, output, user_context)
    return session


async def build_initial_payload(
    recipe: SessionRecipe,
    user_id: str,
    recipe_user_id: RecipeUserId,
    tenant_id: str,
    access_token_payload: dict[str, Any],
    user_context: dict[str, Any],
) -> dict[str, Any]:
    """The app's payload plus ``iss`` and every claim other recipes registered (protected keys dropped)."""
    info = recipe.app_info
    payload = {**access_token_payload, "iss": info.api_domain + info.api_base_path}
    for key in PROTECTED_PROPS:
        payload.pop(key, None)
    for claim in recipe.get_claims_added_by_other_recipes():
        payload.update(await claim.build(user_id, recipe_user_id, tenant_id, payload, user_context))
    return payload


def _clear_older_domain_duplicates(recipe: SessionRecipe, request: BaseRequest, ctx: dict[str, Any]) -> None:
    config = recipe.config
    if _allowed_method(recipe, request, False, ctx) == "header":
        return
    mutators: list[ResponseMutator] = []
    for token_type in TOKEN_TYPES:
        if not _transfer.has_multiple_cookies_for_token_type(request, token_type):
            continue
        if config.older_cookie_domain is None:
            raise ConfigError(DUPLICATE_COOKIES_WITHOUT_OLDER_DOMAIN)
        path = _transfer.path_type(token_type)
        name = _transfer.cookie_name(token_type)
        mutators.append(
            _transfer.cookie_mutator(config, request, ctx, name, "", 0, path, domain=config.older_cookie_domain)
        )
    if mutators:
        err = ClearDuplicateSessionCookiesError(
            "The request contains multiple session cookies. We are clearing the cookie from older_cookie_domain. "
            "Session will be refreshed in the next refresh call."
        )
        err.response_mutators.extend(mutators)
        raise err


def _legacy_cookie_clear(recipe: SessionRecipe, request: BaseRequest, ctx: dict[str, Any]) -> list[ResponseMutator]:
    if request.get_cookie(LEGACY_ID_REFRESH_TOKEN_COOKIE_KEY) is None:
        return []
    return [
        _transfer.cookie_mutator(
            recipe.config, request, ctx, LEGACY_ID_REFRESH_TOKEN_COOKIE_KEY, "", 0, "access_token_path"
        )
    ]


async def refresh_session_in_request(
    recipe: SessionRecipe, request: BaseRequest, user_context: dict[str, Any]
) -> SessionContainer:
    config = recipe.config
    _clear_older_domain_duplicates(recipe, request, user_context)
    refresh_tokens = {m: _transfer.get_token(request, "refresh", m) for m in AVAILABLE_TOKEN_TRANSFER_METHODS}
    allowed = _allowed_method(recipe, request, False, user_context)
    request_method: TokenTransferMethod
    header_token, cookie_token = refresh_tokens["header"], refresh_tokens["cookie"]
    if allowed in ("any", "header") and header_token:
        request_method, refresh_token = "header", header_token
    elif allowed in ("any", "cookie") and cookie_token:
        request_method, refresh_token = "cookie", cookie_token
    else:
        has_access_cookie = _transfer.get_token(request, "access", "cookie") is not None
        message = (
            "Refresh token not found but access token is present. Clearing all tokens."
            if allowed in ("cookie", "any") and has_access_cookie
            else "Refresh token not found. Are you sending the refresh token in the request?"
        )
        err = UnauthorisedError(message, clear_tokens=True)
        err.response_mutators.extend(_legacy_cookie_clear(recipe, request, user_context))
        raise err
    disable_anti_csrf = request_method == "header"
    if config.get_anti_csrf(request, user_context) == "VIA_CUSTOM_HEADER" and not disable_anti_csrf:
        if request.get_header(RID_HEADER_KEY) is None:
            raise UnauthorisedError(
                "anti-csrf check failed. Please pass 'rid: \"session\"' header in the request.", clear_tokens=True
            )
        disable_anti_csrf = True
    try:
        session = await recipe.recipe_implementation.refresh_session(
            refresh_token, _transfer.get_anti_csrf_header(request), disable_anti_csrf, user_context
        )
    except SessionError as err:
        if isinstance(err, TokenTheftError) or (isinstance(err, UnauthorisedError) and err.clear_tokens):
            err.response_mutators.extend(_legacy_cookie_clear(recipe, request, user_context))
        raise
    for other in AVAILABLE_TOKEN_TRANSFER_METHODS:
        if other != request_method and refresh_tokens[other] is not None:
            _transfer.queue(request, _transfer.clear_session_mutators(config, request, user_context, other))
    await session.attach_to_request_response(request, request_method, user_context)
    _transfer.queue(request, _legacy_cookie_clear(recipe, request, user_context))
    return session
