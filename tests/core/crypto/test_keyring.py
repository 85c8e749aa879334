"""The stored keys of an app: creation once, rotation on schedule, caches that never outlive storage.

Each ``CoreState`` here stands for one core process; two of them on one database behave like two cores.
Time is an argument of the key ring, so rotation is tested at chosen instants without waiting.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select

from authdeck.core.config import AppSettings, CoreSettings
from authdeck.core.crypto import keyring
from authdeck.core.crypto.keyring import KeyRing
from authdeck.core.crypto.keys import OVERLAP_MS
from authdeck.core.state import CoreState
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import transaction
from authdeck.core.storage.tables import key_value, signing_keys, static_signing_keys
from tests.conftest import BACKENDS

HOUR = 3_600_000
SETTINGS = AppSettings(access_token_validity=3600, access_token_dynamic_signing_key_update_interval=1)
T0 = time.time_ns() // 1_000_000


def _state(url: str) -> CoreState:
    return CoreState.from_settings(CoreSettings(database=url))


@pytest.fixture
def states(backend_url: str) -> Iterator[tuple[CoreState, CoreState]]:
    first, second = _state(backend_url), _state(backend_url)
    migrate.upgrade(first.engine)
    with transaction(first.engine, write=True) as conn:
        migrate.ensure_public_app(conn)
    try:
        yield first, second
    finally:
        first.engine.dispose()
        second.engine.dispose()


def _sign_kid(state: CoreState, now: int, *, dynamic: bool = True) -> str:
    with transaction(state.engine, write=True) as conn:
        return KeyRing(state, conn, "public", SETTINGS).signing_key(dynamic=dynamic, now_ms=now).kid


def _count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())  # type: ignore[arg-type]


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_first_use_creates_one_dynamic_key_that_later_requests_reuse(states: tuple[CoreState, CoreState]) -> None:
    first, second = states
    kid = _sign_kid(first, T0)
    assert kid == f"d-{T0}"
    assert _sign_kid(first, T0 + 1000) == kid
    assert _sign_kid(second, T0 + 2000) == kid  # another process finds it in storage
    assert _count(first.engine, signing_keys) == 1


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_rotation_adds_a_key_and_the_previous_one_signs_through_the_overlap(
    states: tuple[CoreState, CoreState],
) -> None:
    first, second = states
    old = _sign_kid(first, T0)
    due = T0 + HOUR - OVERLAP_MS
    assert _sign_kid(first, due - 1) == old
    assert _sign_kid(first, due) == old  # the new key now exists, but JWKS caches need a minute
    assert _count(first.engine, signing_keys) == 2
    assert _sign_kid(second, due + 10) == old
    assert _sign_kid(second, due + OVERLAP_MS) == f"d-{due}"
    assert _sign_kid(first, due + OVERLAP_MS) == f"d-{due}"

    with transaction(first.engine, write=True) as conn:
        published, max_age = KeyRing(first, conn, "public", SETTINGS).published(due + OVERLAP_MS)
    assert [k.kid for k in published] == [f"d-{due}", old]
    assert max_age == (HOUR - 2 * OVERLAP_MS) // 1000


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_a_process_with_a_cached_old_key_accepts_tokens_of_a_newer_key(
    states: tuple[CoreState, CoreState],
) -> None:
    first, second = states
    _sign_kid(first, T0)
    _sign_kid(second, T0)  # second caches the first key
    due = T0 + HOUR - OVERLAP_MS
    new_kid = _sign_kid(first, due + OVERLAP_MS)  # first rotates (and, after the overlap, signs with it)
    assert new_kid != f"d-{T0}"
    with transaction(second.engine, write=True) as conn:
        ring = KeyRing(second, conn, "public", SETTINGS)
        found = ring.verification_key(new_kid, due + OVERLAP_MS)
        assert found is not None and found.kid == new_kid
        assert ring.verification_key("d-1", due) is None  # older than anything stored: refused unread
        assert ring.verification_key("x-1", due) is None


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_keys_past_their_window_are_purged_but_the_newest_stays(states: tuple[CoreState, CoreState]) -> None:
    first, _ = states
    window = HOUR + 2 * 3600 * 1000
    _sign_kid(first, T0)
    _sign_kid(first, T0 + HOUR)  # second key
    later = T0 + HOUR + window + 1
    with transaction(first.engine, write=True) as conn:
        assert KeyRing(first, conn, "public", SETTINGS).verification_key(f"d-{T0}", later) is None
    # The purge job uses the app's coreConfig over the built-in defaults (168 h); this app has none.
    with transaction(first.engine, write=True) as conn:
        assert keyring.purge_signing_keys(conn, later) == 0
        assert keyring.purge_signing_keys(conn, T0 + 200 * HOUR) == 1
        assert keyring.purge_signing_keys(conn, T0 + 10_000 * HOUR) == 0  # never the newest
    assert _count(first.engine, signing_keys) == 1


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_rotation_deletes_keys_past_their_window(states: tuple[CoreState, CoreState]) -> None:
    first, _ = states
    _sign_kid(first, T0)
    _sign_kid(first, T0 + HOUR)
    _sign_kid(first, T0 + 10 * HOUR)  # both older keys are far past the 3 h window
    assert _count(first.engine, signing_keys) == 1


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_key_created_in_a_rolled_back_transaction_is_not_used_afterwards(
    states: tuple[CoreState, CoreState],
) -> None:
    first, _ = states
    with pytest.raises(RuntimeError), transaction(first.engine, write=True) as conn:
        KeyRing(first, conn, "public", SETTINGS).signing_key(dynamic=True, now_ms=T0)
        raise RuntimeError("the request failed")
    assert _count(first.engine, signing_keys) == 0
    kid = _sign_kid(first, T0 + 5)
    assert kid == f"d-{T0 + 5}"
    assert _count(first.engine, signing_keys) == 1


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_static_key_is_created_once_and_shared(states: tuple[CoreState, CoreState]) -> None:
    first, second = states
    kid = _sign_kid(first, T0, dynamic=False)
    assert kid.startswith("s-")
    assert _sign_kid(second, T0 + 10**9, dynamic=False) == kid
    assert _count(first.engine, static_signing_keys) == 1
    assert _count(first.engine, signing_keys) == 0


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_refresh_master_key_is_created_once_and_shared(states: tuple[CoreState, CoreState]) -> None:
    first, second = states
    with transaction(first.engine, write=True) as conn:
        key = KeyRing(first, conn, "public", SETTINGS).refresh_master_key(T0)
    with transaction(second.engine, write=True) as conn:
        assert KeyRing(second, conn, "public", SETTINGS).refresh_master_key(T0) == key
    assert len(key) == 32
    assert _count(first.engine, key_value) == 1
