"""How session tokens travel: cookies or headers, the front-token, anti-CSRF header, and clearing (fdi.md §2).

Every write is a "mutator" (a function of the response) so that the same change can be applied to an SDK
route's response, queued onto the app's own response (``queue_change``), or attached to an error.
"""

from __future__ import annotations

import base64
import json
import time
from typing import Any, Literal
from urllib.parse import unquote

from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse, Cookie, queue_change
from authdeck.recipe.session.constants import (
    ACCESS_CONTROL_EXPOSE_HEADERS,
    ACCESS_TOKEN_COOKIE_KEY,
    ACCESS_TOKEN_HEADER_KEY,
    ANTI_CSRF_HEADER_KEY,
    AUTHORIZATION_HEADER_KEY,
    AVAILABLE_TOKEN_TRANSFER_METHODS,
    FRONT_TOKEN_HEADER_KEY,
    ONE_YEAR_IN_MS,
    REFRESH_TOKEN_COOKIE_KEY,
    REFRESH_TOKEN_HEADER_KEY,
    TokenTransferMethod,
    TokenType,
)
from authdeck.recipe.session.exceptions import ResponseMutator
from authdeck.recipe.session.utils import NormalisedSessionConfig

PathType = Literal["access_token_path", "refresh_token_path"]

_PATH_TYPE: dict[TokenType, PathType] = {"access": "access_token_path", "refresh": "refresh_token_path"}
_COOKIE_NAME: dict[TokenType, str] = {"access": ACCESS_TOKEN_COOKIE_KEY, "refresh": REFRESH_TOKEN_COOKIE_KEY}
_HEADER_NAME: dict[TokenType, str] = {"access": ACCESS_TOKEN_HEADER_KEY, "refresh": REFRESH_TOKEN_HEADER_KEY}


def _now_ms() -> int:
    return int(time.time() * 1000)


def build_front_token(user_id: str, at_expiry: int, access_token_payload: dict[str, Any] | None) -> str:
    """Standard base64 of sorted, compact JSON ``{ate, uid, up}`` (what supertokens-website parses)."""
    info = {"uid": user_id, "ate": at_expiry, "up": access_token_payload or {}}
    text = json.dumps(info, separators=(",", ":"), sort_keys=True)
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def cookie_name(token_type: TokenType) -> str:
    return _COOKIE_NAME[token_type]


def path_type(token_type: TokenType) -> PathType:
    return _PATH_TYPE[token_type]


def get_token(request: BaseRequest, token_type: TokenType, transfer_method: TokenTransferMethod) -> str | None:
    if transfer_method == "cookie":
        value = request.get_cookie(_COOKIE_NAME[token_type])
        return None if value is None else unquote(value)
    auth = request.get_header(AUTHORIZATION_HEADER_KEY)
    if auth is None or not auth.startswith("Bearer "):
        return None
    return auth[len("Bearer ") :].strip()


def has_multiple_cookies_for_token_type(request: BaseRequest, token_type: TokenType) -> bool:
    return len(request.get_cookie_values(_COOKIE_NAME[token_type])) > 1


def get_anti_csrf_header(request: BaseRequest) -> str | None:
    return request.get_header(ANTI_CSRF_HEADER_KEY)


def cookie_mutator(
    config: NormalisedSessionConfig,
    request: BaseRequest,
    user_context: dict[str, Any],
    key: str,
    value: str,
    expires_ms: int,
    path_type: PathType,
    domain: str | None = None,
) -> ResponseMutator:
    """A Set-Cookie with the session's attributes (SameSite is decided now, from this request)."""
    cookie = Cookie(
        key=key,
        value=value,
        expires_ms=expires_ms,
        path=config.refresh_token_path if path_type == "refresh_token_path" else "/",
        domain=domain if domain is not None else config.cookie_domain,
        secure=config.cookie_secure,
        httponly=True,
        samesite=config.get_cookie_same_site(request, user_context),
    )

    def mutate(response: BaseResponse) -> None:
        response.set_cookie(cookie)

    return mutate


