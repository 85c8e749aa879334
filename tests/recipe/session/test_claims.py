"""Claims: storage in the payload, built-in validators, the 403 body, claims registered by other recipes."""

from __future__ import annotations

from typing import Any

import pytest

from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe._module import APIRoute, RecipeInit, RecipeModule, UserContext
from authdeck.recipe.session import InputErrorHandlers
from authdeck.recipe.session import asyncio as session_async
from authdeck.recipe.session.claims import BooleanClaim, PrimitiveArrayClaim, PrimitiveClaim, now_ms
from authdeck.recipe.session.exceptions import ClaimValidationError
from authdeck.recipe.session.interfaces import ClaimsValidationResult, GetClaimValueOkResult, SessionDoesNotExistError
from authdeck.recipe.session.recipe import SessionRecipe
from authdeck.types import RecipeUserId
from tests.recipe.session.conftest import LevelClaim, MakeApp, decode_jwt_payload

pytestmark = pytest.mark.anyio

Flag = BooleanClaim("flag", lambda *_: True)
Roles: PrimitiveArrayClaim[list[str]] = PrimitiveArrayClaim("roles", lambda *_: ["admin", "editor"])


def stored(key: str, value: Any, age_ms: int = 0) -> dict[str, Any]:
    return {key: {"v": value, "t": now_ms() - age_ms}}


async def reason(validator: Any, payload: dict[str, Any]) -> dict[str, Any] | None:
    result = await validator.validate(payload, {})
    return None if result.is_valid else dict(result.reason)


async def test_claims_are_stored_as_value_and_fetch_time() -> None:
    payload = LevelClaim.add_to_payload_({}, "gold")
    assert payload["level"]["v"] == "gold" and abs(payload["level"]["t"] - now_ms()) < 1000
    assert LevelClaim.get_value_from_payload(payload) == "gold"
    assert LevelClaim.remove_from_payload_by_merge_({"level": 1}) == {"level": None}
    assert LevelClaim.remove_from_payload({"level": 1, "x": 2}) == {"x": 2}
    assert LevelClaim.get_value_from_payload({"level": "not-an-object"}) is None


async def test_build_fetches_sync_or_async_values_and_skips_none() -> None:
    async def fetch_async(*_: Any) -> str:
        return "async-value"

    built = await PrimitiveClaim("k", fetch_async).build("u", RecipeUserId("u"), "public", {}, {})
    assert built["k"]["v"] == "async-value"
    assert await PrimitiveClaim("k", lambda *_: None).build("u", RecipeUserId("u"), "public", {}, {}) == {}


async def test_has_value_reasons() -> None:
    validator = LevelClaim.validators.has_value("gold")
    assert await reason(validator, {}) == {
        "message": "value does not exist",
        "expectedValue": "gold",
        "actualValue": None,
    }
    assert await reason(validator, stored("level", "basic")) == {
        "message": "wrong value",
        "expectedValue": "gold",
        "actualValue": "basic",
    }
    assert await reason(validator, stored("level", "gold")) is None


async def test_max_age_makes_old_values_expired_and_due_for_refetch() -> None:
    validator = LevelClaim.validators.has_value("gold", max_age_in_sec=5)
    old = stored("level", "gold", age_ms=6000)
    got = await reason(validator, old)
    assert got is not None and got["message"] == "expired" and got["maxAgeInSeconds"] == 5
    assert 6 <= got["ageInSeconds"] < 7
    assert validator.should_refetch(old, {}) is True
    assert validator.should_refetch(stored("level", "gold"), {}) is False
    assert LevelClaim.validators.has_value("gold").should_refetch({}, {}) is True


async def test_boolean_validators() -> None:
    assert await reason(Flag.validators.is_true(), stored("flag", True)) is None
    assert (await reason(Flag.validators.is_false(), stored("flag", True)) or {})["expectedValue"] is False
    assert Flag.validators.is_true(id_="custom").id == "custom"


