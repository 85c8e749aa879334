"""Conformance: the official supertokens-python 0.31.4 SDK, unchanged, drives a real authdeck core.

Each test runs one scenario of ``apps/official_sdk_scenarios.py`` in a subprocess (the SDK's init() is global to
a process) against a fresh app on the ``core`` fixture, so every test runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests._harness.core_process import CoreProcess

SCRIPT = Path(__file__).parent / "apps" / "official_sdk_scenarios.py"
TIMEOUT_S = 180


@dataclass
class Run:
    app_id: str
    steps: dict[str, Any]
    requests: list[dict[str, Any]]

    def __getitem__(self, step: str) -> Any:
        assert step in self.steps, f"step {step!r} did not run; ran: {list(self.steps)}"
        return self.steps[step]

    def typed(self, step: str, type_name: str) -> dict[str, Any]:
        """The step's result, after checking the SDK returned an object of class ``type_name``."""
        result = self[step]
        actual = result.get("__type__") if isinstance(result, dict) else type(result).__name__
        assert actual == type_name, f"{step}: SDK returned {actual}, expected {type_name}: {result}"
        return dict(result)


def _describe_failure(core: CoreProcess, scenario: str, doc: dict[str, Any]) -> str:
    error = doc["error"]
    calls = [r for r in doc["requests"] if r["step"] == error["step"]]
    lines = [
        f"scenario {scenario!r}, step {error['step']!r}: the SDK raised {error['type']}: {error['message']}",
        "core calls the SDK made in that step:",
        *(f"  {c['method']} {c['path']} params={c['params']} body={c['body']}" for c in calls),
        error["traceback"],
        "core log (tail):",
        *core.log_path.read_text(errors="replace").splitlines()[-25:],
    ]
    return "\n".join(lines)


def run_scenario(core: CoreProcess, scenario: str, core_config: dict[str, Any] | None = None) -> Run:
    with core.new_app(core_config) as client:
        app_id = client.app_id
    env = {**os.environ, "AUTHDECK_SDK_API_KEY": core.api_key or ""}
    cmd = [sys.executable, str(SCRIPT), scenario, "--connection-uri", f"{core.url}/appid-{app_id}"]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False)
    try:
        doc: dict[str, Any] = json.loads(proc.stdout)
    except json.JSONDecodeError:
        pytest.fail(f"scenario {scenario!r} printed no JSON (exit {proc.returncode})\n{proc.stdout}\n{proc.stderr}")
    if doc["error"] is not None:
        pytest.fail(_describe_failure(core, scenario, doc))
    assert proc.returncode == 0, proc.stderr
    run = Run(app_id, doc["steps"], doc["requests"])
    _check_wire_conventions(run)
    return run


def _check_wire_conventions(run: Run) -> None:
    """Every call goes to the app's prefix with the api key; all but the handshake carry cdi-version 5.4."""
    assert run.requests, "the SDK made no core call"
    prefix = f"/appid-{run.app_id}/"
    for call in run.requests:
        assert call["path"].startswith(prefix), call
        assert call["apiKeySent"], call
        if call["path"] == prefix + "apiversion":
            assert call["cdiVersion"] is None, call
        else:
            assert call["cdiVersion"] == "5.4", call


def ids(result: dict[str, Any]) -> list[str]:
    assert result["__type__"] == "GetUsersResult", result
    return [user["id"] for user in result["users"]]


def sorted_list(result: dict[str, Any], field: str) -> list[str]:
    return sorted(result[field])


def test_sdk_handshake_calls_apiversion_once_and_picks_5_4(core: CoreProcess) -> None:
    run = run_scenario(core, "handshake")
    first = run.requests[0]
    assert first["method"] == "GET"
    assert first["path"] == f"/appid-{run.app_id}/apiversion"
    assert first["params"] == {"apiDomain": "http://localhost:8000", "websiteDomain": "http://localhost:3000"}
    assert [r["path"] for r in run.requests].count(first["path"]) == 1
    assert run["querier_api_version"] == "5.4"
    tenant = run.typed("get_tenant", "TenantConfig")
    assert tenant["tenant_id"] == "public"
    assert tenant["third_party_providers"] == []
    assert tenant["first_factors"] is None


