"""Conformance: sessions made by our core, used through the official supertokens-python 0.31.4 SDK over HTTP.

A FastAPI app on the SDK (``apps/session_app.py``) runs under uvicorn in its own process, pointed at a fresh
app of the ``core`` fixture (so every test runs on SQLite and on PostgreSQL). A small client plays the
frontend in cookie mode (with anti-CSRF ``VIA_TOKEN``) and in header mode, keeping tokens as the official
frontend SDKs do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._harness import served
from tests._harness.core_process import CoreClient, CoreProcess
from tests._harness.ports import free_port

SCRIPT = Path(__file__).parent / "apps" / "session_app.py"
REFRESH_PATH = "/auth/session/refresh"


@dataclass
class SdkApp:
    url: str
    app_id: str
    mode: str
    core: CoreProcess
    frontends: list[Frontend] = field(default_factory=list)

    def core_client(self) -> CoreClient:
        return self.core.client(self.app_id)

    def frontend(self) -> Frontend:
        """A new frontend; closed when the test ends."""
        front = Frontend(self)
        self.frontends.append(front)
        return front


class Frontend:
    """Keeps tokens as a browser (cookie mode) or a mobile app (header mode) with the official frontend SDK."""

    def __init__(self, app: SdkApp) -> None:
        self.app = app
        self.http = httpx.Client(base_url=app.url, timeout=30)
        self.access: str | None = None  # header mode only; cookie mode keeps them in the jar
        self.refresh_token: str | None = None
        self.anti_csrf: str | None = None

    @property
    def tokens(self) -> tuple[str | None, str | None]:
        if self.app.mode == "header":
            return self.access, self.refresh_token
        return self.http.cookies.get("sAccessToken"), self.http.cookies.get("sRefreshToken")

    def clone(self) -> Frontend:
        """Another frontend holding this one's current tokens (a second tab, or a thief)."""
        other = self.app.frontend()
        other.access, other.refresh_token, other.anti_csrf = self.access, self.refresh_token, self.anti_csrf
        for cookie in self.http.cookies.jar:
            other.http.cookies.set(cookie.name, cookie.value or "", domain=cookie.domain, path=cookie.path)
        return other

    def call(self, method: str, path: str, json: Any = None) -> httpx.Response:
        headers = {"st-auth-mode": self.app.mode}
        if self.app.mode == "header":
            token = self.refresh_token if path == REFRESH_PATH else self.access
            if token:
                headers["authorization"] = f"Bearer {token}"
        if self.anti_csrf:
            headers["anti-csrf"] = self.anti_csrf
        reply = self.http.request(method, path, json=json, headers=headers)
        if "anti-csrf" in reply.headers:
            self.anti_csrf = reply.headers["anti-csrf"] or None
        if "st-access-token" in reply.headers:
            self.access = reply.headers["st-access-token"] or None
        if "st-refresh-token" in reply.headers:
            self.refresh_token = reply.headers["st-refresh-token"] or None
        return reply

    def ok(self, method: str, path: str, json: Any = None) -> dict[str, Any]:
        reply = self.call(method, path, json)
        assert reply.status_code == 200, f"{method} {path} -> {reply.status_code}: {reply.text}"
        body: dict[str, Any] = reply.json()
        return body

    def refresh(self) -> httpx.Response:
        return self.call("POST", REFRESH_PATH)


@pytest.fixture(params=["cookie", "header"])
def mode(request: pytest.FixtureRequest) -> str:
    mode: str = request.param
    return mode


@pytest.fixture
def launch(core: CoreProcess, tmp_path: Path) -> Iterator[Callable[..., SdkApp]]:
    procs: list[subprocess.Popen[bytes]] = []
    apps: list[SdkApp] = []

    def start(mode: str, core_config: dict[str, Any] | None = None, *, static_keys: bool = False) -> SdkApp:
        with core.new_app(core_config) as client:
            app_id = client.app_id
        port = free_port()
        log_path = tmp_path / f"sdk-app-{port}.log"
        cmd = [sys.executable, str(SCRIPT), "--port", str(port), "--mode", mode]
        cmd += ["--connection-uri", f"{core.url}/appid-{app_id}"]
        if static_keys:
            cmd.append("--static-keys")
        env = {**os.environ, "AUTHDECK_SDK_API_KEY": core.api_key or ""}
        url = f"http://127.0.0.1:{port}"
        procs.append(served.launch(cmd, log_path, url + "/health", what="SDK app", env=env))
        app = SdkApp(url, app_id, mode, core)
        apps.append(app)
        return app

    yield start
    for app in apps:
        for front in app.frontends:
            front.http.close()
    for proc in procs:
        served.stop(proc)


def _session_exists(app: SdkApp, handle: str) -> bool:
    with app.core_client() as client:
        return bool(client.get("/recipe/session", params={"sessionHandle": handle}).json()["status"] == "OK")