def _token_mutators(
    config: NormalisedSessionConfig,
    request: BaseRequest,
    user_context: dict[str, Any],
    token_type: TokenType,
    value: str,
    expires_ms: int,
    transfer_method: TokenTransferMethod,
) -> ResponseMutator:
    if transfer_method == "cookie":
        name = _COOKIE_NAME[token_type]
        return cookie_mutator(config, request, user_context, name, value, expires_ms, _PATH_TYPE[token_type])
    header = _HEADER_NAME[token_type]

    def mutate(response: BaseResponse) -> None:
        response.set_header(header, value)
        response.append_to_header(ACCESS_CONTROL_EXPOSE_HEADERS, header)

    return mutate


def access_token_mutators(
    config: NormalisedSessionConfig,
    request: BaseRequest,
    user_context: dict[str, Any],
    access_token: str,
    front_token: str,
    transfer_method: TokenTransferMethod,
) -> list[ResponseMutator]:
    """front-token first (its expose entry comes first), then the token; the cookie lives a year."""

    def front(response: BaseResponse) -> None:
        response.set_header(FRONT_TOKEN_HEADER_KEY, front_token)
        response.append_to_header(ACCESS_CONTROL_EXPOSE_HEADERS, FRONT_TOKEN_HEADER_KEY)

    expires = _now_ms() + ONE_YEAR_IN_MS
    mutators = [front, _token_mutators(config, request, user_context, "access", access_token, expires, transfer_method)]
    if config.expose_access_token_to_frontend_in_cookie_based_auth and transfer_method == "cookie":
        mutators.append(_token_mutators(config, request, user_context, "access", access_token, expires, "header"))
    return mutators


def refresh_token_mutator(
    config: NormalisedSessionConfig,
    request: BaseRequest,
    user_context: dict[str, Any],
    refresh_token: str,
    expires_ms: int,
    transfer_method: TokenTransferMethod,
) -> ResponseMutator:
    return _token_mutators(config, request, user_context, "refresh", refresh_token, expires_ms, transfer_method)


def anti_csrf_mutator(value: str) -> ResponseMutator:
    def mutate(response: BaseResponse) -> None:
        response.set_header(ANTI_CSRF_HEADER_KEY, value)
        response.append_to_header(ACCESS_CONTROL_EXPOSE_HEADERS, ANTI_CSRF_HEADER_KEY)

    return mutate


def clear_session_mutators(
    config: NormalisedSessionConfig,
    request: BaseRequest,
    user_context: dict[str, Any],
    transfer_method: TokenTransferMethod,
) -> list[ResponseMutator]:
    """Empty tokens (expired cookies or empty headers), no anti-csrf, and ``front-token: remove``."""
    mutators = [
        _token_mutators(config, request, user_context, token_type, "", 0, transfer_method)
        for token_type in ("access", "refresh")
    ]

    def front_remove(response: BaseResponse) -> None:
        response.remove_header(ANTI_CSRF_HEADER_KEY)
        response.set_header(FRONT_TOKEN_HEADER_KEY, "remove")
        response.append_to_header(ACCESS_CONTROL_EXPOSE_HEADERS, FRONT_TOKEN_HEADER_KEY)

    mutators.append(front_remove)
    return mutators


def clear_all_methods_mutators(
    config: NormalisedSessionConfig, request: BaseRequest, user_context: dict[str, Any]
) -> list[ResponseMutator]:
    out: list[ResponseMutator] = []
    for method in AVAILABLE_TOKEN_TRANSFER_METHODS:
        out += clear_session_mutators(config, request, user_context, method)
    return out


QUEUE_KEY = "response_mutators"


def queue(request: BaseRequest, mutators: list[ResponseMutator]) -> None:
    """Send these changes with whatever response this request ends with."""
    for mutate in mutators:
        queue_change(request.state, mutate)


def apply_queued(request: BaseRequest, response: BaseResponse) -> None:
    """Apply (and forget) the changes queued on ``request`` to ``response`` (SDK routes and error replies)."""
    mutators = request.state.pop(QUEUE_KEY, None) or []
    for mutate in mutators:
        mutate(response)


def discard_queued(request: BaseRequest) -> None:
    request.state.pop(QUEUE_KEY, None)
