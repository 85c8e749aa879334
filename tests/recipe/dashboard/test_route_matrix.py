"""Every dashboard API route, for five callers: admin, read-only user, no session, expired session, wrong API key.

A read-only user gets 403 for every write and the core's data is byte-for-byte the same afterwards.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from authdeck.recipe.dashboard._routes import BY_ID
from tests._harness.core_process import CoreProcess
from tests.recipe.dashboard._app import ADMIN, PASSWORD, VIEWER, DashboardApp, bearer, serve
from tests.recipe.dashboard._world import World, seed, snapshot

pytestmark = pytest.mark.anyio

Request = tuple[str, str, str, dict[str, Any]]  # api_id, method, path, httpx keyword arguments


def requests_for(w: World) -> list[Request]:
    """One valid request per route, in an order in which an admin's writes all succeed; sign-out last."""
    uid = w.user_id
    return [
        ("signin", "POST", "/signin", {"json": {"email": VIEWER, "password": PASSWORD}}),
        ("validate_key", "POST", "/key/validate", {}),
        ("analytics", "POST", "/analytics", {"json": {"email": ADMIN, "dashboardVersion": "0.13"}}),
        ("me", "GET", "/me", {}),
        ("search_tags", "GET", "/search/tags", {}),
        ("users_list", "GET", "/users", {"params": {"limit": 10}}),
        ("users_count", "GET", "/users/count", {}),
        ("user_get", "GET", "/user", {"params": {"userId": uid}}),
        ("user_email_verify_get", "GET", "/user/email/verify", {"params": {"recipeUserId": uid}}),
        ("user_metadata_get", "GET", "/user/metadata", {"params": {"userId": uid}}),
        ("user_sessions_get", "GET", "/user/sessions", {"params": {"userId": uid}}),
        ("roles_list", "GET", "/userroles/roles", {}),
        ("role_get", "GET", "/userroles/role", {}),
        ("role_permissions_get", "GET", "/userroles/role/permissions", {"params": {"role": "editor"}}),
        ("user_roles_get", "GET", "/userroles/user/roles", {"params": {"userId": uid}}),
        ("tenants_list", "GET", "/tenants", {}),
        ("tenant_get", "GET", "/tenant", {}),
        ("thirdparty_config_get", "GET", "/thirdparty/config", {"params": {"thirdPartyId": "google"}}),
        ("audit_list", "GET", "/audit", {}),
        (
            "user_put",
            "PUT",
            "/user",
            {"json": {"recipeUserId": uid, "recipeId": "emailpassword", "firstName": "New", "lastName": "Name",
                      "email": "seed2@example.com", "phone": ""}},
        ),
        ("user_email_verify_put", "PUT", "/user/email/verify", {"json": {"recipeUserId": uid, "verified": True}}),
        ("user_email_verify_token", "POST", "/user/email/verify/token", {"json": {"recipeUserId": uid}}),
        ("user_password_put", "PUT", "/user/password", {"json": {"recipeUserId": uid, "newPassword": "newpass123"}}),
        ("user_metadata_put", "PUT", "/user/metadata", {"json": {"userId": uid, "data": '{"a": 1}'}}),
        ("user_sessions_revoke", "POST", "/user/sessions", {"json": {"sessionHandles": [w.session_handle]}}),
        ("user_unlink", "GET", "/user/unlink", {"params": {"recipeUserId": uid}}),
        (
            "create_emailpassword_user",
            "POST",
            "/user/emailpassword",
            {"json": {"email": "new@example.com", "password": "abcd1234"}},
        ),
        ("create_passwordless_user", "POST", "/user/passwordless", {"json": {"email": "p@example.com"}}),
        ("role_put", "PUT", "/userroles/role", {"json": {"role": "writer", "permissions": ["write"]}}),
        (
            "role_permissions_put",
            "PUT",
            "/userroles/role/permissions",
            {"json": {"role": "editor", "permissions": ["x"]}},
        ),
        (
            "role_permissions_remove",
            "PUT",
            "/userroles/role/permissions/remove",
            {"json": {"role": "editor", "permissions": ["read"]}},
        ),
        ("user_roles_put", "PUT", "/userroles/user/roles", {"json": {"userId": uid, "role": "writer"}}),
        ("user_roles_delete", "DELETE", "/userroles/user/roles", {"params": {"userId": uid, "role": "editor"}}),
        ("role_delete", "DELETE", "/userroles/role", {"params": {"role": "doomed-role"}}),
        ("tenant_create", "POST", "/tenant", {"json": {"tenantId": "t1"}}),
        ("tenant_delete", "DELETE", "/tenant", {}),
        ("tenant_first_factor", "PUT", "/tenant/first-factor", {"json": {"factorId": "emailpassword", "enable": True}}),
        (
            "tenant_secondary_factor",
            "PUT",
            "/tenant/required-secondary-factor",
            {"json": {"factorId": "totp", "enable": True}},
        ),
        ("tenant_core_config", "PUT", "/tenant/core-config", {"json": {"name": "x", "value": 1}}),
        ("thirdparty_config_put", "PUT", "/thirdparty/config", {"json": {"providerConfig": {"thirdPartyId": "g"}}}),
        ("thirdparty_config_delete", "DELETE", "/thirdparty/config", {"params": {"thirdPartyId": "google"}}),
        ("user_delete", "DELETE", "/user", {"params": {"userId": w.doomed_user_id}}),
        ("signout", "POST", "/signout", {}),
    ]


