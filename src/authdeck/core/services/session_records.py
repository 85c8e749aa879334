"""Sessions as records: revoke, list, read and update them by handle or by user.

Handle-based operations take the tenant from the handle's ``_<tenantId>`` suffix. Without account
linking, "the sessions of the linked accounts" of a user are that user's own sessions.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.services.session import SESSION_MISSING, UnauthorisedError
from authdeck.core.services.session_tokens import check_user_payload, tenant_of_handle
from authdeck.core.storage.queries import session as queries


@dataclass(frozen=True)
class SessionRecord:
    handle: str
    user_id: str
    recipe_user_id: str
    tenant_id: str
    session_data: dict[str, Any]
    jwt_payload: dict[str, Any]
    created_at: int
    expires_at: int


def _tenant(handle: str) -> str:
    tenant = tenant_of_handle(handle)
    if tenant is None:
        raise UnauthorisedError(SESSION_MISSING)
    return tenant


def revoke_handles(ctx: RequestContext, handles: Iterable[str]) -> list[str]:
    """Delete the sessions with these handles; the handles that existed, in the order given."""
    by_tenant: dict[str, list[str]] = defaultdict(list)
    ordered = list(dict.fromkeys(handles))
    for handle in ordered:
        tenant = tenant_of_handle(handle)
        if tenant is not None:
            by_tenant[tenant].append(handle)
    revoked: set[str] = set()
    for tenant, group in by_tenant.items():
        revoked.update(queries.delete_handles(ctx.conn, ctx.app_id, tenant, group))
    return [h for h in ordered if h in revoked]


def revoke_user(ctx: RequestContext, user_id: str, *, across_all_tenants: bool) -> list[str]:
    tenant = None if across_all_tenants else ctx.tenant_id
    return queries.delete_sessions_of_user(ctx.conn, ctx.app_id, user_id, tenant)


def handles_of_user(ctx: RequestContext, user_id: str, *, across_all_tenants: bool) -> Sequence[str]:
    tenant = None if across_all_tenants else ctx.tenant_id
    return queries.handles_of_user(ctx.conn, ctx.app_id, user_id, tenant, live_at=ctx.now_ms())


def get(ctx: RequestContext, handle: str) -> SessionRecord:
    tenant = _tenant(handle)
    row = queries.get_session(ctx.conn, ctx.app_id, tenant, handle)
    data = queries.get_session_data(ctx.conn, ctx.app_id, tenant, handle)
    if row is None or data is None or row.expires_at <= ctx.now_ms():
        raise UnauthorisedError(SESSION_MISSING)
    return SessionRecord(
        handle=row.handle,
        user_id=row.user_id,
        recipe_user_id=row.user_id,
        tenant_id=row.tenant_id,
        session_data=data,
        jwt_payload=row.jwt_payload,
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


def update_session_data(ctx: RequestContext, handle: str, data: dict[str, Any]) -> None:
    if not queries.set_session_data(ctx.conn, ctx.app_id, _tenant(handle), handle, data, ctx.now_ms()):
        raise UnauthorisedError(SESSION_MISSING)


def update_jwt_payload(ctx: RequestContext, handle: str, payload: dict[str, Any]) -> None:
    """Change the payload future access tokens of the session carry (existing tokens keep theirs)."""
    check_user_payload(payload)
    if not queries.set_jwt_payload(ctx.conn, ctx.app_id, _tenant(handle), handle, payload, ctx.now_ms()):
        raise UnauthorisedError(SESSION_MISSING)