def test_sdk_sign_up_and_sign_in(core: CoreProcess) -> None:
    run = run_scenario(core, "signup_signin")
    email = "ada@alpha.example"
    up = run.typed("sign_up", "SignUpOkResult")
    user = up["user"]
    assert user["__type__"] == "User"
    uuid.UUID(user["id"])
    assert up["recipe_user_id"] == user["id"]
    assert user["emails"] == [email]
    assert user["is_primary_user"] is False
    assert user["tenant_ids"] == ["public"]
    assert user["phone_numbers"] == [] and user["third_party"] == []
    assert abs(user["time_joined"] - time.time() * 1000) < 10 * 60 * 1000
    [method] = user["login_methods"]
    assert method["recipe_id"] == "emailpassword"
    assert method["recipe_user_id"] == user["id"]
    assert method["email"] == email
    assert method["verified"] is False
    assert method["tenant_ids"] == ["public"]
    assert method["time_joined"] == user["time_joined"]

    run.typed("sign_up_duplicate", "EmailAlreadyExistsError")
    run.typed("sign_up_duplicate_other_case", "EmailAlreadyExistsError")

    signed_in = run.typed("sign_in", "SignInOkResult")
    assert signed_in["user"] == user
    assert signed_in["recipe_user_id"] == user["id"]
    assert run.typed("sign_in_other_case", "SignInOkResult")["user"]["id"] == user["id"]
    run.typed("sign_in_wrong_password", "WrongCredentialsError")
    run.typed("sign_in_unknown_email", "WrongCredentialsError")
    assert run.typed("verify_credentials", "SignInOkResult")["user"] == user
    run.typed("verify_credentials_wrong", "WrongCredentialsError")

    assert run.typed("get_user", "User") == user
    assert run["get_user_unknown"] is None
    assert run["by_account_info"] == [user]
    assert run["by_account_info_unknown"] == []

    second = run.typed("sign_up_second", "SignUpOkResult")["user"]
    assert second["id"] != user["id"]
    assert second["time_joined"] >= user["time_joined"]
    assert run.typed("sign_in_second", "SignInOkResult")["user"]["id"] == second["id"]


def test_sdk_password_reset_token_create_consume_and_update(core: CoreProcess) -> None:
    run = run_scenario(core, "reset_password")
    user = run.typed("sign_up", "SignUpOkResult")["user"]
    first = run.typed("create_token", "CreateResetPasswordOkResult")["token"]
    second = run.typed("create_second_token", "CreateResetPasswordOkResult")["token"]
    assert isinstance(first, str) and len(first) >= 32 and first != second
    run.typed("create_token_unknown_user", "UnknownUserIdError")

    consumed = run.typed("consume", "ConsumePasswordResetTokenOkResult")
    assert consumed["user_id"] == user["id"]
    assert consumed["email"] == "reset@alpha.example"
    run.typed("consume_again", "PasswordResetTokenInvalidError")
    run.typed("consume_second_after_first", "PasswordResetTokenInvalidError")
    run.typed("consume_garbage", "PasswordResetTokenInvalidError")

    run.typed("update_password", "UpdateEmailOrPasswordOkResult")
    run.typed("sign_in_old_password", "WrongCredentialsError")
    assert run.typed("sign_in_new_password", "SignInOkResult")["user"]["id"] == user["id"]
    run.typed("reset_using_token", "UpdateEmailOrPasswordOkResult")
    assert run.typed("sign_in_after_reset", "SignInOkResult")["user"]["id"] == user["id"]

    run.typed("update_email", "UpdateEmailOrPasswordOkResult")
    assert run.typed("sign_in_new_email", "SignInOkResult")["user"]["id"] == user["id"]
    run.typed("sign_in_old_email", "WrongCredentialsError")
    renamed = run.typed("get_user_after_email_change", "User")
    assert renamed["emails"] == ["renamed@beta.example"]
    assert renamed["login_methods"][0]["email"] == "renamed@beta.example"
    run.typed("update_email_taken", "EmailAlreadyExistsError")
    run.typed("update_password_unknown_user", "UnknownUserIdError")


def test_sdk_expired_reset_and_verification_tokens_are_refused(core: CoreProcess) -> None:
    lifetimes = {"password_reset_token_lifetime": 1, "email_verification_token_lifetime": 1}
    run = run_scenario(core, "token_expiry", core_config=lifetimes)
    run.typed("create_reset_token", "CreateResetPasswordOkResult")
    run.typed("create_verification_token", "CreateEmailVerificationTokenOkResult")
    run.typed("consume_expired_reset_token", "PasswordResetTokenInvalidError")
    run.typed("verify_with_expired_token", "VerifyEmailUsingTokenInvalidTokenError")
    assert run["is_verified_after_expired_token"] is False


