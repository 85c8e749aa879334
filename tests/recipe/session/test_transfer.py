"""Tokens in cookies or headers: what a new session sends, how requests are read, front-token, sign-out."""

from __future__ import annotations

import base64
import json
import time

import pytest

from tests.recipe.session.conftest import MakeApp, decode_jwt_payload

pytestmark = pytest.mark.anyio


async def test_cookie_mode_sets_httponly_cookies_with_lax_same_site_and_no_tokens_in_headers(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.create("alice", mode="cookie")
    assert reply.status == 200
    access, refresh = reply.cookies["sAccessToken"], reply.cookies["sRefreshToken"]
    assert access["path"] == "/" and refresh["path"] == "/auth/session/refresh"
    for cookie in (access, refresh):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "lax"
        assert "secure" not in cookie and "domain" not in cookie
    # The access cookie lives a year whatever the JWT says; the refresh cookie follows the core's expiry.
    expires = time.mktime(time.strptime(access["expires"], "%a, %d %b %Y %H:%M:%S GMT")) - time.timezone
    assert abs(expires - (time.time() + 365 * 86400)) < 120
    assert reply.header("st-access-token") is None and reply.header("st-refresh-token") is None
    assert reply.header("access-control-expose-headers") == "front-token"
    assert reply.header("front-token")


async def test_without_auth_mode_header_a_new_session_uses_headers(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.create("bob")
    assert reply.cookies == {}
    assert reply.header("st-access-token") and reply.header("st-refresh-token")
    assert reply.header("access-control-expose-headers") == "front-token,st-access-token,st-refresh-token"
    assert reply.header("anti-csrf") is None


async def test_unknown_auth_mode_also_means_header_mode(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.create("bob", mode="carrier-pigeon")
    assert reply.cookies == {} and reply.header("st-access-token")


async def test_front_token_is_base64_of_sorted_compact_json_with_expiry_user_and_payload(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.create("carol", mode="cookie", payload={"ünïcode": "✓", "role": "x"})
    front = reply.header("front-token")
    assert front is not None
    text = base64.b64decode(front, validate=True).decode("utf-8")
    info = json.loads(text)
    assert text == json.dumps(info, separators=(",", ":"), sort_keys=True)
    assert set(info) == {"ate", "uid", "up"}
    assert info["uid"] == "carol"
    payload = decode_jwt_payload(reply.cookie_value("sAccessToken"))
    assert info["up"] == payload
    assert payload["ünïcode"] == "✓" and payload["iss"] == "http://localhost:8000/auth"
    assert payload["sub"] == "carol" and payload["rsub"] == "carol" and payload["tId"] == "public"
    assert abs(info["ate"] - payload["exp"] * 1000) < 1000


async def test_protected_route_accepts_the_cookie(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("dave", mode="cookie")
    reply = await app.call("GET", "/protected", cookies={"sAccessToken": created.cookie_value("sAccessToken")})
    assert reply.status == 200
    body = reply.json()
    assert body["userId"] == "dave" and body["recipeUserId"] == "dave" and body["tenantId"] == "public"
    assert body["handle"] == created.json()["handle"]
    # A verified request with an unchanged token sends no token headers back.
    assert reply.cookies == {} and reply.header("front-token") is None


async def test_protected_route_accepts_the_bearer_token(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("erin")
    reply = await app.call("GET", "/protected", bearer=created.header("st-access-token"))
    assert reply.status == 200 and reply.json()["userId"] == "erin"


async def test_header_token_wins_over_cookie_when_both_are_sent(make_app: MakeApp) -> None:
    app = await make_app()
    by_cookie = await app.create("in-cookie", mode="cookie")
    by_header = await app.create("in-header", mode="header")
    reply = await app.call(
        "GET",
        "/protected",
        cookies={"sAccessToken": by_cookie.cookie_value("sAccessToken")},
        bearer=by_header.header("st-access-token"),
    )
    assert reply.json()["userId"] == "in-header"


async def test_a_bearer_value_that_is_not_an_access_token_is_ignored_for_the_cookie(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("frank", mode="cookie")
    reply = await app.call(
        "GET", "/protected", cookies={"sAccessToken": created.cookie_value("sAccessToken")}, bearer="some-api-key"
    )
    assert reply.status == 200 and reply.json()["userId"] == "frank"


async def test_creating_a_cookie_session_clears_header_tokens_the_request_carried(make_app: MakeApp) -> None:
    app = await make_app()
    old = await app.create("gina")
    reply = await app.call(
        "POST",
        "/create",
        headers={"st-auth-mode": "cookie"},
        bearer=old.header("st-access-token"),
        json_body={"userId": "gina"},
    )
    assert reply.cookies["sAccessToken"]["value"] != '""'
    assert reply.header("st-access-token") == "" and reply.header("st-refresh-token") == ""
    # The new session's front-token is set after the clearing, so the frontend keeps the new session.
    assert reply.header("front-token") not in (None, "remove")


async def test_expose_access_token_in_cookie_mode_also_sends_the_access_token_header(make_app: MakeApp) -> None:
    app = await make_app(expose_access_token_to_frontend_in_cookie_based_auth=True)
    reply = await app.create("hank", mode="cookie")
    assert reply.header("st-access-token") == reply.cookie_value("sAccessToken")
    assert reply.header("st-refresh-token") is None
    assert reply.header("access-control-expose-headers") == "front-token,st-access-token"


async def test_missing_token_is_401_unauthorised_without_clearing(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.call("GET", "/protected")
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})
    assert reply.cookies == {} and reply.header("front-token") is None


async def test_garbage_token_is_treated_as_missing(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.call("GET", "/protected", cookies={"sAccessToken": "not.a.jwt"})
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})


async def test_optional_session_route_runs_without_a_session(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.call("GET", "/optional")
    assert (reply.status, reply.json()) == (200, {"hasSession": False})
    created = await app.create("ivy")
    reply = await app.call("GET", "/optional", bearer=created.header("st-access-token"))
    assert reply.json() == {"hasSession": True}


async def test_cookie_signout_revokes_and_clears_only_the_cookies(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("jack", mode="cookie")
    reply = await app.call("POST", "/auth/signout", cookies={"sAccessToken": created.cookie_value("sAccessToken")})
    assert (reply.status, reply.json()) == (200, {"status": "OK"})
    for name, path in (("sAccessToken", "/"), ("sRefreshToken", "/auth/session/refresh")):
        cleared = reply.cookies[name]
        assert cleared["value"] == '""' and cleared["path"] == path
        assert cleared["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert reply.header("front-token") == "remove"
    assert reply.header("st-access-token") is None and reply.header("st-refresh-token") is None
    assert reply.header("access-control-expose-headers") == "front-token"
    assert not app.session_exists(created.json()["handle"])


async def test_header_signout_revokes_and_clears_only_the_headers(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("kate")
    reply = await app.call("POST", "/auth/signout", bearer=created.header("st-access-token"))
    assert (reply.status, reply.json()) == (200, {"status": "OK"})
    assert reply.cookies == {}
    assert reply.header("st-access-token") == "" and reply.header("st-refresh-token") == ""
    assert reply.header("front-token") == "remove"
    assert reply.header("access-control-expose-headers") == "st-access-token,st-refresh-token,front-token"
    assert not app.session_exists(created.json()["handle"])


async def test_signout_without_a_session_is_401_and_clears_nothing(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.call("POST", "/auth/signout")
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})
    assert reply.cookies == {} and reply.header("front-token") is None


async def test_duplicate_access_cookies_ask_for_a_refresh(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("liam", mode="cookie")
    token = created.cookie_value("sAccessToken")
    reply = await app.call("GET", "/protected", headers={"cookie": f"sAccessToken={token}; sAccessToken={token}"})
    assert (reply.status, reply.json()) == (401, {"message": "try refresh token"})


async def test_legacy_id_refresh_cookie_asks_for_a_refresh(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("mia", mode="cookie")
    reply = await app.call(
        "GET",
        "/protected",
        cookies={"sAccessToken": created.cookie_value("sAccessToken"), "sIdRefreshToken": "legacy"},
    )
    assert (reply.status, reply.json()) == (401, {"message": "try refresh token"})


async def test_cookie_domain_is_sent_only_when_configured(make_app: MakeApp) -> None:
    app = await make_app(cookie_domain=".Example.com", cookie_secure=True, cookie_same_site="Strict")
    reply = await app.create("noah", mode="cookie")
    for name in ("sAccessToken", "sRefreshToken"):
        cookie = reply.cookies[name]
        assert cookie["domain"] == ".example.com"
        assert cookie["secure"] is True and cookie["samesite"] == "strict"
