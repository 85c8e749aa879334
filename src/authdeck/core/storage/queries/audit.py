"""SQL for the dashboard's audit log: append an entry, read pages of entries newest first, drop old ones."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

from sqlalchemy import Connection, Row, delete, insert, select, tuple_

from authdeck.core.storage.tables import apps, audit_log

A = audit_log.c


@dataclass(frozen=True)
class NewEntry:
    time: int
    actor: str
    actor_ip: str | None
    action: str
    target_type: str
    target_id: str | None
    summary: str  # JSON object
    tenant_id: str | None


@dataclass(frozen=True)
class Filters:
    """Exact matches; None means any."""

    actor: str | None = None
    target_id: str | None = None
    action: str | None = None


def insert_entry(conn: Connection, app_id: str, entry: NewEntry) -> int:
    """Append ``entry``; its id."""
    query = insert(audit_log).values(app_id=app_id, **asdict(entry)).returning(A.id)
    return int(conn.execute(query).scalar_one())


def page(
    conn: Connection, app_id: str, *, filters: Filters, limit: int, cursor: tuple[int, int] | None
) -> Sequence[Row[int, int, str, str | None, str, str, str | None, str, str | None]]:
    """Up to ``limit`` entries ordered by (time DESC, id DESC), from ``cursor`` (time, id) on, included.

    Each filter has an index led by (app_id, <filter>, time, id), so the page is one range scan of it.
    With several filters the planner picks one of them and checks the others on the rows it reads.
    """
    query = select(
        A.id, A.time, A.actor, A.actor_ip, A.action, A.target_type, A.target_id, A.summary, A.tenant_id
    ).where(A.app_id == app_id)
    if filters.actor is not None:
        query = query.where(A.actor == filters.actor)
    if filters.target_id is not None:
        query = query.where(A.target_id == filters.target_id)
    if filters.action is not None:
        query = query.where(A.action == filters.action)
    if cursor is not None:
        query = query.where(tuple_(A.time, A.id) <= tuple_(*cursor))
    return conn.execute(query.order_by(A.time.desc(), A.id.desc()).limit(limit)).all()


def delete_older_than(conn: Connection, cutoff_ms: int) -> int:
    """Delete every entry, of every app, recorded before ``cutoff_ms``; how many.

    One delete per app, so that each is a range scan of the (app_id, time, id) index rather than a scan
    of the whole log.
    """
    deleted = 0
    for app_id in conn.execute(select(apps.c.app_id)).scalars().all():
        deleted += conn.execute(delete(audit_log).where(A.app_id == app_id, A.time < cutoff_ms)).rowcount
    return deleted
