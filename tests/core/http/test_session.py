"""Session tokens over the CDI: create, verify, refresh; rotation, theft detection and anti-CSRF (spec §2.2, §4)."""

from __future__ import annotations

import base64
import threading
import time
import uuid
from typing import Any

import jwt
import pytest

from tests._harness.core_process import CoreClient, CoreProcess
from tests.core.http._sessions import create, decode, handles, refresh, sha256, verify

SESSION_CLAIMS = {"sub", "rsub", "tId", "iat", "exp", "sessionHandle", "refreshTokenHash1"}
SESSION_CLAIMS |= {"parentRefreshTokenHash1", "antiCsrfToken"}


def test_create_returns_session_and_tokens_in_the_cdi_shape(app_client: CoreClient) -> None:
    before = int(time.time() * 1000)
    body = create(app_client, "user-1", payload={"role": "admin"}, data={"cart": 3})
    assert set(body) == {"status", "session", "accessToken", "refreshToken"}  # no antiCsrfToken when disabled
    session = body["session"]
    uuid.UUID(session["handle"])
    assert session == {
        "handle": session["handle"],
        "userId": "user-1",
        "recipeUserId": "user-1",
        "userDataInJWT": {"role": "admin"},
        "tenantId": "public",
    }
    access, refresh_token = body["accessToken"], body["refreshToken"]
    assert before <= access["createdTime"] <= before + 60_000
    assert access["expiry"] // 1000 - access["createdTime"] // 1000 == 3600
    assert refresh_token["expiry"] - refresh_token["createdTime"] == 144_000 * 60_000


def test_access_token_has_the_v5_header_and_claims(app_client: CoreClient) -> None:
    body = create(app_client, "user-1", payload={"role": "admin"})
    header, claims = decode(app_client, body["accessToken"]["token"])
    assert header["alg"] == "RS256" and header["typ"] == "JWT" and header["version"] == "5"
    assert header["kid"].startswith("d-")
    assert set(claims) == SESSION_CLAIMS | {"role"}
    assert claims["sub"] == claims["rsub"] == "user-1"
    assert claims["tId"] == "public"
    assert claims["sessionHandle"] == body["session"]["handle"]
    assert claims["refreshTokenHash1"] == sha256(body["refreshToken"]["token"])
    assert claims["parentRefreshTokenHash1"] is None
    assert claims["antiCsrfToken"] is None
    assert claims["exp"] - claims["iat"] == 3600
    assert claims["exp"] * 1000 == body["accessToken"]["expiry"]


def test_refresh_token_is_opaque(app_client: CoreClient) -> None:
    body = create(app_client, "visible-user-id", payload={"secret": "visible-payload"})
    token = body["refreshToken"]["token"]
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert b"visible" not in raw and body["session"]["handle"].encode() not in raw


def test_static_key_sessions_use_an_s_kid(app_client: CoreClient) -> None:
    body = create(app_client, dynamic=False)
    header, _ = decode(app_client, body["accessToken"]["token"])
    assert header["kid"].startswith("s-")
    again = create(app_client, dynamic=False)
    assert jwt.get_unverified_header(again["accessToken"]["token"])["kid"] == header["kid"]