async def test_array_validators_and_their_reason_keys() -> None:
    payload = stored("roles", ["admin", "editor"])
    v = Roles.validators
    assert await reason(v.includes("admin"), payload) is None
    assert await reason(v.includes("owner"), payload) == {
        "message": "wrong value",
        "expectedToInclude": "owner",
        "actualValue": ["admin", "editor"],
    }
    assert (await reason(v.excludes("admin"), payload) or {})["expectedToNotInclude"] == "admin"
    assert await reason(v.excludes("owner"), payload) is None
    assert await reason(v.includes_all(["admin", "editor"]), payload) is None
    assert await reason(v.includes_all(["admin", "owner"]), payload) is not None
    assert await reason(v.excludes_all(["owner", "guest"]), payload) is None
    assert await reason(v.excludes_all(["owner", "admin"]), payload) is not None
    assert await reason(v.includes_any(["owner", "editor"]), payload) is None
    assert (await reason(v.includes_any(["owner"]), payload) or {})["expectedToIncludeAtLeastOneOf"] == ["owner"]
    assert await reason(v.includes("admin"), {}) == {
        "message": "value does not exist",
        "expectedToInclude": "admin",
        "actualValue": None,
    }


async def test_claim_validation_error_json_leaves_out_a_missing_reason() -> None:
    assert ClaimValidationError("x", None).to_json() == {"id": "x"}
    assert ClaimsValidationResult([ClaimValidationError("x", {"m": 1})]).to_json() == {
        "status": "OK",
        "invalidClaims": [{"id": "x", "reason": {"m": 1}}],
        "accessTokenPayloadUpdate": None,
    }


