"""What the core logs: one line at startup that names no secret, and a 500's traceback under a request id."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import anyio
import httpx
import pytest

from authdeck.core import metrics
from authdeck.core.app import create_app
from authdeck.core.config import CoreSettings
from authdeck.core.context import RequestContext
from authdeck.core.routing import Reply, Route
from authdeck.core.storage import migrate
from tests._harness.core_process import API_KEY, CoreProcess

SECRET_IN_BODY = "hunter2-never-logged"


def test_startup_line_names_version_bind_backend_and_key_count_but_no_key(core: CoreProcess) -> None:
    log = core.log_path.read_text()
    lines = [line for line in log.splitlines() if "authdeck core " in line and " serving on " in line]
    assert len(lines) == 1, log
    line = lines[0]
    backend = "sqlite" if core.database.startswith("sqlite") else "postgresql"
    assert f"authdeck core {metrics.VERSION} serving on 127.0.0.1:{core.port}, database {backend} (" in line
    assert "1 API key(s)" in line
    assert "audit log kept 365 days" in line
    assert API_KEY not in log
    if backend == "postgresql":
        assert "postgres@" not in line  # the URL's user (and any password) stay out


def _boom(ctx: RequestContext) -> Reply:
    raise RuntimeError("something broke inside a handler")


def test_an_unexpected_error_is_a_500_with_a_request_id_whose_traceback_is_logged_without_the_body(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = CoreSettings(database=f"sqlite:///{tmp_path / 'a.db'}", api_keys=(API_KEY,), bcrypt_log_rounds=4)
    app = create_app(settings, extra_routes=[Route("POST", "/test/boom", _boom)])
    migrate.upgrade(app.state.core.engine)  # the lifespan's work, which the in-process transport skips

    async def call() -> httpx.Response:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://core") as client:
            return await client.post("/test/boom", headers={"api-key": API_KEY}, json={"password": SECRET_IN_BODY})

    caplog.set_level(logging.INFO, logger="authdeck.core")
    try:
        reply = anyio.run(call)
    finally:
        app.state.core.engine.dispose()
    assert reply.status_code == 500
    found = re.fullmatch(r"Internal error; see the core's log for request ([0-9a-f]{16})", reply.text)
    assert found is not None, reply.text
    request_id = found.group(1)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == f"request {request_id} failed: POST /test/boom"
    assert record.exc_info is not None and "something broke inside a handler" in str(record.exc_info[1])
    assert SECRET_IN_BODY not in caplog.text
    assert API_KEY not in caplog.text
