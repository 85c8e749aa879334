"""Expiry, refresh and token theft, in both transfer methods (fdi.md §2.6, §3.2)."""

from __future__ import annotations

import asyncio

import pytest

from tests.recipe.session.conftest import MakeApp, Reply, SessionApp

pytestmark = pytest.mark.anyio

SHORT_LIVED = {"access_token_validity": 2}


async def wait_for_expiry() -> None:
    await asyncio.sleep(3.1)  # the JWT's exp is in whole seconds, 2 s after creation


def assert_cleared_everywhere(reply: Reply) -> None:
    for name in ("sAccessToken", "sRefreshToken"):
        assert reply.cookies[name]["value"] == '""'
        assert reply.cookies[name]["expires"] == "Thu, 01 Jan 1970 00:00:00 GMT"
    assert reply.header("st-access-token") == "" and reply.header("st-refresh-token") == ""
    assert reply.header("front-token") == "remove"
    assert reply.header("access-control-expose-headers") == "front-token,st-access-token,st-refresh-token,front-token"


async def refresh_by_cookie(app: SessionApp, refresh_token: str, **headers: str) -> Reply:
    return await app.call("POST", "/auth/session/refresh", cookies={"sRefreshToken": refresh_token}, headers=headers)


async def test_cookie_session_expires_then_refreshes_and_keeps_working(make_app: MakeApp) -> None:
    app = await make_app(core_config=SHORT_LIVED)
    created = await app.create("alice", mode="cookie")
    access, refresh = created.cookie_value("sAccessToken"), created.cookie_value("sRefreshToken")
    assert (await app.call("GET", "/protected", cookies={"sAccessToken": access})).status == 200

    await wait_for_expiry()
    expired = await app.call("GET", "/protected", cookies={"sAccessToken": access})
    assert (expired.status, expired.json()) == (401, {"message": "try refresh token"})
    assert expired.cookies == {}  # nothing is cleared: the frontend is asked to refresh

    refreshed = await refresh_by_cookie(app, refresh)
    assert (refreshed.status, refreshed.json()) == (200, {})
    assert refreshed.cookies["sRefreshToken"]["path"] == "/auth/session/refresh"
    assert refreshed.cookie_value("sRefreshToken") != refresh
    assert refreshed.header("front-token") and refreshed.header("access-control-expose-headers") == "front-token"
    new_access = refreshed.cookie_value("sAccessToken")

    # The first use of the child token promotes it in the core, which answers with a new access token.
    again = await app.call("GET", "/protected", cookies={"sAccessToken": new_access})
    assert again.status == 200 and again.json()["userId"] == "alice"
    assert again.json()["handle"] == created.json()["handle"]
    assert again.cookies["sAccessToken"]["value"] not in ('""', new_access)
    assert again.header("front-token")


async def test_header_session_expires_then_refreshes_with_the_bearer_refresh_token(make_app: MakeApp) -> None:
    app = await make_app(core_config=SHORT_LIVED)
    created = await app.create("bob")
    access, refresh = created.header("st-access-token"), created.header("st-refresh-token")
    assert access and refresh
    await wait_for_expiry()
    expired = await app.call("GET", "/protected", bearer=access)
    assert (expired.status, expired.json()) == (401, {"message": "try refresh token"})

    refreshed = await app.call("POST", "/auth/session/refresh", bearer=refresh)
    assert (refreshed.status, refreshed.json()) == (200, {})
    assert refreshed.cookies == {}
    assert refreshed.header("access-control-expose-headers") == "front-token,st-access-token,st-refresh-token"
    new_access = refreshed.header("st-access-token")
    assert new_access and refreshed.header("st-refresh-token") not in (None, refresh)
    again = await app.call("GET", "/protected", bearer=new_access)
    assert again.status == 200 and again.json()["userId"] == "bob"


async def test_reusing_a_replaced_refresh_token_is_theft_clears_everything_and_revokes(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("carol")
    first_refresh = created.header("st-refresh-token")
    assert first_refresh
    refreshed = await app.call("POST", "/auth/session/refresh", bearer=first_refresh)
    child_access = refreshed.header("st-access-token")
    assert child_access
    assert (await app.call("GET", "/protected", bearer=child_access)).status == 200  # promotes the child

    theft = await app.call("POST", "/auth/session/refresh", bearer=first_refresh)
    assert (theft.status, theft.json()) == (401, {"message": "token theft detected"})
    assert_cleared_everywhere(theft)
    assert not app.session_exists(created.json()["handle"])
    # The thief's tokens are dead too: the session is gone from the core.
    child_refresh = refreshed.header("st-refresh-token")
    assert child_refresh
    dead = await app.call("POST", "/auth/session/refresh", bearer=child_refresh)
    assert (dead.status, dead.json()) == (401, {"message": "unauthorised"})


async def test_refresh_without_a_refresh_token_is_unauthorised_and_clears_both_methods(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await app.call("POST", "/auth/session/refresh")
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})
    assert_cleared_everywhere(reply)


async def test_refresh_with_an_unknown_refresh_token_is_unauthorised_and_clears(make_app: MakeApp) -> None:
    app = await make_app()
    reply = await refresh_by_cookie(app, "bm90LWEtdG9rZW4.abc.V2")
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})
    assert_cleared_everywhere(reply)


async def test_refresh_of_a_revoked_session_is_unauthorised(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("dave", mode="cookie")
    await app.call("POST", "/auth/signout", cookies={"sAccessToken": created.cookie_value("sAccessToken")})
    reply = await refresh_by_cookie(app, created.cookie_value("sRefreshToken"))
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})


async def test_refresh_token_from_the_other_method_is_cleared_when_refreshing(make_app: MakeApp) -> None:
    app = await make_app()
    by_header = await app.create("erin")
    by_cookie = await app.create("erin", mode="cookie")
    header_refresh = by_header.header("st-refresh-token")
    assert header_refresh
    reply = await app.call(
        "POST",
        "/auth/session/refresh",
        bearer=header_refresh,
        cookies={"sRefreshToken": by_cookie.cookie_value("sRefreshToken")},
    )
    assert reply.status == 200
    assert reply.header("st-access-token") not in (None, "")  # header wins and gets new tokens
    assert reply.cookies["sAccessToken"]["value"] == '""'  # the cookie session is cleared from this client
    assert reply.header("front-token") != "remove"


async def test_duplicate_refresh_cookies_without_older_cookie_domain_is_a_server_error(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("finn", mode="cookie")
    token = created.cookie_value("sRefreshToken")
    with pytest.raises(Exception, match="multiple session cookies"):
        await app.call("POST", "/auth/session/refresh", headers={"cookie": f"sRefreshToken={token}; sRefreshToken=x"})


async def test_duplicate_cookies_with_older_cookie_domain_clear_the_old_domain(make_app: MakeApp) -> None:
    app = await make_app(cookie_domain=".localhost.test", older_cookie_domain="old.localhost.test")
    created = await app.create("gus", mode="cookie")
    token = created.cookie_value("sRefreshToken")
    reply = await app.call(
        "POST", "/auth/session/refresh", headers={"cookie": f"sRefreshToken={token}; sRefreshToken=x"}
    )
    assert reply.status == 200
    assert reply.json() == {
        "message": "The request contains multiple session cookies. We are clearing the cookie from "
        "older_cookie_domain. Session will be refreshed in the next refresh call."
    }
    cleared = reply.cookies["sRefreshToken"]
    assert cleared["domain"] == "old.localhost.test" and cleared["value"] == '""'
