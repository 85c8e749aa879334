"""SQL for dashboard users, dashboard sessions and the dashboard sign-in failure counter."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from authdeck.core.storage.tables import dashboard_sessions, dashboard_signin_failures, dashboard_users

U = dashboard_users.c
S = dashboard_sessions.c
F = dashboard_signin_failures.c


# --- users -------------------------------------------------------------------------------------------


def insert_user(conn: Connection, app_id: str, user_id: str, email: str, password_hash: str, now_ms: int) -> None:
    """Raises IntegrityError when the email is taken (UNIQUE(app_id, email))."""
    conn.execute(
        insert(dashboard_users).values(
            app_id=app_id, user_id=user_id, email=email, password_hash=password_hash, time_joined=now_ms
        )
    )


def user_by_id(
    conn: Connection, app_id: str, user_id: str, *, for_update: bool = False
) -> Row[str, str, str, int] | None:
    query = select(U.user_id, U.email, U.password_hash, U.time_joined).where(U.app_id == app_id, U.user_id == user_id)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).first()


def user_by_email(
    conn: Connection, app_id: str, email: str, *, for_update: bool = False
) -> Row[str, str, str, int] | None:
    query = select(U.user_id, U.email, U.password_hash, U.time_joined).where(U.app_id == app_id, U.email == email)
    if for_update:
        query = query.with_for_update()
    return conn.execute(query).first()


def update_user(
    conn: Connection, app_id: str, user_id: str, *, email: str | None = None, password_hash: str | None = None
) -> None:
    """Raises IntegrityError when ``email`` belongs to another dashboard user."""
    values: dict[str, str] = {}
    if email is not None:
        values["email"] = email
    if password_hash is not None:
        values["password_hash"] = password_hash
    if values:
        conn.execute(update(dashboard_users).where(U.app_id == app_id, U.user_id == user_id).values(**values))


def delete_user(conn: Connection, app_id: str, user_id: str) -> bool:
    conn.execute(delete(dashboard_sessions).where(S.app_id == app_id, S.user_id == user_id))
    result = conn.execute(delete(dashboard_users).where(U.app_id == app_id, U.user_id == user_id))
    return bool(result.rowcount)


def list_users(conn: Connection, app_id: str) -> Sequence[Row[str, str, int]]:
    query = (
        select(U.email, U.user_id, U.time_joined)
        .where(U.app_id == app_id)
        .order_by(U.time_joined.asc(), U.user_id.asc())
    )
    return conn.execute(query).all()


# --- sessions ----------------------------------------------------------------------------------------


def insert_session(conn: Connection, app_id: str, session_hash: str, user_id: str, now_ms: int, expiry_ms: int) -> None:
    conn.execute(
        insert(dashboard_sessions).values(
            app_id=app_id,
            session_hash=session_hash,
            user_id=user_id,
            time_created=now_ms,
            last_active=now_ms,
            expiry=expiry_ms,
        )
    )


def session_with_email(conn: Connection, app_id: str, session_hash: str) -> Row[int, int, str] | None:
    query = (
        select(S.last_active, S.expiry, U.email)
        .select_from(dashboard_sessions.join(dashboard_users, (U.app_id == S.app_id) & (U.user_id == S.user_id)))
        .where(S.app_id == app_id, S.session_hash == session_hash)
    )
    return conn.execute(query).first()


def touch_session(conn: Connection, app_id: str, session_hash: str, now_ms: int) -> None:
    conn.execute(
        update(dashboard_sessions).where(S.app_id == app_id, S.session_hash == session_hash).values(last_active=now_ms)
    )


def delete_session(conn: Connection, app_id: str, session_hash: str) -> bool:
    result = conn.execute(delete(dashboard_sessions).where(S.app_id == app_id, S.session_hash == session_hash))
    return bool(result.rowcount)


def delete_user_sessions(conn: Connection, app_id: str, user_id: str) -> int:
    result = conn.execute(delete(dashboard_sessions).where(S.app_id == app_id, S.user_id == user_id))
    return int(result.rowcount)


def user_sessions(conn: Connection, app_id: str, user_id: str) -> Sequence[Row[str, int, int, int]]:
    query = (
        select(S.session_hash, S.time_created, S.last_active, S.expiry)
        .where(S.app_id == app_id, S.user_id == user_id)
        .order_by(S.time_created.asc(), S.session_hash.asc())
    )
    return conn.execute(query).all()


def purge_expired_sessions(conn: Connection, now_ms: int) -> int:
    return int(conn.execute(delete(dashboard_sessions).where(S.expiry < now_ms)).rowcount)


# --- sign-in failures ----------------------------------------------------------------------------------
# The service keeps a counter as one JSON document, {"failures": [ms, ...], "lockedUntil": ms}; here it is
# split into the table's columns, so that stale rows can be found by ``updated_at`` and read by people.


def _document(failures: str, locked_until: int) -> str:
    try:
        times = json.loads(failures)
    except ValueError:
        times = []  # an unreadable list must not lock anyone out, nor break sign-in
    return json.dumps({"failures": times if isinstance(times, list) else [], "lockedUntil": locked_until})


def _columns(document: str) -> dict[str, Any]:
    data = json.loads(document)
    return {"failures": json.dumps(data.get("failures", [])), "locked_until": int(data.get("lockedUntil", 0))}


def peek_failures(conn: Connection, app_id: str, key: str) -> str | None:
    """The counter for ``key`` (the email's SHA-256), without locking."""
    row = conn.execute(select(F.failures, F.locked_until).where(F.app_id == app_id, F.email_hash == key)).first()
    return None if row is None else _document(row.failures, row.locked_until)


def lock_failures(conn: Connection, app_id: str, key: str, empty: str, now_ms: int) -> str:
    """The counter for ``key``, its row locked until the transaction ends; created as ``empty`` if absent.

    Creating the row when absent gives concurrent sign-ins for one email a row to queue on, so no failure
    is lost between two processes.
    """
    query = select(F.failures, F.locked_until).where(F.app_id == app_id, F.email_hash == key).with_for_update()
    row = conn.execute(query).first()
    if row is not None:
        return _document(row.failures, row.locked_until)
    nested = conn.begin_nested()
    try:
        values = {"app_id": app_id, "email_hash": key, "updated_at": now_ms, **_columns(empty)}
        conn.execute(insert(dashboard_signin_failures).values(**values))
        nested.commit()
        return empty
    except IntegrityError:
        nested.rollback()  # another process created it meanwhile: wait for its lock, then read
    row = conn.execute(query).one()
    return _document(row.failures, row.locked_until)


def write_failures(conn: Connection, app_id: str, key: str, value: str, now_ms: int) -> None:
    """Store ``value`` in the row that ``lock_failures`` locked."""
    conn.execute(
        update(dashboard_signin_failures)
        .where(F.app_id == app_id, F.email_hash == key)
        .values(updated_at=now_ms, **_columns(value))
    )


def clear_failures(conn: Connection, app_id: str, key: str) -> None:
    conn.execute(delete(dashboard_signin_failures).where(F.app_id == app_id, F.email_hash == key))


def purge_failures(conn: Connection, written_before_ms: int) -> int:
    query = delete(dashboard_signin_failures).where(F.updated_at < written_before_ms)
    return int(conn.execute(query).rowcount)
