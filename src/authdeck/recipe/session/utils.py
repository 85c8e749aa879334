"""session.init()'s settings: validation, defaults derived from the app's domains, and error handlers."""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import urlsplit

from authdeck._appinfo import AppInfo, top_level_domain
from authdeck._sync import call_maybe_async
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe.session.constants import AUTH_MODE_HEADER_KEY, SESSION_REFRESH, TokenTransferMethod
from authdeck.recipe.session.exceptions import ClaimValidationError
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck.recipe.session.interfaces import APIInterface, RecipeInterface

SameSite = Literal["lax", "strict", "none"]
AntiCsrf = Literal["VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE"]
ANTI_CSRF_VALUES: tuple[AntiCsrf, ...] = ("VIA_TOKEN", "VIA_CUSTOM_HEADER", "NONE")
SAME_SITE_VALUES: tuple[SameSite, ...] = ("lax", "strict", "none")

GetTokenTransferMethod = Callable[[BaseRequest, bool, dict[str, Any]], "TokenTransferMethod | Literal['any']"]
MaybeAwaitableResponse = BaseResponse | Awaitable[BaseResponse]


@dataclass(kw_only=True)
class InputOverrideConfig:
    """``functions`` / ``apis`` receive the original implementation and return the one to use."""

    functions: Callable[[RecipeInterface], RecipeInterface] | None = None
    apis: Callable[[APIInterface], APIInterface] | None = None


SessionOverrideConfig = InputOverrideConfig


async def _send_message(response: BaseResponse, status: int, message: str) -> BaseResponse:
    response.set_status(status)
    response.set_json_content({"message": message})
    return response


class InputErrorHandlers:
    """Replace how session errors are answered; each callback may be sync or async and returns the response."""

    def __init__(
        self,
        on_token_theft_detected: Callable[[BaseRequest, str, str, RecipeUserId, BaseResponse], MaybeAwaitableResponse]
        | None = None,
        on_try_refresh_token: Callable[[BaseRequest, str, BaseResponse], MaybeAwaitableResponse] | None = None,
        on_unauthorised: Callable[[BaseRequest, str, BaseResponse], MaybeAwaitableResponse] | None = None,
        on_invalid_claim: Callable[[BaseRequest, list[ClaimValidationError], BaseResponse], MaybeAwaitableResponse]
        | None = None,
        on_clear_duplicate_session_cookies: Callable[[BaseRequest, str, BaseResponse], MaybeAwaitableResponse]
        | None = None,
    ) -> None:
        self._on_token_theft_detected = on_token_theft_detected
        self._on_try_refresh_token = on_try_refresh_token
        self._on_unauthorised = on_unauthorised
        self._on_invalid_claim = on_invalid_claim
        self._on_clear_duplicate_session_cookies = on_clear_duplicate_session_cookies

    async def on_token_theft_detected(
        self,
        config: NormalisedSessionConfig,
        revoke: Callable[[str], Awaitable[Any]],
        request: BaseRequest,
        session_handle: str,
        user_id: str,
        recipe_user_id: RecipeUserId,
        response: BaseResponse,
    ) -> BaseResponse:
        if self._on_token_theft_detected is not None:
            handler = self._on_token_theft_detected
            return await call_maybe_async(handler, request, session_handle, user_id, recipe_user_id, response)
        await revoke(session_handle)
        return await _send_message(response, config.session_expired_status_code, "token theft detected")

    async def on_try_refresh_token(
        self, config: NormalisedSessionConfig, request: BaseRequest, message: str, response: BaseResponse
    ) -> BaseResponse:
        if self._on_try_refresh_token is not None:
            return await call_maybe_async(self._on_try_refresh_token, request, message, response)
        return await _send_message(response, config.session_expired_status_code, "try refresh token")

    async def on_unauthorised(
        self, config: NormalisedSessionConfig, request: BaseRequest, message: str, response: BaseResponse
    ) -> BaseResponse:
        if self._on_unauthorised is not None:
            return await call_maybe_async(self._on_unauthorised, request, message, response)
        return await _send_message(response, config.session_expired_status_code, "unauthorised")

    async def on_invalid_claim(
        self,
        config: NormalisedSessionConfig,
        request: BaseRequest,
        errors: list[ClaimValidationError],
        response: BaseResponse,
    ) -> BaseResponse:
        if self._on_invalid_claim is not None:
            return await call_maybe_async(self._on_invalid_claim, request, errors, response)
        response.set_status(config.invalid_claim_status_code)
        response.set_json_content({"message": "invalid claim", "claimValidationErrors": [e.to_json() for e in errors]})
        return response

    async def on_clear_duplicate_session_cookies(
        self, request: BaseRequest, message: str, response: BaseResponse
    ) -> BaseResponse:
        if self._on_clear_duplicate_session_cookies is not None:
            return await call_maybe_async(self._on_clear_duplicate_session_cookies, request, message, response)
        response.set_status(200)
        response.set_json_content({"message": message})
        return response


