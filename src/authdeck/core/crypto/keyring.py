"""The keys of each app as stored: signing keys and the refresh-token master key, cached per process.

Keys are read and created in the request's own transaction. Creation is race-safe across core processes:
a dynamic key is added under a lock on the app's row (SQLite: its write lock) after re-reading; static
keys and the master key rely on unique constraints and re-read on conflict. Parsed keys are cached per
process; a key created by the current request is cached only once a later request reads it back, because
the request may still roll back. Routes that use a ``KeyRing`` must be write routes (SQLite locking).
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey
from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from authdeck.core import jobs
from authdeck.core.config import AppSettings
from authdeck.core.crypto.keys import (
    HOUR_MS,
    SigningKey,
    choose_signing_key,
    dump_key,
    load_key,
    make_signing_key,
    new_private_key,
    rotation_due,
    seconds_until_rotation,
    verifiable,
    verification_window_ms,
)
from authdeck.core.crypto.tokens import ALGORITHM, new_master_key
from authdeck.core.errors import ConfigError
from authdeck.core.state import CoreState
from authdeck.core.storage.engine import is_unique_violation
from authdeck.core.storage.queries import keys as queries

# Re-read an app's keys at least this often, whatever else happens.
CACHE_SECONDS = 300.0
REFRESH_KEY_NAME = "refresh_token_key"
_CACHE = "authdeck.core.crypto.keyring"


@dataclass(frozen=True)
class _Snapshot:
    loaded_at: float
    dynamic: tuple[SigningKey, ...]  # newest first
    static: SigningKey | None


@dataclass
class _AppCache:
    snapshot: _Snapshot | None = None
    parsed: dict[str, SigningKey] = field(default_factory=dict)
    refresh_key: bytes | None = None
    # RSA generation is slow; concurrent requests of one process that all find a key missing share one.
    spares: dict[str, RSAPrivateKey] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _app_cache(state: CoreState, app_id: str) -> _AppCache:
    apps: dict[str, _AppCache] = state.caches.setdefault(_CACHE, {})  # type: ignore[assignment]
    cache = apps.get(app_id)
    if cache is None:
        cache = apps.setdefault(app_id, _AppCache())
    return cache


def _insert_once(conn: Connection, write: Callable[[], None]) -> bool:
    """Run ``write`` in a savepoint; False (and nothing written) if it hit a unique constraint."""
    nested = conn.begin_nested()
    try:
        write()
    except IntegrityError as exc:
        nested.rollback()
        if not is_unique_violation(exc):
            raise
        return False
    nested.commit()
    return True


class KeyRing:
    """The keys of one app, as seen from one request's transaction ``conn`` (or a callable giving it)."""

    def __init__(
        self, state: CoreState, conn: Connection | Callable[[], Connection], app_id: str, settings: AppSettings
    ) -> None:
        # A callable is called only when storage is needed, so that answers from the cache open no transaction.
        self._connect = conn if callable(conn) else (lambda: conn)
        self._app_id = app_id
        self._settings = settings
        self._cache = _app_cache(state, app_id)
        self._created_here = False

    @property
    def _conn(self) -> Connection:
        return self._connect()

    def signing_key(self, *, dynamic: bool, now_ms: int) -> SigningKey:
        if not dynamic:
            return self._static_key(now_ms)
        snap = self._snapshot()
        if rotation_due(snap.dynamic[0].created_at if snap.dynamic else None, now_ms, self._settings):
            snap = self._rotate(now_ms)
        return choose_signing_key(snap.dynamic, now_ms, self._settings)

    def verification_key(self, kid: str, now_ms: int) -> SigningKey | None:
        """The key ``kid`` names if it may verify tokens now; re-reads storage only for plausible new kids."""
        snap = self._snapshot()
        key = _find(snap, kid)
        if key is None and _may_be_newer(kid, snap, now_ms):
            snap = self._load()
            key = _find(snap, kid)
        if key is not None and key.dynamic and key not in verifiable(snap.dynamic, now_ms, self._settings):
            return None
        return key

    def published(self, now_ms: int) -> tuple[list[SigningKey], int]:
        """The keys for the JWKS, and the seconds until the next dynamic key (its cache lifetime)."""
        snap = self._load()  # always fresh: other core processes may have added a key
        if rotation_due(snap.dynamic[0].created_at if snap.dynamic else None, now_ms, self._settings):
            snap = self._rotate(now_ms)
        keys = verifiable(snap.dynamic, now_ms, self._settings)
        if snap.static is not None:
            keys.append(snap.static)
        return keys, seconds_until_rotation(snap.dynamic[0].created_at, now_ms, self._settings)

    def refresh_master_key(self, now_ms: int) -> bytes:
        cached = self._cache.refresh_key
        if cached is not None:
            return cached
        stored = queries.get_value(self._conn, self._app_id, REFRESH_KEY_NAME)
        if stored is None:
            key = new_master_key()
            text = base64.b64encode(key).decode("ascii")
            if _insert_once(
                self._conn, lambda: queries.insert_value(self._conn, self._app_id, REFRESH_KEY_NAME, text, now_ms)
            ):
                self._created_here = True
                return key
            stored = queries.get_value(self._conn, self._app_id, REFRESH_KEY_NAME)
            if stored is None:
                raise RuntimeError("refresh token master key vanished while being created")
        key = base64.b64decode(stored)
        self._cache.refresh_key = key
        return key

    # -- internals --

    def _snapshot(self) -> _Snapshot:
        snap = self._cache.snapshot
        if snap is None or time.monotonic() - snap.loaded_at > CACHE_SECONDS:
            snap = self._load()
        return snap

    def _load(self) -> _Snapshot:
        parsed = self._cache.parsed
        dynamic = []
        for row in queries.dynamic_keys(self._conn, self._app_id):
            kid = f"d-{row.created_at}"
            dynamic.append(parsed.get(kid) or load_key(kid, row.created_at, row.private_key))
        static = None
        srow = queries.static_key(self._conn, self._app_id, ALGORITHM)
        if srow is not None:
            static = parsed.get(srow.key_id) or load_key(srow.key_id, srow.created_at, srow.private_key)
        snap = _Snapshot(time.monotonic(), tuple(dynamic), static)
        if not self._created_here:
            # Keeping only stored kids lets deleted keys go; a key another request is creating is re-parsed.
            self._cache.parsed = {k.kid: k for k in (*snap.dynamic, *([static] if static else []))}
            self._cache.snapshot = snap
        return snap

    def _spare(self, purpose: str) -> RSAPrivateKey:
        with self._cache.lock:
            spare = self._cache.spares.get(purpose)
            if spare is None:
                spare = self._cache.spares[purpose] = new_private_key()
            return spare

    def _used_spare(self, purpose: str, key: RSAPrivateKey) -> None:
        with self._cache.lock:
            if self._cache.spares.get(purpose) is key:
                del self._cache.spares[purpose]

    def _rotate(self, now_ms: int) -> _Snapshot:
        fresh = self._spare("dynamic")  # generated before locking: holding a lock for it would stall others
        queries.lock_app(self._conn, self._app_id)
        snap = self._load()
        newest = snap.dynamic[0].created_at if snap.dynamic else None
        if not rotation_due(newest, now_ms, self._settings):
            return snap  # another request or core process rotated first
        created_at = now_ms if newest is None else max(now_ms, newest + 1)
        key = make_signing_key(f"d-{created_at}", created_at, fresh)
        private_text, public_text = dump_key(fresh)
        if not _insert_once(
            self._conn,
            lambda: queries.insert_dynamic_key(self._conn, self._app_id, created_at, private_text, public_text),
        ):
            return self._load()
        self._used_spare("dynamic", fresh)
        self._mark_created(key)
        queries.delete_dynamic_keys_before(self._conn, self._app_id, now_ms - verification_window_ms(self._settings))
        return _Snapshot(time.monotonic(), (key, *snap.dynamic), snap.static)

    def _static_key(self, now_ms: int) -> SigningKey:
        snap = self._snapshot()
        if snap.static is None:
            snap = self._load()
        if snap.static is not None:
            return snap.static
        fresh = self._spare("static")
        key = make_signing_key(f"s-{uuid.uuid4()}", now_ms, fresh)
        private_text, public_text = dump_key(fresh)
        if _insert_once(
            self._conn,
            lambda: queries.insert_static_key(
                self._conn, self._app_id, key.kid, ALGORITHM, now_ms, private_text, public_text
            ),
        ):
            self._used_spare("static", fresh)
            self._mark_created(key)
            return key
        snap = self._load()
        if snap.static is None:
            raise RuntimeError("static signing key vanished while being created")
        return snap.static

    def _mark_created(self, key: SigningKey) -> None:
        self._created_here = True
        self._cache.parsed[key.kid] = key  # so that reading it back later does not parse it again
        self._cache.snapshot = None


