"""The audit log: every dashboard write is recorded by the core with who, from where, what and on what;
password values never; read-only users may read it, with paging and filters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.recipe.dashboard._app import ADMIN, VIEWER, DashboardApp, bearer

pytestmark = pytest.mark.anyio


def entries(dash: DashboardApp) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = dash.core_client.ok("GET", "/recipe/dashboard/audit")["entries"]
    return found


async def test_each_write_is_recorded_with_actor_ip_action_and_target(dash: DashboardApp) -> None:
    user_id = dash.sign_up_app_user("audited@example.com")
    admin = bearer(await dash.sign_in(ADMIN, ip="192.0.2.7"))
    http = dash.http("192.0.2.7")
    await http.put(dash.api("/userroles/role"), json={"role": "editor", "permissions": ["read"]}, headers=admin)
    await http.put(dash.api("/userroles/role"), json={"role": "editor", "permissions": ["write"]}, headers=admin)
    await http.put(dash.api("/userroles/user/roles"), json={"userId": user_id, "role": "editor"}, headers=admin)
    await http.put(dash.api("/user/password"), json={"recipeUserId": user_id, "newPassword": "secret-pw-9"},
                   headers=admin)
    await http.put(dash.api("/user/metadata"), json={"userId": user_id, "data": '{"plan": "pro"}'}, headers=admin)
    await http.post(dash.api("/user/email/verify/token"), json={"recipeUserId": user_id}, headers=admin)
    await http.delete(dash.api("/user"), params={"userId": user_id}, headers=admin)
    log = entries(dash)
    assert [(e["action"], e["targetType"], e["targetId"]) for e in reversed(log)] == [
        ("role.create", "role", "editor"),
        ("role.permissions.add", "role", "editor"),
        ("user.roles.add", "user", user_id),
        ("user.password.change", "user", user_id),
        ("user.metadata.update", "user", user_id),
        ("user.email.verification-sent", "user", user_id),
        ("user.delete", "user", user_id),
    ]
    assert {(e["actor"], e["actorIp"], e["tenantId"]) for e in log} == {(ADMIN, "192.0.2.7", "public")}
    assert "secret-pw-9" not in json.dumps(log)
    summaries = {e["action"]: e["summary"] for e in log}
    assert summaries["user.metadata.update"] == {"keys": ["plan"], "removedKeys": []}
    assert summaries["user.email.verification-sent"] == {"email": "audited@example.com"}
    assert summaries["user.password.change"] == {}


async def test_created_user_is_the_target_of_its_creation_record(dash: DashboardApp) -> None:
    admin = bearer(await dash.sign_in(ADMIN))
    reply = await dash.http().post(
        dash.api("/user/emailpassword"), json={"email": "new@example.com", "password": "abcd1234"}, headers=admin
    )
    [entry] = entries(dash)
    assert (entry["action"], entry["targetId"], entry["summary"]) == (
        "user.create",
        reply.json()["user"]["id"],
        {"email": "new@example.com", "recipeId": "emailpassword"},
    )


async def test_user_update_over_several_core_calls_is_recorded_once(dash: DashboardApp) -> None:
    user_id = dash.sign_up_app_user("multi@example.com")
    admin = bearer(await dash.sign_in(ADMIN))
    body = {"recipeUserId": user_id, "recipeId": "emailpassword", "firstName": "Ada", "lastName": "",
            "email": "multi2@example.com", "phone": ""}
    assert (await dash.http().put(dash.api("/user"), json=body, headers=admin)).json() == {"status": "OK"}
    [entry] = entries(dash)
    assert (entry["action"], entry["targetId"]) == ("user.update", user_id)
    assert entry["summary"] == {"firstName": "Ada", "email": "multi2@example.com"}


async def test_refused_and_failed_writes_record_nothing(dash: DashboardApp) -> None:
    user_id = dash.sign_up_app_user("keep@example.com")
    viewer = bearer(await dash.sign_in(VIEWER))
    admin = bearer(await dash.sign_in(ADMIN))
    http = dash.http()
    await http.delete(dash.api("/user"), params={"userId": user_id}, headers=viewer)
    await http.put(dash.api("/user/password"), json={"recipeUserId": user_id, "newPassword": "weak"}, headers=admin)
    await http.put(dash.api("/userroles/user/roles"), json={"userId": user_id, "role": "ghost"}, headers=admin)
    assert entries(dash) == []


async def test_read_only_users_read_the_log_with_filters_and_paging(dash: DashboardApp) -> None:
    admin = bearer(await dash.sign_in(ADMIN))
    http = dash.http()
    for role in ("a", "b", "c"):
        await http.put(dash.api("/userroles/role"), json={"role": role, "permissions": []}, headers=admin)
    await http.delete(dash.api("/userroles/role"), params={"role": "b"}, headers=admin)
    viewer = bearer(await dash.sign_in(VIEWER))
    reply = await http.get(dash.api("/audit"), params={"limit": 2}, headers=viewer)
    assert reply.status_code == 200
    page = reply.json()
    assert [e["targetId"] for e in page["entries"]] == ["b", "c"]
    rest = await http.get(
        dash.api("/audit"), params={"limit": 2, "paginationToken": page["nextPaginationToken"]}, headers=viewer
    )
    assert [e["targetId"] for e in rest.json()["entries"]] == ["b", "a"]
    by_action = await http.get(dash.api("/audit"), params={"action": "role.delete"}, headers=viewer)
    assert [e["targetId"] for e in by_action.json()["entries"]] == ["b"]
    by_target = await http.get(dash.api("/audit"), params={"targetId": "a"}, headers=viewer)
    assert [e["action"] for e in by_target.json()["entries"]] == ["role.create"]
    by_actor = await http.get(dash.api("/audit"), params={"actor": VIEWER}, headers=viewer)
    assert by_actor.json()["entries"] == []
    bad = await http.get(dash.api("/audit"), params={"action": "nonsense"}, headers=viewer)
    assert bad.status_code == 400
