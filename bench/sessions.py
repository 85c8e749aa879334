"""Sessions at scale (issue 3): creation throughput against raw RS256 signing, and refresh / verify latency
with 1M live sessions, on a real core over SQLite and PostgreSQL.

Server-side times come from the core's Server-Timing header. Baselines measured in the same run: PyJWT
RS256 signatures of a token the size of the core's (the ceiling of session creation), the core's /telemetry
(its dispatch floor) and the primary-key SELECT of a session row in-process (the raw database cost).
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import jwt
from tests._harness.core_process import CoreProcess
from tests._harness.postgres import PostgresServer

from authdeck.core.config import CoreSettings
from authdeck.core.context import RequestContext
from authdeck.core.crypto.keys import new_private_key
from authdeck.core.routing import Router
from authdeck.core.state import CoreState
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import make_engine, transaction
from authdeck.core.storage.queries import session as session_queries
from bench import _sessions_seed
from bench.machine import describe
from bench.results import write_section
from bench.stats import Summary

PAYLOAD = {"role": "member", "plan": "free"}  # a small userDataInJWT
WORKERS = 4  # concurrent client threads for the throughput figure
CORES = os.cpu_count() or 1
WARM_UP = 10


@dataclass(frozen=True)
class Sizes:
    seeded: int  # rows inserted directly, besides the sessions made through the API
    api_sessions: int  # sessions made through the API, then refreshed and verified round-robin
    calls: int  # timed calls per latency figure
    rounds: int  # alternating rounds of signing baseline and core throughput
    seconds: float  # length of each throughput measurement


QUICK = Sizes(seeded=20_000, api_sessions=100, calls=200, rounds=2, seconds=3.0)
FULL = Sizes(seeded=1_000_000, api_sessions=300, calls=1_000, rounds=5, seconds=8.0)


def log(message: str) -> None:
    print(f"  {message}", flush=True)


# --- calls to the core -----------------------------------------------------------------------------


def server_ms(reply: httpx.Response) -> float:
    return float(reply.headers["server-timing"].split("dur=")[1])


def ok(reply: httpx.Response) -> dict[str, Any]:
    if reply.status_code != 200:
        raise RuntimeError(f"{reply.request.url.path} -> {reply.status_code}: {reply.text[:200]}")
    body: dict[str, Any] = reply.json()
    if body.get("status", "OK") != "OK":
        raise RuntimeError(f"{reply.request.url.path} -> {body}")
    return body


def create_body(n: int) -> dict[str, Any]:
    return {
        "userId": f"bench-user-{n}",
        "userDataInJWT": PAYLOAD,
        "userDataInDatabase": {},
        "enableAntiCsrf": False,
        "useDynamicSigningKey": True,
    }


def create(client: httpx.Client, n: int) -> httpx.Response:
    return client.post("/public/recipe/session", json=create_body(n))


def refresh(client: httpx.Client, token: str) -> httpx.Response:
    body = {"refreshToken": token, "enableAntiCsrf": False, "useDynamicSigningKey": True}
    return client.post("/recipe/session/refresh", json=body)


def verify(client: httpx.Client, token: str, *, check_database: bool) -> httpx.Response:
    body = {"accessToken": token, "doAntiCsrfCheck": False, "enableAntiCsrf": False, "checkDatabase": check_database}
    return client.post("/recipe/session/verify", json=body)


@dataclass(frozen=True)
class Row:
    """One line of the latency table: ms per call, server-side (or in-process), client-side, core CPU."""

    server: Summary
    client: Summary | None = None
    core_cpu_ms: float | None = None


def timed(core: CoreProcess, call: Callable[[int], httpx.Response], n: int) -> Row:
    """``n`` sequential calls after a warm-up; ``call(i)`` makes call i."""
    server: list[float] = []
    wall: list[float] = []
    cpu = 0.0
    for i in range(n + WARM_UP):
        if i == WARM_UP:
            cpu = process_cpu(core.proc.pid)
        started = time.perf_counter()
        reply = call(i)
        elapsed = (time.perf_counter() - started) * 1000
        ok(reply)
        if i >= WARM_UP:
            wall.append(elapsed)
            server.append(server_ms(reply))
    cpu = process_cpu(core.proc.pid) - cpu
    return Row(Summary.of(server), Summary.of(wall), cpu * 1000 / n)


def in_process(fn: Callable[[int], object], n: int) -> Summary:
    samples = []
    for i in range(n + WARM_UP):
        started = time.perf_counter()
        fn(i)
        if i >= WARM_UP:
            samples.append((time.perf_counter() - started) * 1000)
    return Summary.of(samples)


def process_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by process ``pid``; NaN where /proc is missing."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Rate:
    ops: int
    seconds: float
    cpu: float  # CPU seconds this process used meanwhile

    @property
    def per_second(self) -> float:
        return self.ops / self.seconds

    @property
    def cpu_ms(self) -> float:
        return self.cpu * 1000 / self.ops


def parallel(threads: int, seconds: float, setup: Callable[[], Any], step: Callable[[Any], None]) -> Rate:
    """``threads`` threads looping ``step(setup())`` for ``seconds``, started together.

    Operations in flight at the deadline finish and count, over the real elapsed time.
    """
    start: list[float] = []
    ends = [0.0] * threads
    counts = [0] * threads
    errors: list[BaseException] = []
    barrier = threading.Barrier(threads, action=lambda: start.append(time.perf_counter()))

    def worker(w: int) -> None:
        try:
            resource = setup()
            barrier.wait()
            deadline = start[0] + seconds
            while time.perf_counter() < deadline:
                step(resource)
                counts[w] += 1
            ends[w] = time.perf_counter()
        except BaseException as exc:  # surfaced below: a failed worker must fail the benchmark
            errors.append(exc)
            barrier.abort()

    pool = [threading.Thread(target=worker, args=(w,)) for w in range(threads)]
    cpu = time.process_time()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    cpu = time.process_time() - cpu
    if errors:
        raise errors[0]
    return Rate(sum(counts), max(ends) - start[0], cpu)


# --- 1. creation throughput against RS256 signing --------------------------------------------------


@dataclass(frozen=True)
class Throughput:
    core: float  # sessions created per second by WORKERS clients
    sign_1: float  # RS256 signatures per second, one thread
    sign_n: float  # RS256 signatures per second, WORKERS threads of one process
    under_load: Summary  # server-side ms of a create during the core measurement
    sign_cpu_ms: float  # CPU per signature (both signing runs)
    core_cpu_ms: float  # CPU of the core process per create
    client_cpu_ms: float  # CPU of the clients (this process) per create

    @property
    def ratio(self) -> float:
        return self.core / (self.sign_1 * CORES)

    @property
    def ratio_measured(self) -> float:
        return self.core / self.sign_n


def throughput(core: CoreProcess, sizes: Sizes, label: str) -> tuple[list[Throughput], Summary, int]:
    """Alternate the signing baseline and the core's creation rate, ``sizes.rounds`` times.

    Returns the rounds, the time of one signature on one thread, and the size of the core's access token.
    """
    with core.client() as client:
        sample = ok(create(client, 0))["accessToken"]["token"]
    claims = jwt.decode(sample, options={"verify_signature": False})
    header = jwt.get_unverified_header(sample)
    key = new_private_key()  # the core's key size
    extra = {"kid": header["kid"], "version": header["version"]}
    signed = jwt.encode(claims, key, algorithm="RS256", headers=extra)
    if abs(len(signed) - len(sample)) > 8:
        raise RuntimeError(f"baseline token is {len(signed)} chars, the core's {len(sample)}")

    def sign(_: object) -> None:
        jwt.encode(claims, key, algorithm="RS256", headers=extra)

    one_sign = in_process(sign, sizes.calls)
    rounds = []
    created = itertools.count(1)
    for r in range(sizes.rounds):
        sign_1 = parallel(1, sizes.seconds / 2, lambda: None, sign)
        sign_n = parallel(WORKERS, sizes.seconds / 2, lambda: None, sign)
        times: list[float] = []

        def one_create(client: httpx.Client, times: list[float] = times) -> None:
            reply = create(client, next(created))
            ok(reply)
            times.append(server_ms(reply))  # list.append is atomic: no lock needed

        core_cpu = process_cpu(core.proc.pid)
        rate = parallel(WORKERS, sizes.seconds, core.client, one_create)
        core_cpu = process_cpu(core.proc.pid) - core_cpu
        result = Throughput(
            core=rate.per_second,
            sign_1=sign_1.per_second,
            sign_n=sign_n.per_second,
            under_load=Summary.of(times),
            sign_cpu_ms=(sign_1.cpu + sign_n.cpu) * 1000 / (sign_1.ops + sign_n.ops),
            core_cpu_ms=core_cpu * 1000 / rate.ops,
            client_cpu_ms=rate.cpu_ms,
        )
        rounds.append(result)
        log(
            f"{label}: round {r + 1}: {result.core:,.0f} creates/s ({result.core_cpu_ms:.2f} ms core CPU each); "
            f"RS256 {result.sign_1:,.0f}/s on 1 thread, {result.sign_n:,.0f}/s on {WORKERS} threads "
            f"({result.sign_cpu_ms:.2f} ms CPU each)"
        )
    return rounds, one_sign, len(sample)


def create_in_process(url: str, n: int) -> Summary:
    """One create through the core's own request runner and handler, minus HTTP (uvicorn, Starlette, JSON in)."""
    from authdeck.core.app import _run, all_routes  # private on purpose: exactly what dispatch runs

    state = CoreState.from_settings(CoreSettings.model_validate({"database": url}))
    match = Router(all_routes()).match("POST", "/public/recipe/session")

    def one(i: int) -> None:
        ctx = RequestContext(
            state=state,
            app_id=match.app_id,
            tenant_id=match.tenant_id,
            method="POST",
            query={},
            body=create_body(30_000_000 + i),
            headers={},
            client_ip=None,
            writes=match.route.writes,
        )
        reply = _run(match, ctx)
        if reply.status_code != 200 or b'"OK"' not in reply.body:
            raise RuntimeError(f"in-process create -> {reply.status_code}: {bytes(reply.body)[:200]!r}")

    try:
        return in_process(one, n)
    finally:
        state.engine.dispose()


