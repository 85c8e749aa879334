"""The password reset flow end to end: request a link, receive it, set a new password, sign in with it."""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator

import httpx
import pytest

from authdeck.recipe import emailpassword
from authdeck.recipe.emailpassword.types import PasswordResetEmailTemplateVars
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import WEBSITE_DOMAIN, Outbox, form, serve

pytestmark = pytest.mark.anyio

LINK_RE = re.compile(r"^http://localhost:3000/auth/reset-password\?token=([A-Za-z0-9_\-]+)&tenantId=(\S+)$")


async def sign_up(http: httpx.AsyncClient, email: str = "r@example.com") -> str:
    reply = await http.post("/auth/signup", json=form(email=email, password="abcd1234"))
    user_id: str = reply.json()["user"]["id"]
    return user_id


async def request_link(http: httpx.AsyncClient, outbox: Outbox, email: str = "r@example.com") -> str:
    reply = await http.post("/auth/user/password/reset/token", json=form(email=email))
    assert (reply.status_code, reply.json()) == (200, {"status": "OK"})
    sent = outbox.sent[-1]
    assert isinstance(sent, PasswordResetEmailTemplateVars)
    match = LINK_RE.match(sent.password_reset_link)
    assert match is not None, sent.password_reset_link
    return match.group(1)


async def reset(http: httpx.AsyncClient, token: object, password: str) -> httpx.Response:
    return await http.post(
        "/auth/user/password/reset", json={"method": "token", "token": token, **form(password=password)}
    )


async def test_reset_flow_changes_the_password(http: httpx.AsyncClient, outbox: Outbox) -> None:
    user_id = await sign_up(http)
    token = await request_link(http, outbox)
    sent = outbox.sent[-1]
    assert sent.to_json() == {
        "type": "PASSWORD_RESET",
        "user": {"id": user_id, "recipeUserId": user_id, "email": "r@example.com"},
        "passwordResetLink": f"{WEBSITE_DOMAIN}/auth/reset-password?token={token}&tenantId=public",
        "tenantId": "public",
    }
    reply = await reset(http, token, "newpass123")
    assert (reply.status_code, reply.json()) == (200, {"status": "OK"})
    assert (await http.post("/auth/signin", json=form(email="r@example.com", password="newpass123"))).json()[
        "status"
    ] == "OK"
    old = await http.post("/auth/signin", json=form(email="r@example.com", password="abcd1234"))
    assert old.json() == {"status": "WRONG_CREDENTIALS_ERROR"}


async def test_reset_token_works_only_once(http: httpx.AsyncClient, outbox: Outbox) -> None:
    await sign_up(http)
    token = await request_link(http, outbox)
    assert (await reset(http, token, "newpass123")).json() == {"status": "OK"}
    assert (await reset(http, token, "another123")).json() == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}


async def test_reset_marks_the_email_verified(http: httpx.AsyncClient, outbox: Outbox, app_client: CoreClient) -> None:
    user_id = await sign_up(http)
    query = {"userId": user_id, "email": "r@example.com"}
    assert app_client.ok("GET", "/recipe/user/email/verify", params=query)["isVerified"] is False
    await reset(http, await request_link(http, outbox), "newpass123")
    assert app_client.ok("GET", "/recipe/user/email/verify", params=query)["isVerified"] is True


async def test_reset_with_weak_password_is_field_error_and_keeps_the_token(
    http: httpx.AsyncClient, outbox: Outbox
) -> None:
    await sign_up(http)
    token = await request_link(http, outbox)
    reply = await reset(http, token, "weak")
    assert reply.json() == {
        "status": "FIELD_ERROR",
        "formFields": [{"id": "password", "error": "Password must contain at least 8 characters, including a number"}],
    }
    assert (await reset(http, token, "strong123")).json() == {"status": "OK"}


async def test_reset_with_unknown_token_is_invalid(http: httpx.AsyncClient) -> None:
    reply = await reset(http, "not-a-real-token", "newpass123")
    assert reply.json() == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (form(password="newpass123"), "Please provide the password reset token"),
        ({"token": 5, **form(password="newpass123")}, "The password reset token must be a string"),
        ({"token": None, **form(password="newpass123")}, "The password reset token must be a string"),
        ({"token": "t", "formFields": 1}, "formFields must be an array"),
    ],
)
async def test_reset_with_malformed_input_is_400(http: httpx.AsyncClient, body: object, message: str) -> None:
    reply = await http.post("/auth/user/password/reset", json=body)
    assert (reply.status_code, reply.json()) == (400, {"message": message})


async def test_reset_token_request_for_unknown_email_is_ok_and_sends_nothing(
    http: httpx.AsyncClient, outbox: Outbox
) -> None:
    reply = await http.post("/auth/user/password/reset/token", json=form(email="ghost@example.com"))
    assert reply.json() == {"status": "OK"}
    assert outbox.sent == []


async def test_reset_token_request_validates_the_email(http: httpx.AsyncClient, outbox: Outbox) -> None:
    reply = await http.post("/auth/user/password/reset/token", json=form(email="nope"))
    assert reply.json() == {"status": "FIELD_ERROR", "formFields": [{"id": "email", "error": "Email is not valid"}]}
    reply = await http.post("/auth/user/password/reset/token", json={})
    assert reply.json() == {"status": "FIELD_ERROR", "formFields": [{"id": "email", "error": "Field is not optional"}]}
    assert outbox.sent == []


async def test_reset_link_carries_the_tenant(http: httpx.AsyncClient, outbox: Outbox, app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "team-b"})
    await http.post("/auth/team-b/signup", json=form(email="t@example.com", password="abcd1234"))
    await http.post("/auth/team-b/user/password/reset/token", json=form(email="t@example.com"))
    link = outbox.sent[-1].password_reset_link
    assert link.endswith("&tenantId=team-b")
    token = LINK_RE.match(link).group(1)  # type: ignore[union-attr]
    reply = await http.post("/auth/team-b/user/password/reset", json={"token": token, **form(password="newpass123")})
    assert reply.json() == {"status": "OK"}
    signin = await http.post("/auth/team-b/signin", json=form(email="t@example.com", password="newpass123"))
    assert signin.json()["status"] == "OK"


@pytest.fixture
async def default_delivery(core: CoreProcess, app_client: CoreClient) -> AsyncIterator[httpx.AsyncClient]:
    async with serve(core, app_client, [emailpassword.init()]) as client:
        yield client


async def test_without_an_email_service_the_link_is_logged_and_nothing_is_sent(
    default_delivery: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    http = default_delivery
    await http.post("/auth/signup", json=form(email="log@example.com", password="abcd1234"))
    with caplog.at_level(logging.WARNING, logger="authdeck.email"):
        reply = await http.post("/auth/user/password/reset/token", json=form(email="log@example.com"))
    assert reply.json() == {"status": "OK"}
    [record] = [r for r in caplog.records if r.name == "authdeck.email"]
    assert record.levelno == logging.WARNING
    message = record.getMessage()
    assert "log@example.com" in message
    token = re.search(r"reset-password\?token=([A-Za-z0-9_\-]+)&tenantId=public", message)
    assert token is not None
    assert "development default" in message and "SMTPService" in message
    # The logged link is the real one.
    reply = await http.post("/auth/user/password/reset", json={"token": token.group(1), **form(password="new12345")})
    assert reply.json() == {"status": "OK"}
