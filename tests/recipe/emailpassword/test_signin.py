"""POST /auth/signin: right and wrong credentials, unknown users, validation, and the session it creates."""

from __future__ import annotations

import httpx
import pytest

from tests.recipe.emailpassword._app import bearer, form

pytestmark = pytest.mark.anyio


async def sign_up(http: httpx.AsyncClient) -> str:
    reply = await http.post("/auth/signup", json=form(email="s@example.com", password="abcd1234"))
    user_id: str = reply.json()["user"]["id"]
    return user_id


async def test_signin_with_right_password_returns_the_user_and_a_session(http: httpx.AsyncClient) -> None:
    user_id = await sign_up(http)
    reply = await http.post("/auth/signin", json=form(email="s@example.com", password="abcd1234"))
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "OK" and body["user"]["id"] == user_id
    protected = await http.get("/protected", headers=bearer(reply))
    assert protected.status_code == 200 and protected.json()["userId"] == user_id


async def test_signin_email_is_trimmed_and_case_insensitive(http: httpx.AsyncClient) -> None:
    await sign_up(http)
    reply = await http.post("/auth/signin", json=form(email="  S@Example.com ", password="abcd1234"))
    assert reply.json()["status"] == "OK"


async def test_signin_with_wrong_password_returns_wrong_credentials(http: httpx.AsyncClient) -> None:
    await sign_up(http)
    reply = await http.post("/auth/signin", json=form(email="s@example.com", password="abcd12345"))
    assert (reply.status_code, reply.json()) == (200, {"status": "WRONG_CREDENTIALS_ERROR"})
    assert "st-access-token" not in reply.headers and "front-token" not in reply.headers


async def test_signin_with_unknown_email_returns_wrong_credentials(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json=form(email="nobody@example.com", password="abcd1234"))
    assert reply.json() == {"status": "WRONG_CREDENTIALS_ERROR"}


async def test_signin_checks_email_format_but_not_password_policy(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json=form(email="bad", password="x"))
    assert reply.json() == {"status": "FIELD_ERROR", "formFields": [{"id": "email", "error": "Email is not valid"}]}


async def test_signin_with_missing_fields_says_not_optional(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json={})
    assert reply.json() == {
        "status": "FIELD_ERROR",
        "formFields": [
            {"id": "password", "error": "Field is not optional"},
            {"id": "email", "error": "Field is not optional"},
        ],
    }


async def test_signin_with_non_string_password_is_400(http: httpx.AsyncClient) -> None:
    body = {"formFields": [{"id": "email", "value": "s@example.com"}, {"id": "password", "value": 12345678}]}
    reply = await http.post("/auth/signin", json=body)
    assert (reply.status_code, reply.json()) == (400, {"message": "password value must be a string"})


async def test_signin_with_too_many_fields_is_400(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json=form(email="s@example.com", password="abcd1234", age=3))
    assert (reply.status_code, reply.json()) == (400, {"message": "Are you sending too many formFields?"})


async def test_signin_with_a_fake_email_returns_wrong_credentials(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json=form(email="x@abc.fakeemail.com", password="abcd1234"))
    assert reply.json() == {"status": "WRONG_CREDENTIALS_ERROR"}


async def test_signin_is_routed_by_path_whatever_the_rid(http: httpx.AsyncClient) -> None:
    await sign_up(http)
    reply = await http.post(
        "/auth/signin", json=form(email="s@example.com", password="abcd1234"), headers={"rid": "session"}
    )
    assert reply.json()["status"] == "OK"


async def test_get_signin_is_not_an_sdk_route(http: httpx.AsyncClient) -> None:
    assert (await http.get("/auth/signin")).status_code == 404


async def test_signin_in_another_tenant_does_not_find_the_user(http: httpx.AsyncClient, app_client: object) -> None:
    await sign_up(http)
    from tests._harness.core_process import CoreClient

    assert isinstance(app_client, CoreClient)
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "other"})
    reply = await http.post("/auth/other/signin", json=form(email="s@example.com", password="abcd1234"))
    assert reply.json() == {"status": "WRONG_CREDENTIALS_ERROR"}