def test_session_of_a_tenant_has_its_suffix_and_tid(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    body = create(app_client, tenant="t1")
    handle = body["session"]["handle"]
    assert handle.endswith("_t1")
    uuid.UUID(handle.removesuffix("_t1"))
    assert body["session"]["tenantId"] == "t1"
    assert decode(app_client, body["accessToken"]["token"])[1]["tId"] == "t1"
    assert verify(app_client, body["accessToken"]["token"], check_database=True)["status"] == "OK"


@pytest.mark.parametrize("claim", ["sub", "exp", "iat", "sessionHandle", "refreshTokenHash1", "tId", "rsub"])
def test_protected_claim_in_payload_is_400_and_creates_nothing(app_client: CoreClient, claim: str) -> None:
    reply = app_client.post(
        "/public/recipe/session",
        json={"userId": "u-prot", "userDataInJWT": {claim: "x"}, "userDataInDatabase": {}, "enableAntiCsrf": False},
    )
    assert reply.status_code == 400
    assert reply.text == "The user payload contains protected field"
    assert handles(app_client, "u-prot") == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"userId": None}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": ""}, "Field name 'userId' cannot be an empty String"),
        ({"userId": 5}, "Field name 'userId' is invalid in JSON input"),
        ({"userDataInJWT": None}, "Field name 'userDataInJWT' is invalid in JSON input"),
        ({"userDataInJWT": []}, "Field name 'userDataInJWT' is invalid in JSON input"),
        ({"userDataInDatabase": "x"}, "Field name 'userDataInDatabase' is invalid in JSON input"),
        ({"enableAntiCsrf": "false"}, "Field name 'enableAntiCsrf' is invalid in JSON input"),
        ({"useDynamicSigningKey": None}, "Field name 'useDynamicSigningKey' is invalid in JSON input"),
    ],
)
def test_create_with_bad_input_is_400_and_creates_nothing(
    app_client: CoreClient, change: dict[str, Any], message: str
) -> None:
    body = {"userId": "u-bad", "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False, **change}
    reply = app_client.post("/public/recipe/session", json=body)
    assert reply.status_code == 400
    assert reply.text == message
    assert handles(app_client, "u-bad") == []


def test_create_with_missing_fields_is_400(app_client: CoreClient) -> None:
    for missing in ("userId", "userDataInJWT", "userDataInDatabase", "enableAntiCsrf"):
        body = {"userId": "u", "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False}
        del body[missing]
        reply = app_client.post("/public/recipe/session", json=body)
        assert reply.status_code == 400, missing
        assert reply.text == f"Field name '{missing}' is invalid in JSON input"


def test_verify_without_database_is_stateless_and_returns_no_new_token(app_client: CoreClient) -> None:
    body = create(app_client, "user-1", payload={"a": 1})
    result = verify(app_client, body["accessToken"]["token"])
    assert result == {"status": "OK", "session": body["session"]}


def test_verify_with_database_notices_a_revoked_session(app_client: CoreClient) -> None:
    body = create(app_client)
    token = body["accessToken"]["token"]
    assert verify(app_client, token, check_database=True)["status"] == "OK"
    app_client.ok("POST", "/recipe/session/remove", json={"sessionHandles": [body["session"]["handle"]]})
    assert verify(app_client, token, check_database=True) == {
        "status": "UNAUTHORISED",
        "message": "Either the session has ended or has been blacklisted",
    }
    assert verify(app_client, token)["status"] == "OK"  # stateless: valid until it expires


def test_expired_access_token_asks_for_a_refresh(core: CoreProcess) -> None:
    with core.new_app({"access_token_validity": 1}) as client:
        body = create(client)
        time.sleep(2.1)
        result = verify(client, body["accessToken"]["token"], check_database=True)
        assert result == {"status": "TRY_REFRESH_TOKEN", "message": "Access token expired"}
        renewed = refresh(client, body["refreshToken"]["token"])
        assert renewed["status"] == "OK"
        assert verify(client, renewed["accessToken"]["token"])["status"] == "OK"


def _forgeries(client: CoreClient, token: str) -> dict[str, str]:
    head, payload, sig = token.split(".")
    claims = jwt.decode(token, options={"verify_signature": False})
    forged_claims = (
        base64.urlsafe_b64encode(jwt.api_jws.json.dumps({**claims, "sub": "admin"}).encode()).rstrip(b"=").decode()
    )
    flipped = sig[:-2] + ("A" if sig[-2] != "A" else "B") + sig[-1]
    from cryptography.hazmat.primitives.asymmetric import rsa

    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    kid = jwt.get_unverified_header(token)["kid"]
    wrong_key = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": kid, "version": "5"})
    unknown_kid = jwt.encode(claims, stranger, algorithm="RS256", headers={"kid": "d-99999999999999", "version": "5"})
    return {
        "tampered payload": f"{head}.{forged_claims}.{sig}",
        "flipped signature": f"{head}.{payload}.{flipped}",
        "truncated": token[:-20],
        "no signature": f"{head}.{payload}.",
        "wrong key": wrong_key,
        "unknown kid": unknown_kid,
        "alg none": jwt.encode(claims, None, algorithm="none", headers={"kid": kid, "version": "5"}),
        "garbage": "not-a-token",
        "three dots": "a.b.c",
    }


def test_forged_access_tokens_ask_for_a_refresh_never_500(app_client: CoreClient) -> None:
    body = create(app_client)
    for name, forged in _forgeries(app_client, body["accessToken"]["token"]).items():
        for check_database in (False, True):
            result = verify(app_client, forged, check_database=check_database)
            assert result["status"] == "TRY_REFRESH_TOKEN", (name, result)
            assert isinstance(result["message"], str)


def test_access_token_of_another_app_is_refused(core: CoreProcess) -> None:
    with core.new_app() as app_a, core.new_app() as app_b:
        create(app_b)  # app B has keys of its own
        token = create(app_a)["accessToken"]["token"]
        result = verify(app_b, token, check_database=True)
        assert result["status"] == "TRY_REFRESH_TOKEN"
        assert verify(app_a, token)["status"] == "OK"


def test_refresh_token_of_another_app_is_unauthorised(core: CoreProcess) -> None:
    with core.new_app() as app_a, core.new_app() as app_b:
        create(app_b)
        token = create(app_a)["refreshToken"]["token"]
        assert refresh(app_b, token) == {"status": "UNAUTHORISED", "message": "The refresh token is invalid"}
        assert refresh(app_a, token)["status"] == "OK"


@pytest.mark.parametrize("token", ["x", "AAAA", "not a token at all", "A" * 300])
def test_garbage_refresh_token_is_unauthorised(app_client: CoreClient, token: str) -> None:
    create(app_client)
    assert refresh(app_client, token) == {"status": "UNAUTHORISED", "message": "The refresh token is invalid"}


def test_tampered_or_truncated_refresh_token_is_unauthorised(app_client: CoreClient) -> None:
    token = create(app_client)["refreshToken"]["token"]
    for bad in (token[:-4], token[:20], token[:10] + ("A" if token[10] != "A" else "B") + token[11:]):
        assert refresh(app_client, bad)["status"] == "UNAUTHORISED"
    assert refresh(app_client, token)["status"] == "OK"


def test_refresh_of_a_revoked_session_is_unauthorised(app_client: CoreClient) -> None:
    body = create(app_client)
    app_client.ok("POST", "/recipe/session/remove", json={"sessionHandles": [body["session"]["handle"]]})
    assert refresh(app_client, body["refreshToken"]["token"]) == {
        "status": "UNAUTHORISED",
        "message": "Session missing in db or has expired",
    }


def test_refresh_mints_a_child_naming_its_parent(app_client: CoreClient) -> None:
    body = create(app_client, payload={"p": 1})
    parent = body["refreshToken"]["token"]
    child = refresh(app_client, parent)
    assert child["status"] == "OK"
    assert child["session"] == body["session"]
    assert child["refreshToken"]["token"] != parent
    _, claims = decode(app_client, child["accessToken"]["token"])
    assert claims["parentRefreshTokenHash1"] == sha256(parent)
    assert claims["refreshTokenHash1"] == sha256(child["refreshToken"]["token"])
    assert claims["p"] == 1


def test_verify_promotes_a_child_and_the_parent_then_counts_as_stolen(app_client: CoreClient) -> None:
    body = create(app_client, "user-9")
    parent = body["refreshToken"]["token"]
    child = refresh(app_client, parent)
    promoted = verify(app_client, child["accessToken"]["token"])
    assert promoted["status"] == "OK"
    _, claims = decode(app_client, promoted["accessToken"]["token"])
    assert claims["parentRefreshTokenHash1"] is None
    assert claims["refreshTokenHash1"] == sha256(child["refreshToken"]["token"])
    # Verifying the same child token again: already current, so a parent-free token again, no error.
    assert "accessToken" in verify(app_client, child["accessToken"]["token"])

    stolen = refresh(app_client, parent)
    assert stolen == {
        "status": "TOKEN_THEFT_DETECTED",
        "session": {"handle": body["session"]["handle"], "userId": "user-9", "recipeUserId": "user-9"},
    }
    assert refresh(app_client, child["refreshToken"]["token"])["status"] == "OK"


def test_refresh_with_a_child_promotes_it(app_client: CoreClient) -> None:
    body = create(app_client)
    parent = body["refreshToken"]["token"]
    child = refresh(app_client, parent)["refreshToken"]["token"]
    grandchild = refresh(app_client, child)
    assert grandchild["status"] == "OK"
    assert refresh(app_client, parent)["status"] == "TOKEN_THEFT_DETECTED"
    assert refresh(app_client, child)["status"] == "OK"  # child is current now: it may mint more children


def test_several_children_of_one_parent_all_refresh_but_only_one_is_promoted(app_client: CoreClient) -> None:
    parent = create(app_client)["refreshToken"]["token"]
    first, second = refresh(app_client, parent), refresh(app_client, parent)
    assert first["status"] == second["status"] == "OK"
    assert verify(app_client, first["accessToken"]["token"])["accessToken"]
    stale = verify(app_client, second["accessToken"]["token"])
    assert stale["status"] == "OK" and "accessToken" not in stale  # valid until it expires, never renewed
    assert refresh(app_client, second["refreshToken"]["token"])["status"] == "TOKEN_THEFT_DETECTED"


def _refresh_at_once(core: CoreProcess, app_id: str, token: str, tabs: int) -> list[dict[str, Any]]:
    """Send ``tabs`` refreshes with ``token`` at the same moment, each on its own connection."""
    barrier = threading.Barrier(tabs)
    results: list[dict[str, Any]] = []

    def tab() -> None:
        with core.client(app_id) as client:
            barrier.wait()
            results.append(refresh(client, token))

    threads = [threading.Thread(target=tab) for _ in range(tabs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_two_concurrent_refreshes_with_the_same_token_both_succeed(core: CoreProcess, app_client: CoreClient) -> None:
    for _ in range(3):
        token = create(app_client)["refreshToken"]["token"]
        results = _refresh_at_once(core, app_client.app_id, token, 2)
        assert [r["status"] for r in results] == ["OK", "OK"], results
        for result in results:
            assert verify(app_client, result["accessToken"]["token"])["status"] == "OK"


def test_concurrent_refreshes_with_one_child_promote_it_once(core: CoreProcess, app_client: CoreClient) -> None:
    parent = create(app_client)["refreshToken"]["token"]
    child = refresh(app_client, parent)["refreshToken"]["token"]
    results = _refresh_at_once(core, app_client.app_id, child, 4)
    assert [r["status"] for r in results] == ["OK"] * 4, results
    assert refresh(app_client, parent)["status"] == "TOKEN_THEFT_DETECTED"


def test_anti_csrf_token_is_issued_and_enforced_on_verify(app_client: CoreClient) -> None:
    body = create(app_client, anti_csrf=True)
    anti = body["antiCsrfToken"]
    uuid.UUID(anti)
    token = body["accessToken"]["token"]
    assert decode(app_client, token)[1]["antiCsrfToken"] == anti
    check = {"do_anti_csrf_check": True, "enable_anti_csrf": True}
    assert verify(app_client, token, anti_csrf=anti, **check)["status"] == "OK"
    for wrong in (None, "", str(uuid.uuid4())):
        assert verify(app_client, token, anti_csrf=wrong, **check) == {
            "status": "TRY_REFRESH_TOKEN",
            "message": "anti-csrf check failed",
        }
    assert verify(app_client, token, do_anti_csrf_check=False, enable_anti_csrf=True)["status"] == "OK"


def test_anti_csrf_token_is_enforced_on_refresh_and_renewed(app_client: CoreClient) -> None:
    body = create(app_client, anti_csrf=True)
    token, anti = body["refreshToken"]["token"], body["antiCsrfToken"]
    for wrong in (None, str(uuid.uuid4())):
        assert refresh(app_client, token, anti_csrf=wrong, enable_anti_csrf=True) == {
            "status": "UNAUTHORISED",
            "message": "Anti CSRF token missing, or not matching",
        }
    renewed = refresh(app_client, token, anti_csrf=anti, enable_anti_csrf=True)
    assert renewed["status"] == "OK"
    assert renewed["antiCsrfToken"] not in (None, anti)
    assert decode(app_client, renewed["accessToken"]["token"])[1]["antiCsrfToken"] == renewed["antiCsrfToken"]


def test_refresh_can_switch_between_static_and_dynamic_keys(app_client: CoreClient) -> None:
    body = create(app_client, dynamic=False)
    switched = refresh(app_client, body["refreshToken"]["token"], dynamic=True)
    assert jwt.get_unverified_header(switched["accessToken"]["token"])["kid"].startswith("d-")
    promoted = verify(app_client, switched["accessToken"]["token"])
    assert jwt.get_unverified_header(promoted["accessToken"]["token"])["kid"].startswith("d-")


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        (
            "/recipe/session/verify",
            {"doAntiCsrfCheck": False, "enableAntiCsrf": False, "checkDatabase": False},
            "Field name 'accessToken' is invalid in JSON input",
        ),
        (
            "/recipe/session/verify",
            {"accessToken": "x", "enableAntiCsrf": False, "checkDatabase": False},
            "Field name 'doAntiCsrfCheck' is invalid in JSON input",
        ),
        (
            "/recipe/session/verify",
            {"accessToken": "x", "doAntiCsrfCheck": False, "enableAntiCsrf": False, "checkDatabase": "yes"},
            "Field name 'checkDatabase' is invalid in JSON input",
        ),
        (
            "/recipe/session/refresh",
            {"refreshToken": "x", "enableAntiCsrf": False},
            "Field name 'useDynamicSigningKey' is invalid in JSON input",
        ),
        (
            "/recipe/session/refresh",
            {"refreshToken": None, "enableAntiCsrf": False, "useDynamicSigningKey": True},
            "Field name 'refreshToken' is invalid in JSON input",
        ),
        (
            "/recipe/session/refresh",
            {"refreshToken": "x", "antiCsrfToken": 3, "enableAntiCsrf": True, "useDynamicSigningKey": True},
            "Field name 'antiCsrfToken' is invalid in JSON input",
        ),
    ],
)
def test_verify_and_refresh_with_bad_input_are_400(
    app_client: CoreClient, path: str, body: dict[str, Any], message: str
) -> None:
    reply = app_client.post(path, json=body)
    assert reply.status_code == 400
    assert reply.text == message


def test_refresh_on_a_tenant_path_is_403(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    reply = app_client.post("/t1/recipe/session/refresh", json={})
    assert reply.status_code == 403


def test_logs_carry_no_tokens(core: CoreProcess, app_client: CoreClient) -> None:
    body = create(app_client, anti_csrf=True)
    verify(app_client, body["accessToken"]["token"] + "x", check_database=True)
    refresh(app_client, body["refreshToken"]["token"] + "x")
    child = refresh(app_client, body["refreshToken"]["token"], anti_csrf=body["antiCsrfToken"], enable_anti_csrf=True)
    log = core.log_path.read_text(errors="replace")
    for secret in (body["accessToken"]["token"], body["refreshToken"]["token"], child["refreshToken"]["token"]):
        assert secret[:40] not in log
        assert secret[-40:] not in log
    assert body["antiCsrfToken"] not in log
