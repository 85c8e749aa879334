"""Session lifecycle: create, verify, refresh and regenerate, with rotation and theft detection (spec §4.3).

Notation of the spec: ``H1(t) = sha256(t)``, ``H2(t) = sha256(H1(t))``; a session row keeps only ``H2`` of
its current refresh token. Refreshing with the current token mints a child whose tokens name the current
one as parent; the child replaces the current one ("promotion") when it is first used, on verify or on
refresh. A refresh token that is neither current nor a child of the current one was stolen (or replayed).
Rows are locked (``SELECT ... FOR UPDATE``) before any of these comparisons, so concurrent requests on
several core processes see one order.
"""

from __future__ import annotations

import hmac
import uuid
from dataclasses import dataclass
from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.crypto.keyring import KeyRing
from authdeck.core.crypto.tokens import ExpiredTokenError, TokenError, sha256_hex
from authdeck.core.errors import StatusError
from authdeck.core.services.session_tokens import (
    IssuedToken,
    SessionRef,
    check_user_payload,
    mint_access_token,
    mint_refresh_token,
    new_handle,
    read_access_token,
    read_refresh_token,
)
from authdeck.core.storage.queries import session as queries
from authdeck.core.storage.queries.session import StoredSession

SESSION_ENDED = "Either the session has ended or has been blacklisted"
SESSION_MISSING = "Session does not exist."


class UnauthorisedError(StatusError):
    status = "UNAUTHORISED"

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class TryRefreshTokenError(StatusError):
    status = "TRY_REFRESH_TOKEN"

    def __init__(self, message: str) -> None:
        super().__init__(message=message)


class TokenTheftDetectedError(StatusError):
    status = "TOKEN_THEFT_DETECTED"

    def __init__(self, row: StoredSession) -> None:
        super().__init__(session={"handle": row.handle, "userId": row.user_id, "recipeUserId": row.user_id})


@dataclass(frozen=True)
class SessionInfo:
    ref: SessionRef
    payload: dict[str, Any]  # the user's access-token payload


@dataclass(frozen=True)
class NewSession:
    session: SessionInfo
    access_token: IssuedToken
    refresh_token: IssuedToken
    anti_csrf: str | None


@dataclass(frozen=True)
class VerifiedSession:
    session: SessionInfo
    access_token: IssuedToken | None  # a replacement token, when the caller must switch to it


def _same(a: str | None, b: str | None) -> bool:
    return a is not None and b is not None and hmac.compare_digest(a.encode(), b.encode())


def _ref(row: StoredSession) -> SessionRef:
    return SessionRef(row.handle, row.user_id, row.user_id, row.tenant_id)


def _refresh_expiry(ctx: RequestContext, now_ms: int) -> int:
    return now_ms + ctx.app.refresh_token_validity * 60_000


def create(
    ctx: RequestContext,
    *,
    user_id: str,
    jwt_payload: dict[str, Any],
    session_data: dict[str, Any],
    enable_anti_csrf: bool,
    dynamic: bool,
) -> NewSession:
    check_user_payload(jwt_payload)
    now = ctx.now_ms()
    ring = KeyRing(ctx.state, lambda: ctx.conn, ctx.app_id, ctx.app)
    ref = SessionRef(new_handle(ctx.tenant_id), user_id, user_id, ctx.tenant_id)
    anti_csrf = str(uuid.uuid4()) if enable_anti_csrf else None
    refresh = mint_refresh_token(ring.refresh_master_key(now), ctx.app_id, ref, parent_hash1=None, anti_csrf=anti_csrf)
    # Sign before the insert: on SQLite the insert takes the database's write lock until commit.
    access = mint_access_token(
        ring,
        ref,
        refresh_hash1=sha256_hex(refresh),
        parent_hash1=None,
        anti_csrf=anti_csrf,
        payload=jwt_payload,
        dynamic=dynamic,
        now_ms=now,
        validity_s=ctx.app.access_token_validity,
    )
    expires_at = _refresh_expiry(ctx, now)
    queries.insert_session(
        ctx.conn,
        ctx.app_id,
        ctx.tenant_id,
        ref.handle,
        user_id,
        sha256_hex(sha256_hex(refresh)),
        session_data,
        jwt_payload,
        not dynamic,
        now,
        expires_at,
    )
    return NewSession(SessionInfo(ref, jwt_payload), access, IssuedToken(refresh, expires_at, now), anti_csrf)


