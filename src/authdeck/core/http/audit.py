"""Audit log endpoints (an authdeck addition to the CDI, rid ``dashboard``, app-scoped, API key required).

``POST /recipe/dashboard/audit`` records an entry about a change the core did not make itself, such as an
email the SDK sent; ``GET /recipe/dashboard/audit`` pages through the log, newest first. Writes the core
makes take their entry as an ``audit`` object instead (see ``authdeck.core.services.audit``).
"""

from __future__ import annotations

from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import Reply, Route
from authdeck.core.services import audit
from authdeck.core.storage.queries.audit import Filters

DEFAULT_LIMIT = 50
MAX_LIMIT = 500


def _entry_json(entry: audit.Entry) -> dict[str, Any]:
    return {
        "id": entry.id,
        "time": entry.time,
        "actor": entry.actor,
        "actorIp": entry.actor_ip,
        "action": entry.action,
        "targetType": entry.target_type,
        "targetId": entry.target_id,
        "summary": entry.summary,
        "tenantId": entry.tenant_id,
    }


def _limit(ctx: RequestContext) -> int:
    raw = ctx.query.get("limit", "").strip()
    if not raw:
        return DEFAULT_LIMIT
    digits = raw.removeprefix("-").removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        raise BadRequestError("Field name 'limit' must be an int in the GET request")
    value = int(raw)
    if value < 1:
        raise BadRequestError("limit must a positive integer with min value 1")
    if value > MAX_LIMIT:
        raise BadRequestError(f"max limit allowed is {MAX_LIMIT}")
    return value


def _filter(ctx: RequestContext, name: str) -> str | None:
    """An exact-match filter; absent or empty means none."""
    return _input.query(ctx.query, name) if ctx.query.get(name) else None


def add_entry(ctx: RequestContext) -> Reply:
    entry = audit.parse_entry(ctx.body, prefix="", default_target=None, default_tenant=None, now_ms=ctx.now_ms())
    return {"status": "OK", "id": audit.record(ctx, entry)}


def list_entries(ctx: RequestContext) -> Reply:
    limit = _limit(ctx)
    filters = Filters(actor=_filter(ctx, "actor"), target_id=_filter(ctx, "targetId"), action=_filter(ctx, "action"))
    if filters.action is not None and filters.action not in audit.ACTIONS:
        raise BadRequestError(f"Unknown action '{filters.action}'; actions are: {', '.join(sorted(audit.ACTIONS))}")
    cursor = None
    if token := ctx.query.get("paginationToken"):
        cursor = audit.decode_pagination_token(token)
        if cursor is None:
            raise BadRequestError("invalid pagination token")
    found = audit.page(ctx, filters, limit, cursor)
    reply: dict[str, Any] = {"status": "OK", "entries": [_entry_json(e) for e in found.entries]}
    if found.next_token is not None:
        reply["nextPaginationToken"] = found.next_token
    return reply


ROUTES = [
    Route("POST", "/recipe/dashboard/audit", add_entry),
    Route("GET", "/recipe/dashboard/audit", list_entries),
]
