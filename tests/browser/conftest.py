"""Browser-suite fixtures: a core on SQLite, the demo app under uvicorn, seeded users, and Debian's Chromium.

The suite runs on SQLite only: it tests the UI, and the API underneath is covered on both databases elsewhere.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, Playwright, sync_playwright

from tests._harness import served
from tests._harness.core_process import CoreClient, CoreProcess
from tests._harness.ports import free_port

CHROMIUM = "/usr/bin/chromium"
ADMIN = "admin@example.com"
VIEWER = "viewer@example.com"
PASSWORD = "dashboard-pass-1"  # noqa: S105 (a test credential)
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
IMAGES = Path(__file__).resolve().parents[2] / "docs" / "images"
SEEDED = [f"user{i:02d}@example.com" for i in range(12)]


@dataclass
class Demo:
    url: str
    client: CoreClient
    user_ids: dict[str, str]
    connection_uri: str  # what the demo app's SupertokensConfig.connection_uri holds

    @property
    def dashboard(self) -> str:
        return f"{self.url}/auth/dashboard"


# Module scope, not session: a live sync Playwright keeps an asyncio loop marked running on this thread, which
# would break later test modules that call authdeck.syncio functions.
@pytest.fixture(scope="module")
def playwright_instance() -> Iterator[Playwright]:
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright_instance: Playwright) -> Iterator[Browser]:
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)")
    args = [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ]
    browser = playwright_instance.chromium.launch(executable_path=CHROMIUM, args=args)
    yield browser
    browser.close()


def seed_test_users(client: CoreClient) -> dict[str, str]:
    """The suite's users: user00..user11 (oldest first), the newest named Ada Lovelace in her metadata."""
    ids: dict[str, str] = {}
    for email in SEEDED:
        body = client.ok("POST", "/public/recipe/signup", json={"email": email, "password": "abcd1234"})
        ids[email] = body["user"]["id"]
    client.ok(
        "PUT",
        "/recipe/user/metadata",
        json={"userId": ids[SEEDED[-1]], "metadataUpdate": {"first_name": "Ada", "last_name": "Lovelace"}},
    )
    return ids


@contextmanager
def running_demo(
    tmp: Path,
    seed: Callable[[CoreClient], dict[str, str]],
    *,
    app_name: str = "Browser Test App",
    dashboard_api_key: str | None = None,
) -> Iterator[Demo]:
    """A core on SQLite with an app, the two dashboard users, ``seed``'s users, and the demo app under uvicorn.

    With ``dashboard_api_key``, the dashboard runs in API-key mode (it signs in with that key, not with users)."""
    core = CoreProcess.start(f"sqlite:///{tmp / 'core.db'}", tmp)
    try:
        client = core.new_app()
        for email in (ADMIN, VIEWER):
            client.ok("POST", "/recipe/dashboard/user", json={"email": email, "password": PASSWORD})
        ids = seed(client)
        port = free_port()
        connection_uri = f"{core.url}/appid-{client.app_id}"
        env = {
            **os.environ,
            "AUTHDECK_TEST_PORT": str(port),
            "AUTHDECK_TEST_CORE": connection_uri,
            "AUTHDECK_TEST_APP_NAME": app_name,
        }
        if dashboard_api_key is not None:
            env["AUTHDECK_TEST_DASHBOARD_API_KEY"] = dashboard_api_key
        url = f"http://127.0.0.1:{port}"
        proc = served.launch(
            [sys.executable, "-m", "tests.browser._server"],
            tmp / "app.log",
            url + "/auth/dashboard",
            what="demo app",
            env=env,
            cwd=Path(__file__).resolve().parents[2],
            timeout=30,
        )
        try:
            yield Demo(url, client, ids, connection_uri)
        finally:
            served.stop(proc, timeout=10)
            client.close()
    finally:
        core.stop()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with running_demo(tmp_path_factory.mktemp("browser-core"), seed_test_users) as running:
        yield running


@dataclass
class Watched:
    page: Page
    problems: list[str]


@pytest.fixture
def watched(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Watched]:
    """A fresh browser context and page recording console errors and CSP violations (both must stay empty)."""
    context = browser.new_context(viewport={"width": 1200, "height": 800})
    page = context.new_page()
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda err: problems.append(f"page error: {err}"))
    # Recorded in the page itself before any script runs, then read back after each test.
    page.add_init_script(
        "window.__cspViolations = [];"
        "document.addEventListener('securitypolicyviolation',"
        " e => window.__cspViolations.push(e.effectiveDirective + ' ' + e.blockedURI));"
    )
    watched = Watched(page, problems)
    yield watched
    try:
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        context.close()


def csp_violations(page: Page) -> list[Any]:
    found: list[Any] = page.evaluate("window.__cspViolations || []")
    return found


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    if report.when == "call":
        item.rep_call = report  # type: ignore[attr-defined]
