"""Shared fixtures: a real PostgreSQL server, and real core processes on SQLite and on PostgreSQL.

Tests that take ``core`` run once per database. Each test gets a fresh app (``app_client``) on a shared
core process, so tests stay independent without paying for a process each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests._harness.core_process import CoreClient, CoreProcess
from tests._harness.postgres import PostgresServer

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = PostgresServer.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def artifacts_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("artifacts")


def database_url(backend: str, postgres: PostgresServer | None, tmp: Path) -> str:
    name = "authdeck_" + uuid.uuid4().hex[:12]
    if backend == "sqlite":
        return f"sqlite:///{tmp / (name + '.db')}"
    assert postgres is not None
    return postgres.create_database(name)


@pytest.fixture(scope="session", params=BACKENDS)
def core(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CoreProcess]:
    """A running core (one per database backend for the whole session)."""
    backend: str = request.param
    tmp = tmp_path_factory.mktemp(f"core-{backend}")
    pg = request.getfixturevalue("postgres") if backend == "postgresql" else None
    proc = CoreProcess.start(database_url(backend, pg, tmp), tmp)
    try:
        yield proc
    finally:
        proc.stop()


@pytest.fixture
def app_client(core: CoreProcess) -> Iterator[CoreClient]:
    """A CDI client for a fresh app on ``core``."""
    with core.new_app() as client:
        yield client


@pytest.fixture
def backend_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database URL.

    Parametrise with ``@pytest.mark.parametrize('backend_url', BACKENDS, indirect=True)``.
    """
    backend: str = request.param
    pg = request.getfixturevalue("postgres") if backend == "postgresql" else None
    yield database_url(backend, pg, tmp_path)
