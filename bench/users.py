"""Users at scale (issue 2): seed 10k → 100k → 1M users through the bulk import path, and time the
list, search, count and by-accountinfo endpoints of a real core on SQLite and PostgreSQL.

Server-side times come from the core's Server-Timing header. Two baselines are measured in the same run:
the core's cheapest endpoint (/telemetry: routing, API key, app lookup, JSON) and the same list page called
in-process on the service function (the raw cost of the query and of building the user objects).
"""

from __future__ import annotations

import base64
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
from tests._harness.core_process import CoreProcess
from tests._harness.postgres import PostgresServer

from authdeck.core.bulk import import_users
from authdeck.core.crypto.passwords import PasswordHashing
from authdeck.core.services import users as users_service
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import make_engine, transaction
from authdeck.core.storage.queries.emailpassword import NewUser
from bench.machine import describe
from bench.results import write_section
from bench.stats import Summary

T0 = 1_700_000_000_000
DOMAINS = 1000
NAMESPACE = uuid.UUID("6f1c1d1e-8f61-4c57-9d5e-6b7f0d1c2a3b")


def user(i: int, password_hash: str) -> NewUser:
    return NewUser(
        user_id=str(uuid.uuid5(NAMESPACE, str(i))),
        email=f"user{i:07d}@d{i % DOMAINS}.example.com",
        password_hash=password_hash,
        time_joined=T0 + i * 37,
    )


def seed(engine: object, start: int, stop: int, password_hash: str) -> float:
    """Import users start..stop-1; returns seconds taken."""

    def rows() -> Iterator[NewUser]:
        for i in range(start, stop):
            yield user(i, password_hash)

    report = import_users(engine, rows(), batch_size=10_000)  # type: ignore[arg-type]
    return report.seconds


def timed(client: httpx.Client, path: str, n: int) -> tuple[Summary, Summary]:
    """(server-side, client-side) latency in ms over ``n`` calls, after a short warm-up."""
    server: list[float] = []
    wall: list[float] = []
    for i in range(n + 10):
        started = time.perf_counter()
        reply = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if reply.status_code != 200:
            raise RuntimeError(f"GET {path} -> {reply.status_code}: {reply.text[:200]}")
        if i >= 10:
            wall.append(elapsed)
            server.append(float(reply.headers["server-timing"].split("dur=")[1]))
    return Summary.of(server), Summary.of(wall)


def in_process(fn: Callable[[], object], n: int) -> Summary:
    samples = []
    for i in range(n + 10):
        started = time.perf_counter()
        fn()
        if i >= 10:
            samples.append((time.perf_counter() - started) * 1000)
    return Summary.of(samples)


def measure(url: str, size: int, n: int, tmp: Path) -> dict[str, tuple[Summary, Summary]]:
    mid = user(size // 2, "")
    token = base64.b64encode(f"{mid.user_id};{mid.time_joined}".encode()).decode()
    prefix = f"user{size // 2:07d}"[:-1]  # ten users
    paths = {
        "baseline: GET /telemetry": "/telemetry",
        "list, limit 10, newest first": "/public/users?limit=10&timeJoinedOrder=DESC",
        "list, limit 100, newest first": "/public/users?limit=100&timeJoinedOrder=DESC",
        "list, limit 100, with a pagination token": (
            f"/public/users?limit=100&timeJoinedOrder=DESC&paginationToken={token}"
        ),
        "search: email prefix (10 matches)": f"/public/users?email={prefix}",
        "search: email domain (1 in 1000 users match)": "/public/users?email=d7.example.com",
        "count": "/public/users/count",
        "by-accountinfo (email)": f"/public/users/by-accountinfo?email={mid.email}&doUnionOfAccountInfo=false",
    }
    core = CoreProcess.start(url, tmp)
    try:
        with core.client() as client:
            results = {name: timed(client, path, n) for name, path in paths.items()}
    finally:
        core.stop()
    engine = make_engine(url)
    try:

        def raw_page() -> object:
            with transaction(engine, write=False) as conn:
                return users_service.list_users(conn, "public", "public", order="DESC", limit=100)

        raw = in_process(raw_page, n)
    finally:
        engine.dispose()
    results["baseline: list limit 100 in-process (no HTTP)"] = (raw, raw)
    return results


def run(*, quick: bool = False) -> None:
    sizes = (1_000, 5_000) if quick else (10_000, 100_000, 1_000_000)
    n = 30 if quick else 200
    password_hash = PasswordHashing(bcrypt_rounds=4).hash("bench-password-1")
    tmp = Path(tempfile.mkdtemp(prefix="authdeck-bench-"))
    lines = []
    pg = PostgresServer.start()
    try:
        for backend in ("sqlite", "postgresql"):
            url = f"sqlite:///{tmp / 'users.db'}" if backend == "sqlite" else pg.create_database("bench_users")
            engine = make_engine(url)
            migrate.upgrade(engine)
            seeded = 0
            table: dict[str, dict[int, tuple[Summary, Summary]]] = {}
            seeding = []
            for size in sizes:
                seconds = seed(engine, seeded, size, password_hash)
                seeding.append(f"{size - seeded:,} users in {seconds:.1f} s ({(size - seeded) / seconds:,.0f}/s)")
                seeded = size
                print(f"  {backend}: {size:,} users seeded", flush=True)
                for name, pair in measure(url, size, n, tmp).items():
                    table.setdefault(name, {})[size] = pair
            engine.dispose()
            lines.append(f"### {backend}\n\nSeeding through `authdeck users import`'s path: {'; '.join(seeding)}.\n")
            header = " | ".join(f"{s:,} users: server p50 / p99 (client p50)" for s in sizes)
            lines.append(f"| operation | {header} |")
            lines.append("|---|" + "---|" * len(sizes))
            for name, by_size in table.items():
                cells = " | ".join(f"{by_size[s][0].ms()} ({by_size[s][1].p50:.2f})" for s in sizes)
                lines.append(f"| {name} | {cells} |")
            big, small = sizes[-1], sizes[0]
            for name in ("list, limit 10, newest first", "list, limit 100, newest first"):
                ratio = table[name][big][0].p50 / table[name][small][0].p50
                lines.append(f"\n{name}: p50 at {big:,} is {ratio:.2f}× its {small:,} figure.")
            lines.append("")
    finally:
        pg.stop()
    body = (
        "All times in ms, measured inside the core (Server-Timing) over "
        f"{n} sequential requests each on loopback; client p50 in brackets.\n\n" + "\n".join(lines)
    )
    write_section(
        "users" + ("-quick" if quick else ""),
        "Users list, search, count (issue 2)" + (" — quick sizes" if quick else ""),
        body,
        command="make bench" if not quick else "python -m bench users --quick",
        machine=describe(),
    )
