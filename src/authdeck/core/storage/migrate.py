"""Runs the Alembic migrations that bring a database up to the current schema.

Migrations are forward-only. On PostgreSQL an advisory lock makes concurrent starts of several cores safe.
"""

from __future__ import annotations

import time
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, insert, text
from sqlalchemy.exc import IntegrityError

from authdeck.core.storage.tables import apps, tenants

_MIGRATIONS = Path(__file__).parent / "migrations"
_LOCK_ID = 0x61757468  # "auth"


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(_MIGRATIONS))
    return cfg


def upgrade(engine: Engine) -> None:
    """Apply every pending migration, then make sure the default public app exists."""
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": _LOCK_ID})
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")
        ensure_public_app(conn)


def ensure_public_app(conn: Connection) -> None:
    """Create the public app and its public tenant if missing; safe when several cores start at once."""
    now_ms = time.time_ns() // 1_000_000
    for table, row in (
        (apps, {"app_id": "public", "created_at": now_ms, "core_config": "{}"}),
        (tenants, {"app_id": "public", "tenant_id": "public", "created_at": now_ms, "config": "{}"}),
    ):
        nested = conn.begin_nested()
        try:
            conn.execute(insert(table).values(**row))
            nested.commit()
        except IntegrityError:
            nested.rollback()


def pending(engine: Engine) -> list[str]:
    """Revisions not yet applied, oldest first."""
    script = ScriptDirectory.from_config(alembic_config())
    with engine.connect() as conn:
        current = MigrationContext.configure(conn).get_current_revision()
    revs = [r.revision for r in script.iterate_revisions("head", current)]
    return list(reversed(revs))
