"""The periodic purge removes expired sessions and old signing keys, and nothing that is still live."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select

import authdeck.core.app  # noqa: F401 - registers every recipe's purges, as a running core does
from authdeck.core import jobs
from authdeck.core.config import CoreSettings
from authdeck.core.state import CoreState
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import transaction
from authdeck.core.storage.queries import session as queries
from authdeck.core.storage.tables import sessions
from tests.conftest import BACKENDS


@pytest.fixture
def state(backend_url: str) -> Iterator[CoreState]:
    state = CoreState.from_settings(CoreSettings(database=backend_url))
    migrate.upgrade(state.engine)
    with transaction(state.engine, write=True) as conn:
        migrate.ensure_public_app(conn)
    try:
        yield state
    finally:
        state.engine.dispose()


def test_session_and_signing_key_purges_are_registered() -> None:
    names = [name for name, _ in jobs.PURGES]
    assert "sessions" in names
    assert "signing_keys" in names


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_purge_deletes_expired_sessions_only(state: CoreState) -> None:
    now = time.time_ns() // 1_000_000
    with transaction(state.engine, write=True) as conn:
        for handle, expires_at in (("old", now - 1000), ("live", now + 60_000)):
            queries.insert_session(
                conn, "public", "public", handle, "u1", "h" * 64, {}, {}, False, now - 5000, expires_at
            )
    done = jobs.purge_once(state, force=True)
    assert done["sessions"] == 1
    with state.engine.connect() as conn:
        assert list(conn.execute(select(sessions.c.session_handle)).scalars()) == ["live"]
