"""Periodic housekeeping inside the core: purge expired sessions, tokens, old signing keys and audit entries.

Several cores may share a database; a lease row makes one of them purge per interval. Purges are
idempotent deletes, so even an overlap would be harmless.
"""

from __future__ import annotations

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable, Collection

import anyio
import anyio.to_thread
from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from authdeck.core import metrics
from authdeck.core.config import CoreSettings
from authdeck.core.state import CoreState
from authdeck.core.storage.engine import transaction
from authdeck.core.storage.tables import job_leases

log = logging.getLogger("authdeck.core.jobs")

Purge = Callable[[Connection, int], int]
# Recipes register their purge functions here: (name, fn(conn, now_ms) -> rows deleted).
PURGES: list[tuple[str, Purge]] = []
# Purges that depend on the process's settings: (name, make(settings) -> the purge, or None for nothing to do).
MakePurge = Callable[[CoreSettings], Purge | None]
CONFIGURED_PURGES: list[tuple[str, MakePurge]] = []

_HOLDER = f"{socket.gethostname()[:40]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def register(name: str) -> Callable[[Purge], Purge]:
    def decorate(fn: Purge) -> Purge:
        PURGES.append((name, fn))
        return fn

    return decorate


def register_configured(name: str) -> Callable[[MakePurge], MakePurge]:
    """Register ``make(settings)``, which returns the purge for these settings (None when it is switched off)."""

    def decorate(make: MakePurge) -> MakePurge:
        CONFIGURED_PURGES.append((name, make))
        return make

    return decorate


def purges(settings: CoreSettings) -> list[tuple[str, Purge]]:
    """Every purge that runs with ``settings``, in registration order (plain ones first)."""
    configured = [(name, fn) for name, make in CONFIGURED_PURGES if (fn := make(settings)) is not None]
    return [*PURGES, *configured]


def _take_lease(conn: Connection, name: str, now_ms: int, lease_ms: int) -> bool:
    row = conn.execute(select(job_leases).where(job_leases.c.name == name).with_for_update()).first()
    if row is None:
        nested = conn.begin_nested()
        try:
            conn.execute(insert(job_leases).values(name=name, holder=_HOLDER, expires_at=now_ms + lease_ms, runs=1))
            nested.commit()
            return True
        except IntegrityError:
            nested.rollback()
            return False
    if row.expires_at > now_ms and row.holder != _HOLDER:
        return False
    conn.execute(
        update(job_leases)
        .where(job_leases.c.name == name)
        .values(holder=_HOLDER, expires_at=now_ms + lease_ms, runs=job_leases.c.runs + 1)
    )
    return True


def purge_once(state: CoreState, *, force: bool = False, only: Collection[str] | None = None) -> dict[str, int]:
    """Run every purge if this process holds the lease (or ``force``); rows deleted per purge.

    ``only`` limits the run to the purges of those names. Each purge is its own transaction, and one that
    fails is logged and counted without stopping the others; it is left out of the result.
    """
    now_ms = time.time_ns() // 1_000_000
    lease_ms = max(state.settings.purge_interval * 1000 - 1000, 1000)
    with transaction(state.engine, write=True) as conn:
        if not force and not _take_lease(conn, "purge", now_ms, lease_ms):
            return {}
    done: dict[str, int] = {}
    for name, fn in purges(state.settings):
        if only is not None and name not in only:
            continue
        try:
            with transaction(state.engine, write=True) as conn:
                done[name] = fn(conn, now_ms)
        except Exception:  # one broken purge must not keep the others from running
            log.exception("purge %s failed", name)
            metrics.observe_purge_failure(name)
            continue
        metrics.observe_purge(name, done[name])
    return done


async def run_periodically(state: CoreState) -> None:
    while True:
        try:
            done = await anyio.to_thread.run_sync(purge_once, state)
            if any(done.values()):
                log.info("purged %s", ", ".join(f"{n}={c}" for n, c in done.items() if c))
        except Exception:  # a failed purge must not stop the core; try again next interval
            log.exception("purge failed")
        await anyio.sleep(state.settings.purge_interval)


def delete_expired(table: Table, column: str) -> Purge:
    """A purge that deletes the rows of ``table`` whose ``column`` (ms) is in the past."""

    def purge(conn: Connection, now_ms: int) -> int:
        return int(conn.execute(delete(table).where(table.c[column] < now_ms)).rowcount)

    return purge
