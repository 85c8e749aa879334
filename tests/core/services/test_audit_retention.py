"""The audit log keeps entries for ``audit_log_retention_days`` (0: forever); the periodic purge drops older ones."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from authdeck.core import jobs
from authdeck.core.config import CoreSettings, load_settings
from authdeck.core.errors import ConfigError
from authdeck.core.services import audit
from authdeck.core.state import CoreState
from authdeck.core.storage.engine import transaction
from authdeck.core.storage.queries.audit import NewEntry, insert_entry
from tests._harness.core_process import CoreClient, CoreProcess
from tests._harness.ports import wait_until
from tests.conftest import BACKENDS

DAY_MS = 86_400_000
AUDIT = "/recipe/dashboard/audit"


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def entry(at_ms: int, target: str) -> NewEntry:
    return NewEntry(
        time=at_ms,
        actor="admin@example.com",
        actor_ip=None,
        action="user.delete",
        target_type="user",
        target_id=target,
        summary="{}",
        tenant_id=None,
    )


def insert_old(database: str, app_id: str, *entries: NewEntry) -> None:
    """Back-date entries through the storage layer: the API always stamps them with the present."""
    state = CoreState.from_settings(CoreSettings(database=database))
    try:
        with transaction(state.engine, write=True) as conn:
            for e in entries:
                insert_entry(conn, app_id, e)
    finally:
        state.engine.dispose()


def targets(client: CoreClient) -> list[str]:
    return [e["targetId"] for e in client.ok("GET", AUDIT, params={"limit": "500"})["entries"]]


# --- the setting -------------------------------------------------------------------------------------


def test_retention_defaults_to_365_days_and_is_read_from_the_environment() -> None:
    assert CoreSettings().audit_log_retention_days == 365
    settings = load_settings(environ={"AUTHDECK_AUDIT_LOG_RETENTION_DAYS": "30"})
    assert settings.audit_log_retention_days == 30


@pytest.mark.parametrize("raw", ["-1", "36501", "a year", "1.5"])
def test_a_retention_out_of_bounds_or_not_a_whole_number_stops_the_core_with_its_name(raw: str) -> None:
    with pytest.raises(ConfigError, match="audit_log_retention_days"):
        load_settings(environ={"AUTHDECK_AUDIT_LOG_RETENTION_DAYS": raw})


def test_zero_keeps_the_audit_log_forever_so_its_purge_does_not_run() -> None:
    assert audit.PURGE_NAME in dict(jobs.purges(CoreSettings()))
    assert audit.PURGE_NAME not in dict(jobs.purges(CoreSettings(audit_log_retention_days=0)))


# --- the purge, on the test session's core -----------------------------------------------------------


def test_purge_deletes_entries_older_than_the_retention_and_keeps_the_rest(
    core: CoreProcess, app_client: CoreClient
) -> None:
    app_client.ok("POST", AUDIT, json={"actor": "admin@example.com", "action": "user.delete", "targetType": "user",
                                       "targetId": "today"})
    now = now_ms()
    insert_old(core.database, app_client.app_id, entry(now - 400 * DAY_MS, "old"), entry(now - 364 * DAY_MS, "young"))
    assert targets(app_client) == ["today", "young", "old"]

    state = CoreState.from_settings(CoreSettings(database=core.database, audit_log_retention_days=365))
    try:
        done = jobs.purge_once(state, force=True, only={audit.PURGE_NAME})
    finally:
        state.engine.dispose()
    assert list(done) == [audit.PURGE_NAME]
    assert done[audit.PURGE_NAME] >= 1  # other apps on this shared core may hold old entries too
    assert targets(app_client) == ["today", "young"]


def test_purge_with_zero_retention_deletes_nothing(core: CoreProcess, app_client: CoreClient) -> None:
    insert_old(core.database, app_client.app_id, entry(now_ms() - 3650 * DAY_MS, "ancient"))
    state = CoreState.from_settings(CoreSettings(database=core.database, audit_log_retention_days=0))
    try:
        assert jobs.purge_once(state, force=True, only={audit.PURGE_NAME}) == {}
    finally:
        state.engine.dispose()
    assert targets(app_client) == ["ancient"]


# --- a core of its own, purging every second ---------------------------------------------------------


@pytest.fixture
def purging_core(backend_url: str, tmp_path: Path) -> Iterator[CoreProcess]:
    env = {"AUTHDECK_AUDIT_LOG_RETENTION_DAYS": "1", "AUTHDECK_PURGE_INTERVAL": "1"}
    proc = CoreProcess.start(backend_url, tmp_path, env=env)
    try:
        yield proc
    finally:
        proc.stop()


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_a_running_core_purges_entries_past_the_retention_by_itself(purging_core: CoreProcess) -> None:
    now = now_ms()
    insert_old(purging_core.database, "public", entry(now - 2 * DAY_MS, "two-days"), entry(now - 3_600_000, "an-hour"))
    with purging_core.client() as client:
        wait_until(lambda: targets(client) == ["an-hour"], timeout=30, what="the audit purge")
    page = httpx.get(purging_core.url + "/metrics", headers={"api-key": purging_core.api_key or ""}, timeout=10).text
    assert 'authdeck_core_purge_rows_deleted_total{job="audit_log"} 1.0' in page
