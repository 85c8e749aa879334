"""GET /auth/emailpassword/email/exists and its deprecated alias /auth/signup/email/exists."""

from __future__ import annotations

import httpx
import pytest

from tests.recipe.emailpassword._app import form

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("path", ["/auth/emailpassword/email/exists", "/auth/signup/email/exists"])
async def test_email_exists_is_true_only_for_signed_up_emails(http: httpx.AsyncClient, path: str) -> None:
    await http.post("/auth/signup", json=form(email="here@example.com", password="abcd1234"))
    assert (await http.get(path, params={"email": "here@example.com"})).json() == {"status": "OK", "exists": True}
    assert (await http.get(path, params={"email": "HERE@example.com"})).json()["exists"] is True
    assert (await http.get(path, params={"email": "gone@example.com"})).json() == {"status": "OK", "exists": False}


async def test_email_exists_without_the_param_is_400(http: httpx.AsyncClient) -> None:
    reply = await http.get("/auth/emailpassword/email/exists")
    assert (reply.status_code, reply.json()) == (400, {"message": "Please provide the email as a GET param"})


async def test_email_exists_with_an_invalid_email_is_simply_false(http: httpx.AsyncClient) -> None:
    reply = await http.get("/auth/emailpassword/email/exists", params={"email": "not an email"})
    assert reply.json() == {"status": "OK", "exists": False}