def _find(snap: _Snapshot, kid: str) -> SigningKey | None:
    if snap.static is not None and snap.static.kid == kid:
        return snap.static
    return next((k for k in snap.dynamic if k.kid == kid), None)


def _may_be_newer(kid: str, snap: _Snapshot, now_ms: int) -> bool:
    """Whether ``kid`` could be a key added since ``snap`` was read (anything else is refused unread)."""
    if kid.startswith("s-"):
        return snap.static is None
    digits = kid[2:]
    if not kid.startswith("d-") or not digits.isdigit() or len(digits) > 15:
        return False
    created_at = int(digits)
    newest = snap.dynamic[0].created_at if snap.dynamic else -1
    return newest < created_at <= now_ms + HOUR_MS


@jobs.register("signing_keys")
def purge_signing_keys(conn: Connection, now_ms: int) -> int:
    """Delete dynamic keys past their verification window, keeping each app's newest key.

    Purges see no process settings, so an app's window is computed from its own coreConfig over the
    built-in defaults. Deleting a key a little early costs its holders one refresh, nothing more; the
    exact window is also applied whenever a new key is created.
    """
    deleted = 0
    for row in queries.apps_with_dynamic_keys(conn):
        try:
            settings = AppSettings().merged(json.loads(row.core_config))  # type: ignore[call-arg]
        except (ConfigError, ValueError):
            continue
        deleted += queries.delete_dynamic_keys_before(conn, row.app_id, now_ms - verification_window_ms(settings))
    return deleted