def test_sdk_user_metadata_merges_shallowly_and_null_deletes(core: CoreProcess) -> None:
    run = run_scenario(core, "metadata")
    assert run.typed("get_empty", "MetadataResult")["metadata"] == {}
    first = {"first_name": "Ada", "nested": {"x": 1, "y": [1, 2]}, "gone": "soon", "ünï": "✓"}
    assert run.typed("update_first", "MetadataResult")["metadata"] == first
    merged = {"first_name": "Ada", "nested": {"z": True}, "ünï": "✓", "count": 3}
    assert run.typed("update_second", "MetadataResult")["metadata"] == merged
    assert run.typed("get_after_updates", "MetadataResult")["metadata"] == merged
    assert run.typed("update_empty", "MetadataResult")["metadata"] == merged
    run.typed("clear", "ClearUserMetadataResult")
    assert run.typed("get_after_clear", "MetadataResult")["metadata"] == {}
    run.typed("clear_again", "ClearUserMetadataResult")


def test_sdk_user_roles_and_permissions(core: CoreProcess) -> None:
    run = run_scenario(core, "roles")
    user_id = run["sign_up"]["user"]["id"]
    created = "CreateNewRoleOrAddPermissionsOkResult"
    assert run.typed("create_admin", created)["created_new_role"] is True
    assert run.typed("add_permission_to_admin", created)["created_new_role"] is False
    assert run.typed("create_viewer", created)["created_new_role"] is True
    assert run.typed("create_empty_role", created)["created_new_role"] is True
    permissions = "GetPermissionsForRoleOkResult"
    assert sorted_list(run.typed("permissions_of_admin", permissions), "permissions") == ["delete", "read", "write"]
    assert run.typed("permissions_of_empty", permissions)["permissions"] == []
    run.typed("permissions_of_unknown", "UnknownRoleError")
    having = "GetRolesThatHavePermissionOkResult"
    assert sorted_list(run.typed("roles_with_read", having), "roles") == ["admin", "viewer"]
    assert run.typed("roles_with_unknown_permission", having)["roles"] == []
    assert sorted_list(run.typed("all_roles", "GetAllRolesOkResult"), "roles") == ["admin", "empty", "viewer"]

    added = "AddRoleToUserOkResult"
    assert run.typed("add_admin_to_user", added)["did_user_already_have_role"] is False
    assert run.typed("add_admin_to_user_again", added)["did_user_already_have_role"] is True
    assert run.typed("add_viewer_to_user", added)["did_user_already_have_role"] is False
    run.typed("add_unknown_role_to_user", "UnknownRoleError")
    assert sorted_list(run.typed("roles_of_user", "GetRolesForUserOkResult"), "roles") == ["admin", "viewer"]
    assert run.typed("users_with_admin", "GetUsersThatHaveRoleOkResult")["users"] == [user_id]
    run.typed("users_with_unknown_role", "UnknownRoleError")

    run.typed("remove_delete_permission", "RemovePermissionsFromRoleOkResult")
    assert sorted_list(run.typed("permissions_after_remove", permissions), "permissions") == ["read", "write"]
    run.typed("remove_permission_unknown_role", "UnknownRoleError")
    assert run.typed("remove_admin_from_user", "RemoveUserRoleOkResult")["did_user_have_role"] is True
    assert run.typed("remove_admin_from_user_again", "RemoveUserRoleOkResult")["did_user_have_role"] is False
    run.typed("remove_unknown_role_from_user", "UnknownRoleError")
    assert run.typed("delete_viewer", "DeleteRoleOkResult")["did_role_exist"] is True
    assert run.typed("delete_viewer_again", "DeleteRoleOkResult")["did_role_exist"] is False
    # Deleting a role takes it away from its users too.
    assert run.typed("roles_of_user_after_deletes", "GetRolesForUserOkResult")["roles"] == []
    assert sorted_list(run.typed("all_roles_after_delete", "GetAllRolesOkResult"), "roles") == ["admin", "empty"]