async def test_failing_claim_validator_answers_403_with_the_reasons(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("alice")
    reply = await app.call("GET", "/level/gold", bearer=created.header("st-access-token"))
    assert reply.status == 403
    assert reply.json() == {
        "message": "invalid claim",
        "claimValidationErrors": [
            {"id": "level", "reason": {"message": "wrong value", "expectedValue": "gold", "actualValue": "basic"}}
        ],
    }
    assert reply.header("st-access-token") is None and reply.header("front-token") is None


async def test_passing_validator_that_refetched_a_claim_sends_the_updated_token(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("bob", mode="cookie")
    reply = await app.call("GET", "/level/basic", cookies={"sAccessToken": created.cookie_value("sAccessToken")})
    assert reply.status == 200
    assert reply.json()["payload"]["level"]["v"] == "basic"
    assert decode_jwt_payload(reply.cookie_value("sAccessToken"))["level"]["v"] == "basic"
    assert reply.header("front-token") and "sRefreshToken" not in reply.cookies


async def test_invalid_claim_status_and_handler_can_be_configured(make_app: MakeApp) -> None:
    async def on_invalid_claim(
        request: BaseRequest, errors: list[ClaimValidationError], response: BaseResponse
    ) -> BaseResponse:
        response.set_status(418)
        response.set_json_content({"failed": [e.id_ for e in errors]})
        return response

    app = await make_app(error_handlers=InputErrorHandlers(on_invalid_claim=on_invalid_claim))
    created = await app.create("carol")
    reply = await app.call("GET", "/level/gold", bearer=created.header("st-access-token"))
    assert (reply.status, reply.json()) == (418, {"failed": ["level"]})


async def test_invalid_claim_status_code_setting_is_used(make_app: MakeApp) -> None:
    app = await make_app(invalid_claim_status_code=499)
    created = await app.create("dave")
    reply = await app.call("GET", "/level/gold", bearer=created.header("st-access-token"))
    assert reply.status == 499 and reply.json()["message"] == "invalid claim"


async def test_merge_into_access_token_payload_sends_the_new_token(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("erin", mode="cookie", payload={"keep": 1, "drop": 2})
    cookies = {"sAccessToken": created.cookie_value("sAccessToken")}
    reply = await app.call("POST", "/merge", cookies=cookies, json_body={"theme": "dark", "drop": None})
    assert reply.status == 200
    payload = decode_jwt_payload(reply.cookie_value("sAccessToken"))
    assert payload["theme"] == "dark" and payload["keep"] == 1 and "drop" not in payload
    assert payload["sessionHandle"] == created.json()["handle"]
    assert reply.json()["payload"] == payload
    assert reply.header("front-token") and "sRefreshToken" not in reply.cookies
    # The core keeps the merged payload: the next refresh carries it too.
    refreshed = await app.call(
        "POST", "/auth/session/refresh", cookies={"sRefreshToken": created.cookie_value("sRefreshToken")}
    )
    assert decode_jwt_payload(refreshed.cookie_value("sAccessToken"))["theme"] == "dark"


class _ClaimsRecipe(RecipeModule):
    """Stands in for emailverification/userroles: registers a claim and a global validator while being built."""

    recipe_id = "claims-test"

    def __init__(self, app_info: AppInfo, querier: Querier, value: str) -> None:
        super().__init__(app_info, querier)
        claim = PrimitiveClaim("tier", lambda *_: value)
        SessionRecipe.add_claim_from_other_recipe(claim)
        SessionRecipe.add_claim_validator_from_other_recipe(claim.validators.has_value("pro"))

    def get_apis_handled(self) -> list[APIRoute]:
        return []

    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        return None


def claims_recipe(value: str) -> RecipeInit:
    return lambda app_info, querier: _ClaimsRecipe(app_info, querier, value)


async def test_claims_from_other_recipes_are_built_into_new_sessions_and_validated(make_app: MakeApp) -> None:
    app = await make_app(other_recipes=(claims_recipe("free"),))
    created = await app.create("finn")
    assert created.json()["payload"]["tier"]["v"] == "free"
    token = created.header("st-access-token")
    reply = await app.call("GET", "/protected", bearer=token)
    assert reply.status == 403
    assert reply.json()["claimValidationErrors"][0]["id"] == "tier"
    # Signing out never applies claim validators.
    assert (await app.call("POST", "/auth/signout", bearer=token)).status == 200


async def test_claims_from_other_recipes_pass_when_valid(make_app: MakeApp) -> None:
    app = await make_app(other_recipes=(claims_recipe("pro"),))
    created = await app.create("gus")
    assert (await app.call("GET", "/protected", bearer=created.header("st-access-token"))).status == 200


async def test_a_claim_key_can_be_registered_only_once(make_app: MakeApp) -> None:
    with pytest.raises(ConfigError, match="'tier' added by multiple recipes"):
        await make_app(other_recipes=(claims_recipe("a"), lambda i, q: _OtherClaimsRecipe(i, q, "b")))


class _OtherClaimsRecipe(_ClaimsRecipe):
    recipe_id = "claims-test-2"


async def test_claim_functions_by_session_handle(make_app: MakeApp) -> None:
    app = await make_app()
    handle = (await app.create("hank")).json()["handle"]
    assert await session_async.set_claim_value(handle, LevelClaim, "gold") is True
    value = await session_async.get_claim_value(handle, LevelClaim)
    assert isinstance(value, GetClaimValueOkResult) and value.value == "gold"
    result = await session_async.validate_claims_for_session_handle(
        handle, lambda validators, info, ctx: [LevelClaim.validators.has_value("basic")]
    )
    assert isinstance(result, ClaimsValidationResult)
    assert [e.to_json()["reason"]["actualValue"] for e in result.invalid_claims] == ["gold"]
    assert await session_async.remove_claim(handle, LevelClaim) is True
    value = await session_async.get_claim_value(handle, LevelClaim)
    assert isinstance(value, GetClaimValueOkResult) and value.value is None
    assert await session_async.fetch_and_set_claim(handle, LevelClaim) is True
    value = await session_async.get_claim_value(handle, LevelClaim)
    assert isinstance(value, GetClaimValueOkResult) and value.value == "basic"
    missing = await session_async.get_claim_value("no-such-handle", LevelClaim)
    assert isinstance(missing, SessionDoesNotExistError)
    assert await session_async.set_claim_value("no-such-handle", LevelClaim, "x") is False
