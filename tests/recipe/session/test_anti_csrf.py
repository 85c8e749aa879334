"""Anti-CSRF: VIA_CUSTOM_HEADER (default for cross-site cookies), VIA_TOKEN, and cookie attributes across sites."""

from __future__ import annotations

import pytest

from authdeck.exceptions import ConfigError
from tests.recipe.session.conftest import MakeApp

pytestmark = pytest.mark.anyio

CROSS_SITE = {"api_domain": "https://api.example.com", "website_domain": "https://app.example.org"}


async def test_cross_site_cookies_are_same_site_none_and_secure(make_app: MakeApp) -> None:
    app = await make_app(**CROSS_SITE)
    reply = await app.create("alice", mode="cookie")
    for name in ("sAccessToken", "sRefreshToken"):
        assert reply.cookies[name]["samesite"] == "none" and reply.cookies[name]["secure"] is True
    assert reply.header("anti-csrf") is None


async def test_different_schemes_on_one_site_also_mean_same_site_none(make_app: MakeApp) -> None:
    app = await make_app(api_domain="https://api.example.com", website_domain="http://www.example.com")
    reply = await app.create("bob", mode="cookie")
    assert reply.cookies["sAccessToken"]["samesite"] == "none"


async def test_via_custom_header_needs_rid_on_non_get_requests(make_app: MakeApp) -> None:
    app = await make_app(**CROSS_SITE)
    cookies = {"sAccessToken": (await app.create("carol", mode="cookie")).cookie_value("sAccessToken")}
    no_rid = await app.call("POST", "/protected", cookies=cookies)
    assert (no_rid.status, no_rid.json()) == (401, {"message": "try refresh token"})
    assert no_rid.cookies == {}
    assert (await app.call("POST", "/protected", cookies=cookies, headers={"rid": "anti-csrf"})).status == 200
    assert (await app.call("GET", "/protected", cookies=cookies)).status == 200


async def test_via_custom_header_does_not_apply_to_header_sessions(make_app: MakeApp) -> None:
    app = await make_app(**CROSS_SITE)
    created = await app.create("dave", mode="header")
    assert (await app.call("POST", "/protected", bearer=created.header("st-access-token"))).status == 200


async def test_cross_site_refresh_without_rid_is_unauthorised_and_clears(make_app: MakeApp) -> None:
    app = await make_app(**CROSS_SITE)
    created = await app.create("erin", mode="cookie")
    cookies = {"sRefreshToken": created.cookie_value("sRefreshToken")}
    reply = await app.call("POST", "/auth/session/refresh", cookies=cookies)
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})
    assert reply.header("front-token") == "remove"
    ok = await app.call("POST", "/auth/session/refresh", cookies=cookies, headers={"rid": "session"})
    assert (ok.status, ok.json()) == (200, {})


async def test_same_site_none_without_secure_refuses_to_create_a_cookie_session(make_app: MakeApp) -> None:
    app = await make_app(api_domain="http://api.example.com", website_domain="http://app.example.org")
    with pytest.raises(ConfigError) as err:
        await app.create("finn", mode="cookie")
    assert str(err.value) == (
        "Since your API and website domain are different, for sessions to work, please use https on your "
        "apiDomain and don't set cookieSecure to false."
    )
    assert (await app.create("finn", mode="header")).status == 200


async def test_same_site_none_without_secure_is_allowed_between_local_hosts(make_app: MakeApp) -> None:
    app = await make_app(cookie_same_site="none", website_domain="http://127.0.0.1:3000")
    reply = await app.create("gus", mode="cookie")
    assert reply.cookies["sAccessToken"]["samesite"] == "none" and "secure" not in reply.cookies["sAccessToken"]


async def test_via_token_sends_the_token_and_requires_it_back(make_app: MakeApp) -> None:
    app = await make_app(anti_csrf="VIA_TOKEN")
    created = await app.create("hank", mode="cookie")
    token = created.header("anti-csrf")
    assert token
    assert created.header("access-control-expose-headers") == "front-token,anti-csrf"
    cookies = {"sAccessToken": created.cookie_value("sAccessToken")}

    missing = await app.call("POST", "/protected", cookies=cookies)
    assert (missing.status, missing.json()) == (401, {"message": "try refresh token"})
    rid_only = await app.call("POST", "/protected", cookies=cookies, headers={"rid": "session"})
    assert rid_only.status == 401
    wrong = await app.call("POST", "/protected", cookies=cookies, headers={"anti-csrf": "nope"})
    assert wrong.status == 401
    assert (await app.call("POST", "/protected", cookies=cookies, headers={"anti-csrf": token})).status == 200
    assert (await app.call("GET", "/protected", cookies=cookies)).status == 200


async def test_via_token_refresh_sends_the_token_to_the_core_and_returns_a_new_one(make_app: MakeApp) -> None:
    app = await make_app(anti_csrf="VIA_TOKEN")
    created = await app.create("ivy", mode="cookie")
    token = created.header("anti-csrf")
    assert token
    cookies = {"sRefreshToken": created.cookie_value("sRefreshToken")}
    refused = await app.call("POST", "/auth/session/refresh", cookies=cookies, headers={"anti-csrf": "nope"})
    assert (refused.status, refused.json()) == (401, {"message": "unauthorised"})
    reply = await app.call("POST", "/auth/session/refresh", cookies=cookies, headers={"anti-csrf": token})
    assert reply.status == 200
    assert reply.header("anti-csrf") not in (None, token)


async def test_via_token_is_not_used_for_header_sessions(make_app: MakeApp) -> None:
    app = await make_app(anti_csrf="VIA_TOKEN")
    created = await app.create("jack", mode="header")
    assert created.header("anti-csrf") is None
    assert (await app.call("POST", "/protected", bearer=created.header("st-access-token"))).status == 200


async def test_anti_csrf_none_accepts_cross_site_posts(make_app: MakeApp) -> None:
    app = await make_app(anti_csrf="NONE", **CROSS_SITE)
    created = await app.create("kate", mode="cookie")
    cookies = {"sAccessToken": created.cookie_value("sAccessToken")}
    assert (await app.call("POST", "/protected", cookies=cookies)).status == 200


async def test_explicit_via_custom_header_works_on_a_same_site_setup(make_app: MakeApp) -> None:
    app = await make_app(anti_csrf="VIA_CUSTOM_HEADER")
    created = await app.create("liam", mode="cookie")
    cookies = {"sAccessToken": created.cookie_value("sAccessToken")}
    assert (await app.call("POST", "/protected", cookies=cookies)).status == 401
    assert (await app.call("POST", "/protected", cookies=cookies, headers={"rid": "session"})).status == 200
    refresh = {"sRefreshToken": created.cookie_value("sRefreshToken")}
    assert (await app.call("POST", "/auth/session/refresh", cookies=refresh, headers={"rid": "session"})).status == 200
