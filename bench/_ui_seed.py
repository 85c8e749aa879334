"""A seeded SQLite users database kept in a cache directory, so benchmarks that need N users pay the seed once.

The file is keyed by the schema's Alembic head, the size, and the source of bench.users' user generator: any of
them changing makes a new file. Each run works on a copy, so the cached file stays as seeded. The cache lives in
``$AUTHDECK_BENCH_CACHE``, else ``$XDG_CACHE_HOME/authdeck-bench``, else ``~/.cache/authdeck-bench``; delete it
to force a fresh seed.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import shutil
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from alembic.script import ScriptDirectory

from authdeck.core.crypto.passwords import PasswordHashing
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import make_engine
from bench import users as users_bench


@dataclass(frozen=True)
class Seeded:
    path: Path
    size: int
    seconds: float  # how long the seed took when the file was made
    reused: bool  # True when this run found the file in the cache

    def describe(self) -> str:
        rate = f"{self.size / self.seconds:,.0f}/s" if self.seconds > 0 else "n/a"
        how = "reused from the seed cache; seeding it" if self.reused else "seeded in this run;"
        return (
            f"{self.size:,} users on SQLite, {how} took {self.seconds:.1f} s through `authdeck users import`'s "
            f"path ({rate})"
        )


def cache_dir() -> Path:
    explicit = os.environ.get("AUTHDECK_BENCH_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "authdeck-bench"


def cache_key(size: int) -> str:
    head = ScriptDirectory.from_config(migrate.alembic_config()).get_current_head() or "none"
    generator = inspect.getsource(users_bench.user) + inspect.getsource(users_bench.seed)
    generator += repr((users_bench.T0, users_bench.DOMAINS, str(users_bench.NAMESPACE)))
    digest = hashlib.sha256(generator.encode()).hexdigest()[:12]
    return f"users-{head}-{digest}-{size}"


def cached_users_db(size: int) -> Seeded:
    """The cached database of ``size`` users, seeding it first if the cache has none."""
    directory = cache_dir()
    directory.mkdir(parents=True, exist_ok=True)
    key = cache_key(size)
    path, meta = directory / f"{key}.sqlite", directory / f"{key}.json"
    if path.exists() and meta.exists():
        return Seeded(path, size, float(json.loads(meta.read_text())["seconds"]), reused=True)
    partial = directory / f"{key}.{os.getpid()}.partial"
    for leftover in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        leftover.unlink(missing_ok=True)
    password_hash = PasswordHashing(bcrypt_rounds=4).hash("bench-password-1")
    engine = make_engine(f"sqlite:///{partial}")
    try:
        migrate.upgrade(engine)
        started = time.monotonic()
        users_bench.seed(engine, 0, size, password_hash)
        seconds = time.monotonic() - started
    finally:
        engine.dispose()
    # Fold the WAL into the main file, so that one file is the whole database and can be copied alone.
    with sqlite3.connect(partial) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    os.replace(partial, path)
    meta.write_text(json.dumps({"seconds": seconds, "size": size, "made": time.strftime("%Y-%m-%d %H:%M:%S")}))
    return Seeded(path, size, seconds, reused=False)


def working_copy(seeded: Seeded, directory: Path) -> Path:
    """A private copy of the cached database for one run (the run adds a dashboard user and sessions)."""
    target = directory / f"{seeded.path.stem}.sqlite"
    shutil.copyfile(seeded.path, target)
    return target
