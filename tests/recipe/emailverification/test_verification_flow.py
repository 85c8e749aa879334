"""The verification flow over HTTP: send the link, use it, read the state; the st-ev claim follows."""

from __future__ import annotations

import re

import httpx
import pytest

from authdeck.recipe.emailverification.types import VerificationEmailTemplateVars
from tests._harness.core_process import CoreClient
from tests.recipe.emailpassword._app import Outbox, bearer, front_token_payload
from tests.recipe.emailverification.conftest import sign_up

pytestmark = pytest.mark.anyio

LINK_RE = re.compile(r"^http://localhost:3000/auth/verify-email\?token=([A-Za-z0-9_\-]+)&tenantId=(\S+)$")
INVALID_CLAIM = {
    "message": "invalid claim",
    "claimValidationErrors": [
        {"id": "st-ev", "reason": {"message": "wrong value", "expectedValue": True, "actualValue": False}}
    ],
}


async def send_link(http: httpx.AsyncClient, outbox: Outbox, auth: dict[str, str]) -> str:
    reply = await http.post("/auth/user/email/verify/token", json={}, headers=auth)
    assert (reply.status_code, reply.json()) == (200, {"status": "OK"})
    sent = outbox.sent[-1]
    assert isinstance(sent, VerificationEmailTemplateVars)
    match = LINK_RE.match(sent.email_verify_link)
    assert match is not None, sent.email_verify_link
    return match.group(1)


async def test_required_mode_blocks_protected_routes_until_verified(http: httpx.AsyncClient, outbox: Outbox) -> None:
    signed_up = await sign_up(http)
    auth = bearer(signed_up)
    blocked = await http.get("/protected", headers=auth)
    assert (blocked.status_code, blocked.json()) == (403, INVALID_CLAIM)

    token = await send_link(http, outbox, auth)
    user_id = signed_up.json()["user"]["id"]
    assert outbox.sent[-1].to_json() == {
        "type": "EMAIL_VERIFICATION",
        "user": {"id": user_id, "recipeUserId": user_id, "email": "v@example.com"},
        "emailVerifyLink": f"http://localhost:3000/auth/verify-email?token={token}&tenantId=public",
        "tenantId": "public",
    }
    # The link is opened in a browser without the session.
    verified = await http.post("/auth/user/email/verify", json={"method": "token", "token": token})
    assert (verified.status_code, verified.json()) == (200, {"status": "OK"})
    assert "front-token" not in verified.headers

    # The old access token still says false, fetched moments ago: no refetch yet.
    assert (await http.get("/protected", headers=auth)).status_code == 403
    state = await http.get("/auth/user/email/verify", headers=auth)
    assert state.json() == {"status": "OK", "isVerified": True}
    assert front_token_payload(state)["up"]["st-ev"]["v"] is True
    allowed = await http.get("/protected", headers=bearer(state))
    assert allowed.status_code == 200
    assert allowed.json()["payload"]["st-ev"]["v"] is True


async def test_verifying_with_the_users_session_updates_the_claim_at_once(
    http: httpx.AsyncClient, outbox: Outbox
) -> None:
    auth = bearer(await sign_up(http))
    token = await send_link(http, outbox, auth)
    reply = await http.post("/auth/user/email/verify", json={"method": "token", "token": token}, headers=auth)
    assert reply.json() == {"status": "OK"}
    assert front_token_payload(reply)["up"]["st-ev"]["v"] is True
    assert (await http.get("/protected", headers=bearer(reply))).status_code == 200


async def test_verifying_with_another_users_session_leaves_that_session_alone(
    http: httpx.AsyncClient, outbox: Outbox
) -> None:
    first = bearer(await sign_up(http, "first@example.com"))
    second = bearer(await sign_up(http, "second@example.com"))
    token = await send_link(http, outbox, first)
    reply = await http.post("/auth/user/email/verify", json={"token": token}, headers=second)
    assert reply.json() == {"status": "OK"}
    assert "front-token" not in reply.headers


