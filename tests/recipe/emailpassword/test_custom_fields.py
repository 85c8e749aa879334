"""Custom sign-up fields: sync and async validators get (value, tenant_id), optional fields may be left out."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from authdeck.recipe import emailpassword
from authdeck.recipe.emailpassword import InputFormField, InputSignUpFeature
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.emailpassword._app import form, serve

pytestmark = pytest.mark.anyio

calls: list[tuple[str, Any, str]] = []


def validate_age(value: Any, tenant_id: str) -> str | None:
    calls.append(("age", value, tenant_id))
    if not isinstance(value, int) or value < 18:
        return "You must be 18 or older"
    return None


async def validate_country(value: Any, tenant_id: str) -> str | None:
    await asyncio.sleep(0)
    calls.append(("country", value, tenant_id))
    return None if value in ("NL", "FR") else "Unsupported country"


async def only_company_emails(value: Any, tenant_id: str) -> str | None:
    return None if isinstance(value, str) and value.endswith("@corp.example") else "Use your company email"


@pytest.fixture
async def http(core: CoreProcess, app_client: CoreClient) -> AsyncIterator[httpx.AsyncClient]:
    calls.clear()
    feature = InputSignUpFeature(
        form_fields=[
            InputFormField("email", validate=only_company_emails),
            InputFormField("age", validate=validate_age),
            InputFormField("country", validate=validate_country),
            InputFormField("nickname", optional=True),
        ]
    )
    async with serve(core, app_client, [emailpassword.init(sign_up_feature=feature)]) as client:
        yield client


async def test_custom_fields_with_valid_values_sign_up(http: httpx.AsyncClient) -> None:
    body = form(email="a@corp.example", password="abcd1234", age=30, country="NL", nickname="al")
    assert (await http.post("/auth/signup", json=body)).json()["status"] == "OK"
    assert ("age", 30, "public") in calls and ("country", "NL", "public") in calls


async def test_sync_and_async_validators_errors_are_reported_in_config_order(http: httpx.AsyncClient) -> None:
    reply = await http.post(
        "/auth/signup", json=form(email="a@other.example", password="abcd1234", age=12, country="XX")
    )
    assert reply.json() == {
        "status": "FIELD_ERROR",
        "formFields": [
            {"id": "email", "error": "Use your company email"},
            {"id": "age", "error": "You must be 18 or older"},
            {"id": "country", "error": "Unsupported country"},
        ],
    }


async def test_optional_field_may_be_missing_or_empty(http: httpx.AsyncClient) -> None:
    first = form(email="b@corp.example", password="abcd1234", age=20, country="FR")
    assert (await http.post("/auth/signup", json=first)).json()["status"] == "OK"
    second = form(email="c@corp.example", password="abcd1234", age=20, country="FR", nickname="")
    assert (await http.post("/auth/signup", json=second)).json()["status"] == "OK"


async def test_required_custom_field_missing_is_not_optional(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signup", json=form(email="d@corp.example", password="abcd1234", country="NL"))
    assert reply.json() == {"status": "FIELD_ERROR", "formFields": [{"id": "age", "error": "Field is not optional"}]}


async def test_custom_field_values_may_be_any_json(http: httpx.AsyncClient) -> None:
    reply = await http.post(
        "/auth/signup", json=form(email="e@corp.example", password="abcd1234", age="30", country="NL")
    )
    assert reply.json()["formFields"] == [{"id": "age", "error": "You must be 18 or older"}]
    assert ("age", "30", "public") in calls


async def test_signin_uses_the_custom_email_validator_but_no_password_policy(http: httpx.AsyncClient) -> None:
    reply = await http.post("/auth/signin", json=form(email="x@other.example", password="a"))
    assert reply.json() == {"status": "FIELD_ERROR", "formFields": [{"id": "email", "error": "Use your company email"}]}
    reply = await http.post("/auth/signin", json=form(email="x@corp.example", password="a"))
    assert reply.json() == {"status": "WRONG_CREDENTIALS_ERROR"}


async def test_validators_get_the_tenant_of_the_request(http: httpx.AsyncClient, app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "shop"})
    body = form(email="f@corp.example", password="abcd1234", age=40, country="NL")
    assert (await http.post("/auth/shop/signup", json=body)).json()["status"] == "OK"
    assert ("age", 40, "shop") in calls
