"""Dashboard API at scale (issue 5): with 1M users in a real core, time the users-list route and a user-detail
view (the five GETs the UI makes for one user) end to end through the SDK, against the core's own latency.

The app (bench/_dashboard_app.py) runs under uvicorn in a subprocess, one worker, and signs in a dashboard user
through ``POST /auth/dashboard/api/signin``; requests carry ``Authorization: Bearer <sessionId>``. Users are seeded
with bench.users' seed() (the bulk import path). Baselines in the same run: the same data asked of the core
directly, and the exact core calls the SDK makes for each route.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from tests._harness import served
from tests._harness.core_process import API_KEY, CoreProcess
from tests._harness.ports import free_port
from tests._harness.postgres import PostgresServer

from authdeck.core.crypto.passwords import PasswordHashing
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import make_engine
from bench.machine import describe
from bench.results import write_section
from bench.stats import Summary
from bench.users import seed, user

API = "/auth/dashboard/api"
LIST_TARGET_MS = 15.0
DETAIL_TARGET_MS = 30.0
WARM_UP = 20
BUDGET_S = 15 * 60  # PostgreSQL runs too only if the whole run is expected to stay under this
DASHBOARD_EMAIL = "bench-admin@example.com"
DASHBOARD_PASSWORD = "bench-password-1"
ROOT = Path(__file__).resolve().parent.parent

Sample = Callable[[], Awaitable[float]]  # one measured operation -> its wall time in ms


@dataclass
class App:
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    @classmethod
    def start(
        cls, connection_uri: str, log_dir: Path, *, module: str = "bench._dashboard_app", health: str = "/health"
    ) -> App:
        """Run ``module`` (an app taking --port and --connection-uri) and wait until ``health`` answers 200."""
        port = free_port()
        log_path = log_dir / f"{module.rpartition('.')[2].lstrip('_')}-{port}.log"
        cmd = [sys.executable, "-m", module, "--port", str(port), "--connection-uri", connection_uri]
        env = {**os.environ, "AUTHDECK_BENCH_API_KEY": API_KEY}
        url = f"http://127.0.0.1:{port}"
        proc = served.launch(cmd, log_path, url + health, what=module, env=env, cwd=ROOT)
        return cls(url, proc, log_path)

    def stop(self) -> None:
        served.stop(self.proc)


def prepare(core: CoreProcess, size: int) -> None:
    """A dashboard user, and a target user (the middle one) with metadata, a role and a session to show."""
    target = user(size // 2, "")
    with core.client() as c:
        c.ok("POST", "/recipe/dashboard/user", json={"email": DASHBOARD_EMAIL, "password": DASHBOARD_PASSWORD})
        c.ok("PUT", "/recipe/role", json={"role": "viewer", "permissions": ["read"]})
        c.ok("PUT", "/public/recipe/user/role", json={"userId": target.user_id, "role": "viewer"})
        update = {"first_name": "Ada", "last_name": "Lovelace", "plan": "pro"}
        c.ok("PUT", "/recipe/user/metadata", json={"userId": target.user_id, "metadataUpdate": update})
        session = {"userId": target.user_id, "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False}
        c.ok("POST", "/public/recipe/session", json=session)


async def checked(client: httpx.AsyncClient, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
    reply = await client.request(method, path, **kwargs)
    if reply.status_code != 200:
        raise RuntimeError(f"{method} {path} -> {reply.status_code}: {reply.text[:300]}")
    body: dict[str, Any] = reply.json()
    if "status" in body and body["status"] != "OK":
        raise RuntimeError(f"{method} {path} -> {body}")
    return body


async def timed(sample: Sample, n: int) -> Summary:
    for _ in range(WARM_UP):
        await sample()
    return Summary.of([await sample() for _ in range(n)])


def clock(fn: Callable[[], Awaitable[object]]) -> Sample:
    async def sample() -> float:
        started = time.perf_counter()
        await fn()
        return (time.perf_counter() - started) * 1000

    return sample


async def measure(core_url: str, app_url: str, size: int, n: int) -> dict[str, Summary]:
    target = user(size // 2, "")
    uid = target.user_id
    core_headers = {"cdi-version": "5.4", "api-key": API_KEY}
    limits = httpx.Limits(max_connections=10, max_keepalive_connections=10)
    async with (
        httpx.AsyncClient(base_url=core_url, headers=core_headers, timeout=30, limits=limits) as core,
        httpx.AsyncClient(base_url=app_url, timeout=30, limits=limits) as sdk,
    ):
        signed_in = await checked(
            sdk, "POST", f"{API}/signin", json={"email": DASHBOARD_EMAIL, "password": DASHBOARD_PASSWORD}
        )
        session_id = signed_in["sessionId"]
        sdk.headers["authorization"] = f"Bearer {session_id}"

        users_page = "/public/users?limit=10&timeJoinedOrder=DESC"
        newest = [u["id"] for u in (await checked(core, "GET", users_page))["users"]]
        detail = {
            "user": f"{API}/user?userId={uid}&recipeId=emailpassword",
            "metadata": f"{API}/user/metadata?userId={uid}",
            "sessions": f"{API}/user/sessions?userId={uid}",
            "roles": f"{API}/userroles/user/roles?userId={uid}",
            "email verified": f"{API}/user/email/verify?recipeUserId={uid}&recipeId=emailpassword",
        }
        core_detail = {
            "user": f"/user/id?userId={uid}",
            "metadata": f"/recipe/user/metadata?userId={uid}",
            "sessions": f"/public/recipe/session/user?userId={uid}&fetchAcrossAllTenants=true",
            "roles": f"/public/recipe/user/roles?userId={uid}",
            "email verified": f"/recipe/user/email/verify?userId={uid}&email={target.email}",
        }
        shown = await checked(sdk, "GET", detail["user"])
        if shown["user"]["id"] != uid or shown["user"]["firstName"] != "Ada":
            raise RuntimeError(f"the dashboard showed the wrong user: {shown}")
        if len((await checked(sdk, "GET", detail["sessions"]))["sessions"]) != 1:
            raise RuntimeError("the target user's session is missing from the dashboard")

        async def sdk_list() -> None:
            page = await checked(sdk, "GET", f"{API}/users?limit=10&timeJoinedOrder=DESC")
            if [u["id"] for u in page["users"]] != newest:
                raise RuntimeError("the dashboard's first page differs from the core's")

        async def core_list_as_sdk() -> None:
            # What the SDK route asks the core, in order: the guard's session check, the page, the page's names.
            await checked(core, "POST", "/recipe/dashboard/session/verify", json={"sessionId": session_id})
            await checked(core, "GET", users_page)
            await checked(core, "POST", "/recipe/user/metadata/bulk", json={"userIds": newest})

        async def sdk_detail() -> None:
            await asyncio.gather(*(checked(sdk, "GET", p) for p in detail.values()))

        async def sdk_detail_in_series() -> None:
            for p in detail.values():
                await checked(sdk, "GET", p)

        async def core_detail_all() -> None:
            await asyncio.gather(*(checked(core, "GET", p) for p in core_detail.values()))

        results = {
            "list: SDK `GET /users?limit=10&timeJoinedOrder=DESC`": await timed(clock(sdk_list), n),
            "list baseline: core `GET /public/users?limit=10` alone": await timed(
                clock(lambda: checked(core, "GET", users_page)), n
            ),
            "list baseline: the 3 core calls the SDK route makes, in series": await timed(
                clock(core_list_as_sdk), n
            ),
            "detail: SDK, the 5 GETs concurrently": await timed(clock(sdk_detail), n),
            "detail: SDK, the 5 GETs one after another (the UI's request queue)": await timed(
                clock(sdk_detail_in_series), n
            ),
            "detail baseline: the 5 matching core GETs concurrently": await timed(clock(core_detail_all), n),
        }
        for name, path in detail.items():
            results[f"detail part: SDK `{path.split('?')[0].removeprefix(API)}` ({name})"] = await timed(
                clock(lambda path=path: checked(sdk, "GET", path)), n  # type: ignore[misc]
            )
        for name, path in core_detail.items():
            results[f"detail part baseline: core `{path.split('?')[0]}` ({name})"] = await timed(
                clock(lambda path=path: checked(core, "GET", path)), n  # type: ignore[misc]
            )
    return results


def run_backend(url: str, size: int, n: int, tmp: Path, password_hash: str) -> tuple[str, dict[str, Summary]]:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        seconds = seed(engine, 0, size, password_hash)
    finally:
        engine.dispose()
    seeded = f"{size:,} users in {seconds:.1f} s ({size / seconds:,.0f}/s)"
    core = CoreProcess.start(url, tmp)
    app: App | None = None
    try:
        prepare(core, size)
        app = App.start(core.url, tmp)
        results = asyncio.run(measure(core.url, app.url, size, n))
    finally:
        if app is not None:
            app.stop()
        core.stop()
    return seeded, results


def verdict(p50: float, target: float) -> str:
    return f"p50 {p50:.2f} ms, target ≤ {target:.0f} ms: {'met' if p50 <= target else 'NOT met'}"


def table(backend: str, seeded: str, results: dict[str, Summary]) -> list[str]:
    lines = [f"### {backend}\n", f"Seeded through `authdeck users import`'s path: {seeded}.\n"]
    lines += ["| operation | p50 / p99 (ms) |", "|---|---|"]
    lines += [f"| {name} | {summary.ms()} |" for name, summary in results.items()]
    names = list(results)
    sdk_list, core_list, core_calls = (results[names[i]] for i in range(3))
    sdk_detail, _series, core_detail = (results[names[i]] for i in range(3, 6))
    lines += [
        "",
        f"- **Users list through the SDK: {verdict(sdk_list.p50, LIST_TARGET_MS)}**; the core alone answers the "
        f"same page in {core_list.p50:.2f} ms, and the three core calls the route makes take {core_calls.p50:.2f} "
        f"ms in series, so the SDK's own cost is about {sdk_list.p50 - core_calls.p50:.2f} ms.",
        f"- **User detail through the SDK (5 concurrent GETs): {verdict(sdk_detail.p50, DETAIL_TARGET_MS)}**; "
        f"the five matching core GETs take {core_detail.p50:.2f} ms concurrently.",
        "",
    ]
    return lines


def run(*, quick: bool = False) -> None:
    size = 10_000 if quick else 1_000_000
    n = 200
    started = time.monotonic()
    password_hash = PasswordHashing(bcrypt_rounds=4).hash("bench-password-1")
    tmp = Path(tempfile.mkdtemp(prefix="authdeck-bench-dashboard-"))
    lines: list[str] = []
    seeded, results = run_backend(f"sqlite:///{tmp / 'dashboard.db'}", size, n, tmp, password_hash)
    lines += table("sqlite", seeded, results)
    print("\n".join(lines), flush=True)
    sqlite_s = time.monotonic() - started
    # PostgreSQL seeds about 15% slower than SQLite here (see the users section); skip it if that would
    # take the whole run past the budget.
    if quick or sqlite_s * 2.2 <= BUDGET_S:
        pg = PostgresServer.start()
        try:
            seeded, results = run_backend(pg.create_database("bench_dashboard"), size, n, tmp, password_hash)
        finally:
            pg.stop()
        pg_lines = table("postgresql", seeded, results)
        print("\n".join(pg_lines), flush=True)
        lines += pg_lines
    else:
        lines.append(
            f"### postgresql\n\nNot run: the SQLite half took {sqlite_s / 60:.1f} min, so seeding and measuring "
            f"PostgreSQL too would have taken the run past {BUDGET_S // 60} min.\n"
        )
    total = (time.monotonic() - started) / 60
    body = (
        f"{size:,} users. Client wall times in ms over {n} runs of each operation after {WARM_UP} warm-up runs, "
        "on loopback with keep-alive connections. The app is bench/_dashboard_app.py under uvicorn (one worker, "
        "FastAPI, session + emailpassword + emailverification + usermetadata + userroles + dashboard), talking to "
        "a real core; every dashboard request carries `Authorization: Bearer <sessionId>`, which the SDK checks "
        "with the core (`POST /recipe/dashboard/session/verify`) before the route runs. The detail view's user "
        f"has metadata, one role and one session. Whole run: {total:.1f} min.\n\n" + "\n".join(lines)
    )
    write_section(
        "dashboard" + ("-quick" if quick else ""),
        "Dashboard API: users list and user detail (issue 5)" + (" — quick sizes" if quick else ""),
        body,
        command="python -m bench dashboard" + (" --quick" if quick else ""),
        machine=describe(),
    )