def test_signup_then_call_a_protected_route(launch: Callable[..., SdkApp], mode: str) -> None:
    app = launch(mode)
    front = app.frontend()
    form = [{"id": "email", "value": f"ada-{mode}@example.com"}, {"id": "password", "value": "abcd1234"}]
    body = front.ok("POST", "/auth/signup", json={"formFields": form})
    assert body["status"] == "OK", body
    assert all(front.tokens)
    if mode == "cookie":
        assert front.anti_csrf  # VIA_TOKEN: the core issued one and the SDK passed it on
    seen = front.ok("GET", "/protected")
    assert seen["userId"] == body["user"]["id"]
    assert seen["tenantId"] == "public"
    assert seen["payload"]["sub"] == body["user"]["id"] and seen["payload"]["tId"] == "public"
    assert front.ok("GET", "/protected-db")["handle"] == seen["handle"]
    assert front.call("GET", "/protected", json=None).status_code == 200
    anonymous = httpx.get(app.url + "/protected")
    assert anonymous.status_code == 401


def test_expired_access_token_is_refreshed_and_works_again(launch: Callable[..., SdkApp], mode: str) -> None:
    app = launch(mode, {"access_token_validity": 2})
    front = app.frontend()
    handle = front.ok("POST", "/create", json={"userId": "user-exp"})["handle"]
    assert front.ok("GET", "/protected")["handle"] == handle
    old_access, old_refresh = front.tokens
    time.sleep(3)
    expired = front.call("GET", "/protected")
    assert expired.status_code == 401
    assert expired.json() == {"message": "try refresh token"}
    assert front.refresh().status_code == 200
    new_access, new_refresh = front.tokens
    assert new_access and new_access != old_access and new_refresh and new_refresh != old_refresh
    assert front.ok("GET", "/protected")["handle"] == handle  # first use of the child: the core promotes it
    assert front.ok("GET", "/protected-db")["handle"] == handle


def test_reused_refresh_token_is_theft_and_ends_the_session(launch: Callable[..., SdkApp], mode: str) -> None:
    app = launch(mode)
    front = app.frontend()
    handle = front.ok("POST", "/create", json={"userId": "user-theft"})["handle"]
    thief = front.clone()  # holds the refresh token about to be rotated away
    assert front.refresh().status_code == 200
    assert front.ok("GET", "/protected")["handle"] == handle  # promotes the new refresh token
    stolen = thief.refresh()
    assert stolen.status_code == 401
    assert stolen.json() == {"message": "token theft detected"}
    assert not _session_exists(app, handle)  # the SDK revoked it
    assert front.call("GET", "/protected-db").status_code == 401
    assert front.refresh().status_code == 401


def test_sign_out_removes_the_session(launch: Callable[..., SdkApp], mode: str) -> None:
    app = launch(mode)
    front = app.frontend()
    handle = front.ok("POST", "/create", json={"userId": "user-out"})["handle"]
    kept = front.clone()
    assert front.ok("POST", "/auth/signout") == {"status": "OK"}
    assert not _session_exists(app, handle)
    assert kept.call("GET", "/protected-db").status_code == 401
    assert kept.refresh().status_code == 401


def test_merged_payload_then_database_check_after_revocation(launch: Callable[..., SdkApp], mode: str) -> None:
    app = launch(mode)
    front = app.frontend()
    handle = front.ok("POST", "/create", json={"userId": "user-merge"})["handle"]
    merged = front.ok("POST", "/merge", json={"level": 7})
    assert merged["payload"]["level"] == 7 and merged["payload"]["custom"] == "claim"
    assert front.ok("GET", "/protected")["payload"]["level"] == 7  # the regenerated token reached the client
    assert front.ok("GET", "/protected-db")["payload"]["level"] == 7
    copy = front.clone()
    with app.core_client() as client:
        info = client.ok("GET", "/recipe/session", params={"sessionHandle": handle})
        assert info["userDataInJWT"]["level"] == 7
        client.ok("POST", "/recipe/session/remove", json={"sessionHandles": [handle]})
    assert front.call("GET", "/protected-db").status_code == 401
    # The 401 made the SDK clear the tokens; a copy taken before shows that, without the database check,
    # the access token stays valid until it expires.
    assert front.call("GET", "/protected").status_code == 401
    assert copy.ok("GET", "/protected")["payload"]["level"] == 7


def test_two_tabs_refreshing_at_once_both_succeed(launch: Callable[..., SdkApp], mode: str) -> None:
    app = launch(mode)
    front = app.frontend()
    handle = front.ok("POST", "/create", json={"userId": "user-tabs"})["handle"]
    tabs = [front.clone(), front.clone()]
    barrier = threading.Barrier(len(tabs))
    statuses: list[int] = []

    def refresh(tab: Frontend) -> None:
        barrier.wait()
        statuses.append(tab.refresh().status_code)

    threads = [threading.Thread(target=refresh, args=(tab,)) for tab in tabs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert statuses == [200, 200]
    for tab in tabs:
        assert tab.ok("GET", "/protected")["handle"] == handle
    assert _session_exists(app, handle)


def test_static_signing_keys_through_the_sdk(launch: Callable[..., SdkApp]) -> None:
    app = launch("header", static_keys=True)
    front = app.frontend()
    handle = front.ok("POST", "/create", json={"userId": "user-static"})["handle"]
    assert front.ok("GET", "/protected")["handle"] == handle
    assert front.refresh().status_code == 200
    assert front.ok("GET", "/protected-db")["handle"] == handle
