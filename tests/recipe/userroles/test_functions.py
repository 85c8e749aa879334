"""userroles functions against a real core: roles and permissions per app, assignments per tenant."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from authdeck import InputAppInfo, SupertokensConfig, _sync, init
from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.recipe import userroles
from authdeck.recipe.userroles import asyncio as roles_async
from authdeck.recipe.userroles.interfaces import (
    AddRoleToUserOkResult,
    GetPermissionsForRoleOkResult,
    GetUsersThatHaveRoleOkResult,
    RemovePermissionsFromRoleOkResult,
    RemoveUserRoleOkResult,
    UnknownRoleError,
)
from authdeck.recipe.userroles.syncio import (
    add_role_to_user,
    create_new_role_or_add_permissions,
    delete_role,
    get_all_roles,
    get_permissions_for_role,
    get_roles_for_user,
    get_roles_that_have_permission,
    get_users_that_have_role,
    remove_permissions_from_role,
    remove_user_role,
)
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
            recipe_list=[userroles.init()],
        )
        yield client
        _sync.run(Authdeck.get_instance().querier.aclose())
        Authdeck.reset()


def test_create_role_then_add_permissions_keeps_the_old_ones(app: CoreClient) -> None:
    assert create_new_role_or_add_permissions("admin", ["read"]).created_new_role is True
    assert create_new_role_or_add_permissions("admin", ["write"]).created_new_role is False
    found = get_permissions_for_role("admin")
    assert isinstance(found, GetPermissionsForRoleOkResult)
    assert sorted(found.permissions) == ["read", "write"]
    assert get_all_roles().roles == ["admin"]
    assert get_roles_that_have_permission("write").roles == ["admin"]


def test_functions_on_an_unknown_role_answer_unknown_role_error(app: CoreClient) -> None:
    assert isinstance(get_permissions_for_role("ghost"), UnknownRoleError)
    assert isinstance(add_role_to_user("public", "u1", "ghost"), UnknownRoleError)
    assert isinstance(remove_user_role("public", "u1", "ghost"), UnknownRoleError)
    assert isinstance(get_users_that_have_role("public", "ghost"), UnknownRoleError)
    assert isinstance(remove_permissions_from_role("ghost", ["x"]), UnknownRoleError)
    assert get_roles_for_user("public", "u1").roles == []


def test_assigning_and_removing_a_role_reports_the_previous_state(app: CoreClient) -> None:
    create_new_role_or_add_permissions("editor", [])
    first = add_role_to_user("public", "u1", "editor")
    again = add_role_to_user("public", "u1", "editor")
    assert isinstance(first, AddRoleToUserOkResult) and first.did_user_already_have_role is False
    assert isinstance(again, AddRoleToUserOkResult) and again.did_user_already_have_role is True
    users = get_users_that_have_role("public", "editor")
    assert isinstance(users, GetUsersThatHaveRoleOkResult) and users.users == ["u1"]
    assert get_roles_for_user("public", "u1").roles == ["editor"]
    removed = remove_user_role("public", "u1", "editor")
    assert isinstance(removed, RemoveUserRoleOkResult) and removed.did_user_have_role is True
    removed_again = remove_user_role("public", "u1", "editor")
    assert isinstance(removed_again, RemoveUserRoleOkResult) and removed_again.did_user_have_role is False
    assert get_roles_for_user("public", "u1").roles == []


def test_remove_permissions_keeps_the_rest_and_delete_role_cascades(app: CoreClient) -> None:
    create_new_role_or_add_permissions("admin", ["read", "write", "delete"])
    assert isinstance(remove_permissions_from_role("admin", ["delete"]), RemovePermissionsFromRoleOkResult)
    found = get_permissions_for_role("admin")
    assert isinstance(found, GetPermissionsForRoleOkResult) and sorted(found.permissions) == ["read", "write"]
    add_role_to_user("public", "u1", "admin")
    assert delete_role("admin").did_role_exist is True
    assert delete_role("admin").did_role_exist is False
    assert get_roles_for_user("public", "u1").roles == []
    assert get_all_roles().roles == []


def test_bad_input_is_refused_by_the_core_and_changes_nothing(app: CoreClient) -> None:
    from authdeck.exceptions import CoreRequestError

    with pytest.raises(CoreRequestError) as caught:
        create_new_role_or_add_permissions("  ", ["read"])
    assert caught.value.status == 400
    with pytest.raises(CoreRequestError):
        create_new_role_or_add_permissions("r", ["ok", ""])
    assert get_all_roles().roles == []


@pytest.mark.anyio
async def test_async_functions_work_in_an_event_loop(app: CoreClient) -> None:
    await roles_async.create_new_role_or_add_permissions("viewer", ["read"])
    await roles_async.add_role_to_user("public", "u9", "viewer")
    assert (await roles_async.get_roles_for_user("public", "u9")).roles == ["viewer"]
    await Authdeck.get_instance().querier.aclose()


def test_init_validates_its_flags() -> None:
    with pytest.raises(ConfigError, match="skip_adding_roles_to_access_token"):
        userroles.init(skip_adding_roles_to_access_token="yes")  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="UserRolesOverrideConfig"):
        userroles.init(override=object())  # type: ignore[arg-type]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
