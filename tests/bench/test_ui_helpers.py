"""The UI benchmark's helpers: request classification and counting, percentiles, the seeded-database cache, and
the --users option."""

from __future__ import annotations

from pathlib import Path

import pytest
from bench.__main__ import main
from bench._ui_browser import Request, Transfer, kind_of
from bench._ui_seed import cached_users_db, working_copy
from bench.ui import percentile
from sqlalchemy import func, select

from authdeck.core.storage.engine import make_engine
from authdeck.core.storage.tables import emailpassword_users


@pytest.mark.parametrize(
    ("url", "mime", "kind"),
    [
        ("http://h/auth/dashboard", "text/html", "html"),
        ("http://h/auth/dashboard/static/app.js?v=1", "text/javascript", "js"),
        ("http://h/auth/dashboard/static/app.css", "text/css", "css"),
        ("http://h/auth/dashboard/static/icon.svg", "image/svg+xml", "svg"),
        ("http://h/auth/dashboard/api/users?limit=10", "application/json", "api"),
        ("http://h/auth/dashboard/api/me", "text/html", "api"),
        ("http://h/favicon.ico", "image/x-icon", "other"),
    ],
)
def test_requests_are_classified_by_dashboard_api_path_then_mime_type(url: str, mime: str, kind: str) -> None:
    assert kind_of(url, mime) == kind


def test_transfer_counts_only_network_requests_made_before_the_table_showed() -> None:
    transfer = Transfer(
        [
            Request("http://h/auth/dashboard", "html", 200, wire_bytes=1000, body_bytes=900),
            Request("http://h/s/app.js", "js", 200, wire_bytes=5000, body_bytes=4800),
            Request("http://h/s/dom.js", "js", 200, wire_bytes=0, body_bytes=3000, from_cache=True),
            Request("http://h/auth/dashboard/api/users", "api", 200, wire_bytes=700, body_bytes=500),
            Request("http://h/late.svg", "svg", 200, wire_bytes=400, body_bytes=300, after_table=True),
        ]
    )
    assert len(transfer.on_network()) == 3
    assert transfer.wire_bytes() == 6700
    assert transfer.by_kind() == {"html": (1, 1000, 900), "js": (1, 5000, 7800), "api": (1, 700, 500)}


def test_percentile_is_nearest_rank() -> None:
    samples = [float(n) for n in range(1, 21)]
    assert percentile(samples, 0.5) == 10.0
    assert percentile(samples, 0.9) == 18.0
    assert percentile([7.0], 0.9) == 7.0


def test_seeded_database_is_made_once_then_reused_and_each_run_gets_its_own_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AUTHDECK_BENCH_CACHE", str(tmp_path / "cache"))
    first = cached_users_db(25)
    again = cached_users_db(25)
    assert not first.reused
    assert again.reused
    assert again.path == first.path
    assert again.seconds == pytest.approx(first.seconds)
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".json", ".sqlite"]
    run_dir = tmp_path / "run"
    run_dir.mkdir()
    copy = working_copy(again, run_dir)
    assert copy != first.path
    engine = make_engine(f"sqlite:///{copy}")
    try:
        with engine.connect() as conn:
            assert conn.execute(select(func.count()).select_from(emailpassword_users)).scalar_one() == 25
    finally:
        engine.dispose()


def test_users_option_is_refused_for_benchmarks_that_do_not_take_it(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["users", "--users", "10"])
    assert exited.value.code == 2
    assert "--users is not taken by: users" in capsys.readouterr().err


def test_users_option_must_be_positive(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["ui", "--users", "0"])
    assert "--users must be at least 1" in capsys.readouterr().err
