"""The same dashboard API calls on an app built with supertokens_python 0.31.4's dashboard recipe and on one
built with ours, each on a fresh core app seeded alike: the JSON answers must match (ids and times aside).

Each app runs under uvicorn in its own process (both SDKs' init() is process-global).
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._harness import served
from tests._harness.core_process import CoreClient, CoreProcess
from tests._harness.ports import free_port
from tests.differential.launch import OFFLINE_ENV
from tests.recipe.dashboard._app import ADMIN, PASSWORD, VIEWER

SCRIPT = Path(__file__).parent / "apps" / "compat_app.py"
Exchange = tuple[str, str, int, Any]  # method, path, status, normalised JSON


@dataclass
class Seeded:
    ids: dict[str, str]  # real id -> placeholder


def seed(core: CoreClient) -> Seeded:
    ids: dict[str, str] = {}
    for email in (ADMIN, VIEWER):
        core.ok("POST", "/recipe/dashboard/user", json={"email": email, "password": PASSWORD})
    for name in ("ada", "bob"):
        reply = core.ok("POST", "/public/recipe/signup", json={"email": f"{name}@example.com", "password": "abcd1234"})
        ids[reply["user"]["id"]] = f"<{name}>"
    ada = next(k for k, v in ids.items() if v == "<ada>")
    core.ok("PUT", "/recipe/user/metadata", json={"userId": ada, "metadataUpdate": {"first_name": "Ada", "k": 1}})
    core.ok("PUT", "/recipe/role", json={"role": "editor", "permissions": ["read", "write"]})
    core.ok("PUT", "/public/recipe/user/role", json={"userId": ada, "role": "editor"})
    created = core.ok(
        "POST",
        "/public/recipe/session",
        json={"userId": ada, "userDataInJWT": {"k": "v"}, "userDataInDatabase": {"d": 1}, "enableAntiCsrf": False},
    )
    ids[created["session"]["handle"]] = "<session>"
    return Seeded(ids)


def normalise(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, dict):
        opaque = {"sessionId": "<sid>", "nextPaginationToken": "<token>"}  # ids and times inside
        return {k: (opaque[k] if k in opaque and v is not None else normalise(v, ids)) for k, v in value.items()}
    if isinstance(value, list):
        return [normalise(v, ids) for v in value]
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, int) and not isinstance(value, bool) and value > 10**12:
        return "<time>"
    return value


def script(http: httpx.Client, seeded: Seeded) -> list[Exchange]:
    """The calls a dashboard session makes, as the admin unless said otherwise."""
    real = {v: k for k, v in seeded.ids.items()}
    ada, bob, handle = real["<ada>"], real["<bob>"], real["<session>"]
    out: list[Exchange] = []

    def call(method: str, path: str, token: str | None = None, **kwargs: Any) -> Any:
        headers = {"authorization": f"Bearer {token}"} if token else {}
        reply = http.request(method, "/auth/dashboard/api" + path, headers=headers, **kwargs)
        http.cookies.clear()
        body = reply.json() if reply.content else None
        if isinstance(body, dict) and body.get("status") == "OK" and "user" in body and "recipeUserId" in body:
            seeded.ids.setdefault(body["user"]["id"], "<created>")  # a user the script creates
        out.append((method, path, reply.status_code, normalise(body, seeded.ids)))
        return body

    call("POST", "/signin", json={"email": ADMIN, "password": "wrong-pass-1"})
    call("POST", "/signin", json={"password": PASSWORD})
    admin = call("POST", "/signin", json={"email": ADMIN, "password": PASSWORD})["sessionId"]
    viewer = call("POST", "/signin", json={"email": VIEWER, "password": PASSWORD})["sessionId"]
    call("GET", "/users", params={"limit": 10})
    call("GET", "/users", admin, params={"limit": 10})
    call("GET", "/users", admin, params={"limit": 10, "email": "ad"})
    call("GET", "/users", admin, params={"limit": 1, "timeJoinedOrder": "ASC"})
    call("GET", "/users", admin)
    call("GET", "/users", admin, params={"limit": 10, "timeJoinedOrder": "UP"})
    call("GET", "/users/count", admin)
    call("GET", "/user", admin, params={"userId": ada})
    call("GET", "/user", admin, params={"userId": "nobody"})
    call("GET", "/user", admin)
    call("GET", "/user/metadata", admin, params={"userId": ada})
    call("GET", "/user/sessions", admin, params={"userId": ada})
    call("GET", "/user/email/verify", admin, params={"recipeUserId": ada})
    call("GET", "/search/tags", admin)
    call("GET", "/userroles/roles", admin)
    call("GET", "/userroles/role/permissions", admin, params={"role": "editor"})
    call("GET", "/userroles/role/permissions", admin, params={"role": "ghost"})
    call("GET", "/userroles/user/roles", admin, params={"userId": ada})
    call("POST", "/analytics", admin, json={"email": ADMIN, "dashboardVersion": "0.13.0"})
    put = {"recipeUserId": ada, "recipeId": "emailpassword", "firstName": "Augusta", "lastName": "King",
           "email": "", "phone": ""}
    call("PUT", "/user", admin, json=put)
    call("PUT", "/user", admin, json={**put, "email": "not-an-email"})
    call("PUT", "/user", admin, json={**put, "email": "bob@example.com"})
    call("PUT", "/user", admin, json={**put, "firstName": None})
    call("GET", "/user", admin, params={"userId": ada})
    call("PUT", "/user/metadata", admin, json={"userId": ada, "data": '{"x": {"y": 1}}'})
    call("GET", "/user/metadata", admin, params={"userId": ada})
    call("PUT", "/user/metadata", admin, json={"userId": ada, "data": "[1]"})
    call("PUT", "/user/email/verify", admin, json={"recipeUserId": ada, "verified": True})
    call("GET", "/user/email/verify", admin, params={"recipeUserId": ada})
    call("POST", "/user/email/verify/token", admin, json={"recipeUserId": ada})
    call("PUT", "/user/email/verify", admin, json={"recipeUserId": ada, "verified": False})
    call("POST", "/user/email/verify/token", admin, json={"recipeUserId": ada})
    call("PUT", "/user/password", admin, json={"recipeUserId": ada, "newPassword": "weak"})
    call("PUT", "/user/password", admin, json={"recipeUserId": ada, "newPassword": "better-pass-1"})
    call("PUT", "/userroles/role", admin, json={"role": "writer", "permissions": ["w"]})
    call("PUT", "/userroles/role", admin, json={"role": "writer", "permissions": ["w2"]})
    call("GET", "/userroles/role/permissions", admin, params={"role": "writer"})
    call("PUT", "/userroles/user/roles", admin, json={"userId": bob, "role": "writer"})
    call("PUT", "/userroles/user/roles", admin, json={"userId": bob, "role": "ghost"})
    call("GET", "/userroles/user/roles", admin, params={"userId": bob})
    call("DELETE", "/userroles/user/roles", admin, params={"userId": bob, "role": "writer"})
    call("PUT", "/userroles/role/permissions/remove", admin, json={"role": "writer", "permissions": ["w"]})
    call("PUT", "/userroles/role/permissions/remove", admin, json={"role": "ghost", "permissions": ["w"]})
    call("DELETE", "/userroles/role", admin, params={"role": "writer"})
    call("DELETE", "/userroles/role", admin, params={"role": "writer"})
    call("POST", "/user/emailpassword", admin, json={"email": "new@example.com", "password": "abcd1234"})
    call("POST", "/user/emailpassword", admin, json={"email": "new@example.com", "password": "abcd1234"})
    call("POST", "/user/emailpassword", admin, json={"email": "bad", "password": "abcd1234"})
    call("POST", "/user/emailpassword", admin, json={"email": "ok@example.com", "password": "short"})
    call("POST", "/user/sessions", admin, json={"sessionHandles": [handle]})
    call("GET", "/user/sessions", admin, params={"userId": ada})
    call("DELETE", "/user", viewer, params={"userId": bob})
    call("GET", "/user/unlink", viewer, params={"recipeUserId": ada})  # a write, though a GET
    call("GET", "/users/count", viewer)
    call("DELETE", "/user", admin, params={"userId": bob})
    call("GET", "/user", admin, params={"userId": bob})
    call("POST", "/key/validate", admin)
    call("POST", "/signout", viewer)
    call("GET", "/users/count", viewer)
    return out


def deliberate(http: httpx.Client) -> list[tuple[str, int]]:
    """Calls where we differ from upstream on purpose: upstream's flaws (docs/compatibility.md)."""
    calls = [
        ("malformed authorization", "GET", "/users/count", {"authorization": "no-scheme"}, {}),
    ]
    seen = []
    for name, method, path, headers, kwargs in calls:
        reply = http.request(method, "/auth/dashboard/api" + path, headers=headers, **kwargs)
        seen.append((name, reply.status_code))
    return seen


