"""GET /metrics on a real core: Prometheus text, behind the API key, process-wide, with bounded labels."""

from __future__ import annotations

import uuid

import httpx
from prometheus_client.parser import text_string_to_metric_families

from authdeck.core import metrics
from authdeck.core.app import all_routes
from tests._harness.core_process import CoreClient, CoreProcess

PASSWORD = "correct-horse-battery-1"


def scrape(core: CoreProcess) -> str:
    reply = httpx.get(core.url + "/metrics", headers={"api-key": core.api_key or ""}, timeout=10)
    assert reply.status_code == 200, reply.text
    return reply.text


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of a metrics page by (name, sorted labels); also checks that the page parses."""
    found: dict[tuple[str, tuple[tuple[str, str], ...]], float] = {}
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            found[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return found


def value(text: str, name: str, **labels: str) -> float:
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


def test_metrics_answer_in_the_prometheus_text_format(core: CoreProcess) -> None:
    reply = httpx.get(core.url + "/metrics", headers={"api-key": core.api_key or ""}, timeout=10)
    assert reply.status_code == 200
    assert reply.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8"
    found = samples(reply.text)
    assert found[("authdeck_core_build_info", (("version", metrics.VERSION),))] == 1
    assert ("process_resident_memory_bytes", ()) in found
    assert not any(name.endswith("_created") for name, _ in found)


def test_metrics_need_the_api_key(core: CoreProcess) -> None:
    assert httpx.get(core.url + "/metrics", timeout=10).status_code == 401
    assert httpx.get(core.url + "/metrics", headers={"api-key": "wrong-key-0123456789-abcdef"}).status_code == 401


def test_metrics_accept_the_key_as_a_bearer_token_as_prometheus_sends_it(core: CoreProcess) -> None:
    reply = httpx.get(core.url + "/metrics", headers={"authorization": f"Bearer {core.api_key}"}, timeout=10)
    assert reply.status_code == 200
    assert "authdeck_core_requests_total" in reply.text


def test_metrics_belong_to_the_process_not_to_an_app_or_tenant(core: CoreProcess) -> None:
    with core.client() as client:
        assert client.get("/appid-public/metrics").status_code == 404
        assert client.get("/public/metrics").status_code == 404
        assert client.get("/some-tenant/metrics").status_code == 404


def test_metrics_refuse_other_methods(core: CoreProcess) -> None:
    with core.client() as client:
        assert client.post("/metrics", json={}).status_code == 405


def test_a_request_is_counted_under_its_route_template_method_and_status_class(
    core: CoreProcess, app_client: CoreClient
) -> None:
    tenant = "t" + uuid.uuid4().hex[:12]
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": tenant})
    labels = {"route": "/recipe/signup", "method": "POST", "status": "2xx"}
    before = scrape(core)
    app_client.ok("POST", f"/{tenant}/recipe/signup", json={"email": "a@x.co", "password": PASSWORD})
    assert app_client.post("/recipe/signup", content=b"{not json").status_code == 400
    after = scrape(core)
    requests = "authdeck_core_requests_total"
    assert value(after, requests, **labels) == value(before, requests, **labels) + 1
    bad = {**labels, "status": "4xx"}
    assert value(after, requests, **bad) == value(before, requests, **bad) + 1
    count = "authdeck_core_request_duration_seconds_count"
    assert value(after, count, route="/recipe/signup") == value(before, count, route="/recipe/signup") + 2
    assert tenant not in after
    assert app_client.app_id not in after


def test_labels_never_carry_raw_paths_ids_or_tenant_names(core: CoreProcess) -> None:
    marker = uuid.uuid4().hex
    with core.client() as client:
        client.get(f"/recipe/user/{marker}")  # 404
        client.get(f"/appid-{marker}/recipe/user", params={"userId": marker})  # unknown app, 400
        client.post(f"/{marker}/recipe/signup", json={"email": f"{marker}@x.co", "password": PASSWORD})  # no tenant
        client.put("/recipe/signup")  # 405
    text = scrape(core)
    assert marker not in text
    allowed = {route.path for route in all_routes()} | {metrics.PATH, metrics.UNMATCHED}
    routes = {dict(labels).get("route") for _, labels in samples(text)} - {None}
    assert routes <= allowed
    assert metrics.UNMATCHED in routes


def test_password_hashing_pool_is_reported(core: CoreProcess, app_client: CoreClient) -> None:
    before = scrape(core)
    app_client.ok("POST", "/recipe/signup", json={"email": "h@x.co", "password": PASSWORD})
    after = scrape(core)
    assert value(after, "authdeck_core_password_hashing_slots") == 2  # password_hashing_pool_size default
    assert value(after, "authdeck_core_password_hashes_in_progress") == 0
    assert value(after, "authdeck_core_password_hashes_waiting") == 0
    waits = "authdeck_core_password_hash_wait_seconds_count"
    assert value(after, waits) >= value(before, waits) + 1


def test_purges_and_database_pool_are_reported(core: CoreProcess) -> None:
    text = scrape(core)
    # Each core purges once when it starts (it holds the fresh lease).
    for job in ("sessions", "signing_keys", "audit_log"):
        assert value(text, "authdeck_core_purge_runs_total", job=job) >= 1
        assert value(text, "authdeck_core_purge_last_success_timestamp_seconds", job=job) > 0
    assert ("authdeck_core_db_connections_in_use", ()) in samples(text)
    assert value(text, "authdeck_core_db_connections_open") >= 1

