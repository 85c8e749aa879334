"""The st-role / st-perm claims: filled at session creation from the core, skippable, and validated."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from authdeck import InputAppInfo, SupertokensConfig, _sync, init
from authdeck._supertokens import Authdeck
from authdeck.recipe import session, userroles
from authdeck.recipe.session.exceptions import InvalidClaimsError
from authdeck.recipe.session.syncio import create_new_session_without_request_response
from authdeck.recipe.userroles import PermissionClaim, UserRoleClaim
from authdeck.recipe.userroles.syncio import (
    add_role_to_user,
    create_new_role_or_add_permissions,
    delete_role,
    remove_user_role,
)
from tests._harness.core_process import API_KEY, CoreProcess


def start(core: CoreProcess, app_id: str, **flags: bool) -> None:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="T", api_domain="http://localhost:8000", website_domain="http://localhost:3000"),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri=f"{core.url}/appid-{app_id}", api_key=API_KEY),
        # userroles before session: claims register whatever the order.
        recipe_list=[userroles.init(**flags), session.init()],
    )


@pytest.fixture
def app_id(core: CoreProcess) -> Iterator[str]:
    with core.new_app() as client:
        yield client.app_id
    if Authdeck._instance is not None:
        _sync.run(Authdeck._instance.querier.aclose())
    Authdeck.reset()


def test_new_sessions_carry_roles_and_the_union_of_their_permissions(core: CoreProcess, app_id: str) -> None:
    start(core, app_id)
    create_new_role_or_add_permissions("admin", ["read", "write"])
    create_new_role_or_add_permissions("auditor", ["read", "audit"])
    add_role_to_user("public", "ada", "admin")
    add_role_to_user("public", "ada", "auditor")
    payload = create_new_session_without_request_response("public", "ada").get_access_token_payload()
    assert sorted(payload["st-role"]["v"]) == ["admin", "auditor"]
    assert sorted(payload["st-perm"]["v"]) == ["audit", "read", "write"]
    assert payload["st-perm"]["t"] >= payload["st-role"]["t"] - 1000


def test_a_user_without_roles_gets_empty_claims(core: CoreProcess, app_id: str) -> None:
    start(core, app_id)
    payload = create_new_session_without_request_response("public", "nobody").get_access_token_payload()
    assert payload["st-role"]["v"] == [] and payload["st-perm"]["v"] == []


def test_skip_flags_leave_the_claims_out(core: CoreProcess, app_id: str) -> None:
    start(core, app_id, skip_adding_roles_to_access_token=True, skip_adding_permissions_to_access_token=True)
    payload = create_new_session_without_request_response("public", "ada").get_access_token_payload()
    assert "st-role" not in payload and "st-perm" not in payload


def test_skipping_only_permissions_keeps_roles(core: CoreProcess, app_id: str) -> None:
    start(core, app_id, skip_adding_permissions_to_access_token=True)
    payload = create_new_session_without_request_response("public", "ada").get_access_token_payload()
    assert "st-role" in payload and "st-perm" not in payload


def test_validators_check_the_claims_and_report_the_reason(core: CoreProcess, app_id: str) -> None:
    start(core, app_id)
    create_new_role_or_add_permissions("admin", ["read"])
    add_role_to_user("public", "ada", "admin")
    s = create_new_session_without_request_response("public", "ada")
    s.sync_assert_claims([UserRoleClaim.validators.includes("admin"), PermissionClaim.validators.includes("read")])
    s.sync_assert_claims([UserRoleClaim.validators.excludes("banned")])
    with pytest.raises(InvalidClaimsError) as caught:
        s.sync_assert_claims([PermissionClaim.validators.includes("write")])
    [error] = caught.value.payload
    assert error.id_ == "st-perm"
    assert error.reason == {"message": "wrong value", "expectedToInclude": "write", "actualValue": ["read"]}


def test_refetching_the_claim_sees_role_changes(core: CoreProcess, app_id: str) -> None:
    start(core, app_id)
    create_new_role_or_add_permissions("admin", ["read"])
    add_role_to_user("public", "ada", "admin")
    s = create_new_session_without_request_response("public", "ada")
    remove_user_role("public", "ada", "admin")
    s.sync_fetch_and_set_claim(UserRoleClaim)
    assert s.get_access_token_payload()["st-role"]["v"] == []
    add_role_to_user("public", "ada", "admin")
    delete_role("admin")  # a role deleted after the session was made grants nothing on refetch
    s.sync_fetch_and_set_claim(PermissionClaim)
    assert s.get_access_token_payload()["st-perm"]["v"] == []