@pytest.fixture
def start(core: CoreProcess, tmp_path: Path) -> Iterator[Any]:
    procs: list[subprocess.Popen[bytes]] = []

    def run(package: str, client: CoreClient) -> str:
        port = free_port()
        log_path = tmp_path / f"{package}-{port}.log"
        cmd = [sys.executable, str(SCRIPT), "--package", package, "--port", str(port)]
        cmd += ["--connection-uri", f"{core.url}/appid-{client.app_id}"]
        env = {**os.environ, **OFFLINE_ENV, "DASH_CORE_API_KEY": core.api_key or "", "DASH_ADMINS": ADMIN}
        url = f"http://127.0.0.1:{port}"
        procs.append(served.launch(cmd, log_path, url + "/health", what=f"{package} dashboard app", env=env))
        return url

    yield run
    for proc in procs:
        served.stop(proc)


@pytest.mark.slow
def test_dashboard_api_answers_like_supertokens_python(core: CoreProcess, start: Any) -> None:
    answers: dict[str, list[Exchange]] = {}
    fixed: dict[str, list[tuple[str, int]]] = {}
    for package in ("supertokens_python", "authdeck"):
        with core.new_app() as client:
            seeded = seed(client)
            url = start(package, client)
            with httpx.Client(base_url=url, timeout=30) as http:
                answers[package] = script(http, seeded)
                fixed[package] = deliberate(http)
    upstream, ours = answers["supertokens_python"], answers["authdeck"]
    assert len(upstream) == len(ours)
    differences = [
        {"call": f"{u[0]} {u[1]}", "upstream": u[2:], "authdeck": o[2:]}
        for u, o in zip(upstream, ours, strict=True)
        if u != o
    ]
    assert differences == []
    # Upstream crashes on an Authorization header without a scheme; we answer 401.
    assert fixed == {
        "supertokens_python": [("malformed authorization", 500)],
        "authdeck": [("malformed authorization", 401)],
    }
