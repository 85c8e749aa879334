"""SQL for user metadata: one JSON text row per (app, user)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from authdeck.core.storage.engine import is_unique_violation
from authdeck.core.storage.tables import user_metadata as t


def get(conn: Connection, app_id: str, user_id: str, *, lock: bool = False) -> str | None:
    """The stored JSON text, or None; ``lock`` holds the row (FOR UPDATE) until the transaction ends."""
    query = select(t.c.metadata).where(t.c.app_id == app_id, t.c.user_id == user_id)
    if lock:
        query = query.with_for_update()
    value: str | None = conn.execute(query).scalar_one_or_none()
    return value


def get_many(conn: Connection, app_id: str, user_ids: Iterable[str]) -> dict[str, str]:
    """Stored JSON text by user id, for those of ``user_ids`` that have any; one query."""
    ids = list(set(user_ids))
    if not ids:
        return {}
    rows = conn.execute(select(t.c.user_id, t.c.metadata).where(t.c.app_id == app_id, t.c.user_id.in_(ids)))
    return {row.user_id: row.metadata for row in rows}


def try_insert(conn: Connection, app_id: str, user_id: str, value: str) -> bool:
    """Insert the user's row; False (and nothing written) when a row exists already, e.g. a concurrent insert."""
    savepoint = conn.begin_nested()
    try:
        conn.execute(insert(t).values(app_id=app_id, user_id=user_id, metadata=value))
    except IntegrityError as exc:
        savepoint.rollback()
        if is_unique_violation(exc):
            return False
        raise
    savepoint.commit()
    return True


def replace(conn: Connection, app_id: str, user_id: str, value: str) -> None:
    conn.execute(update(t).where(t.c.app_id == app_id, t.c.user_id == user_id).values(metadata=value))


def delete_user(conn: Connection, app_id: str, user_id: str) -> bool:
    """Delete the user's metadata; True when there was any."""
    result = conn.execute(delete(t).where(t.c.app_id == app_id, t.c.user_id == user_id))
    return bool(result.rowcount)
