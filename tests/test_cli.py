"""The ``authdeck`` command: errors say what to fix and exit non-zero; migrate works on its own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from authdeck.cli import main


def test_core_refuses_public_bind_without_api_key() -> None:
    result = CliRunner().invoke(main, ["core", "--host", "0.0.0.0"], env={})
    assert result.exit_code == 2
    assert "refusing to listen on 0.0.0.0 without an API key" in result.output


def test_core_refuses_bad_database_url() -> None:
    result = CliRunner().invoke(main, ["core", "--database", "oracle://x"], env={})
    assert result.exit_code == 2
    assert "database must be an SQLAlchemy URL" in result.output


def test_migrate_creates_and_then_reports_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'm.db'}"
    first = CliRunner().invoke(main, ["migrate", "--database", url], env={})
    assert first.exit_code == 0, first.output
    assert first.output.startswith("applied 1 migration(s)") or first.output.startswith("applied ")
    second = CliRunner().invoke(main, ["migrate", "--database", url], env={})
    assert second.output.strip() == "database is up to date"


def test_console_script_entry_point_shows_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "authdeck.cli", "--help"], capture_output=True, text=True, timeout=60, check=True
    )
    assert "core" in out.stdout and "migrate" in out.stdout


def test_core_access_log_is_off_by_default_and_on_with_the_flag(tmp_path: Path) -> None:
    import httpx

    from tests._harness.core_process import CoreProcess

    for args, expected in (((), False), (("--access-log",), True)):
        core = CoreProcess.start(f"sqlite:///{tmp_path / 'a.db'}", tmp_path, args=args)
        try:
            httpx.get(core.url + "/hello?probe=1", timeout=5)
        finally:
            core.stop()
        assert ('"GET /hello?probe=1 HTTP/1.1" 200' in core.log_path.read_text()) is expected
