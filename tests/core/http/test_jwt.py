"""JWKS and JWT endpoints (spec §2.3), and signing keys shared by several core processes on one database."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
from pathlib import Path
from typing import Any

import httpx
import jwt
import pytest

from tests._harness.core_process import CoreClient, CoreProcess
from tests.core.http._sessions import create, decode, jwks, verify

MAX_AGE_RE = re.compile(r"^max-age=(\d+), must-revalidate$")


def _app_url(core: CoreProcess, client: CoreClient) -> str:
    return f"{core.url}/appid-{client.app_id}"


def test_jwks_is_public_and_lists_rsa_keys_with_cache_control(core: CoreProcess, app_client: CoreClient) -> None:
    # No api-key, no cdi-version: exactly what the SDK's session recipe sends.
    reply = httpx.get(_app_url(core, app_client) + "/.well-known/jwks.json")
    assert reply.status_code == 200
    [key] = reply.json()["keys"]
    assert set(key) == {"kty", "kid", "n", "e", "alg", "use"}
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig" and key["e"] == "AQAB"
    assert key["kid"].startswith("d-")
    match = MAX_AGE_RE.match(reply.headers["cache-control"])
    assert match is not None
    assert 168 * 3600 - 120 < int(match.group(1)) <= 168 * 3600 - 60


def test_jwks_max_age_follows_the_app_rotation_interval(core: CoreProcess) -> None:
    with core.new_app({"access_token_dynamic_signing_key_update_interval": 1}) as client:
        reply = httpx.get(_app_url(core, client) + "/.well-known/jwks.json")
        max_age = int(MAX_AGE_RE.match(reply.headers["cache-control"]).group(1))  # type: ignore[union-attr]
        assert 3600 - 120 < max_age <= 3600 - 60


def test_curl_of_jwks_returns_keys_and_the_cache_header(core: CoreProcess, app_client: CoreClient) -> None:
    curl = shutil.which("curl")
    if curl is None:
        pytest.skip("curl is not installed")
    out = subprocess.run(
        [curl, "-sS", "-i", _app_url(core, app_client) + "/.well-known/jwks.json"],
        capture_output=True,
        timeout=30,
        check=True,
    ).stdout.decode()
    head, _, body = out.partition("\r\n\r\n")
    assert head.startswith("HTTP/1.1 200")
    assert re.search(r"(?im)^cache-control: max-age=\d+, must-revalidate\r?$", head)
    for key in json.loads(body)["keys"]:
        assert {"kid", "n", "e", "alg", "use", "kty"} <= set(key)


def test_jwks_of_each_app_is_its_own(core: CoreProcess) -> None:
    with core.new_app() as a, core.new_app() as b:
        kids_a = {k["kid"] for k in jwks(a)["keys"]}
        n_a = {k["n"] for k in jwks(a)["keys"]}
        n_b = {k["n"] for k in jwks(b)["keys"]}
        assert kids_a and not n_a & n_b


def test_jwks_on_a_tenant_path_is_403(core: CoreProcess, app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    reply = httpx.get(_app_url(core, app_client) + "/t1/.well-known/jwks.json")
    assert reply.status_code in (403, 404)


def test_jwks_lists_the_session_signing_keys_and_static_ones(app_client: CoreClient) -> None:
    dynamic = create(app_client)["accessToken"]["token"]
    static = create(app_client, dynamic=False)["accessToken"]["token"]
    kids = [k["kid"] for k in jwks(app_client)["keys"]]
    assert jwt.get_unverified_header(dynamic)["kid"] in kids
    assert jwt.get_unverified_header(static)["kid"] in kids
    body = app_client.ok("GET", "/recipe/jwt/jwks")
    assert body["keys"] == jwks(app_client)["keys"]


def test_recipe_jwt_jwks_needs_the_api_key(core: CoreProcess, app_client: CoreClient) -> None:
    reply = httpx.get(_app_url(core, app_client) + "/recipe/jwt/jwks", headers={"cdi-version": "5.4"})
    assert reply.status_code == 401


def _create_jwt(client: CoreClient, **overrides: Any) -> httpx.Response:
    body = {"payload": {"hello": "world"}, "validity": 100, "algorithm": "RS256", "jwksDomain": "http://api.example"}
    body.update(overrides)
    return client.post("/recipe/jwt", json=body)


def test_create_jwt_with_the_static_key_verifies_against_jwks(app_client: CoreClient) -> None:
    reply = _create_jwt(app_client)
    assert reply.json()["status"] == "OK"
    token = reply.json()["jwt"]
    header, claims = decode(app_client, token)
    assert header["kid"].startswith("s-") and header["typ"] == "JWT" and "version" not in header
    assert claims["hello"] == "world"
    assert claims["exp"] - claims["iat"] == 100


def test_create_jwt_with_the_dynamic_key(app_client: CoreClient) -> None:
    token = _create_jwt(app_client, useStaticSigningKey=False).json()["jwt"]
    header, _ = decode(app_client, token)
    assert header["kid"].startswith("d-")


def test_a_jwt_from_recipe_jwt_is_not_a_session_token(app_client: CoreClient) -> None:
    claims = {
        "sub": "admin",
        "rsub": "admin",
        "tId": "public",
        "sessionHandle": "h",
        "refreshTokenHash1": "x",
        "parentRefreshTokenHash1": None,
        "antiCsrfToken": None,
    }
    for static in (True, False):
        token = _create_jwt(app_client, payload=claims, useStaticSigningKey=static).json()["jwt"]
        assert verify(app_client, token)["status"] == "TRY_REFRESH_TOKEN"


def test_create_jwt_with_an_unsupported_algorithm(app_client: CoreClient) -> None:
    assert _create_jwt(app_client, algorithm="HS256").json() == {"status": "UNSUPPORTED_ALGORITHM_ERROR"}


@pytest.mark.parametrize(
    ("override", "message"),
    [
        ({"validity": 0}, "Field name 'validity' must be a positive number of seconds"),
        ({"validity": -5}, "Field name 'validity' must be a positive number of seconds"),
        ({"validity": "10"}, "Field name 'validity' is invalid in JSON input"),
        ({"payload": None}, "Field name 'payload' is invalid in JSON input"),
        ({"algorithm": None}, "Field name 'algorithm' is invalid in JSON input"),
        ({"jwksDomain": 1}, "Field name 'jwksDomain' is invalid in JSON input"),
        ({"useStaticSigningKey": "no"}, "Field name 'useStaticSigningKey' is invalid in JSON input"),
    ],
)
def test_create_jwt_with_bad_input_is_400(app_client: CoreClient, override: dict[str, Any], message: str) -> None:
    reply = _create_jwt(app_client, **override)
    assert reply.status_code == 400
    assert reply.text == message


@pytest.fixture
def second_core(core: CoreProcess, tmp_path: Path) -> Any:
    other = CoreProcess.start(core.database, tmp_path)
    try:
        yield other
    finally:
        other.stop()


def test_two_cores_on_one_database_create_one_key_and_accept_each_others_tokens(
    core: CoreProcess, second_core: CoreProcess
) -> None:
    with core.new_app() as first:
        app_id = first.app_id
        results: list[dict[str, Any]] = []
        barrier = threading.Barrier(8)

        def start_session(target: CoreProcess, i: int) -> None:
            with target.client(app_id) as client:
                barrier.wait()
                results.append(create(client, f"u{i}"))

        threads = [threading.Thread(target=start_session, args=(core if i % 2 else second_core, i)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(results) == 8
        kids = {jwt.get_unverified_header(r["accessToken"]["token"])["kid"] for r in results}
        assert len(kids) == 1
        with second_core.client(app_id) as second:
            assert jwks(first)["keys"] == jwks(second)["keys"]
            for result in results:
                for client in (first, second):
                    checked = verify(client, result["accessToken"]["token"], check_database=True)
                    assert checked["status"] == "OK"
            # Refresh tokens are sealed with one master key per app, whichever core made them.
            for result in results:
                body = second.post(
                    "/recipe/session/refresh",
                    json={
                        "refreshToken": result["refreshToken"]["token"],
                        "enableAntiCsrf": False,
                        "useDynamicSigningKey": True,
                    },
                )
                assert body.json()["status"] == "OK"
