"""Migrations create exactly the schema in tables.py, on both databases, and are idempotent."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from authdeck.core.storage import migrate
from authdeck.core.storage.engine import make_engine
from authdeck.core.storage.tables import metadata
from tests.conftest import BACKENDS


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_migrations_match_the_declared_schema(backend_url: str) -> None:
    engine = make_engine(backend_url)
    try:
        assert migrate.pending(engine)
        migrate.upgrade(engine)
        assert migrate.pending(engine) == []
        migrate.upgrade(engine)  # a second run is a no-op
        with engine.connect() as conn:
            diff = compare_metadata(MigrationContext.configure(conn), metadata)
        assert diff == []
    finally:
        engine.dispose()
