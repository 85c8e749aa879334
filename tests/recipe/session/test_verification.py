"""Local verification of access tokens against the core's JWKS, and verification by the core."""

from __future__ import annotations

import asyncio
import base64
import json
from typing import Any

import pytest

from authdeck.recipe.session.recipe import SessionRecipe
from tests.recipe.session.conftest import MakeApp, SessionApp

pytestmark = pytest.mark.anyio

TRY_REFRESH = (401, {"message": "try refresh token"})


def b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


def unb64(part: str) -> dict[str, Any]:
    value: dict[str, Any] = json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
    return value


def rewrite(token: str, *, header: dict[str, Any] | None = None, payload: dict[str, Any] | None = None) -> str:
    h, p, s = token.split(".")
    new_h = b64({**unb64(h), **header}) if header else h
    new_p = b64({**unb64(p), **payload}) if payload else p
    return f"{new_h}.{new_p}.{s}"


def fetches() -> int:
    return SessionRecipe.get_instance().jwks.fetch_count


async def status(app: SessionApp, token: str, path: str = "/protected") -> tuple[int, Any]:
    reply = await app.call("GET", path, bearer=token)
    return reply.status, reply.json()


async def new_token(app: SessionApp, user: str = "u") -> str:
    token = (await app.create(user)).header("st-access-token")
    assert token
    return token


async def test_tampered_payload_fails_the_signature_and_asks_for_a_refresh(make_app: MakeApp) -> None:
    app = await make_app()
    token = await new_token(app, "alice")
    assert await status(app, rewrite(token, payload={"sub": "mallory"})) == TRY_REFRESH
    assert (await status(app, token))[0] == 200


async def test_other_algorithms_are_refused(make_app: MakeApp) -> None:
    app = await make_app()
    token = await new_token(app)
    assert await status(app, rewrite(token, header={"alg": "HS256"})) == TRY_REFRESH
    assert await status(app, rewrite(token, header={"alg": "none"})) == TRY_REFRESH


async def test_a_header_without_kid_or_version_below_3_is_not_an_access_token(make_app: MakeApp) -> None:
    app = await make_app()
    token = await new_token(app)
    h, p, s = token.split(".")
    no_kid = {k: v for k, v in unb64(h).items() if k != "kid"}
    unauthorised = (401, {"message": "unauthorised"})
    assert await status(app, f"{b64(no_kid)}.{p}.{s}") == unauthorised
    assert await status(app, rewrite(token, header={"version": "2"})) == unauthorised
    assert await status(app, rewrite(token, payload={"tId": 5})) == unauthorised
    assert await status(app, rewrite(token, payload={"stt": 1})) == unauthorised


async def test_jwks_is_fetched_once_and_cached(make_app: MakeApp) -> None:
    app = await make_app()
    token = await new_token(app)
    for _ in range(3):
        assert (await status(app, token))[0] == 200
    assert fetches() == 1


async def test_an_unknown_kid_triggers_one_refetch_at_most_every_500_ms(make_app: MakeApp) -> None:
    app = await make_app(use_dynamic_access_token_signing_key=False)
    dynamic = app.cdi.ok(
        "POST",
        "/public/recipe/session",
        json={"userId": "d", "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False},
    )["accessToken"]["token"]
    # A dynamic-key token when static keys are configured: fetched and verified, then refused for its key type.
    assert await status(app, dynamic) == TRY_REFRESH
    assert fetches() == 1

    await asyncio.sleep(0.6)
    static = await new_token(app, "s")  # the core creates its static key now: a kid the cache has never seen
    assert (await status(app, static))[0] == 200
    assert fetches() == 2
    assert (await status(app, static))[0] == 200
    assert fetches() == 2

    await asyncio.sleep(0.6)
    unknown = rewrite(static, header={"kid": "s-does-not-exist"})
    assert await status(app, unknown) == TRY_REFRESH
    assert fetches() == 3
    assert await status(app, unknown) == TRY_REFRESH  # within the cooldown: no new fetch
    assert fetches() == 3
    await asyncio.sleep(0.6)
    assert await status(app, unknown) == TRY_REFRESH
    assert fetches() == 4


async def test_jwks_is_refetched_after_the_refresh_interval(make_app: MakeApp) -> None:
    app = await make_app(jwks_refresh_interval_sec=1)
    token = await new_token(app)
    assert (await status(app, token))[0] == 200
    await asyncio.sleep(1.1)
    assert (await status(app, token))[0] == 200
    assert fetches() == 2


async def test_a_token_of_another_app_is_refused(make_app: MakeApp) -> None:
    app = await make_app()
    other = app.cdi  # sessions of a different app are signed with that app's keys
    foreign_app = await make_app()
    token = other.ok(
        "POST",
        "/public/recipe/session",
        json={"userId": "x", "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False},
    )["accessToken"]["token"]
    assert await status(foreign_app, token) == TRY_REFRESH


async def test_check_database_after_revoke_is_unauthorised(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("carol")
    token = created.header("st-access-token")
    assert token
    assert (await status(app, token, "/protected-db"))[0] == 200
    app.cdi.ok("POST", "/recipe/session/remove", json={"sessionHandles": [created.json()["handle"]]})
    # Local verification cannot know; the database check does.
    assert (await status(app, token))[0] == 200
    reply = await app.call("GET", "/protected-db", bearer=token)
    assert (reply.status, reply.json()) == (401, {"message": "unauthorised"})
    assert reply.header("front-token") == "remove"


async def test_session_of_another_tenant_carries_its_tenant(make_app: MakeApp) -> None:
    app = await make_app()
    app.cdi.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    created = await app.create("dave", tenantId="t1")
    body = (await app.call("GET", "/protected", bearer=created.header("st-access-token"))).json()
    assert body["tenantId"] == "t1" and body["payload"]["tId"] == "t1"