def test_sdk_email_verification_with_tokens(core: CoreProcess) -> None:
    run = run_scenario(core, "email_verification")
    user = run.typed("sign_up", "SignUpOkResult")["user"]
    assert run["is_verified_before"] is False
    first = run.typed("create_token", "CreateEmailVerificationTokenOkResult")["token"]
    second = run.typed("create_second_token", "CreateEmailVerificationTokenOkResult")["token"]
    assert isinstance(first, str) and len(first) >= 32 and first != second

    verified = run.typed("verify", "VerifyEmailUsingTokenOkResult")["user"]
    assert verified["__type__"] == "EmailVerificationUser"
    assert verified["recipe_user_id"] == user["id"]
    assert verified["email"] == "verify@alpha.example"
    assert run["is_verified_after"] is True
    assert run["is_verified_other_email"] is False
    assert run.typed("get_user_after_verify", "User")["login_methods"][0]["verified"] is True
    # Verifying consumes every token of that user and email.
    run.typed("verify_second_after_first", "VerifyEmailUsingTokenInvalidTokenError")
    run.typed("verify_again", "VerifyEmailUsingTokenInvalidTokenError")
    run.typed("create_token_when_verified", "CreateEmailVerificationTokenEmailAlreadyVerifiedError")

    run.typed("unverify", "UnverifyEmailOkResult")
    assert run["is_verified_after_unverify"] is False
    run.typed("create_third_token", "CreateEmailVerificationTokenOkResult")
    run.typed("revoke_tokens", "RevokeEmailVerificationTokensOkResult")
    run.typed("verify_revoked_token", "VerifyEmailUsingTokenInvalidTokenError")
    run.typed("verify_garbage_token", "VerifyEmailUsingTokenInvalidTokenError")
    assert run["is_verified_at_end"] is False


def test_sdk_list_pages_search_and_count(core: CoreProcess) -> None:
    run = run_scenario(core, "list_search_count")
    signed_up = run["signed_up_ids"]
    assert len(signed_up) == len(set(signed_up)) == 7
    email_of = {run[f"sign_up_{i}"]["user"]["id"]: run[f"sign_up_{i}"]["user"]["emails"][0] for i in range(7)}
    newest = list(reversed(signed_up))

    assert ids(run["oldest_first_all"]) == signed_up
    assert run["oldest_first_all"]["next_pagination_token"] is None
    assert ids(run["newest_first_all"]) == newest
    for user in run["oldest_first_all"]["users"]:
        assert user["emails"] == [email_of[user["id"]]]
        assert user["login_methods"][0]["recipe_id"] == "emailpassword"

    for name, order in (("oldest_first", signed_up), ("newest_first", newest)):
        pages = [run[f"{name}_page{n}"] for n in (1, 2, 3)]
        assert [ids(p) for p in pages] == [order[0:3], order[3:6], order[6:7]], name
        assert all(isinstance(p["next_pagination_token"], str) for p in pages[:2]), name
        assert pages[2]["next_pagination_token"] is None, name
        assert f"{name}_page4" not in run.steps

    assert ids(run["limit_equal_to_total"]) == signed_up
    assert run["limit_equal_to_total"]["next_pagination_token"] is None
    assert ids(run["limit_one_less"]) == newest[:6]
    assert isinstance(run["limit_one_less"]["next_pagination_token"], str)
    assert ids(run["only_emailpassword"]) == signed_up
    assert ids(run["only_thirdparty"]) == []

    def found(step: str) -> list[str]:
        assert run[step]["next_pagination_token"] is None, step
        return [email_of[user_id] for user_id in ids(run[step])]

    # Prefix of the email, or prefix of its domain; newest first.
    assert found("search_al") == ["alphafan@gamma.example", "alan@alpha.example", "ada@alpha.example"]
    assert found("search_exact_local_part") == ["alan@alpha.example"]
    assert found("search_domain") == ["bea@beta.example", "bob@beta.example"]
    assert found("search_domain_prefix") == ["alphafan@gamma.example", "carl@gamma.example"]
    assert found("search_upper_case") == ["bob@beta.example"]
    assert found("search_two_terms") == ["dora@delta.example", "ada@alpha.example"]
    assert found("search_nothing") == []
    assert found("search_oldest_first") == ["ada@alpha.example", "alan@alpha.example", "alphafan@gamma.example"]

    assert run["count_all_tenants"] == 7
    assert run["count_public"] == 7
    assert run["count_emailpassword"] == 7
    assert [email_of[u["id"]] for u in run["by_account_info_other_case"]] == ["bob@beta.example"]


