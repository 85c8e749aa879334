"""Session endpoints of the CDI (spec §2.2): create, verify, refresh, regenerate, revoke, list, read, update."""

from __future__ import annotations

from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError, ForbiddenError
from authdeck.core.http import _input
from authdeck.core.routing import PUBLIC, Reply, Route
from authdeck.core.services import audit, session, session_records
from authdeck.core.services.session_tokens import IssuedToken

_PUBLIC_ONLY = "Only public tenantId can call this app specific API"


def _session(info: session.SessionInfo) -> dict[str, Any]:
    return {
        "handle": info.ref.handle,
        "userId": info.ref.user_id,
        "recipeUserId": info.ref.recipe_user_id,
        "userDataInJWT": info.payload,
        "tenantId": info.ref.tenant_id,
    }


def _token(token: IssuedToken) -> dict[str, Any]:
    return {"token": token.token, "expiry": token.expiry, "createdTime": token.created_time}


def _new_session(result: session.NewSession) -> dict[str, Any]:
    reply = {
        "status": "OK",
        "session": _session(result.session),
        "accessToken": _token(result.access_token),
        "refreshToken": _token(result.refresh_token),
    }
    if result.anti_csrf is not None:
        reply["antiCsrfToken"] = result.anti_csrf
    return reply


def _verified(result: session.VerifiedSession) -> dict[str, Any]:
    reply: dict[str, Any] = {"status": "OK", "session": _session(result.session)}
    if result.access_token is not None:
        reply["accessToken"] = _token(result.access_token)
    return reply


def _token_field(body: dict[str, Any], name: str) -> str:
    return _input.string(body, name, trim=False)


def create(ctx: RequestContext) -> Reply:
    body = ctx.body
    result = session.create(
        ctx,
        user_id=_input.string(body, "userId", trim=False),
        jwt_payload=_input.obj(body, "userDataInJWT") or {},
        session_data=_input.obj(body, "userDataInDatabase") or {},
        enable_anti_csrf=_input.boolean(body, "enableAntiCsrf"),
        dynamic=_input.boolean(body, "useDynamicSigningKey", default=True),
    )
    return _new_session(result)


def verify(ctx: RequestContext) -> Reply:
    body = ctx.body
    result = session.verify(
        ctx,
        access_token=_token_field(body, "accessToken"),
        anti_csrf=_input.optional_string(body, "antiCsrfToken", trim=False, allow_empty=True),
        do_anti_csrf_check=_input.boolean(body, "doAntiCsrfCheck"),
        enable_anti_csrf=_input.boolean(body, "enableAntiCsrf"),
        check_database=_input.boolean(body, "checkDatabase"),
    )
    return _verified(result)


def refresh(ctx: RequestContext) -> Reply:
    body = ctx.body
    result = session.refresh(
        ctx,
        refresh_token=_token_field(body, "refreshToken"),
        anti_csrf=_input.optional_string(body, "antiCsrfToken", trim=False, allow_empty=True),
        enable_anti_csrf=_input.boolean(body, "enableAntiCsrf"),
        dynamic=_input.boolean(body, "useDynamicSigningKey"),
    )
    return _new_session(result)


def regenerate(ctx: RequestContext) -> Reply:
    body = ctx.body
    result = session.regenerate(
        ctx,
        access_token=_token_field(body, "accessToken"),
        jwt_payload=_input.obj(body, "userDataInJWT", required=False),
    )
    return _verified(result)


def remove(ctx: RequestContext) -> Reply:
    body = ctx.body
    handles = _input.string_list(body, "sessionHandles", required=False)
    user_id = _input.optional_string(body, "userId", trim=False)
    flags = ("revokeAcrossAllTenants", "revokeSessionsForLinkedAccounts")
    if (handles is None) == (user_id is None) or (handles is not None and any(f in body for f in flags)):
        raise BadRequestError(
            "Invalid JSON input - use one of userId or sessionHandles array"
            " (revokeAcrossAllTenants and revokeSessionsForLinkedAccounts go only with userId)"
        )
    if handles is not None:
        revoked = session_records.revoke_handles(ctx, handles)
    else:
        assert user_id is not None  # noqa: S101 - narrowed by the check above
        across = _input.boolean(body, "revokeAcrossAllTenants", default=True)
        _input.boolean(body, "revokeSessionsForLinkedAccounts", default=True)  # no linking: own sessions only
        if across and ctx.tenant_id != PUBLIC:
            raise ForbiddenError(_PUBLIC_ONLY)
        revoked = session_records.revoke_user(ctx, user_id, across_all_tenants=across)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK", "sessionHandlesRevoked": revoked}


def handles_of_user(ctx: RequestContext) -> Reply:
    user_id = _input.query(ctx.query, "userId")
    across = _input.query_bool(ctx.query, "fetchAcrossAllTenants", True)
    _input.query_bool(ctx.query, "fetchSessionsForAllLinkedAccounts", True)  # no linking: own sessions only
    if across and ctx.tenant_id != PUBLIC:
        raise ForbiddenError(_PUBLIC_ONLY)
    handles = session_records.handles_of_user(ctx, user_id, across_all_tenants=across)
    return {"status": "OK", "sessionHandles": list(handles)}


def get_session(ctx: RequestContext) -> Reply:
    record = session_records.get(ctx, _input.query(ctx.query, "sessionHandle"))
    return {
        "status": "OK",
        "sessionHandle": record.handle,
        "userId": record.user_id,
        "recipeUserId": record.recipe_user_id,
        "userDataInDatabase": record.session_data,
        "expiry": record.expires_at,
        "userDataInJWT": record.jwt_payload,
        "timeCreated": record.created_at,
        "tenantId": record.tenant_id,
    }


def update_session_data(ctx: RequestContext) -> Reply:
    handle = _input.string(ctx.body, "sessionHandle", trim=False)
    data = _input.obj(ctx.body, "userDataInDatabase") or {}
    session_records.update_session_data(ctx, handle, data)
    return {"status": "OK"}


def update_jwt_payload(ctx: RequestContext) -> Reply:
    handle = _input.string(ctx.body, "sessionHandle", trim=False)
    payload = _input.obj(ctx.body, "userDataInJWT") or {}
    session_records.update_jwt_payload(ctx, handle, payload)
    return {"status": "OK"}


ROUTES = [
    Route("POST", "/recipe/session", create, scope="tenant"),
    # The tenant comes from the token; upstream tolerates a tenant prefix here below CDI 5.6.
    Route("POST", "/recipe/session/verify", verify, scope="tenant"),
    Route("POST", "/recipe/session/refresh", refresh),
    Route("POST", "/recipe/session/regenerate", regenerate),
    Route("POST", "/recipe/session/remove", remove, scope="tenant"),
    Route("GET", "/recipe/session/user", handles_of_user, scope="tenant"),
    Route("GET", "/recipe/session", get_session),
    Route("PUT", "/recipe/session/data", update_session_data),
    Route("PUT", "/recipe/jwt/data", update_jwt_payload),
]
