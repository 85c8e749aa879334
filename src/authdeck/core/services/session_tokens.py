"""Session tokens: minting and reading access tokens (claims of spec §4.1) and refresh tokens (§4.2)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from authdeck.core.crypto import tokens
from authdeck.core.crypto.keyring import KeyRing
from authdeck.core.crypto.tokens import MalformedTokenError, UnknownKeyError
from authdeck.core.errors import BadRequestError
from authdeck.core.routing import PUBLIC

# Claims the core sets itself; a user payload may not carry them.
PROTECTED_CLAIMS = frozenset(
    ("sub", "rsub", "tId", "exp", "iat", "sessionHandle")
    + ("refreshTokenHash1", "parentRefreshTokenHash1", "antiCsrfToken")
)
ACCESS_TOKEN_VERSION = "5"  # noqa: S105 - a header value, not a secret


@dataclass(frozen=True)
class SessionRef:
    """Who a session belongs to. Without account linking the user and the recipe user are the same id."""

    handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str


@dataclass(frozen=True)
class IssuedToken:
    token: str
    expiry: int  # ms
    created_time: int  # ms


@dataclass(frozen=True)
class AccessClaims:
    """What an authentic access token says."""

    kid: str
    ref: SessionRef
    refresh_hash1: str
    parent_hash1: str | None
    anti_csrf: str | None
    iat: int
    exp: int  # seconds
    payload: dict[str, Any]  # the user's part

    @property
    def dynamic(self) -> bool:
        return self.kid.startswith("d-")


@dataclass(frozen=True)
class RefreshClaims:
    handle: str
    user_id: str
    parent_hash1: str | None
    anti_csrf: str | None
    tenant_id: str


def check_user_payload(payload: dict[str, Any]) -> None:
    if not PROTECTED_CLAIMS.isdisjoint(payload):
        raise BadRequestError("The user payload contains protected field")


def new_handle(tenant_id: str) -> str:
    handle = str(uuid.uuid4())
    return handle if tenant_id == PUBLIC else f"{handle}_{tenant_id}"


def tenant_of_handle(handle: str) -> str | None:
    """The tenant a handle belongs to (its ``_<tenant>`` suffix), or None if it is not a handle of ours."""
    parts = handle.split("_")
    if len(parts) > 2 or not parts[0] or (len(parts) == 2 and not parts[1]):
        return None
    return parts[1] if len(parts) == 2 else PUBLIC


def mint_access_token(
    ring: KeyRing,
    ref: SessionRef,
    *,
    refresh_hash1: str,
    parent_hash1: str | None,
    anti_csrf: str | None,
    payload: dict[str, Any],
    dynamic: bool,
    now_ms: int,
    validity_s: int,
    exp_s: int | None = None,
) -> IssuedToken:
    """A signed access token; ``exp_s`` keeps an existing expiry instead of starting a new lifetime."""
    iat = now_ms // 1000
    exp = iat + validity_s if exp_s is None else exp_s
    claims = {
        **payload,
        "sub": ref.user_id,
        "rsub": ref.recipe_user_id,
        "tId": ref.tenant_id,
        "iat": iat,
        "exp": exp,
        "sessionHandle": ref.handle,
        "refreshTokenHash1": refresh_hash1,
        "parentRefreshTokenHash1": parent_hash1,
        "antiCsrfToken": anti_csrf,
    }
    key = ring.signing_key(dynamic=dynamic, now_ms=now_ms)
    token = tokens.encode_jwt(claims, key.private_key, key.kid, version=ACCESS_TOKEN_VERSION)
    return IssuedToken(token, exp * 1000, now_ms)


def _str(claims: dict[str, Any], name: str, *, nullable: bool = False) -> Any:
    value = claims.get(name)
    if isinstance(value, str) or (nullable and value is None):
        return value
    raise MalformedTokenError("The access token does not carry the claims of a session")


def _int(claims: dict[str, Any], name: str) -> int:
    value = claims.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise MalformedTokenError("The access token does not carry the claims of a session")


def read_access_token(ring: KeyRing, token: str, now_ms: int, *, allow_expired: bool = False) -> AccessClaims:
    """The claims of an access token this app signed; raises a ``TokenError`` subclass otherwise."""
    header = tokens.jwt_header(token)
    # Only session tokens carry a version; JWTs from POST /recipe/jwt share keys but are not sessions.
    if header.get("version") != ACCESS_TOKEN_VERSION or header.get("typ", "JWT") != "JWT":
        raise MalformedTokenError("The access token is not a session token of version 5")
    key = ring.verification_key(header["kid"], now_ms)
    if key is None:
        raise UnknownKeyError("The access token was signed with a key this app does not have (or no longer has)")
    claims = tokens.verify_jwt(token, key.public_key)
    exp = _int(claims, "exp")
    access = AccessClaims(
        kid=key.kid,
        ref=SessionRef(
            handle=_str(claims, "sessionHandle"),
            user_id=_str(claims, "sub"),
            recipe_user_id=_str(claims, "rsub"),
            tenant_id=_str(claims, "tId"),
        ),
        refresh_hash1=_str(claims, "refreshTokenHash1"),
        parent_hash1=_str(claims, "parentRefreshTokenHash1", nullable=True),
        anti_csrf=_str(claims, "antiCsrfToken", nullable=True),
        iat=_int(claims, "iat"),
        exp=exp,
        payload={k: v for k, v in claims.items() if k not in PROTECTED_CLAIMS},
    )
    if not allow_expired and exp * 1000 <= now_ms:
        raise tokens.ExpiredTokenError("Access token expired")
    return access


def mint_refresh_token(
    master_key: bytes, app_id: str, ref: SessionRef, *, parent_hash1: str | None, anti_csrf: str | None
) -> str:
    payload = {
        "sessionHandle": ref.handle,
        "userId": ref.recipe_user_id,
        "parentRefreshTokenHash1": parent_hash1,
        "nonce": uuid.uuid4().hex,
        "antiCsrfToken": anti_csrf,
        "tenantId": ref.tenant_id,
    }
    return tokens.seal_refresh_token(master_key, app_id, payload)


def read_refresh_token(master_key: bytes, app_id: str, token: str) -> RefreshClaims:
    payload = tokens.open_refresh_token(master_key, app_id, token)
    handle, user_id, tenant_id = payload.get("sessionHandle"), payload.get("userId"), payload.get("tenantId")
    parent, anti_csrf = payload.get("parentRefreshTokenHash1"), payload.get("antiCsrfToken")
    if not (isinstance(handle, str) and isinstance(user_id, str) and isinstance(tenant_id, str)):
        raise MalformedTokenError("The refresh token is invalid")
    if not all(v is None or isinstance(v, str) for v in (parent, anti_csrf)):
        raise MalformedTokenError("The refresh token is invalid")
    return RefreshClaims(handle, user_id, parent, anti_csrf, tenant_id)