# --- 2. and 3. latency with many live sessions -----------------------------------------------------


@dataclass
class Live:
    handle: str
    refresh_token: str
    access_token: str


def latencies(
    core: CoreProcess, url: str, sizes: Sizes, sample: list[str], one_sign: Summary, label: str
) -> dict[str, Row]:
    """The latency table's rows, in order."""
    results: dict[str, Row] = {}
    n = sizes.calls
    with core.client() as client:
        results["baseline: GET /telemetry"] = timed(core, lambda _i: client.get("/telemetry"), n)
        results["create"] = timed(core, lambda i: create(client, 10_000_000 + i), n)
        in_core = create_in_process(url, n)
        results["baseline: create in-process (the core's handler and transaction, no HTTP)"] = Row(in_core)
        results["baseline: one RS256 signature of the same claims (PyJWT, 1 thread)"] = Row(one_sign)

        live = []
        for i in range(sizes.api_sessions):
            body = ok(create(client, 20_000_000 + i))
            live.append(Live(body["session"]["handle"], body["refreshToken"]["token"], body["accessToken"]["token"]))
        # One refresh each first: from then on every refresh promotes the child the previous one made,
        # as a client that always sends its latest refresh token does.
        for s in live:
            body = ok(refresh(client, s.refresh_token))
            s.refresh_token, s.access_token = body["refreshToken"]["token"], body["accessToken"]["token"]
        log(f"{label}: {len(live)} sessions made through the API; timing refresh")

        def refresh_next(i: int) -> httpx.Response:
            s = live[i % len(live)]
            reply = refresh(client, s.refresh_token)
            body = ok(reply)
            s.refresh_token, s.access_token = body["refreshToken"]["token"], body["accessToken"]["token"]
            return reply

        results["refresh"] = timed(core, refresh_next, n)
        # The latest access tokens name a parent: verify once to promote it and get a parentless token.
        for s in live:
            body = ok(verify(client, s.access_token, check_database=True))
            s.access_token = body.get("accessToken", {}).get("token", s.access_token)
        log(f"{label}: timing verify")
        for check in (True, False):

            def verify_next(i: int, check: bool = check) -> httpx.Response:
                return verify(client, live[i % len(live)].access_token, check_database=check)

            results[f"verify, checkDatabase={str(check).lower()}"] = timed(core, verify_next, n)

    engine = make_engine(url)
    try:

        def select(handles: list[str], write: bool) -> Callable[[int], object]:
            def call(i: int) -> object:
                with transaction(engine, write=write) as conn:
                    row = session_queries.get_session(conn, "public", "public", handles[i % len(handles)])
                if row is None:
                    raise RuntimeError("seeded session row not found")
                return row

            return call

        api_handles = [s.handle for s in live]
        results["baseline: PK SELECT in-process, read transaction"] = Row(in_process(select(api_handles, False), n))
        results["baseline: PK SELECT in-process, write transaction"] = Row(in_process(select(api_handles, True), n))
        results["baseline: PK SELECT in-process, random seeded rows"] = Row(in_process(select(sample, False), n))
    finally:
        engine.dispose()
    return results