async def test_is_verified_false_rewrites_the_claim(http: httpx.AsyncClient) -> None:
    signed_up = await sign_up(http)
    before = front_token_payload(signed_up)["up"]["st-ev"]["t"]
    reply = await http.get("/auth/user/email/verify", headers=bearer(signed_up))
    assert reply.json() == {"status": "OK", "isVerified": False}
    claim = front_token_payload(reply)["up"]["st-ev"]
    assert claim["v"] is False and claim["t"] >= before


async def test_token_request_when_already_verified_says_so_and_refreshes_the_claim(
    http: httpx.AsyncClient, outbox: Outbox
) -> None:
    auth = bearer(await sign_up(http))
    token = await send_link(http, outbox, auth)
    await http.post("/auth/user/email/verify", json={"method": "token", "token": token})
    reply = await http.post("/auth/user/email/verify/token", headers=auth)
    assert reply.json() == {"status": "EMAIL_ALREADY_VERIFIED_ERROR"}
    assert front_token_payload(reply)["up"]["st-ev"]["v"] is True
    assert len(outbox.sent) == 1


async def test_a_verification_token_works_once(http: httpx.AsyncClient, outbox: Outbox) -> None:
    token = await send_link(http, outbox, bearer(await sign_up(http)))
    assert (await http.post("/auth/user/email/verify", json={"token": token})).json() == {"status": "OK"}
    again = await http.post("/auth/user/email/verify", json={"token": token})
    assert again.json() == {"status": "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"}


async def test_unknown_token_is_invalid(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/user/email/verify", json={"method": "token", "token": "nope"})
    assert (reply.status_code, reply.json()) == (200, {"status": "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"})


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{}", "Please provide the email verification token"),
        (b'{"method": "token"}', "Please provide the email verification token"),
        (b'{"token": 12}', "The email verification token must be a string"),
        (b'{"token": null}', "The email verification token must be a string"),
        (b"null", "Please provide a JSON body"),
        (b"[]", "Please provide the email verification token"),
    ],
)
async def test_verify_with_malformed_input_is_400(http: httpx.AsyncClient, content: bytes, message: str) -> None:
    reply = await http.post("/auth/user/email/verify", content=content, headers={"content-type": "application/json"})
    assert (reply.status_code, reply.json()) == (400, {"message": message})


async def test_token_request_and_state_need_a_session(http: httpx.AsyncClient, outbox: Outbox) -> None:
    for method, path in (("POST", "/auth/user/email/verify/token"), ("GET", "/auth/user/email/verify")):
        reply = await http.request(method, path)
        assert (reply.status_code, reply.json()) == (401, {"message": "unauthorised"})
    assert outbox.sent == []


async def test_cookie_sessions_get_the_refreshed_claim_as_a_cookie(http: httpx.AsyncClient, outbox: Outbox) -> None:
    signed_up = await http.post(
        "/auth/signup",
        json={"formFields": [{"id": "email", "value": "c@example.com"}, {"id": "password", "value": "abcd1234"}]},
        headers={"st-auth-mode": "cookie"},
    )
    assert "sAccessToken" in http.cookies
    reply = await http.get("/auth/user/email/verify")
    assert reply.json() == {"status": "OK", "isVerified": False}
    assert any(c.startswith("sAccessToken=") for c in reply.headers.get_list("set-cookie"))
    assert signed_up.json()["status"] == "OK"


async def test_verification_link_carries_the_sessions_tenant(
    http: httpx.AsyncClient, outbox: Outbox, app_client: CoreClient
) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "team-c"})
    reply = await http.post(
        "/auth/team-c/signup",
        json={"formFields": [{"id": "email", "value": "t@example.com"}, {"id": "password", "value": "abcd1234"}]},
    )
    auth = bearer(reply)
    token = await send_link(http, outbox, auth)
    assert outbox.sent[-1].email_verify_link.endswith("&tenantId=team-c")
    assert outbox.sent[-1].tenant_id == "team-c"
    verified = await http.post("/auth/team-c/user/email/verify", json={"token": token}, headers=auth)
    assert verified.json() == {"status": "OK"}
    assert (await http.get("/protected", headers=bearer(verified))).status_code == 200
