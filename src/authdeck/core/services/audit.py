"""The dashboard's audit log: what an entry may say, recording it with the write it describes, and paging.

A write endpoint the dashboard uses takes an optional ``audit`` object (in its JSON body, or in the
``x-authdeck-audit`` header for bodiless requests). Its handler calls ``record_if_asked`` after the write,
so the entry is committed or rolled back together with the write, and a bad object (400) undoes the write.
Entries older than ``audit_log_retention_days`` are deleted by the periodic purge.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from authdeck.core import jobs
from authdeck.core.config import CoreSettings
from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.storage.queries import audit as q
from authdeck.core.storage.queries.audit import Filters, NewEntry

HEADER = "x-authdeck-audit"
PURGE_NAME = "audit_log"
DAY_MS = 86_400_000

ACTIONS = frozenset(
    {
        "user.create",
        "user.delete",
        "user.update",
        "user.password.change",
        "user.email.verify",
        "user.email.unverify",
        "user.email.verification-sent",
        "user.metadata.update",
        "user.sessions.revoke",
        "user.roles.add",
        "user.roles.remove",
        "user.unlink",
        "role.create",
        "role.delete",
        "role.permissions.add",
        "role.permissions.remove",
        "tenant.create",
        "tenant.update",
        "tenant.delete",
    }
)
TARGET_TYPES = ("user", "role", "dashboard-user", "tenant")

ACTOR_MAX_LENGTH = 256
ACTOR_IP_MAX_LENGTH = 64
TARGET_ID_MAX_LENGTH = 255
TENANT_ID_MAX_LENGTH = 64
SUMMARY_MAX_BYTES = 16 * 1024  # a summary says what changed; it is no place for whole documents

_FIELDS = ("actor", "actorIp", "action", "targetType", "targetId", "summary", "tenantId")

Target = tuple[str, str | None]


@dataclass(frozen=True)
class Entry:
    id: int
    time: int
    actor: str
    actor_ip: str | None
    action: str
    target_type: str
    target_id: str | None
    summary: dict[str, Any]
    tenant_id: str | None


@dataclass(frozen=True)
class Page:
    entries: list[Entry]
    next_token: str | None


# --- what an entry may say ---------------------------------------------------------------------------


def _password_key(value: Any) -> str | None:
    """The first key, at any depth, that names a password; None when there is none."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if "password" in key.lower():
                return str(key)
            if (found := _password_key(inner)) is not None:
                return found
    elif isinstance(value, list):
        for inner in value:
            if (found := _password_key(inner)) is not None:
                return found
    return None


def _summary_json(summary: dict[str, Any], name: str) -> str:
    if (key := _password_key(summary)) is not None:
        raise BadRequestError(
            f"Field name '{name}' must not record passwords: remove the key '{key}' (no key may contain \"password\")"
        )
    try:
        text = json.dumps(summary, ensure_ascii=False, separators=(",", ":"))
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as exc:
        raise BadRequestError(f"Field name '{name}' cannot contain unpaired UTF-16 surrogates") from exc
    if size > SUMMARY_MAX_BYTES:
        raise BadRequestError(f"Field name '{name}' is too large: at most {SUMMARY_MAX_BYTES} bytes of JSON")
    return text


def parse_entry(
    raw: Mapping[str, Any], *, prefix: str, default_target: Target | None, default_tenant: str | None, now_ms: int
) -> NewEntry:
    """An entry from ``raw`` (the ``audit`` object, or a whole request body); 400 naming the bad field.

    Field names in messages carry ``prefix`` ("audit." for an object inside a write's body). Without a
    ``targetType``, the entry is about ``default_target``, the thing the write changed.
    """
    for key in raw:
        if key not in _FIELDS:
            raise BadRequestError(f"Field name '{prefix}{key}' is not allowed; an audit entry has {', '.join(_FIELDS)}")
    # Prefixed names make the shared parser's messages point at the right field.
    body = {prefix + key: value for key, value in raw.items()}

    def text(name: str, max_length: int, *, required: bool, trim: bool = True) -> str | None:
        full = prefix + name
        value = _input.string(body, full, trim=trim) if required else _input.optional_string(body, full, trim=trim)
        return None if value is None else _input.fits(value, full, max_length)

    actor = text("actor", ACTOR_MAX_LENGTH, required=True)
    action = text("action", 64, required=True)
    if action not in ACTIONS:
        raise BadRequestError(f"Field name '{prefix}action' must be one of: {', '.join(sorted(ACTIONS))}")
    target_type = text("targetType", 32, required=default_target is None)
    if target_type is not None and target_type not in TARGET_TYPES:
        raise BadRequestError(f"Field name '{prefix}targetType' must be one of: {', '.join(TARGET_TYPES)}")
    target_id = text("targetId", TARGET_ID_MAX_LENGTH, required=False, trim=False)
    if default_target is not None and target_type in (None, default_target[0]):
        target_type = default_target[0]
        if target_id is None:
            target_id = default_target[1]
    summary = _input.obj(body, prefix + "summary", required=False)
    tenant_id = text("tenantId", TENANT_ID_MAX_LENGTH, required=False)
    assert actor is not None and action is not None and target_type is not None  # noqa: S101 - required above
    return NewEntry(
        time=now_ms,
        actor=actor,
        actor_ip=text("actorIp", ACTOR_IP_MAX_LENGTH, required=False),
        action=action,
        target_type=target_type,
        target_id=target_id,
        summary=_summary_json(summary or {}, prefix + "summary"),
        tenant_id=tenant_id if tenant_id is not None else default_tenant,
    )


