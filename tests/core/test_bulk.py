"""`authdeck users import/export`: bulk users through the sign-up insert path, with clear refusals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from authdeck.cli import main
from authdeck.core.crypto.passwords import PasswordHashing
from authdeck.core.storage.engine import make_engine
from authdeck.core.storage.tables import app_users, user_counters
from tests.conftest import BACKENDS

HASH = PasswordHashing(bcrypt_rounds=4).hash("abcd1234")
ENV = {"AUTHDECK_BCRYPT_LOG_ROUNDS": "4"}


def _write(path: Path, records: list[object]) -> Path:
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records))
    return path


def _count(url: str) -> tuple[int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(select(func.count()).select_from(app_users)).scalar_one()
            counted = conn.execute(
                select(func.coalesce(func.sum(user_counters.c.count), 0)).where(user_counters.c.tenant_id == "")
            ).scalar_one()
        return int(rows), int(counted)
    finally:
        engine.dispose()


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_import_then_export_round_trips_and_counts_exactly(backend_url: str, tmp_path: Path) -> None:
    records = [{"email": f"User{i}@Example.com ", "passwordHash": HASH, "timeJoined": 1000 + i} for i in range(12)]
    records.append({"email": "plain@example.com", "password": "abcd1234"})
    src = _write(tmp_path / "in.jsonl", records)
    result = CliRunner().invoke(
        main, ["users", "import", str(src), "--database", backend_url, "--batch-size", "5"], env=ENV
    )
    assert result.exit_code == 0, result.output
    assert "imported 13 users" in result.output
    assert _count(backend_url) == (13, 13)
    out = CliRunner().invoke(main, ["users", "export", "--database", backend_url], env=ENV)
    exported = [json.loads(line) for line in out.output.splitlines()]
    assert sorted(r["email"] for r in exported) == sorted(
        ["plain@example.com"] + [f"user{i}@example.com" for i in range(12)]
    )
    assert all(r["passwordHash"].startswith("$2a$04$") for r in exported)


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_duplicate_in_a_batch_imports_nothing_of_that_batch(backend_url: str, tmp_path: Path) -> None:
    src = _write(tmp_path / "in.jsonl", [{"email": "a@example.com", "passwordHash": HASH}] * 2)
    result = CliRunner().invoke(main, ["users", "import", str(src), "--database", backend_url], env=ENV)
    assert result.exit_code == 2
    assert "already exists (same email or userId); 0 users were imported before it" in result.output
    assert _count(backend_url) == (0, 0)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("{not json", "line 1: not valid JSON"),
        ('["a"]', "line 1: expected a JSON object"),
        ('{"email": "nope", "passwordHash": "x"}', "line 1: 'email' is missing or not a valid email address"),
        ('{"email": "a@example.com", "passwordHash": "md5:abc"}', "'passwordHash' must be a bcrypt"),
        ('{"email": "a@example.com"}', "give 'passwordHash' (preferred) or 'password'"),
        ('{"email": "a@example.com", "password": "abcd1234", "timeJoined": "x"}', "'timeJoined' must be milliseconds"),
    ],
)
def test_bad_lines_are_refused_with_their_line_number(tmp_path: Path, line: str, message: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    src = _write(tmp_path / "in.jsonl", [line])
    result = CliRunner().invoke(main, ["users", "import", str(src), "--database", url], env=ENV)
    assert result.exit_code == 2
    assert message in result.output
    assert _count(url) == (0, 0)


def test_import_into_unknown_tenant_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    src = _write(tmp_path / "in.jsonl", [{"email": "a@example.com", "passwordHash": HASH}])
    result = CliRunner().invoke(main, ["users", "import", str(src), "--database", url, "--tenant", "nope"], env=ENV)
    assert result.exit_code == 2
    assert "app 'public' with tenant 'nope' does not exist" in result.output
