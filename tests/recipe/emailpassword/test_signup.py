"""POST /auth/signup: form-field parsing and validation in upstream's order, duplicates, the user JSON."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests._harness.core_process import CoreClient
from tests.recipe.emailpassword._app import form, front_token_payload

pytestmark = pytest.mark.anyio


def field_error(*errors: tuple[str, str]) -> dict[str, Any]:
    return {"status": "FIELD_ERROR", "formFields": [{"id": i, "error": e} for i, e in errors]}


def users_in_core(app_client: CoreClient) -> int:
    return int(app_client.ok("GET", "/public/users/count")["count"])


async def test_signup_with_valid_input_creates_the_user_and_a_session(
    http: httpx.AsyncClient, app_client: CoreClient
) -> None:
    reply = await http.post("/auth/signup", json=form(email="Alice@Example.com", password="abcd1234"))
    assert reply.status_code == 200
    body = reply.json()
    assert body["status"] == "OK"
    user = body["user"]
    assert list(user) == [
        "id",
        "isPrimaryUser",
        "tenantIds",
        "emails",
        "phoneNumbers",
        "thirdParty",
        "webauthn",
        "loginMethods",
        "timeJoined",
    ]
    assert user["emails"] == ["alice@example.com"]  # the core stores emails lower-cased
    assert user["loginMethods"][0]["recipeId"] == "emailpassword"
    assert list(body) == ["status", "user"]
    # No st-auth-mode header: the session travels in headers (fdi.md §2.1).
    assert "st-access-token" in reply.headers and "st-refresh-token" in reply.headers
    payload = front_token_payload(reply)
    assert payload["uid"] == user["id"]
    assert payload["up"]["st-ev"]["v"] is False
    assert app_client.ok("GET", "/user/id", params={"userId": user["id"]})["user"]["emails"] == ["alice@example.com"]


async def test_signup_in_cookie_mode_sets_session_cookies(http: httpx.AsyncClient) -> None:
    reply = await http.post(
        "/auth/signup", json=form(email="c@example.com", password="abcd1234"), headers={"st-auth-mode": "cookie"}
    )
    assert reply.json()["status"] == "OK"
    cookies = reply.headers.get_list("set-cookie")
    assert any(c.startswith("sAccessToken=") for c in cookies)
    assert any(c.startswith("sRefreshToken=") for c in cookies)


async def test_signup_trims_the_email_before_validating_it(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signup", json=form(email="  bob@example.com \t", password="abcd1234"))
    assert reply.json()["user"]["emails"] == ["bob@example.com"]


@pytest.mark.parametrize("email", ["not-an-email", "a@localhost", "a@b.c", "a..b@x.com", "a b@x.com", "a@b_c.com"])
async def test_signup_with_invalid_email_returns_field_error(
    http: httpx.AsyncClient, app_client: CoreClient, email: str
) -> None:
    reply = await http.post("/auth/signup", json=form(email=email, password="abcd1234"))
    assert (reply.status_code, reply.json()) == (200, field_error(("email", "Email is not valid")))
    assert users_in_core(app_client) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc123", "Password must contain at least 8 characters, including a number"),
        ("a1" * 50, "Password's length must be lesser than 100 characters"),
        ("12345678", "Password must contain at least one alphabet"),
        ("ÄÖÜäöü12", "Password must contain at least one alphabet"),
        ("abcdefgh", "Password must contain at least one number"),
    ],
)
async def test_signup_with_weak_password_returns_field_error(
    http: httpx.AsyncClient, app_client: CoreClient, password: str, message: str
) -> None:
    reply = await http.post("/auth/signup", json=form(email="a@example.com", password=password))
    assert reply.json() == field_error(("password", message))
    assert users_in_core(app_client) == 0


async def test_signup_reports_every_failing_field_password_first(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signup", json=form(email="nope", password="short"))
    assert reply.json() == field_error(
        ("password", "Password must contain at least 8 characters, including a number"),
        ("email", "Email is not valid"),
    )


async def test_signup_with_duplicate_email_returns_email_exists_field_error(
    http: httpx.AsyncClient, app_client: CoreClient
) -> None:
    assert (await http.post("/auth/signup", json=form(email="d@example.com", password="abcd1234"))).json()[
        "status"
    ] == "OK"
    reply = await http.post("/auth/signup", json=form(email="D@example.com", password="other1234"))
    assert reply.json() == field_error(("email", "This email already exists. Please sign in instead."))
    assert "st-access-token" not in reply.headers
    assert users_in_core(app_client) == 1


@pytest.mark.parametrize("body", [{}, {"formFields": []}, [], "text"])
async def test_signup_without_form_fields_says_each_field_is_not_optional(http: httpx.AsyncClient, body: Any) -> None:
    reply = await http.post("/auth/signup", json=body)
    assert reply.json() == field_error(("password", "Field is not optional"), ("email", "Field is not optional"))


async def test_signup_with_empty_strings_says_fields_are_not_optional(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signup", json=form(email="", password=""))
    assert reply.json() == field_error(("password", "Field is not optional"), ("email", "Field is not optional"))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"formFields": None}, "Missing input param: formFields"),
        ({"formFields": {"email": "a@b.co"}}, "formFields must be an array"),
        ({"formFields": "a@b.co"}, "formFields must be an array"),
        ({"formFields": [{"id": "email"}]}, "All elements of formFields must contain an 'id' and 'value' field"),
        ({"formFields": [{"value": "x"}]}, "All elements of formFields must contain an 'id' and 'value' field"),
        (
            {"formFields": [{"id": 1, "value": "x"}]},
            "All elements of formFields must contain an 'id' and 'value' field",
        ),
        ({"formFields": ["email"]}, "All elements of formFields must contain an 'id' and 'value' field"),
        ({"formFields": [{"id": "email", "value": 5}]}, "email value must be a string"),
        ({"formFields": [{"id": "email", "value": None}]}, "email value must be a string"),
        ({"formFields": [{"id": "password", "value": ["abcd1234"]}]}, "password value must be a string"),
        (
            form(email="a@example.com", password="abcd1234", extra="x"),
            "Are you sending too many formFields?",
        ),
    ],
)
async def test_signup_with_malformed_form_fields_is_400(
    http: httpx.AsyncClient, app_client: CoreClient, body: Any, message: str
) -> None:
    reply = await http.post("/auth/signup", json=body)
    assert (reply.status_code, reply.json()) == (400, {"message": message})
    assert users_in_core(app_client) == 0


async def test_signup_with_a_null_body_is_400(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signup", content=b"null", headers={"content-type": "application/json"})
    assert (reply.status_code, reply.json()) == (400, {"message": "Please provide a JSON body"})


async def test_signup_with_malformed_json_is_400(http: httpx.AsyncClient, app_client: CoreClient) -> None:
    reply = await http.post("/auth/signup", content=b'{"formFields": [', headers={"content-type": "application/json"})
    assert reply.status_code == 400
    assert "message" in reply.json()
    assert users_in_core(app_client) == 0


async def test_signup_ignores_unknown_field_ids_within_the_configured_count(http: httpx.AsyncClient) -> None:
    body = {"formFields": [{"id": "email", "value": "u@example.com"}, {"id": "nickname", "value": "x"}]}
    reply = await http.post("/auth/signup", json=body)
    assert reply.json() == field_error(("password", "Field is not optional"))


async def test_signup_with_a_fake_email_is_reported_as_existing(
    http: httpx.AsyncClient, app_client: CoreClient
) -> None:
    reply = await http.post("/auth/signup", json=form(email="x@stfakeemail.supertokens.com", password="abcd1234"))
    assert reply.json() == field_error(("email", "This email already exists. Please sign in instead."))
    assert users_in_core(app_client) == 0


async def test_signup_for_an_old_frontend_returns_the_flat_user(http: httpx.AsyncClient) -> None:
    reply = await http.post(
        "/auth/signup", json=form(email="old@example.com", password="abcd1234"), headers={"fdi-version": "1.17"}
    )
    user = reply.json()["user"]
    assert list(user) == ["id", "timeJoined", "email"]
    assert user["email"] == "old@example.com"


async def test_signup_asking_to_link_without_a_session_is_401(http: httpx.AsyncClient, app_client: CoreClient) -> None:
    body = {**form(email="l@example.com", password="abcd1234"), "shouldTryLinkingWithSessionUser": True}
    reply = await http.post("/auth/signup", json=body)
    assert (reply.status_code, reply.json()) == (401, {"message": "unauthorised"})
    assert users_in_core(app_client) == 0


async def test_signup_in_a_tenant_creates_the_user_there(http: httpx.AsyncClient, app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "team-a"})
    reply = await http.post("/auth/team-a/signup", json=form(email="t@example.com", password="abcd1234"))
    body = reply.json()
    assert body["user"]["tenantIds"] == ["team-a"]
    assert front_token_payload(reply)["up"]["tId"] == "team-a"
    # The same email is free in the public tenant.
    other = await http.post("/auth/signup", json=form(email="t@example.com", password="abcd1234"))
    assert other.json()["status"] == "OK"
