"""What verify_session() costs a FastAPI route (issue 4): authdeck against supertokens_python 0.31.4.

The differential test's template app (tests/differential/app_template.py) runs twice under uvicorn, one
worker each, once per package, against one authdeck core (SQLite), each on its own app. One header-mode
session is created per app; then N sequential GETs with its access token hit ``/bench/protected``
(``Depends(verify_session())``) and ``/bench/bare`` (the same reply, no session), on one keep-alive
connection. Overhead = protected − bare. The machine is shared, so packages and routes alternate in rounds
and each figure is the median of the rounds' medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from tests._harness.core_process import API_KEY, CoreProcess
from tests.differential.launch import PACKAGES, RunningApp, start_app

from bench.machine import describe
from bench.results import write_section

TARGET_RATIO = 0.5
ROUTES = ("bare", "protected")


@dataclass
class Timings:
    rounds: dict[str, list[float]] = field(default_factory=lambda: {r: [] for r in ROUTES})  # µs medians

    def p50(self, route: str) -> float:
        return statistics.median(self.rounds[route])

    def overheads(self) -> list[float]:
        return [p - b for p, b in zip(self.rounds["protected"], self.rounds["bare"], strict=True)]

    def overhead(self) -> float:
        return self.p50("protected") - self.p50("bare")


def session_token(app: RunningApp) -> str:
    form = [{"id": "email", "value": "bench@example.com"}, {"id": "password", "value": "bench-password-1"}]
    reply = httpx.post(app.url + "/auth/signup", json={"formFields": form}, headers={"st-auth-mode": "header"})
    if reply.status_code != 200 or reply.json().get("status") != "OK":
        raise RuntimeError(f"{app.package}: sign-up failed: {reply.status_code} {reply.text[:300]}")
    return reply.headers["st-access-token"]


def timed(client: httpx.Client, path: str, n: int) -> float:
    """Median µs per request over ``n`` sequential requests."""
    samples = []
    for _ in range(n):
        started = time.perf_counter()
        reply = client.get(path)
        samples.append((time.perf_counter() - started) * 1e6)
        if reply.status_code != 200:
            raise RuntimeError(f"GET {path} -> {reply.status_code}: {reply.text[:200]}")
    return statistics.median(samples)


def measure(apps: dict[str, RunningApp], rounds: int, n: int) -> dict[str, Timings]:
    clients = {
        p: httpx.Client(base_url=a.url, headers={"authorization": f"Bearer {session_token(a)}"}, timeout=30)
        for p, a in apps.items()
    }
    results = {p: Timings() for p in apps}
    try:
        for client in clients.values():  # warm-up: imports, JWKS fetch, connection
            for route in ROUTES:
                timed(client, f"/bench/{route}", max(20, n // 5))
        for r in range(rounds):
            packages = list(apps) if r % 2 == 0 else list(reversed(apps))
            routes = ROUTES if r % 2 == 0 else tuple(reversed(ROUTES))
            for package in packages:
                for route in routes:
                    results[package].rounds[route].append(timed(clients[package], f"/bench/{route}", n))
            print(f"  round {r + 1}/{rounds} done", flush=True)
    finally:
        for client in clients.values():
            client.close()
    return results


def report(results: dict[str, Timings], rounds: int, n: int) -> tuple[str, float]:
    ours, theirs = results["authdeck"], results["supertokens_python"]
    ratio = ours.overhead() / theirs.overhead()
    lines = [
        f"{rounds} rounds × {n} sequential GETs per route and package, alternating; each figure is the median of "
        "the rounds' p50s, in µs per request as seen by the client (loopback, keep-alive, one uvicorn worker "
        "per app, header-mode access token, one authdeck core on SQLite).",
        "",
        "| package | bare route p50 (µs) | protected route p50 (µs) | overhead of verify_session() (µs) "
        "| overhead range over rounds (µs) |",
        "|---|---|---|---|---|",
    ]
    for package, t in results.items():
        spread = t.overheads()
        lines.append(
            f"| {package} | {t.p50('bare'):.0f} | {t.p50('protected'):.0f} | {t.overhead():.0f} "
            f"| {min(spread):.0f} – {max(spread):.0f} |"
        )
    verdict = "met" if ratio <= TARGET_RATIO else "NOT met"
    lines += [
        "",
        f"**Overhead ratio authdeck / supertokens_python: {ratio:.2f}** (target ≤ {TARGET_RATIO}: {verdict}).",
    ]
    return "\n".join(lines), ratio


def run(*, quick: bool = False) -> None:
    rounds, n = (3, 100) if quick else (10, 400)
    tmp = Path(tempfile.mkdtemp(prefix="authdeck-bench-sdk-"))
    core = CoreProcess.start(f"sqlite:///{tmp / 'sdk.db'}", tmp)
    apps: dict[str, RunningApp] = {}
    try:
        for package in PACKAGES:
            with core.new_app() as client:
                uri = f"{core.url}/appid-{client.app_id}"
            apps[package] = start_app(package, uri, API_KEY, tmp)
        body, ratio = report(measure(apps, rounds, n), rounds, n)
    finally:
        for app in apps.values():
            app.stop()
        core.stop()
    print(body, flush=True)
    write_section(
        "sdk" + ("-quick" if quick else ""),
        "SDK: verify_session() overhead on a FastAPI route (issue 4)" + (" — quick sizes" if quick else ""),
        body,
        command="python -m bench sdk" + (" --quick" if quick else ""),
        machine=describe(),
    )