# What the admin's requests answer when it is not {"status": "OK", ...}: features authdeck does not have yet.
ADMIN_STATUS = {
    "validate_key": None,  # 401 in email-password mode, whoever asks
    "user_email_verify_token": "EMAIL_ALREADY_VERIFIED_ERROR",
    "create_passwordless_user": "FEATURE_NOT_ENABLED_ERROR",
    "tenant_create": "MULTITENANCY_NOT_ENABLED_IN_CORE_ERROR",
    "tenant_delete": "CANNOT_DELETE_PUBLIC_TENANT_ERROR",
    "tenant_first_factor": "MULTITENANCY_NOT_ENABLED_IN_CORE_ERROR",
    "tenant_secondary_factor": "MFA_NOT_INITIALIZED_ERROR",
    "tenant_core_config": "MULTITENANCY_NOT_ENABLED_IN_CORE_ERROR",
    "thirdparty_config_get": "FEATURE_NOT_ENABLED_ERROR",
    "thirdparty_config_put": "FEATURE_NOT_ENABLED_ERROR",
    "thirdparty_config_delete": "FEATURE_NOT_ENABLED_ERROR",
}


def expected_status(caller: str, api_id: str) -> int:
    route = BY_ID[api_id]
    if api_id == "signin":
        return 200  # open to everyone; the answer's status says whether the credentials were right
    if api_id == "validate_key":
        return 401  # these apps have no right key to offer
    if caller == "admin":
        return 200
    if caller == "read-only":
        return 403 if route.writes else 200
    return 401


def test_every_route_is_in_the_matrix() -> None:
    w = World("u", "d", "h")
    assert sorted(api_id for api_id, *_ in requests_for(w)) == sorted(BY_ID)


async def run_matrix(
    app: DashboardApp, w: World, headers: dict[str, str], *, ip_per_request: bool = False
) -> dict[str, tuple[int, Any]]:
    """Every route once; ``ip_per_request`` spreads them over addresses so the per-IP limit stays out of the way."""
    http = app.http()
    seen: dict[str, tuple[int, Any]] = {}
    for n, (api_id, method, path, kwargs) in enumerate(requests_for(w)):
        if ip_per_request:
            http = app.http(ip=f"198.51.{n // 250}.{n % 250 + 1}")
        reply = await http.request(method, app.api(path), headers=headers, **kwargs)
        http.cookies.clear()  # the sign-in's cookie must not authenticate the callers that have none
        assert reply.headers["cache-control"] == "no-store", api_id
        assert reply.headers["x-content-type-options"] == "nosniff", api_id
        seen[api_id] = (reply.status_code, reply.json())
    return seen


def assert_matrix(caller: str, seen: dict[str, tuple[int, Any]]) -> None:
    got = {api_id: status for api_id, (status, _) in seen.items()}
    want = {api_id: expected_status(caller, api_id) for api_id in seen}
    assert got == want


@pytest.mark.parametrize("caller", ["admin", "read-only", "no session", "expired session"])
async def test_route_matrix_in_email_password_mode(core: CoreProcess, caller: str) -> None:
    core_config = {"dashboard_session_absolute_lifetime": 1} if caller == "expired session" else None
    with core.new_app(core_config) as client:
        async with serve(core, client, dashboard_options={"admins": [ADMIN]}) as app:
            app.create_dashboard_user(ADMIN)
            app.create_dashboard_user(VIEWER)
            w = seed(client)
            headers: dict[str, str] = {}
            if caller in ("admin", "expired session"):
                headers = bearer(await app.sign_in(ADMIN))
            elif caller == "read-only":
                headers = bearer(await app.sign_in(VIEWER))
            if caller == "expired session":
                await asyncio.sleep(1.2)
            before = snapshot(client, w)
            seen = await run_matrix(app, w, headers)
            assert_matrix(caller, seen)
            after = snapshot(client, w)
            if caller == "admin":
                statuses = {k: body.get("status") for k, (_, body) in seen.items() if k not in ADMIN_STATUS}
                assert {k: s for k, s in statuses.items() if s != "OK"} == {}
                assert {k: seen[k][1].get("status") for k in ADMIN_STATUS if ADMIN_STATUS[k]} == {
                    k: v for k, v in ADMIN_STATUS.items() if v
                }
                assert after != before
            else:
                refused = {k: body for k, (status, body) in seen.items() if status in (401, 403)}
                message = "You are not permitted to perform this operation" if caller == "read-only" else (
                    "Unauthorised access"
                )
                assert {body["message"] for k, body in refused.items() if k != "validate_key"} == {message}
                assert after == before


async def test_route_matrix_with_a_wrong_api_key(core: CoreProcess) -> None:
    with core.new_app() as client:
        key = "the-right-dashboard-key-0123"
        async with serve(core, client, dashboard_options={"api_key": key}) as app:
            w = seed(client)
            before = snapshot(client, w)
            seen = await run_matrix(app, w, bearer("the-wrong-dashboard-key-012"), ip_per_request=True)
            assert_matrix("wrong api key", seen)
            assert snapshot(client, w) == before