# --- recording ---------------------------------------------------------------------------------------


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


def _asked(ctx: RequestContext) -> Mapping[str, Any] | None:
    """The request's audit object, from its body or its header; None when it carries none."""
    in_body = _input.obj(ctx.body, "audit", required=False)
    header = ctx.headers.get(HEADER)
    if header is None:
        return in_body
    if in_body is not None:
        raise BadRequestError(f"Send the audit object in the body or in the {HEADER} header, not both")
    try:
        parsed = json.loads(header, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise BadRequestError(f"Header '{HEADER}' must hold a JSON object") from exc
    if not isinstance(parsed, dict):
        raise BadRequestError(f"Header '{HEADER}' must hold a JSON object")
    return parsed


def record_if_asked(ctx: RequestContext, default_target: Target) -> int | None:
    """Record the request's audit object, if it has one, in the request's transaction; the entry's id.

    Call it after the write succeeded. ``default_target`` (type, id) is what the write changed; the
    object may name another target. A bad object raises a 400, which also rolls the write back.
    """
    raw = _asked(ctx)
    if raw is None:
        return None
    entry = parse_entry(
        raw, prefix="audit.", default_target=default_target, default_tenant=ctx.tenant_id, now_ms=ctx.now_ms()
    )
    return q.insert_entry(ctx.conn, ctx.app_id, entry)


def record(ctx: RequestContext, entry: NewEntry) -> int:
    """Record an entry about a change made elsewhere (e.g. an email the SDK sent)."""
    return q.insert_entry(ctx.conn, ctx.app_id, entry)


# --- reading -----------------------------------------------------------------------------------------


def encode_pagination_token(time: int, entry_id: int) -> str:
    return base64.b64encode(f"{time};{entry_id}".encode()).decode("ascii")


def decode_pagination_token(token: str) -> tuple[int, int] | None:
    """(time, id) from a token, or None when it is not one this core could have made."""
    try:
        text = base64.b64decode(token.encode("ascii"), validate=True).decode("ascii")
    except (ValueError, binascii.Error, UnicodeError):
        return None
    parts = text.split(";")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() and len(p) <= 18 for p in parts):
        return None
    return int(parts[0]), int(parts[1])


def page(ctx: RequestContext, filters: Filters, limit: int, cursor: tuple[int, int] | None) -> Page:
    rows = q.page(ctx.conn, ctx.app_id, filters=filters, limit=limit + 1, cursor=cursor)
    entries = [
        Entry(
            id=r.id,
            time=r.time,
            actor=r.actor,
            actor_ip=r.actor_ip,
            action=r.action,
            target_type=r.target_type,
            target_id=r.target_id,
            summary=json.loads(r.summary),
            tenant_id=r.tenant_id,
        )
        for r in rows
    ]
    next_token = None
    if len(entries) > limit:
        extra = entries.pop()
        next_token = encode_pagination_token(extra.time, extra.id)
    return Page(entries, next_token)


# --- retention ---------------------------------------------------------------------------------------


@jobs.register_configured(PURGE_NAME)
def retention_purge(settings: CoreSettings) -> jobs.Purge | None:
    """The purge that deletes entries older than the retention; None when entries are kept forever (0)."""
    days = settings.audit_log_retention_days
    if days == 0:
        return None

    def purge(conn: Connection, now_ms: int) -> int:
        return q.delete_older_than(conn, now_ms - days * DAY_MS)

    return purge
