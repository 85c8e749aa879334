"""Sessions as records over the CDI: revoke, list, read, update data and payload, regenerate (spec §2.2)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from tests._harness.core_process import CoreClient, CoreProcess
from tests.core.http._sessions import create, decode, handles, refresh, verify


@pytest.fixture
def tenant_client(app_client: CoreClient) -> CoreClient:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    return app_client


def _handle(body: dict[str, Any]) -> str:
    handle: str = body["session"]["handle"]
    return handle


def test_remove_by_handles_returns_those_that_existed(tenant_client: CoreClient) -> None:
    a = _handle(create(tenant_client, "u1"))
    b = _handle(create(tenant_client, "u1", tenant="t1"))
    keep = _handle(create(tenant_client, "u1"))
    body = tenant_client.ok(
        "POST", "/recipe/session/remove", json={"sessionHandles": [b, "nope", a, a, "x_y_z", "", "_t1"]}
    )
    assert body == {"status": "OK", "sessionHandlesRevoked": [b, a]}
    assert handles(tenant_client, "u1") == [keep]
    again = tenant_client.ok("POST", "/recipe/session/remove", json={"sessionHandles": [a]})
    assert again["sessionHandlesRevoked"] == []


def test_remove_by_user_across_tenants_by_default(tenant_client: CoreClient) -> None:
    a = _handle(create(tenant_client, "u1"))
    b = _handle(create(tenant_client, "u1", tenant="t1"))
    other = _handle(create(tenant_client, "u2"))
    body = tenant_client.ok("POST", "/recipe/session/remove", json={"userId": "u1"})
    assert sorted(body["sessionHandlesRevoked"]) == sorted([a, b])
    assert handles(tenant_client, "u1") == []
    assert handles(tenant_client, "u2") == [other]


def test_remove_by_user_in_one_tenant(tenant_client: CoreClient) -> None:
    a = _handle(create(tenant_client, "u1"))
    b = _handle(create(tenant_client, "u1", tenant="t1"))
    body = tenant_client.ok(
        "POST",
        "/t1/recipe/session/remove",
        json={"userId": "u1", "revokeAcrossAllTenants": False, "revokeSessionsForLinkedAccounts": True},
    )
    assert body["sessionHandlesRevoked"] == [b]
    assert handles(tenant_client, "u1") == [a]


def test_remove_across_tenants_from_a_tenant_path_is_403(tenant_client: CoreClient) -> None:
    create(tenant_client, "u1", tenant="t1")
    reply = tenant_client.post("/t1/recipe/session/remove", json={"userId": "u1"})
    assert reply.status_code == 403
    assert reply.text == "Only public tenantId can call this app specific API"
    assert len(handles(tenant_client, "u1")) == 1


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"userId": "u1", "sessionHandles": []},
        {"sessionHandles": [], "revokeAcrossAllTenants": True},
        {"sessionHandles": [], "revokeSessionsForLinkedAccounts": False},
    ],
)
def test_remove_needs_exactly_one_of_user_or_handles(app_client: CoreClient, body: dict[str, Any]) -> None:
    create(app_client, "u1")
    reply = app_client.post("/recipe/session/remove", json=body)
    assert reply.status_code == 400
    assert reply.text.startswith("Invalid JSON input - use one of userId or sessionHandles array")
    assert len(handles(app_client, "u1")) == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"sessionHandles": "h"}, "sessionHandles"),
        ({"sessionHandles": [1]}, "sessionHandles"),
        ({"userId": None}, "userId"),
        ({"userId": "u1", "revokeAcrossAllTenants": "true"}, "revokeAcrossAllTenants"),
    ],
)
def test_remove_with_ill_typed_fields_is_400(app_client: CoreClient, body: dict[str, Any], field: str) -> None:
    create(app_client, "u1")
    reply = app_client.post("/recipe/session/remove", json=body)
    assert reply.status_code == 400
    assert reply.text == f"Field name '{field}' is invalid in JSON input"
    assert len(handles(app_client, "u1")) == 1


def test_list_handles_per_tenant_or_across(tenant_client: CoreClient) -> None:
    a = _handle(create(tenant_client, "u1"))
    b = _handle(create(tenant_client, "u1", tenant="t1"))
    assert sorted(handles(tenant_client, "u1")) == sorted([a, b])
    assert handles(tenant_client, "u1", tenant="t1", fetchAcrossAllTenants="false") == [b]
    assert handles(tenant_client, "u1", fetchAcrossAllTenants="false") == [a]
    assert handles(tenant_client, "nobody") == []
    reply = tenant_client.get("/t1/recipe/session/user", params={"userId": "u1"})
    assert reply.status_code == 403
    reply = tenant_client.get("/recipe/session/user")
    assert reply.status_code == 400
    assert reply.text == "Field name 'userId' is missing in GET request"


def test_list_handles_leaves_out_expired_sessions(core: CoreProcess) -> None:
    # A session cannot expire in a test's time (the shortest lifetime is a minute), so this checks the
    # live filter indirectly: a revoked one disappears, a fresh one is listed.
    with core.new_app() as client:
        live = _handle(create(client, "u1"))
        gone = _handle(create(client, "u1"))
        client.ok("POST", "/recipe/session/remove", json={"sessionHandles": [gone]})
        assert handles(client, "u1") == [live]


def test_get_session_information(tenant_client: CoreClient) -> None:
    before = int(time.time() * 1000)
    body = create(tenant_client, "u1", tenant="t1", payload={"p": 1}, data={"d": [1, 2]})
    info = tenant_client.ok("GET", "/recipe/session", params={"sessionHandle": _handle(body)})
    assert info == {
        "status": "OK",
        "sessionHandle": _handle(body),
        "userId": "u1",
        "recipeUserId": "u1",
        "userDataInDatabase": {"d": [1, 2]},
        "expiry": body["refreshToken"]["expiry"],
        "userDataInJWT": {"p": 1},
        "timeCreated": info["timeCreated"],
        "tenantId": "t1",
    }
    assert before <= info["timeCreated"] <= info["expiry"]


@pytest.mark.parametrize("handle", ["no-such-handle", "a_b_c", "_t1", "x_"])
def test_unknown_session_does_not_exist(app_client: CoreClient, handle: str) -> None:
    reply = app_client.get("/recipe/session", params={"sessionHandle": handle})
    assert reply.json() == {"status": "UNAUTHORISED", "message": "Session does not exist."}


def test_update_session_data(app_client: CoreClient) -> None:
    handle = _handle(create(app_client, data={"old": 1}))
    app_client.ok("PUT", "/recipe/session/data", json={"sessionHandle": handle, "userDataInDatabase": {"new": 2}})
    info = app_client.ok("GET", "/recipe/session", params={"sessionHandle": handle})
    assert info["userDataInDatabase"] == {"new": 2}
    reply = app_client.put("/recipe/session/data", json={"sessionHandle": "nope", "userDataInDatabase": {}})
    assert reply.json() == {"status": "UNAUTHORISED", "message": "Session does not exist."}
    reply = app_client.put("/recipe/session/data", json={"sessionHandle": handle, "userDataInDatabase": None})
    assert reply.status_code == 400
    assert app_client.ok("GET", "/recipe/session", params={"sessionHandle": handle})["userDataInDatabase"] == {"new": 2}


def test_update_jwt_payload_reaches_the_next_tokens(app_client: CoreClient) -> None:
    body = create(app_client, payload={"v": 1})
    handle = _handle(body)
    app_client.ok("PUT", "/recipe/jwt/data", json={"sessionHandle": handle, "userDataInJWT": {"v": 2}})
    # A database check sees the stale payload and hands out a token with the new one, same expiry.
    checked = verify(app_client, body["accessToken"]["token"], check_database=True)
    assert checked["session"]["userDataInJWT"] == {"v": 2}
    _, claims = decode(app_client, checked["accessToken"]["token"])
    assert claims["v"] == 2
    assert checked["accessToken"]["expiry"] == body["accessToken"]["expiry"]
    renewed = refresh(app_client, body["refreshToken"]["token"])
    assert decode(app_client, renewed["accessToken"]["token"])[1]["v"] == 2


def test_update_jwt_payload_refuses_protected_claims_and_unknown_sessions(app_client: CoreClient) -> None:
    handle = _handle(create(app_client, payload={"v": 1}))
    reply = app_client.put("/recipe/jwt/data", json={"sessionHandle": handle, "userDataInJWT": {"sub": "admin"}})
    assert reply.status_code == 400
    assert reply.text == "The user payload contains protected field"
    assert app_client.ok("GET", "/recipe/session", params={"sessionHandle": handle})["userDataInJWT"] == {"v": 1}
    reply = app_client.put("/recipe/jwt/data", json={"sessionHandle": "nope", "userDataInJWT": {}})
    assert reply.json() == {"status": "UNAUTHORISED", "message": "Session does not exist."}


def test_regenerate_replaces_the_payload_and_keeps_the_expiry(app_client: CoreClient) -> None:
    body = create(app_client, payload={"v": 1})
    token = body["accessToken"]["token"]
    result = app_client.ok("POST", "/recipe/session/regenerate", json={"accessToken": token, "userDataInJWT": {"v": 2}})
    assert result["session"]["userDataInJWT"] == {"v": 2}
    assert result["session"]["handle"] == _handle(body)
    assert result["accessToken"]["expiry"] == body["accessToken"]["expiry"]
    before, after = decode(app_client, token)[1], decode(app_client, result["accessToken"]["token"])[1]
    assert after["v"] == 2
    for claim in ("exp", "sessionHandle", "refreshTokenHash1", "parentRefreshTokenHash1", "antiCsrfToken", "sub"):
        assert after[claim] == before[claim]
    info = app_client.ok("GET", "/recipe/session", params={"sessionHandle": _handle(body)})
    assert info["userDataInJWT"] == {"v": 2}


def test_regenerate_without_payload_keeps_the_stored_one(app_client: CoreClient) -> None:
    body = create(app_client, payload={"v": 1})
    result = app_client.ok("POST", "/recipe/session/regenerate", json={"accessToken": body["accessToken"]["token"]})
    assert result["session"]["userDataInJWT"] == {"v": 1}


def test_regenerate_of_an_expired_token_updates_the_payload_but_mints_nothing(core: CoreProcess) -> None:
    with core.new_app({"access_token_validity": 1}) as client:
        body = create(client, payload={"v": 1})
        time.sleep(2.1)
        regenerate = {"accessToken": body["accessToken"]["token"], "userDataInJWT": {}}
        result = client.ok("POST", "/recipe/session/regenerate", json=regenerate)
        assert "accessToken" not in result
        assert client.ok("GET", "/recipe/session", params={"sessionHandle": _handle(body)})["userDataInJWT"] == {}


def test_regenerate_refuses_revoked_sessions_forged_tokens_and_protected_claims(app_client: CoreClient) -> None:
    body = create(app_client, payload={"v": 1})
    token = body["accessToken"]["token"]
    reply = app_client.post("/recipe/session/regenerate", json={"accessToken": token, "userDataInJWT": {"exp": 1}})
    assert reply.status_code == 400
    assert reply.text == "The user payload contains protected field"
    forged = app_client.post("/recipe/session/regenerate", json={"accessToken": token[:-10] + "AAAAAAAAAA"})
    assert forged.json()["status"] == "UNAUTHORISED"
    app_client.ok("POST", "/recipe/session/remove", json={"sessionHandles": [_handle(body)]})
    gone = app_client.post("/recipe/session/regenerate", json={"accessToken": token, "userDataInJWT": {}})
    assert gone.json() == {"status": "UNAUTHORISED", "message": "Session does not exist."}
