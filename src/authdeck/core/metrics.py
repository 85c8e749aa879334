"""Prometheus metrics of one core process, served at ``GET /metrics``: requests, hashing, purges, pools.

Labels take values from fixed sets only (route templates, methods, status classes, job names), never from
a request's path or body, so no user id or tenant name becomes a label and the number of series is bounded.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Iterable
from importlib import metadata
from typing import TYPE_CHECKING

from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    GCCollector,
    Histogram,
    Info,
    PlatformCollector,
    ProcessCollector,
    disable_created_metrics,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4, generate_latest
from sqlalchemy.pool import QueuePool

if TYPE_CHECKING:
    from authdeck.core.state import CoreState

PATH = "/metrics"
CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
# The route label of requests that matched no route (404, 405), whatever their path was.
UNMATCHED = "unmatched"

# The *_created series double the page for little use; the client library switches them off process-wide.
disable_created_metrics()  # type: ignore[no-untyped-call]
# A registry of our own, so that nothing else loaded into the process adds to (or clashes with) our page.
REGISTRY = CollectorRegistry()
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)


def _version() -> str:
    try:
        return metadata.version("authdeck")
    except metadata.PackageNotFoundError:
        return "unknown"


VERSION = _version()
Info("authdeck_core_build", "The authdeck core's version.", registry=REGISTRY).info({"version": VERSION})

_REQUESTS = Counter(
    "authdeck_core_requests",
    "Requests answered, by route template, method and status class (2xx, 4xx, ...).",
    ["route", "method", "status"],
    registry=REGISTRY,
)
# Most core requests take well under a millisecond; password hashing takes tens to hundreds.
_LATENCY_BUCKETS = (0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_DURATION = Histogram(
    "authdeck_core_request_duration_seconds",
    "Time from a request's arrival to its response, by route template.",
    ["route"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
_HASH_WAIT = Histogram(
    "authdeck_core_password_hash_wait_seconds",
    "Time a password hash or verification waited for a free slot of the hashing pool.",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=REGISTRY,
)
_PURGE_RUNS = Counter(
    "authdeck_core_purge_runs", "Purge runs done by this process, by job.", ["job"], registry=REGISTRY
)
_PURGE_ROWS = Counter(
    "authdeck_core_purge_rows_deleted", "Rows deleted by this process's purges, by job.", ["job"], registry=REGISTRY
)
_PURGE_FAILURES = Counter(
    "authdeck_core_purge_failures", "Purge runs that failed (see the log), by job.", ["job"], registry=REGISTRY
)
_PURGE_LAST = Gauge(
    "authdeck_core_purge_last_success_timestamp_seconds",
    "When this process last finished a purge, by job (Unix time). Only the lease holder purges.",
    ["job"],
    registry=REGISTRY,
)

_Children = tuple[Counter, Histogram]
# (route, method, status class) -> its counter and histogram children: labels() takes a lock and builds
# keys, so each combination looks them up once. Bounded by routes x methods x 5.
_children: dict[tuple[str, str, int], _Children] = {}


def observe_request(route: str, method: str, status_code: int, seconds: float) -> None:
    """Count one answered request; ``route`` is its template (or ``UNMATCHED``), never its raw path."""
    key = (route, method, status_code // 100)
    children = _children.get(key)
    if children is None:
        children = (_REQUESTS.labels(route, method, f"{status_code // 100}xx"), _DURATION.labels(route))
        _children[key] = children
    children[0].inc()
    children[1].observe(seconds)


def observe_purge(job: str, rows: int) -> None:
    _PURGE_RUNS.labels(job).inc()
    _PURGE_ROWS.labels(job).inc(rows)
    _PURGE_LAST.labels(job).set(time.time())


def observe_purge_failure(job: str) -> None:
    _PURGE_FAILURES.labels(job).inc()


def render() -> bytes:
    """The metrics page in the Prometheus text format (version 0.0.4)."""
    return generate_latest(REGISTRY)


class _StateCollector:
    """Gauges read from the live cores of this process at scrape time: hashing pool and database pool."""

    def __init__(self) -> None:
        self._states: list[weakref.ref[CoreState]] = []
        self._lock = threading.Lock()

    def add(self, state: CoreState) -> None:
        with self._lock:
            self._states = [ref for ref in self._states if ref() is not None] + [weakref.ref(state)]

    def _live(self) -> list[CoreState]:
        with self._lock:
            refs = list(self._states)
        return [s for s in (ref() for ref in refs) if s is not None]

    def collect(self) -> Iterable[Metric]:
        states = self._live()
        hashers = [st.hashing for st in states]
        yield GaugeMetricFamily(
            "authdeck_core_password_hashing_slots",
            "How many password hashes may run at once (password_hashing_pool_size).",
            value=sum(h.pool_size for h in hashers),
        )
        yield GaugeMetricFamily(
            "authdeck_core_password_hashes_in_progress",
            "Password hashes and verifications running now.",
            value=sum(h.in_progress for h in hashers),
        )
        yield GaugeMetricFamily(
            "authdeck_core_password_hashes_waiting",
            "Password hashes and verifications waiting for a free slot now.",
            value=sum(h.waiting for h in hashers),
        )
        pools = [st.engine.pool for st in states if isinstance(st.engine.pool, QueuePool)]
        yield GaugeMetricFamily(
            "authdeck_core_db_connections_in_use",
            "Database connections checked out of the pool now.",
            value=sum(p.checkedout() for p in pools),
        )
        yield GaugeMetricFamily(
            "authdeck_core_db_connections_open",
            "Database connections the pool holds open now, in use or idle.",
            value=sum(p.checkedout() + p.checkedin() for p in pools),
        )


_STATES = _StateCollector()
REGISTRY.register(_STATES)


def watch(state: CoreState) -> None:
    """Report ``state``'s hashing pool and database pool; call once, before the core serves requests."""
    state.hashing.on_wait = _HASH_WAIT.observe
    _STATES.add(state)
