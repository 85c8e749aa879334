"""What verify_session() costs a FastAPI route (issue 4): authdeck against supertokens_python 0.31.4.

The differential test's template app (tests/differential/app_template.py) runs twice under uvicorn, one
worker each, once per package, against one authdeck core (SQLite), each on its own app. One header-mode
session is created per app; then N sequential GETs with its access token hit ``/bench/protected``
(``Depends(verify_session())``) and ``/bench/bare`` (the same reply, no session), on one keep-alive
connection. Overhead = protected − bare.

Three figures per request: the client's wall time, and from the app's ``server-timing`` header (its outermost
ASGI layer, so the auth middleware is included) the app's wall time and the CPU time its process spent. On
this shared 2-core machine the CPU time is the steadiest measure of cost, so the headline ratio uses it; the
wall-time ratios are reported beside it. Packages and routes alternate in rounds, and each figure is the
median of the rounds' medians.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

import httpx
from tests._harness.core_process import API_KEY, CoreProcess
from tests.differential.launch import PACKAGES, RunningApp, start_app

from bench.machine import describe
from bench.results import write_section

TARGET_RATIO = 0.5
ROUTES = ("bare", "protected")
METRICS = {"cpu": "app CPU time", "app": "app wall time", "client": "client wall time"}
HEADLINE = "cpu"

Medians = dict[str, float]  # metric -> median µs over one batch of requests
Rounds = dict[str, dict[str, list[Medians]]]  # package -> route -> one Medians per round


def session_token(app: RunningApp) -> str:
    form = [{"id": "email", "value": "bench@example.com"}, {"id": "password", "value": "bench-password-1"}]
    reply = httpx.post(app.url + "/auth/signup", json={"formFields": form}, headers={"st-auth-mode": "header"})
    if reply.status_code != 200 or reply.json().get("status") != "OK":
        raise RuntimeError(f"{app.package}: sign-up failed: {reply.status_code} {reply.text[:300]}")
    return reply.headers["st-access-token"]


def server_timing(header: str) -> dict[str, float]:
    """``cpu;dur=12.5, app;dur=30.1`` -> {"cpu": 12.5, "app": 30.1}"""
    out = {}
    for part in header.split(","):
        name, _, duration = part.strip().partition(";dur=")
        out[name] = float(duration)
    return out


def timed(client: httpx.Client, path: str, n: int) -> Medians:
    """Median µs per request of each metric over ``n`` sequential requests."""
    samples: dict[str, list[float]] = {metric: [] for metric in METRICS}
    for _ in range(n):
        started = time.perf_counter()
        reply = client.get(path)
        samples["client"].append((time.perf_counter() - started) * 1e6)
        if reply.status_code != 200:
            raise RuntimeError(f"GET {path} -> {reply.status_code}: {reply.text[:200]}")
        for metric, value in server_timing(reply.headers["server-timing"]).items():
            samples[metric].append(value)
    return {metric: statistics.median(values) for metric, values in samples.items()}


def measure(apps: dict[str, RunningApp], rounds: int, n: int) -> Rounds:
    clients = {
        p: httpx.Client(base_url=a.url, headers={"authorization": f"Bearer {session_token(a)}"}, timeout=30)
        for p, a in apps.items()
    }
    results: Rounds = {p: {route: [] for route in ROUTES} for p in apps}
    try:
        for client in clients.values():  # warm-up: lazy imports, the JWKS fetch, the connection
            for route in ROUTES:
                timed(client, f"/bench/{route}", max(20, n // 5))
        for r in range(rounds):
            packages = list(apps) if r % 2 == 0 else list(reversed(apps))
            routes = ROUTES if r % 2 == 0 else tuple(reversed(ROUTES))
            for package in packages:
                for route in routes:
                    results[package][route].append(timed(clients[package], f"/bench/{route}", n))
            print(f"  round {r + 1}/{rounds} done", flush=True)
    finally:
        for client in clients.values():
            client.close()
    return results


def p50(batches: list[Medians], metric: str) -> float:
    return statistics.median(b[metric] for b in batches)


def overhead(by_route: dict[str, list[Medians]], metric: str) -> float:
    return p50(by_route["protected"], metric) - p50(by_route["bare"], metric)


def report(results: Rounds, rounds: int, n: int) -> tuple[str, float]:
    ours, theirs = results["authdeck"], results["supertokens_python"]
    lines = [
        f"{rounds} rounds × {n} sequential GETs per route and package, alternating; each figure is the median of "
        "the rounds' p50s, in µs per request (loopback, keep-alive, one uvicorn worker per app, header-mode "
        "access token verified locally, one authdeck core on SQLite). The bare route already includes each "
        "package's middleware; overhead = protected − bare is what `verify_session()` adds.",
        "",
        "| measure | package | bare route p50 | protected route p50 | overhead of verify_session() |",
        "|---|---|---|---|---|",
    ]
    for metric, title in METRICS.items():
        for package, by_route in results.items():
            lines.append(
                f"| {title} | {package} | {p50(by_route['bare'], metric):.0f} "
                f"| {p50(by_route['protected'], metric):.0f} | {overhead(by_route, metric):.0f} |"
            )
    ratios = {metric: overhead(ours, metric) / overhead(theirs, metric) for metric in METRICS}
    headline = ratios[HEADLINE]
    verdict = "met" if headline <= TARGET_RATIO else "NOT met"
    others = ", ".join(f"{METRICS[m]} {r:.2f}" for m, r in ratios.items() if m != HEADLINE)
    lines += [
        "",
        f"**Overhead ratio authdeck / supertokens_python ({METRICS[HEADLINE]}): {headline:.2f}** "
        f"(target ≤ {TARGET_RATIO}: {verdict}). The same ratio from {others}.",
    ]
    return "\n".join(lines), headline


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
        body, _ratio = report(measure(apps, rounds, n), rounds, n)
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
