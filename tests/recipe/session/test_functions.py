"""The recipe's functions (asyncio and their syncio twins) against a real core."""

from __future__ import annotations

import asyncio

import pytest

from authdeck.recipe.session import asyncio as s_async
from authdeck.recipe.session import syncio as s_sync
from authdeck.recipe.session.exceptions import TryRefreshTokenError, UnauthorisedError
from authdeck.types import RecipeUserId
from tests.recipe.session.conftest import MakeApp

pytestmark = pytest.mark.anyio


async def test_session_information_and_database_data(make_app: MakeApp) -> None:
    app = await make_app()
    created = await app.create("alice", payload={"a": 1}, data={"cart": [1]})
    handle = created.json()["handle"]
    info = await s_async.get_session_information(handle)
    assert info is not None
    assert (info.user_id, info.recipe_user_id.get_as_string(), info.tenant_id) == ("alice", "alice", "public")
    assert info.session_data_in_database == {"cart": [1]}
    assert info.custom_claims_in_access_token_payload["a"] == 1
    assert info.expiry > info.time_created
    assert await s_async.update_session_data_in_database(handle, {"cart": []}) is True
    info = await s_async.get_session_information(handle)
    assert info is not None and info.session_data_in_database == {"cart": []}
    assert await s_async.get_session_information("missing") is None
    assert await s_async.update_session_data_in_database("missing", {}) is False


async def test_merge_by_handle_changes_the_stored_payload(make_app: MakeApp) -> None:
    app = await make_app()
    handle = (await app.create("bob", payload={"x": 1, "y": 2})).json()["handle"]
    assert await s_async.merge_into_access_token_payload(handle, {"y": None, "z": 3}) is True
    info = await s_async.get_session_information(handle)
    assert info is not None
    payload = info.custom_claims_in_access_token_payload
    assert payload["x"] == 1 and payload["z"] == 3 and "y" not in payload
    assert await s_async.merge_into_access_token_payload("missing", {"a": 1}) is False


async def test_handles_and_revocation_for_a_user(make_app: MakeApp) -> None:
    app = await make_app()
    first = (await app.create("carol")).json()["handle"]
    second = (await app.create("carol")).json()["handle"]
    other = (await app.create("dave")).json()["handle"]
    assert sorted(await s_async.get_all_session_handles_for_user("carol")) == sorted([first, second])
    assert await s_async.get_all_session_handles_for_user("carol", tenant_id="public") != []
    assert await s_async.revoke_session(first) is True
    assert await s_async.revoke_session(first) is False
    assert await s_async.revoke_all_sessions_for_user("carol") == [second]
    assert await s_async.get_all_session_handles_for_user("carol") == []
    assert await s_async.revoke_multiple_sessions([other, "missing"]) == [other]


async def test_sessions_without_request_and_response(make_app: MakeApp) -> None:
    await make_app()
    created = await s_async.create_new_session_without_request_response(
        "public", RecipeUserId("erin"), {"k": "v"}, {"d": 1}
    )
    tokens = created.get_all_session_tokens_dangerously()
    assert tokens["accessAndFrontTokenUpdated"] is True and tokens["refreshToken"]
    assert created.get_access_token_payload()["k"] == "v"
    verified = await s_async.get_session_without_request_response(tokens["accessToken"], anti_csrf_check=False)
    assert verified is not None and verified.get_user_id() == "erin"
    assert await verified.get_session_data_from_database() == {"d": 1}
    assert await verified.get_expiry() > await verified.get_time_created()
    refresh_token = tokens["refreshToken"]
    assert refresh_token is not None
    refreshed = await s_async.refresh_session_without_request_response(refresh_token, disable_anti_csrf=True)
    assert refreshed.get_handle() == created.get_handle()
    assert refreshed.get_access_token() != created.get_access_token()
    with pytest.raises(UnauthorisedError):
        await s_async.get_session_without_request_response("garbage")
    assert await s_async.get_session_without_request_response("garbage", session_required=False) is None
    with pytest.raises(TryRefreshTokenError):
        await s_async.get_session_without_request_response(tokens["accessToken"][:-4] + "AAAA")


async def test_session_methods_raise_unauthorised_once_the_session_is_gone(make_app: MakeApp) -> None:
    await make_app()
    created = await s_async.create_new_session_without_request_response("public", "frank")
    await created.revoke_session()
    with pytest.raises(UnauthorisedError):
        await created.get_session_data_from_database()
    with pytest.raises(UnauthorisedError):
        await created.update_session_data_in_database({})
    with pytest.raises(UnauthorisedError):
        await created.merge_into_access_token_payload({"a": 1})


async def test_sync_functions_run_the_async_ones(make_app: MakeApp) -> None:
    await make_app()

    def sync_flow() -> None:
        created = s_sync.create_new_session_without_request_response("public", "gina", {"p": 1})
        handle = created.get_handle()
        assert s_sync.get_session_information(handle) is not None
        assert s_sync.update_session_data_in_database(handle, {"n": 2}) is True
        assert created.sync_get_session_data_from_database() == {"n": 2}
        created.sync_merge_into_access_token_payload({"q": 2})
        assert created.get_access_token_payload()["q"] == 2
        verified = s_sync.get_session_without_request_response(created.get_access_token(), anti_csrf_check=False)
        assert verified is not None and verified.get_access_token_payload()["q"] == 2
        assert s_sync.get_all_session_handles_for_user("gina") == [handle]
        assert s_sync.revoke_all_sessions_for_user("gina") == [handle]

    await asyncio.to_thread(sync_flow)


async def test_sync_functions_refuse_to_run_inside_the_event_loop(make_app: MakeApp) -> None:
    await make_app()
    with pytest.raises(RuntimeError, match="use the authdeck.asyncio function"):
        s_sync.get_session_information("x")


async def test_session_claim_methods_update_the_token(make_app: MakeApp) -> None:
    from authdeck.recipe.session.exceptions import InvalidClaimsError
    from tests.recipe.session.conftest import LevelClaim

    await make_app()
    created = await s_async.create_new_session_without_request_response("public", "hana")
    first_token = created.get_access_token()
    await created.set_claim_value(LevelClaim, "gold")
    assert await created.get_claim_value(LevelClaim) == "gold"
    assert created.get_access_token() != first_token
    await created.assert_claims([LevelClaim.validators.has_value("gold")])
    with pytest.raises(InvalidClaimsError) as err:
        await created.assert_claims([LevelClaim.validators.has_value("silver")])
    assert err.value.payload[0].to_json()["reason"]["actualValue"] == "gold"
    await created.remove_claim(LevelClaim)
    assert await created.get_claim_value(LevelClaim) is None
    await created.fetch_and_set_claim(LevelClaim)
    assert await created.get_claim_value(LevelClaim) == "basic"
    verified = await s_async.get_session_without_request_response(created.get_access_token(), anti_csrf_check=False)
    assert verified is not None and await verified.get_claim_value(LevelClaim) == "basic"
    front = created.get_all_session_tokens_dangerously()["frontToken"]
    assert front == created.front_token
