"""SQL for sessions: one row per session, keyed by (app, tenant, handle)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Update, bindparam, delete, insert, select, update

from authdeck.core import jobs
from authdeck.core.storage.tables import sessions


@dataclass(frozen=True)
class StoredSession:
    tenant_id: str
    handle: str
    user_id: str
    refresh_token_hash_2: str
    jwt_payload: dict[str, Any]
    use_static_key: bool
    created_at: int
    expires_at: int


def _dumps(value: dict[str, Any]) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


# Hot-path statements are built once: constructing them per call costs more than running them.
_INSERT = insert(sessions)


def insert_session(
    conn: Connection,
    app_id: str,
    tenant_id: str,
    handle: str,
    user_id: str,
    refresh_token_hash_2: str,
    session_data: dict[str, Any],
    jwt_payload: dict[str, Any],
    use_static_key: bool,
    created_at: int,
    expires_at: int,
) -> None:
    conn.execute(
        _INSERT,
        {
            "app_id": app_id,
            "tenant_id": tenant_id,
            "session_handle": handle,
            "user_id": user_id,
            "refresh_token_hash_2": refresh_token_hash_2,
            "session_data": _dumps(session_data),
            "jwt_user_payload": _dumps(jwt_payload),
            "use_static_key": use_static_key,
            "created_at": created_at,
            "expires_at": expires_at,
        },
    )


_COLUMNS = (
    sessions.c.tenant_id,
    sessions.c.session_handle,
    sessions.c.user_id,
    sessions.c.refresh_token_hash_2,
    sessions.c.jwt_user_payload,
    sessions.c.use_static_key,
    sessions.c.created_at,
    sessions.c.expires_at,
)


def _key(app_id: str, tenant_id: str, handle: str) -> tuple[Any, ...]:
    return (sessions.c.app_id == app_id, sessions.c.tenant_id == tenant_id, sessions.c.session_handle == handle)


_BY_KEY = (
    sessions.c.app_id == bindparam("a"),
    sessions.c.tenant_id == bindparam("t"),
    sessions.c.session_handle == bindparam("h"),
)
_SELECT = select(*_COLUMNS).where(*_BY_KEY)
_SELECT_FOR_UPDATE = _SELECT.with_for_update()


def get_session(
    conn: Connection, app_id: str, tenant_id: str, handle: str, *, for_update: bool = False
) -> StoredSession | None:
    """The session row; ``for_update`` locks it until the transaction ends (refresh and promotion)."""
    query = _SELECT_FOR_UPDATE if for_update else _SELECT
    row = conn.execute(query, {"a": app_id, "t": tenant_id, "h": handle}).first()
    if row is None:
        return None
    return StoredSession(
        tenant_id=row.tenant_id,
        handle=row.session_handle,
        user_id=row.user_id,
        refresh_token_hash_2=row.refresh_token_hash_2,
        jwt_payload=json.loads(row.jwt_user_payload),
        use_static_key=bool(row.use_static_key),
        created_at=row.created_at,
        expires_at=row.expires_at,
    )


_SELECT_DATA = select(sessions.c.session_data).where(*_BY_KEY)
# Statements are built once per set of updated columns: building one costs far more than running it.
_UPDATES: dict[tuple[str, ...], Update] = {}


def get_session_data(conn: Connection, app_id: str, tenant_id: str, handle: str) -> dict[str, Any] | None:
    text = conn.execute(_SELECT_DATA, {"a": app_id, "t": tenant_id, "h": handle}).scalar()
    if text is None:
        return None
    data: dict[str, Any] = json.loads(text)
    return data


def _update(conn: Connection, app_id: str, tenant_id: str, handle: str, now_ms: int, **values: Any) -> bool:
    """Update a live session; False when there is none (or it has expired)."""
    columns = tuple(sorted(values))
    statement = _UPDATES.get(columns)
    if statement is None:
        statement = (
            update(sessions)
            .where(*_BY_KEY, sessions.c.expires_at > bindparam("now"))
            .values({c: bindparam(f"v_{c}") for c in columns})
        )
        _UPDATES[columns] = statement
    params = {"a": app_id, "t": tenant_id, "h": handle, "now": now_ms, **{f"v_{c}": v for c, v in values.items()}}
    return bool(conn.execute(statement, params).rowcount)


def set_refresh_hash(
    conn: Connection, app_id: str, tenant_id: str, handle: str, refresh_token_hash_2: str, expires_at: int, now_ms: int
) -> bool:
    return _update(
        conn, app_id, tenant_id, handle, now_ms, refresh_token_hash_2=refresh_token_hash_2, expires_at=expires_at
    )


def set_use_static_key(
    conn: Connection, app_id: str, tenant_id: str, handle: str, use_static_key: bool, now_ms: int
) -> bool:
    return _update(conn, app_id, tenant_id, handle, now_ms, use_static_key=use_static_key)


def set_jwt_payload(
    conn: Connection, app_id: str, tenant_id: str, handle: str, payload: dict[str, Any], now_ms: int
) -> bool:
    return _update(conn, app_id, tenant_id, handle, now_ms, jwt_user_payload=_dumps(payload))


def set_session_data(
    conn: Connection, app_id: str, tenant_id: str, handle: str, data: dict[str, Any], now_ms: int
) -> bool:
    return _update(conn, app_id, tenant_id, handle, now_ms, session_data=_dumps(data))


def delete_handles(conn: Connection, app_id: str, tenant_id: str, handles: Iterable[str]) -> list[str]:
    """Delete these sessions of one tenant; the handles that existed."""
    wanted = list(dict.fromkeys(handles))
    query = (
        delete(sessions)
        .where(sessions.c.app_id == app_id, sessions.c.tenant_id == tenant_id, sessions.c.session_handle.in_(wanted))
        .returning(sessions.c.session_handle)
    )
    return list(conn.execute(query).scalars())


def handles_of_user(
    conn: Connection, app_id: str, user_id: str, tenant_id: str | None, *, live_at: int | None = None
) -> Sequence[str]:
    """Handles of ``user_id``'s sessions, in one tenant or (``tenant_id=None``) all; ``live_at`` drops expired."""
    query = select(sessions.c.session_handle).where(sessions.c.app_id == app_id, sessions.c.user_id == user_id)
    if tenant_id is not None:
        query = query.where(sessions.c.tenant_id == tenant_id)
    if live_at is not None:
        query = query.where(sessions.c.expires_at > live_at)
    return list(conn.execute(query.order_by(sessions.c.created_at, sessions.c.session_handle)).scalars())


def delete_sessions_of_user(conn: Connection, app_id: str, user_id: str, tenant_id: str | None) -> list[str]:
    """Delete ``user_id``'s sessions in one tenant or all; the handles deleted."""
    query = delete(sessions).where(sessions.c.app_id == app_id, sessions.c.user_id == user_id)
    if tenant_id is not None:
        query = query.where(sessions.c.tenant_id == tenant_id)
    return list(conn.execute(query.returning(sessions.c.session_handle)).scalars())


jobs.register("sessions")(jobs.delete_expired(sessions, "expires_at"))
