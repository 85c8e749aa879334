"""User roles endpoints: roles and permissions per app, user↔role per tenant, cascades, bad input, races."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from tests._harness.core_process import CoreClient, CoreProcess

UNKNOWN_ROLE = {"status": "UNKNOWN_ROLE_ERROR"}


def put_role(client: CoreClient, role: str, permissions: list[str] | None = None) -> bool:
    body: dict[str, Any] = {"role": role}
    if permissions is not None:
        body["permissions"] = permissions
    created: bool = client.ok("PUT", "/recipe/role", json=body)["createdNewRole"]
    return created


def roles(client: CoreClient) -> list[str]:
    value: list[str] = client.ok("GET", "/recipe/roles")["roles"]
    return value


def permissions(client: CoreClient, role: str) -> list[str]:
    value: list[str] = client.ok("GET", "/recipe/role/permissions", params={"role": role})["permissions"]
    return value


def roles_with(client: CoreClient, permission: str) -> list[str]:
    value: list[str] = client.ok("GET", "/recipe/permission/roles", params={"permission": permission})["roles"]
    return value


def user_roles(client: CoreClient, user_id: str, tenant: str = "public") -> list[str]:
    value: list[str] = client.ok("GET", f"/{tenant}/recipe/user/roles", params={"userId": user_id})["roles"]
    return value


def role_users(client: CoreClient, role: str, tenant: str = "public") -> list[str]:
    value: list[str] = client.ok("GET", f"/{tenant}/recipe/role/users", params={"role": role})["users"]
    return value


def add_user_role(client: CoreClient, user_id: str, role: str, tenant: str = "public") -> bool:
    body = client.ok("PUT", f"/{tenant}/recipe/user/role", json={"userId": user_id, "role": role})
    had: bool = body["didUserAlreadyHaveRole"]
    return had


def assert_400(reply: httpx.Response, text: str) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.text == text


def test_put_role_creates_it_then_only_adds_permissions(app_client: CoreClient) -> None:
    assert put_role(app_client, "admin", ["write", "read"]) is True
    assert put_role(app_client, "admin", ["delete", "read"]) is False
    assert put_role(app_client, "admin") is False

    assert permissions(app_client, "admin") == ["delete", "read", "write"]


def test_longest_storable_role_permission_and_user_id_are_accepted(app_client: CoreClient) -> None:
    role, permission, user_id = "r" * 255, "p" * 255, "u" * 128
    assert put_role(app_client, role, [permission]) is True
    assert add_user_role(app_client, user_id, role) is False
    assert user_roles(app_client, user_id) == [role]
    assert roles_with(app_client, permission) == [role]


def test_role_and_permission_strings_are_trimmed(app_client: CoreClient) -> None:
    assert put_role(app_client, "  admin ", [" read", "write  "]) is True
    assert put_role(app_client, "admin") is False

    assert roles(app_client) == ["admin"]
    assert permissions(app_client, " admin ") == ["read", "write"]
    assert roles_with(app_client, " read ") == ["admin"]


def test_lists_come_back_sorted(app_client: CoreClient) -> None:
    for role in ("zeta", "alpha", "Mid", "beta"):
        put_role(app_client, role, ["p"])
    for user in ("u3", "u1", "u2"):
        add_user_role(app_client, user, "beta")
    for role in ("zeta", "alpha"):
        add_user_role(app_client, "u1", role)

    assert roles(app_client) == ["Mid", "alpha", "beta", "zeta"]
    assert roles_with(app_client, "p") == ["Mid", "alpha", "beta", "zeta"]
    assert role_users(app_client, "beta") == ["u1", "u2", "u3"]
    assert user_roles(app_client, "u1") == ["alpha", "beta", "zeta"]


def test_full_role_lifecycle(app_client: CoreClient) -> None:
    put_role(app_client, "admin", ["read", "write", "delete"])
    put_role(app_client, "viewer", ["read"])
    assert roles_with(app_client, "read") == ["admin", "viewer"]

    assert add_user_role(app_client, "u1", "admin") is False
    assert add_user_role(app_client, "u1", "admin") is True
    add_user_role(app_client, "u1", "viewer")
    add_user_role(app_client, "u2", "admin")
    assert user_roles(app_client, "u1") == ["admin", "viewer"]
    assert role_users(app_client, "admin") == ["u1", "u2"]

    app_client.ok("POST", "/recipe/role/permissions/remove", json={"role": "admin", "permissions": ["delete", "x"]})
    assert permissions(app_client, "admin") == ["read", "write"]
    app_client.ok("POST", "/recipe/role/permissions/remove", json={"role": "admin"})
    assert permissions(app_client, "admin") == []
    assert roles_with(app_client, "read") == ["viewer"]

    body = app_client.ok("POST", "/public/recipe/user/role/remove", json={"userId": "u1", "role": "viewer"})
    assert body == {"status": "OK", "didUserHaveRole": True}
    body = app_client.ok("POST", "/public/recipe/user/role/remove", json={"userId": "u1", "role": "viewer"})
    assert body == {"status": "OK", "didUserHaveRole": False}
    assert user_roles(app_client, "u1") == ["admin"]

    assert app_client.ok("POST", "/recipe/role/remove", json={"role": "viewer"}) == {
        "status": "OK",
        "didRoleExist": True,
    }
    assert app_client.ok("POST", "/recipe/role/remove", json={"role": "viewer"})["didRoleExist"] is False
    assert roles(app_client) == ["admin"]


def test_removing_a_role_removes_its_permissions_and_user_mappings_in_every_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    put_role(app_client, "admin", ["read"])
    put_role(app_client, "other", ["read"])
    add_user_role(app_client, "u1", "admin")
    add_user_role(app_client, "u1", "admin", tenant="t1")
    add_user_role(app_client, "u1", "other", tenant="t1")

    app_client.ok("POST", "/recipe/role/remove", json={"role": "admin"})

    assert user_roles(app_client, "u1") == []
    assert user_roles(app_client, "u1", tenant="t1") == ["other"]
    assert roles_with(app_client, "read") == ["other"]
    assert app_client.ok("GET", "/t1/recipe/role/users", params={"role": "other"})["users"] == ["u1"]
    # Re-created, the role starts with no permissions and no users.
    assert put_role(app_client, "admin") is True
    assert permissions(app_client, "admin") == []
    assert role_users(app_client, "admin", tenant="t1") == []


def test_user_roles_are_kept_per_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    put_role(app_client, "admin")

    assert add_user_role(app_client, "u1", "admin", tenant="t1") is False

    assert user_roles(app_client, "u1", tenant="t1") == ["admin"]
    assert user_roles(app_client, "u1") == []
    assert role_users(app_client, "admin") == []
    assert role_users(app_client, "admin", tenant="t1") == ["u1"]
    assert add_user_role(app_client, "u1", "admin") is False
    body = app_client.ok("POST", "/t1/recipe/user/role/remove", json={"userId": "u1", "role": "admin"})
    assert body["didUserHaveRole"] is True
    assert user_roles(app_client, "u1") == ["admin"]
    assert user_roles(app_client, "u1", tenant="t1") == []


def test_tenant_routes_work_without_a_tenant_prefix(app_client: CoreClient) -> None:
    put_role(app_client, "admin")
    assert app_client.ok("PUT", "/recipe/user/role", json={"userId": "u1", "role": "admin"})
    assert app_client.ok("GET", "/recipe/user/roles", params={"userId": "u1"})["roles"] == ["admin"]


def test_roles_of_one_app_are_invisible_to_another(core: CoreProcess, app_client: CoreClient) -> None:
    put_role(app_client, "admin", ["read"])
    with core.new_app() as other:
        assert roles(other) == []
        assert other.get("/recipe/role/permissions", params={"role": "admin"}).json() == UNKNOWN_ROLE


def test_unknown_role_is_reported_by_every_route_that_needs_the_role(app_client: CoreClient) -> None:
    replies = [
        app_client.get("/recipe/role/permissions", params={"role": "ghost"}),
        app_client.post("/recipe/role/permissions/remove", json={"role": "ghost", "permissions": ["p"]}),
        app_client.post("/recipe/role/permissions/remove", json={"role": "ghost"}),
        app_client.put("/public/recipe/user/role", json={"userId": "u1", "role": "ghost"}),
        app_client.post("/public/recipe/user/role/remove", json={"userId": "u1", "role": "ghost"}),
        app_client.get("/public/recipe/role/users", params={"role": "ghost"}),
    ]

    for reply in replies:
        assert reply.status_code == 200
        assert reply.json() == UNKNOWN_ROLE
    assert roles(app_client) == []
    assert user_roles(app_client, "u1") == []


def test_lookups_of_unknown_things_answer_empty_lists(app_client: CoreClient) -> None:
    assert roles(app_client) == []
    assert roles_with(app_client, "nothing") == []
    assert user_roles(app_client, "nobody") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"role": 5}, "Field name 'role' is invalid in JSON input"),
        ({"role": None}, "Field name 'role' is invalid in JSON input"),
        ({"role": "   "}, "Field name 'role' cannot be an empty String"),
        ({}, "Field name 'role' is invalid in JSON input"),
        ({"role": "admin", "permissions": "read"}, "Field name 'permissions' is invalid in JSON input"),
        ({"role": "admin", "permissions": ["read", 1]}, "Field name 'permissions' is invalid in JSON input"),
        ({"role": "admin", "permissions": None}, "Field name 'permissions' is invalid in JSON input"),
        ({"role": "admin", "permissions": ["read", "  "]}, "Field name 'permissions' cannot contain an empty string"),
        ({"role": "r" * 256}, "Field name 'role' is too long: at most 255 characters"),
        ({"role": "a\u0000"}, "Field name 'role' is invalid in JSON input"),
        ({"role": "admin", "permissions": ["p" * 256]}, "Field name 'permissions' is too long: at most 255 characters"),
        (
            {"role": "admin", "permissions": ["read", "\u0000"]},
            "Field name 'permissions' is invalid in JSON input",
        ),
    ],
)
def test_put_role_with_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str
) -> None:
    put_role(app_client, "viewer", ["read"])

    assert_400(app_client.put("/recipe/role", json=body), message)

    assert roles(app_client) == ["viewer"]
    assert permissions(app_client, "viewer") == ["read"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"role": "viewer", "permissions": "read"}, "Field name 'permissions' is invalid in JSON input"),
        ({"role": "viewer", "permissions": None}, "Field name 'permissions' is invalid in JSON input"),
        ({"role": "viewer", "permissions": [""]}, "Field name 'permissions' cannot contain an empty string"),
        ({"role": ["viewer"]}, "Field name 'role' is invalid in JSON input"),
        ({"role": ""}, "Field name 'role' cannot be an empty String"),
    ],
)
def test_remove_permissions_with_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str
) -> None:
    put_role(app_client, "viewer", ["read"])

    assert_400(app_client.post("/recipe/role/permissions/remove", json=body), message)

    assert permissions(app_client, "viewer") == ["read"]


USER_ROLE_REMOVE = "/public/recipe/user/role/remove"


@pytest.mark.parametrize(
    ("path", "body", "message"),
    [
        ("/recipe/role/remove", {"role": None}, "Field name 'role' is invalid in JSON input"),
        ("/recipe/role/remove", {"role": " "}, "Field name 'role' cannot be an empty String"),
        (USER_ROLE_REMOVE, {"userId": "u1", "role": 1}, "Field name 'role' is invalid in JSON input"),
        (USER_ROLE_REMOVE, {"userId": 1, "role": "viewer"}, "Field name 'userId' is invalid in JSON input"),
        (USER_ROLE_REMOVE, {"role": "viewer"}, "Field name 'userId' is invalid in JSON input"),
        (USER_ROLE_REMOVE, {"userId": "", "role": "viewer"}, "Field name 'userId' cannot be an empty String"),
    ],
)
def test_removals_with_bad_input_are_400_and_change_nothing(
    app_client: CoreClient, path: str, body: dict[str, Any], message: str
) -> None:
    put_role(app_client, "viewer", ["read"])
    add_user_role(app_client, "u1", "viewer")

    assert_400(app_client.post(path, json=body), message)

    assert roles(app_client) == ["viewer"]
    assert user_roles(app_client, "u1") == ["viewer"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"userId": "u1", "role": None}, "Field name 'role' is invalid in JSON input"),
        ({"userId": "u1", "role": ""}, "Field name 'role' cannot be an empty String"),
        ({"userId": "u1"}, "Field name 'role' is invalid in JSON input"),
        ({"userId": None, "role": "viewer"}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": ["u1"], "role": "viewer"}, "Field name 'userId' is invalid in JSON input"),
        ({"userId": "", "role": "viewer"}, "Field name 'userId' cannot be an empty String"),
        ({"userId": "u" * 129, "role": "viewer"}, "Field name 'userId' is too long: at most 128 characters"),
        ({"userId": "\u0000", "role": "viewer"}, "Field name 'userId' is invalid in JSON input"),
    ],
)
def test_add_user_role_with_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str
) -> None:
    put_role(app_client, "viewer")

    assert_400(app_client.put("/public/recipe/user/role", json=body), message)

    assert role_users(app_client, "viewer") == []


def test_malformed_json_is_400_and_changes_nothing(app_client: CoreClient) -> None:
    headers = {"content-type": "application/json"}
    put_role(app_client, "viewer", ["read"])

    assert_400(app_client.put("/recipe/role", content=b'{"role": "admin"', headers=headers), "Invalid Json Input")
    bad_quotes = b"{'role': 'viewer'}"
    assert_400(app_client.post("/recipe/role/remove", content=bad_quotes, headers=headers), "Invalid Json Input")
    assert_400(app_client.put("/public/recipe/user/role", content=b"[", headers=headers), "Invalid Json Input")

    assert roles(app_client) == ["viewer"]
    assert role_users(app_client, "viewer") == []


@pytest.mark.parametrize(
    ("path", "param"),
    [
        ("/recipe/role/permissions", "role"),
        ("/recipe/permission/roles", "permission"),
        ("/public/recipe/user/roles", "userId"),
        ("/public/recipe/role/users", "role"),
    ],
)
def test_get_routes_need_their_query_parameter(app_client: CoreClient, path: str, param: str) -> None:
    assert_400(app_client.get(path), f"Field name '{param}' is missing in GET request")
    assert_400(app_client.get(path, params={param: ""}), f"Field name '{param}' cannot be an empty String")
    assert_400(app_client.get(path, params={param: "x\u0000"}), f"Field name '{param}' is invalid in GET request")


def test_app_level_role_routes_refuse_a_non_public_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    put_role(app_client, "viewer", ["read"])

    replies = [
        app_client.put("/t1/recipe/role", json={"role": "admin"}),
        app_client.get("/t1/recipe/roles"),
        app_client.post("/t1/recipe/role/remove", json={"role": "viewer"}),
        app_client.get("/t1/recipe/role/permissions", params={"role": "viewer"}),
        app_client.post("/t1/recipe/role/permissions/remove", json={"role": "viewer"}),
        app_client.get("/t1/recipe/permission/roles", params={"permission": "read"}),
    ]

    for reply in replies:
        assert reply.status_code == 403
        assert reply.text == "Only public tenantId can call this app specific API"
    assert roles(app_client) == ["viewer"]
    assert permissions(app_client, "viewer") == ["read"]


def test_user_role_routes_refuse_an_unknown_tenant(app_client: CoreClient) -> None:
    put_role(app_client, "viewer")
    reply = app_client.put("/nope/recipe/user/role", json={"userId": "u1", "role": "viewer"})
    assert reply.status_code == 400
    assert role_users(app_client, "viewer") == []


def test_concurrent_creation_of_one_role_creates_it_once_with_every_permission(
    core: CoreProcess, app_client: CoreClient
) -> None:
    workers = 12
    barrier = threading.Barrier(workers)

    def create(i: int) -> bool:
        with core.client(app_client.app_id) as client:
            barrier.wait()
            return put_role(client, "shared", [f"p{i:02d}", "common"])

    with ThreadPoolExecutor(max_workers=workers) as pool:
        created = list(pool.map(create, range(workers)))

    assert created.count(True) == 1
    assert permissions(app_client, "shared") == sorted(["common", *(f"p{i:02d}" for i in range(workers))])


def test_concurrent_assignment_of_one_role_to_one_user_succeeds_once(core: CoreProcess, app_client: CoreClient) -> None:
    put_role(app_client, "viewer")
    workers = 10
    barrier = threading.Barrier(workers)

    def assign(_: int) -> bool:
        with core.client(app_client.app_id) as client:
            barrier.wait()
            return add_user_role(client, "u1", "viewer")

    with ThreadPoolExecutor(max_workers=workers) as pool:
        had = list(pool.map(assign, range(workers)))

    assert had.count(False) == 1
    assert user_roles(app_client, "u1") == ["viewer"]
