"""General user functions (authdeck.asyncio / authdeck.syncio) against a real core."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from authdeck import InputAppInfo, SupertokensConfig, _sync, init
from authdeck import asyncio as general_async
from authdeck._supertokens import Authdeck
from authdeck.exceptions import CoreRequestError
from authdeck.recipe import usermetadata
from authdeck.recipe.usermetadata.syncio import get_user_metadata, update_user_metadata
from authdeck.syncio import (
    delete_user,
    get_user,
    get_user_count,
    get_users_newest_first,
    get_users_oldest_first,
    list_users_by_account_info,
)
from authdeck.types import AccountInfo, User
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess


@pytest.fixture
def app(core: CoreProcess) -> Iterator[CoreClient]:
    with core.new_app() as client:
        Authdeck.reset()
        init(
            app_info=InputAppInfo(
                app_name="T", api_domain="http://localhost:8000", website_domain="http://localhost:3000"
            ),
            framework="fastapi",
            supertokens_config=SupertokensConfig(connection_uri=f"{core.url}/appid-{client.app_id}", api_key=API_KEY),
            recipe_list=[usermetadata.init()],
        )
        yield client
        _sync.run(Authdeck.get_instance().querier.aclose())
        Authdeck.reset()


def sign_up(client: CoreClient, email: str) -> str:
    reply = client.ok("POST", "/public/recipe/signup", json={"email": email, "password": "pass1234"})
    user_id: str = reply["user"]["id"]
    return user_id


def test_get_user_returns_the_user_model_or_none(app: CoreClient) -> None:
    user_id = sign_up(app, "a@example.com")
    user = get_user(user_id)
    assert isinstance(user, User)
    assert user.id == user_id and user.emails == ["a@example.com"]
    assert user.login_methods[0].recipe_id == "emailpassword"
    assert user.to_json() == app.ok("GET", "/user/id", params={"userId": user_id})["user"]
    assert get_user("no-such-user") is None


def test_users_pages_follow_the_pagination_token_in_both_orders(app: CoreClient) -> None:
    ids = [sign_up(app, f"u{i}@example.com") for i in range(5)]
    first = get_users_oldest_first("public", limit=2)
    assert [u.id for u in first.users] == ids[:2]
    assert first.next_pagination_token is not None
    second = get_users_oldest_first("public", limit=2, pagination_token=first.next_pagination_token)
    assert [u.id for u in second.users] == ids[2:4]
    last = get_users_oldest_first("public", limit=2, pagination_token=second.next_pagination_token)
    assert [u.id for u in last.users] == ids[4:] and last.next_pagination_token is None
    newest = get_users_newest_first("public")
    assert [u.id for u in newest.users] == ids[::-1] and newest.next_pagination_token is None


def test_users_can_be_filtered_by_recipe_and_searched(app: CoreClient) -> None:
    sign_up(app, "alice@example.com")
    bob = sign_up(app, "bob@other.org")
    assert [u.id for u in get_users_newest_first("public", query={"email": "bob"}).users] == [bob]
    assert len(get_users_oldest_first("public", include_recipe_ids=["emailpassword"]).users) == 2
    assert get_users_oldest_first("public", include_recipe_ids=["passwordless"]).users == []


def test_a_bad_pagination_token_is_a_core_error_with_its_message(app: CoreClient) -> None:
    with pytest.raises(CoreRequestError) as caught:
        get_users_oldest_first("public", pagination_token="not-a-token")
    assert caught.value.status == 400
    assert "invalid pagination token" in caught.value.message


def test_user_count_for_the_tenant_and_the_whole_app(app: CoreClient) -> None:
    assert get_user_count() == 0
    sign_up(app, "a@example.com")
    sign_up(app, "b@example.com")
    assert get_user_count() == 2
    assert get_user_count(tenant_id="public") == 2
    assert get_user_count(include_recipe_ids=["emailpassword"]) == 2
    assert get_user_count(include_recipe_ids=["thirdparty"]) == 0


def test_delete_user_removes_the_user_and_their_metadata(app: CoreClient) -> None:
    user_id = sign_up(app, "gone@example.com")
    keep = sign_up(app, "kept@example.com")
    update_user_metadata(user_id, {"a": 1})
    delete_user(user_id)
    assert get_user(user_id) is None
    assert get_user_metadata(user_id).metadata == {}
    assert get_user(keep) is not None
    delete_user("never-existed")  # unknown ids are ignored, as upstream
    assert get_user_count() == 1


def test_list_users_by_account_info_matches_the_email(app: CoreClient) -> None:
    user_id = sign_up(app, "Find.Me@example.com")
    sign_up(app, "other@example.com")
    found = list_users_by_account_info("public", AccountInfo(email="find.me@example.com"))
    assert [u.id for u in found] == [user_id]
    assert list_users_by_account_info("public", AccountInfo(email="nobody@example.com")) == []


@pytest.mark.anyio
async def test_async_general_functions(app: CoreClient) -> None:
    user_id = sign_up(app, "async@example.com")
    user = await general_async.get_user(user_id)
    assert user is not None and user.id == user_id
    assert await general_async.get_user_count() == 1
    page = await general_async.get_users_newest_first("public")
    assert [u.id for u in page.users] == [user_id]
    await general_async.delete_user(user_id)
    assert await general_async.get_user(user_id) is None
    await Authdeck.get_instance().querier.aclose()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