def test_sdk_delete_user_removes_the_user_and_its_data(core: CoreProcess) -> None:
    run = run_scenario(core, "delete_user")
    doomed, kept = run["ids"]["doomed"], run["ids"]["kept"]
    run.typed("verify_doomed", "VerifyEmailUsingTokenOkResult")
    assert run["count_before"] == 2

    assert run["delete"] is None
    assert run["get_user_deleted"] is None
    assert run.typed("metadata_deleted", "MetadataResult")["metadata"] == {}
    assert run.typed("roles_deleted", "GetRolesForUserOkResult")["roles"] == []
    assert run.typed("role_users_after_delete", "GetUsersThatHaveRoleOkResult")["users"] == [kept]
    assert run["is_verified_deleted"] is False
    run.typed("sign_in_deleted", "WrongCredentialsError")
    assert run["by_account_info_deleted"] == []
    assert run["count_after"] == 1
    assert ids(run["list_after"]) == [kept]

    assert run.typed("metadata_kept", "MetadataResult")["metadata"] == {"plan": "pro"}
    assert run.typed("roles_kept", "GetRolesForUserOkResult")["roles"] == ["member"]
    assert run["delete_unknown"] is None
    assert run["delete_again"] is None
    again = run.typed("sign_up_same_email_again", "SignUpOkResult")["user"]
    assert again["id"] != doomed
    assert again["login_methods"][0]["verified"] is False


def test_example_smoke_script_runs_clean(core: CoreProcess) -> None:
    with core.new_app() as client:
        uri = f"{core.url}/appid-{client.app_id}"
    script = Path(__file__).parents[2] / "examples" / "official_sdk_smoke.py"
    env = {**os.environ, "AUTHDECK_SDK_API_KEY": core.api_key or ""}
    proc = subprocess.run(
        [sys.executable, str(script), "--core", uri], env=env, capture_output=True, text=True, timeout=TIMEOUT_S
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.rstrip().endswith("all good")


def test_sdk_users_and_role_mappings_belong_to_their_tenant(core: CoreProcess) -> None:
    run = run_scenario(core, "tenants")
    assert run.typed("create_tenant", "CreateOrUpdateTenantOkResult")["created_new"] is True
    assert run.typed("create_tenant_again", "CreateOrUpdateTenantOkResult")["created_new"] is False
    assert run.typed("get_tenant", "TenantConfig")["tenant_id"] == "shop"
    public_id, shop_id = run["ids"]["public"], run["ids"]["shop"]
    assert public_id != shop_id
    shop_user = run.typed("sign_up_shop", "SignUpOkResult")["user"]
    assert shop_user["tenant_ids"] == ["shop"]
    assert shop_user["login_methods"][0]["tenant_ids"] == ["shop"]
    run.typed("sign_up_shop_duplicate", "EmailAlreadyExistsError")
    assert run.typed("sign_in_shop", "SignInOkResult")["user"]["id"] == shop_id
    run.typed("sign_in_shop_with_public_password", "WrongCredentialsError")

    assert ids(run["list_shop"]) == [shop_id]
    assert ids(run["list_public"]) == [public_id]
    assert ids(run["search_shop"]) == [shop_id]
    assert run["count_shop"] == 1
    assert run["count_public"] == 1
    assert run["count_all_tenants"] == 2
    assert [u["id"] for u in run["by_account_info_shop"]] == [shop_id]

    assert run.typed("add_role_in_shop", "AddRoleToUserOkResult")["did_user_already_have_role"] is False
    assert run.typed("roles_in_shop", "GetRolesForUserOkResult")["roles"] == ["staff"]
    assert run.typed("roles_in_public", "GetRolesForUserOkResult")["roles"] == []
    assert run.typed("role_users_in_shop", "GetUsersThatHaveRoleOkResult")["users"] == [shop_id]
    assert run.typed("role_users_in_public", "GetUsersThatHaveRoleOkResult")["users"] == []

    assert run["count_shop_after_delete"] == 0
    assert run.typed("get_public_user_after_delete", "User")["id"] == public_id


def test_sdk_calls_made_at_once_are_each_answered_once(core: CoreProcess) -> None:
    run = run_scenario(core, "concurrency")
    same = [r["__type__"] for r in run["sign_up_same_email_at_once"]]
    assert sorted(same) == ["EmailAlreadyExistsError"] * 7 + ["SignUpOkResult"], same
    distinct = run["sign_up_distinct_at_once"]
    assert [r["__type__"] for r in distinct] == ["SignUpOkResult"] * 12
    assert len({r["user"]["id"] for r in distinct}) == 12
    assert run["count"] == 13
    created = [r["created_new_role"] for r in run["create_role_at_once"]]
    assert sorted(created) == [False] * 5 + [True], created
    assert sorted_list(run["permissions_after_race"], "permissions") == sorted(f"p{i}" for i in range(6))
    already = [r["did_user_already_have_role"] for r in run["add_role_at_once"]]
    assert sorted(already) == [False] + [True] * 5, already
    assert run["metadata_after_race"]["metadata"] == {f"k{i}": i for i in range(10)}