# --- the run ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class BackendResult:
    seed_seconds: float
    rounds: list[Throughput]
    token_chars: int
    latency: dict[str, Row]


def measure(backend: str, url: str, sizes: Sizes, tmp: Path) -> BackendResult:
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with transaction(engine, write=True) as conn:
            migrate.ensure_public_app(conn)

        def progress(done: int, seconds: float) -> None:
            if done % (_sessions_seed.BATCH * 10) == 0 or done == sizes.seeded:
                log(f"{backend}: seeded {done:,}/{sizes.seeded:,} sessions ({seconds:.0f} s)")

        now_ms = time.time_ns() // 1_000_000
        seconds, sample = _sessions_seed.seed(engine, sizes.seeded, now_ms, PAYLOAD, progress)
    finally:
        engine.dispose()
    core = CoreProcess.start(url, tmp)
    try:
        rounds, one_sign, token_chars = throughput(core, sizes, backend)
        latency = latencies(core, url, sizes, sample, one_sign, backend)
    finally:
        core.stop()
    return BackendResult(seconds, rounds, token_chars, latency)


def median(values: list[float]) -> float:
    return statistics.median(values)


def report(results: dict[str, BackendResult], sizes: Sizes) -> str:
    lines = [
        "### Session creation throughput against raw RS256 signing",
        "",
        f"`POST /public/recipe/session` (userDataInJWT `{json.dumps(PAYLOAD)}`, dynamic key, no anti-CSRF) from "
        f"{WORKERS} client threads (one keep-alive httpx client each, loopback) for {sizes.seconds:.0f} s, in "
        f"{sizes.rounds} rounds that alternate with the baseline. The baseline signs the claims of one of the "
        "core's own access tokens (same header, same size) with PyJWT and a fresh RSA key of the core's size, for "
        f"{sizes.seconds / 2:.1f} s on 1 thread and {sizes.seconds / 2:.1f} s on {WORKERS} threads of one process "
        f"(the core is one process that signs on up to {WORKERS} worker threads at once here; cryptography "
        "releases the GIL while it signs, so those threads can use every core).",
        "",
        f"- **ratio** = core creates/s ÷ (1-thread signatures/s × {CORES} cores): the ceiling of an idle machine.",
        f"- ratio to measured = core creates/s ÷ signatures/s measured on {WORKERS} threads in the same round: "
        "what this shared machine actually gave a signing-only process at that moment.",
        "",
        "Each figure is the median of the rounds (ratios are computed per round, then the median taken). The "
        "clients run on the same cores as the core.",
        "",
        f"| database | core creates/s | RS256 signs/s, 1 thread | × {CORES} cores | signs/s measured, {WORKERS} "
        f"threads | **ratio** (target ≥ 0.7) | ratio to measured | create server p50 / p99 with {WORKERS} clients |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, res in results.items():
        load = Summary(
            sum(r.under_load.n for r in res.rounds),
            median([r.under_load.p50 for r in res.rounds]),
            median([r.under_load.p99 for r in res.rounds]),
        )
        one = median([r.sign_1 for r in res.rounds])
        lines.append(
            f"| {backend} | {median([r.core for r in res.rounds]):,.0f} | {one:,.0f} | {one * CORES:,.0f} | "
            f"{median([r.sign_n for r in res.rounds]):,.0f} | **{median([r.ratio for r in res.rounds]):.2f}** | "
            f"{median([r.ratio_measured for r in res.rounds]):.2f} | {load.ms()} |"
        )
    verdicts = [
        f"{'met' if median([r.ratio for r in res.rounds]) >= 0.7 else 'not met'} on {backend}"
        for backend, res in results.items()
    ]
    lines += ["", f"Target (ratio ≥ 0.7): {', '.join(verdicts)}.", ""]
    for backend, res in results.items():
        per_round = "; ".join(
            f"{r.core:,.0f} creates/s vs {r.sign_1:,.0f} × {CORES} and {r.sign_n:,.0f} measured "
            f"({r.ratio:.2f}, {r.ratio_measured:.2f})"
            for r in res.rounds
        )
        lines.append(f"- {backend} rounds ({res.token_chars}-char access tokens): {per_round}.")
    lines += [
        "",
        "CPU time per operation (from /proc and `time.process_time`, medians of the rounds) depends much less "
        "than throughput on how busy the shared machine was. **CPU ratio** = CPU of one signature ÷ core CPU of "
        "one create: the ratio the core would reach if CPU were the only limit, with every core to itself and the "
        "clients elsewhere. Only the signature (and the database driver's calls) run outside the GIL, so one core "
        "process also cannot exceed 1000 ÷ (core CPU ms − signature CPU ms) creates/s, however many cores it has.",
        "",
        "| database | CPU ms per signature | core CPU ms per create | client CPU ms per create | **CPU ratio** "
        "| one-process ceiling, creates/s |",
        "|---|---|---|---|---|---|",
    ]
    for backend, res in results.items():
        sign_cpu = median([r.sign_cpu_ms for r in res.rounds])
        core_cpu = median([r.core_cpu_ms for r in res.rounds])
        client_cpu = median([r.client_cpu_ms for r in res.rounds])
        ceiling = 1000 / (core_cpu - sign_cpu) if core_cpu > sign_cpu else float("inf")
        lines.append(
            f"| {backend} | {sign_cpu:.2f} | {core_cpu:.2f} | {client_cpu:.2f} | "
            f"**{median([r.sign_cpu_ms / r.core_cpu_ms for r in res.rounds]):.2f}** | {ceiling:,.0f} |"
        )
    lines += [
        "",
        f"### Latency with {sizes.seeded:,} live sessions",
        "",
        "Sessions seeded straight into the `sessions` table with SQLAlchemy executemany "
        f"({_sessions_seed.BATCH:,} rows a transaction; PostgreSQL then ANALYZEd): "
        + "; ".join(
            f"{backend} {sizes.seeded:,} rows in {r.seed_seconds:.0f} s ({sizes.seeded / r.seed_seconds:,.0f}/s)"
            for backend, r in results.items()
        )
        + f". Then {sizes.api_sessions} sessions were made through the API and each refreshed once; each timed "
        "refresh sends the session's latest refresh token (so it promotes the child the previous refresh made, "
        "an UPDATE under `SELECT ... FOR UPDATE`), round-robin over the sessions. Verify uses their access tokens "
        f"after one promoting verify (parentless tokens: a plain read). {sizes.calls:,} sequential calls each on "
        "loopback, after a warm-up. Times in ms: server-side (Server-Timing) p50 / p99, client p50 in brackets, "
        "and the core process's CPU per call (its CPU time over the run ÷ calls) after the slash. In-process "
        "baselines (p50 / p99 only) run in this process: the create handler through the core's own request "
        "runner, and `storage.queries.session.get_session` in its own transaction on a fresh engine.",
        "",
        "| operation | " + " | ".join(f"{b}: p50 / p99 (client p50) / core CPU" for b in results) + " |",
        "|---|" + "---|" * len(results),
    ]
    first = next(iter(results.values()))
    for name in first.latency:
        cells = []
        for res in results.values():
            row = res.latency[name]
            cell = row.server.ms()
            if row.client is not None:
                cell += f" ({row.client.p50:.2f})"
            if row.core_cpu_ms is not None:
                cell += f" / {row.core_cpu_ms:.2f}"
            cells.append(cell)
        lines.append(f"| {name} | {' | '.join(cells)} |")
    return "\n".join(lines) + "\n"


def run(*, quick: bool = False) -> None:
    sizes = QUICK if quick else FULL
    tmp = Path(tempfile.mkdtemp(prefix="authdeck-bench-sessions-"))
    results: dict[str, BackendResult] = {}
    pg = PostgresServer.start()
    try:
        for backend in ("sqlite", "postgresql"):
            url = f"sqlite:///{tmp / 'sessions.db'}" if backend == "sqlite" else pg.create_database("bench_sessions")
            results[backend] = measure(backend, url, sizes, tmp)
    finally:
        pg.stop()
    shutil.rmtree(tmp, ignore_errors=True)  # kept when a run fails, for the core's log
    write_section(
        "sessions" + ("-quick" if quick else ""),
        "Sessions: creation throughput, refresh and verify at scale (issue 3)" + (" — quick sizes" if quick else ""),
        report(results, sizes),
        command="make bench" if not quick else "python -m bench sessions --quick",
        machine=describe(),
    )
