"""The CDI conventions every endpoint shares: versions, API keys, status codes, apps and tenants."""

from __future__ import annotations

import httpx

from tests._harness.core_process import API_KEY, CoreClient, CoreProcess


def test_hello_answers_without_api_key(core: CoreProcess) -> None:
    reply = httpx.get(core.url + "/hello")
    assert reply.status_code == 200
    assert reply.text == "Hello"


def test_apiversion_lists_5_4(core: CoreProcess) -> None:
    with core.client() as c:
        assert "5.4" in c.get("/apiversion").json()["versions"]


def test_missing_api_key_is_401(core: CoreProcess) -> None:
    reply = httpx.get(core.url + "/apiversion")
    assert reply.status_code == 401
    assert reply.text == "Invalid API key"


def test_wrong_api_key_is_401(core: CoreProcess) -> None:
    with core.client(api_key="x" * 30) as c:
        reply = c.get("/telemetry")
    assert reply.status_code == 401


def test_api_key_as_bearer_authorization_is_accepted(core: CoreProcess) -> None:
    reply = httpx.get(core.url + "/telemetry", headers={"Authorization": f"Bearer {API_KEY}"})
    assert reply.status_code == 200
    assert reply.json() == {"exists": False}


def test_unsupported_cdi_version_is_400(core: CoreProcess) -> None:
    with core.client() as c:
        reply = c.get("/telemetry", headers={"cdi-version": "2.7"})
    assert reply.status_code == 400
    assert reply.text.startswith("cdi-version 2.7 not supported")


def test_malformed_cdi_version_is_400(core: CoreProcess) -> None:
    with core.client() as c:
        reply = c.get("/telemetry", headers={"cdi-version": "five"})
    assert reply.status_code == 400
    assert reply.text == "cdi-version header is invalid"


def test_unknown_path_is_404_and_wrong_method_405(core: CoreProcess) -> None:
    with core.client() as c:
        assert c.get("/no/such/path").status_code == 404
        reply = c.delete("/telemetry")
    assert reply.status_code == 405
    assert reply.text == "Method not supported"


def test_malformed_json_is_400(app_client: CoreClient) -> None:
    reply = app_client.put(
        "/recipe/multitenancy/tenant/v2", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert reply.status_code == 400
    assert reply.text == "Invalid Json Input"


def test_json_that_is_not_an_object_is_400(app_client: CoreClient) -> None:
    reply = app_client.put("/recipe/multitenancy/tenant/v2", json=["a"])
    assert reply.status_code == 400


def test_body_over_one_mebibyte_is_400(app_client: CoreClient) -> None:
    reply = app_client.put("/recipe/multitenancy/tenant/v2", json={"tenantId": "a", "pad": "x" * (1024 * 1024)})
    assert reply.status_code == 400
    assert "larger than 1 MiB" in reply.text
    assert app_client.get("/a/recipe/multitenancy/tenant/v2").status_code == 400


def test_unknown_app_is_400(core: CoreProcess) -> None:
    with core.client("nosuchapp") as c:
        reply = c.get("/telemetry")
    assert reply.status_code == 400
    assert reply.text.startswith("AppId or tenantId not found")


def test_unknown_tenant_is_400(app_client: CoreClient) -> None:
    reply = app_client.get("/nosuchtenant/recipe/multitenancy/tenant/v2")
    assert reply.status_code == 400
    assert reply.text.startswith("AppId or tenantId not found")


def test_public_tenant_v2_is_minimal_valid_answer(app_client: CoreClient) -> None:
    body = app_client.ok("GET", "/public/recipe/multitenancy/tenant/v2")
    assert body == {"status": "OK", "tenantId": "public", "thirdParty": {"providers": []}, "coreConfig": {}}


def test_created_tenant_is_reachable_and_app_api_refuses_it(app_client: CoreClient) -> None:
    assert app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})["createdNew"] is True
    assert app_client.ok("GET", "/t1/recipe/multitenancy/tenant/v2")["tenantId"] == "t1"
    reply = app_client.get("/t1/telemetry")
    assert reply.status_code == 403
    assert reply.text == "Only public tenantId can call this app specific API"


def test_app_with_invalid_core_config_is_refused_and_not_created(core: CoreProcess) -> None:
    with core.client() as c:
        reply = c.put("/recipe/multitenancy/app/v2", json={"appId": "badcfg", "coreConfig": {"nope": 1}})
        assert reply.status_code == 400
        assert "Unknown coreConfig key(s): nope" in reply.text
        reply = c.put(
            "/recipe/multitenancy/app/v2", json={"appId": "badcfg2", "coreConfig": {"access_token_validity": 0}}
        )
        assert reply.status_code == 400
        assert "access_token_validity" in reply.text
    with core.client("badcfg") as c:
        assert c.get("/telemetry").status_code == 400


def test_explicit_null_for_a_field_is_400(core: CoreProcess) -> None:
    with core.client() as c:
        reply = c.put("/recipe/multitenancy/app/v2", json={"appId": None})
    assert reply.status_code == 400
    assert reply.text == "Field name 'appId' is invalid in JSON input"


def test_empty_string_field_is_400(core: CoreProcess) -> None:
    with core.client() as c:
        reply = c.put("/recipe/multitenancy/app/v2", json={"appId": "  "})
    assert reply.status_code == 400
    assert reply.text == "Field name 'appId' cannot be an empty String"


def test_nul_or_lone_surrogate_in_a_string_field_is_400(app_client: CoreClient) -> None:
    for bad in ('{"tenantId": "a\\u0000b"}', '{"tenantId": "a\\ud800"}'):
        reply = app_client.put(
            "/recipe/multitenancy/tenant/v2", content=bad.encode(), headers={"content-type": "application/json"}
        )
        assert reply.status_code == 400
        assert reply.text == "Field name 'tenantId' is invalid in JSON input"


def test_nan_and_infinity_are_not_json(app_client: CoreClient) -> None:
    reply = app_client.put(
        "/recipe/multitenancy/tenant/v2",
        content=b'{"tenantId": "x", "n": NaN}',
        headers={"content-type": "application/json"},
    )
    assert reply.status_code == 400
    assert reply.text == "Invalid Json Input"