def verify(
    ctx: RequestContext,
    *,
    access_token: str,
    anti_csrf: str | None,
    do_anti_csrf_check: bool,
    enable_anti_csrf: bool,
    check_database: bool,
) -> VerifiedSession:
    now = ctx.now_ms()
    ring = KeyRing(ctx.state, lambda: ctx.conn, ctx.app_id, ctx.app)
    try:
        claims = read_access_token(ring, access_token, now)
    except ExpiredTokenError as exc:
        raise TryRefreshTokenError("Access token expired") from exc
    except TokenError as exc:
        raise TryRefreshTokenError(str(exc)) from exc
    if enable_anti_csrf and do_anti_csrf_check and not _same(claims.anti_csrf, anti_csrf):
        raise TryRefreshTokenError("anti-csrf check failed")
    unchanged = VerifiedSession(SessionInfo(claims.ref, claims.payload), None)
    if claims.parent_hash1 is None and not check_database:
        return unchanged  # the stateless path: nothing to promote, nothing to look up

    tenant, handle = claims.ref.tenant_id, claims.ref.handle
    row = queries.get_session(ctx.conn, ctx.app_id, tenant, handle, for_update=claims.parent_hash1 is not None)
    if row is None or row.expires_at <= now:
        raise UnauthorisedError(SESSION_ENDED)

    def reissue(parent_hash1: str | None, exp_s: int | None) -> VerifiedSession:
        access = mint_access_token(
            ring,
            claims.ref,
            refresh_hash1=claims.refresh_hash1,
            parent_hash1=parent_hash1,
            anti_csrf=claims.anti_csrf,
            payload=row.jwt_payload,
            dynamic=not row.use_static_key,
            now_ms=now,
            validity_s=ctx.app.access_token_validity,
            exp_s=exp_s,
        )
        return VerifiedSession(SessionInfo(claims.ref, row.jwt_payload), access)

    if claims.parent_hash1 is not None:
        child_hash2 = sha256_hex(claims.refresh_hash1)
        if _same(row.refresh_token_hash_2, sha256_hex(claims.parent_hash1)):
            queries.set_refresh_hash(ctx.conn, ctx.app_id, tenant, handle, child_hash2, _refresh_expiry(ctx, now), now)
            return reissue(None, None)
        if _same(row.refresh_token_hash_2, child_hash2):
            return reissue(None, None)  # promoted already (another tab, another request)
        # A sibling was promoted instead: this token stays valid until it expires, with no new one.
    if check_database and row.jwt_payload != claims.payload:
        return reissue(claims.parent_hash1, claims.exp)
    return unchanged


def refresh(
    ctx: RequestContext, *, refresh_token: str, anti_csrf: str | None, enable_anti_csrf: bool, dynamic: bool
) -> NewSession:
    now = ctx.now_ms()
    ring = KeyRing(ctx.state, lambda: ctx.conn, ctx.app_id, ctx.app)
    master_key = ring.refresh_master_key(now)
    try:
        claims = read_refresh_token(master_key, ctx.app_id, refresh_token)
    except TokenError as exc:
        raise UnauthorisedError("The refresh token is invalid") from exc
    if enable_anti_csrf and claims.anti_csrf is not None and not _same(claims.anti_csrf, anti_csrf):
        raise UnauthorisedError("Anti CSRF token missing, or not matching")

    row = queries.get_session(ctx.conn, ctx.app_id, claims.tenant_id, claims.handle, for_update=True)
    if row is None or row.expires_at <= now or row.user_id != claims.user_id:
        raise UnauthorisedError("Session missing in db or has expired")
    hash1 = sha256_hex(refresh_token)
    expires_at = row.expires_at
    if not _same(row.refresh_token_hash_2, sha256_hex(hash1)):
        if claims.parent_hash1 is None or not _same(row.refresh_token_hash_2, sha256_hex(claims.parent_hash1)):
            raise TokenTheftDetectedError(row)
        expires_at = _refresh_expiry(ctx, now)  # first use of a child: promote it
        queries.set_refresh_hash(ctx.conn, ctx.app_id, row.tenant_id, row.handle, sha256_hex(hash1), expires_at, now)
    if row.use_static_key == dynamic:
        queries.set_use_static_key(ctx.conn, ctx.app_id, row.tenant_id, row.handle, not dynamic, now)

    ref = _ref(row)
    new_anti_csrf = str(uuid.uuid4()) if enable_anti_csrf else None
    child = mint_refresh_token(master_key, ctx.app_id, ref, parent_hash1=hash1, anti_csrf=new_anti_csrf)
    access = mint_access_token(
        ring,
        ref,
        refresh_hash1=sha256_hex(child),
        parent_hash1=hash1,
        anti_csrf=new_anti_csrf,
        payload=row.jwt_payload,
        dynamic=dynamic,
        now_ms=now,
        validity_s=ctx.app.access_token_validity,
    )
    return NewSession(SessionInfo(ref, row.jwt_payload), access, IssuedToken(child, expires_at, now), new_anti_csrf)


def regenerate(ctx: RequestContext, *, access_token: str, jwt_payload: dict[str, Any] | None) -> VerifiedSession:
    """Replace the session's access-token payload; re-sign the token (same expiry) unless it has expired."""
    if jwt_payload is not None:
        check_user_payload(jwt_payload)
    now = ctx.now_ms()
    ring = KeyRing(ctx.state, lambda: ctx.conn, ctx.app_id, ctx.app)
    try:
        # Expired tokens are accepted (their payload is still updated), forged ones are not.
        claims = read_access_token(ring, access_token, now, allow_expired=True)
    except TokenError as exc:
        raise UnauthorisedError(str(exc)) from exc
    tenant, handle = claims.ref.tenant_id, claims.ref.handle
    row = queries.get_session(ctx.conn, ctx.app_id, tenant, handle, for_update=True)
    if row is None or row.expires_at <= now:
        raise UnauthorisedError(SESSION_MISSING)
    payload = row.jwt_payload
    if jwt_payload is not None:
        queries.set_jwt_payload(ctx.conn, ctx.app_id, tenant, handle, jwt_payload, now)
        payload = jwt_payload
    info = SessionInfo(claims.ref, payload)
    if claims.exp * 1000 <= now:
        return VerifiedSession(info, None)
    access = mint_access_token(
        ring,
        claims.ref,
        refresh_hash1=claims.refresh_hash1,
        parent_hash1=claims.parent_hash1,
        anti_csrf=claims.anti_csrf,
        payload=payload,
        dynamic=claims.dynamic,
        now_ms=now,
        validity_s=ctx.app.access_token_validity,
        exp_s=claims.exp,
    )
    return VerifiedSession(info, access)