ErrorHandlers = InputErrorHandlers


def get_token_transfer_method_default(
    request: BaseRequest, for_create_new_session: bool, user_context: dict[str, Any]
) -> TokenTransferMethod | Literal["any"]:
    """New sessions follow the ``st-auth-mode`` header; existing ones may use either method."""
    if not for_create_new_session:
        return "any"
    mode = (request.get_header(AUTH_MODE_HEADER_KEY) or "").lower()
    if mode == "cookie":
        return "cookie"
    if mode == "header":
        return "header"
    return "any"


def _is_local_host(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False


def normalise_cookie_domain(value: str, field_name: str) -> str:
    """A cookie Domain: the host only, keeping a leading dot if given (never for localhost or an IP)."""
    raw = value.strip()
    bare = raw[1:] if raw.startswith(".") else raw
    if not bare.startswith(("http://", "https://")):
        bare = "http://" + bare
    try:
        host = urlsplit(bare).hostname
    except ValueError:
        host = None
    if not host:
        raise ConfigError(f"session.init({field_name}={value!r}) is not a domain; give one such as '.example.com'")
    if _is_local_host(host):
        return host
    return "." + host if raw.startswith(".") else host


def normalise_same_site(value: str) -> SameSite:
    lowered = value.strip().lower()
    for allowed in SAME_SITE_VALUES:
        if lowered == allowed:
            return allowed
    raise ConfigError(f'session.init(cookie_same_site={value!r}) must be one of "strict", "lax", or "none"')


@dataclass(kw_only=True)
class NormalisedSessionConfig:
    app_info: AppInfo
    refresh_token_path: str
    cookie_domain: str | None
    older_cookie_domain: str | None
    cookie_same_site: SameSite | None  # None: derived per request from the api and website domains
    cookie_secure: bool
    session_expired_status_code: int
    invalid_claim_status_code: int
    anti_csrf: AntiCsrf | None  # None: VIA_CUSTOM_HEADER when SameSite is none, else NONE
    get_token_transfer_method: GetTokenTransferMethod
    expose_access_token_to_frontend_in_cookie_based_auth: bool
    use_dynamic_access_token_signing_key: bool
    jwks_refresh_interval_sec: int
    error_handlers: InputErrorHandlers
    override: InputOverrideConfig = field(default_factory=InputOverrideConfig)

    def get_cookie_same_site(self, request: BaseRequest | None, user_context: dict[str, Any]) -> SameSite:
        if self.cookie_same_site is not None:
            return self.cookie_same_site
        website = self.app_info.get_origin(request, user_context)
        api = self.app_info.api_domain
        if top_level_domain(api) != top_level_domain(website):
            return "none"
        if urlsplit(api).scheme != urlsplit(website).scheme:
            return "none"
        return "lax"

    def get_anti_csrf(self, request: BaseRequest | None, user_context: dict[str, Any]) -> AntiCsrf:
        if self.anti_csrf is not None:
            return self.anti_csrf
        return "VIA_CUSTOM_HEADER" if self.get_cookie_same_site(request, user_context) == "none" else "NONE"

    def both_domains_local(self, request: BaseRequest | None, user_context: dict[str, Any]) -> bool:
        website = self.app_info.get_origin(request, user_context)
        return top_level_domain(self.app_info.api_domain) == "localhost" == top_level_domain(website)


@dataclass(kw_only=True)
class SessionInitInput:
    """session.init()'s arguments as given (None means "use the default")."""

    cookie_domain: str | None = None
    older_cookie_domain: str | None = None
    cookie_secure: bool | None = None
    cookie_same_site: str | None = None
    session_expired_status_code: int | None = None
    invalid_claim_status_code: int | None = None
    anti_csrf: str | None = None
    get_token_transfer_method: GetTokenTransferMethod | None = None
    error_handlers: InputErrorHandlers | None = None
    override: InputOverrideConfig | None = None
    use_dynamic_access_token_signing_key: bool | None = None
    expose_access_token_to_frontend_in_cookie_based_auth: bool | None = None
    jwks_refresh_interval_sec: int | None = None

    def check(self) -> None:
        """Refuse unusable values (called by session.init(), before the app's domains are known)."""
        if self.anti_csrf is not None and self.anti_csrf not in ANTI_CSRF_VALUES:
            raise ConfigError(
                f"session.init(anti_csrf={self.anti_csrf!r}) must be one of VIA_TOKEN, VIA_CUSTOM_HEADER, NONE "
                "(or None for the default)"
            )
        if self.cookie_same_site is not None:
            normalise_same_site(self.cookie_same_site)
        expired, invalid = self.status_codes()
        for name, code in (("session_expired_status_code", expired), ("invalid_claim_status_code", invalid)):
            if isinstance(code, bool) or not isinstance(code, int) or not 400 <= code <= 599:
                raise ConfigError(f"session.init({name}={code!r}) must be an HTTP error status between 400 and 599")
        if expired == invalid:
            raise ConfigError(
                f"session_expired_status_code and invalid_claim_status_code cannot be the same ({invalid})"
            )
        interval = self.jwks_interval()
        if isinstance(interval, bool) or not isinstance(interval, int) or interval <= 0:
            raise ConfigError(
                f"session.init(jwks_refresh_interval_sec={interval!r}) must be a positive number of seconds"
            )
        if self.error_handlers is not None and not isinstance(self.error_handlers, InputErrorHandlers):
            raise ConfigError("session.init(error_handlers=...) must be an InputErrorHandlers(...)")
        if self.override is not None and not isinstance(self.override, InputOverrideConfig):
            raise ConfigError("session.init(override=...) must be an InputOverrideConfig(functions=..., apis=...)")
        if self.get_token_transfer_method is not None and not callable(self.get_token_transfer_method):
            raise ConfigError("session.init(get_token_transfer_method=...) must be a function")
        for name in ("cookie_domain", "older_cookie_domain"):
            value = getattr(self, name)
            if value:
                normalise_cookie_domain(value, name)

    def status_codes(self) -> tuple[int, int]:
        expired = 401 if self.session_expired_status_code is None else self.session_expired_status_code
        invalid = 403 if self.invalid_claim_status_code is None else self.invalid_claim_status_code
        return expired, invalid

    def jwks_interval(self) -> int:
        return 4 * 3600 if self.jwks_refresh_interval_sec is None else self.jwks_refresh_interval_sec


def validate_and_normalise_user_input(app_info: AppInfo, given: SessionInitInput) -> NormalisedSessionConfig:
    given.check()
    expired, invalid = given.status_codes()
    anti_csrf: AntiCsrf | None = None
    for allowed in ANTI_CSRF_VALUES:
        if given.anti_csrf == allowed:
            anti_csrf = allowed
    return NormalisedSessionConfig(
        app_info=app_info,
        refresh_token_path=app_info.api_base_path + SESSION_REFRESH,
        cookie_domain=normalise_cookie_domain(given.cookie_domain, "cookie_domain") if given.cookie_domain else None,
        older_cookie_domain=(
            normalise_cookie_domain(given.older_cookie_domain, "older_cookie_domain")
            if given.older_cookie_domain
            else None
        ),
        cookie_same_site=normalise_same_site(given.cookie_same_site) if given.cookie_same_site else None,
        cookie_secure=(
            app_info.api_domain.startswith("https") if given.cookie_secure is None else bool(given.cookie_secure)
        ),
        session_expired_status_code=expired,
        invalid_claim_status_code=invalid,
        anti_csrf=anti_csrf,
        get_token_transfer_method=given.get_token_transfer_method or get_token_transfer_method_default,
        expose_access_token_to_frontend_in_cookie_based_auth=bool(
            given.expose_access_token_to_frontend_in_cookie_based_auth
        ),
        use_dynamic_access_token_signing_key=given.use_dynamic_access_token_signing_key is not False,
        jwks_refresh_interval_sec=given.jwks_interval(),
        error_handlers=given.error_handlers or InputErrorHandlers(),
        override=given.override or InputOverrideConfig(),
    )
