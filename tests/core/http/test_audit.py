"""The dashboard's audit log in the core: recording, paging and filtering, and entries written with the write."""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from authdeck.core.services import audit
from tests._harness.core_process import CoreClient, CoreProcess

AUDIT = "/recipe/dashboard/audit"
ACTOR = "admin@example.com"
PASSWORD = "abcd1234"


def entry(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {"actor": ACTOR, "action": "user.update", "targetType": "user", "targetId": "u1"}
    return {**base, **fields}


def add(client: CoreClient, **fields: Any) -> int:
    entry_id: int = client.ok("POST", AUDIT, json=entry(**fields))["id"]
    return entry_id


def listed(client: CoreClient, **params: Any) -> dict[str, Any]:
    return client.ok("GET", AUDIT, params=params)


def entries(client: CoreClient, **params: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = listed(client, **params)["entries"]
    return found


def assert_400(reply: httpx.Response, text: str) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.text == text


def sign_up(client: CoreClient, email: str = "ada@example.com") -> str:
    body = client.ok("POST", "/public/recipe/signup", json={"email": email, "password": PASSWORD})
    user_id: str = body["user"]["id"]
    return user_id


# --- POST and GET /recipe/dashboard/audit ------------------------------------------------------------


def test_recorded_entry_is_listed_with_every_field(app_client: CoreClient) -> None:
    entry_id = add(
        app_client,
        actorIp="203.0.113.9",
        action="user.email.verification-sent",
        summary={"email": "ada@example.com"},
        tenantId="public",
    )
    (found,) = entries(app_client)
    assert found == {
        "id": entry_id,
        "time": found["time"],
        "actor": ACTOR,
        "actorIp": "203.0.113.9",
        "action": "user.email.verification-sent",
        "targetType": "user",
        "targetId": "u1",
        "summary": {"email": "ada@example.com"},
        "tenantId": "public",
    }
    assert isinstance(found["time"], int) and found["time"] > 1_700_000_000_000


def test_optional_fields_are_null_and_summary_defaults_to_empty(app_client: CoreClient) -> None:
    app_client.ok("POST", AUDIT, json={"actor": ACTOR, "action": "role.create", "targetType": "role"})
    (found,) = entries(app_client)
    assert (found["actorIp"], found["targetId"], found["summary"], found["tenantId"]) == (None, None, {}, None)


def test_entries_are_listed_newest_first_across_pages(app_client: CoreClient) -> None:
    ids = [add(app_client, targetId=f"u{i}") for i in range(7)]
    seen: list[int] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = listed(app_client, **params)
        seen += [e["id"] for e in page["entries"]]
        if "nextPaginationToken" not in page:
            break
        assert len(page["entries"]) == 3
        params["paginationToken"] = page["nextPaginationToken"]
    assert seen == sorted(ids, reverse=True)


def test_default_page_holds_fifty_entries(app_client: CoreClient) -> None:
    for i in range(51):
        add(app_client, targetId=f"u{i}")
    page = listed(app_client)
    assert len(page["entries"]) == 50
    rest = listed(app_client, paginationToken=page["nextPaginationToken"])
    assert len(rest["entries"]) == 1 and "nextPaginationToken" not in rest


def test_filters_by_actor_target_and_action(app_client: CoreClient) -> None:
    a = add(app_client, actor="a@x.com", targetId="u1", action="user.delete")
    b = add(app_client, actor="b@x.com", targetId="u1", action="user.update")
    c = add(app_client, actor="a@x.com", targetId="u2", action="user.update")
    add(app_client, actor="b@x.com", targetType="role", targetId="admin", action="role.create")

    def ids(**params: Any) -> list[int]:
        return [e["id"] for e in entries(app_client, **params)]

    assert ids(actor="a@x.com") == [c, a]
    assert ids(targetId="u1") == [b, a]
    assert ids(action="user.update") == [c, b]
    assert ids(actor="a@x.com", action="user.update") == [c]
    assert ids(actor="nobody@x.com") == []
    assert len(ids(actor="", targetId="", action="")) == 4  # empty means no filter


def test_filtered_pages_follow_the_filter(app_client: CoreClient) -> None:
    mine = [add(app_client, actor="a@x.com") if i % 2 else add(app_client, actor="b@x.com") for i in range(6)]
    first = listed(app_client, actor="a@x.com", limit=2)
    rest = listed(app_client, actor="a@x.com", limit=2, paginationToken=first["nextPaginationToken"])
    got = [e["id"] for e in first["entries"] + rest["entries"]]
    assert got == sorted(mine[1::2], reverse=True)
    assert "nextPaginationToken" not in rest


def test_entries_belong_to_their_app(core: CoreProcess, app_client: CoreClient) -> None:
    add(app_client)
    with core.new_app() as other:
        assert entries(other) == []


@pytest.mark.parametrize(
    "token",
    [
        "not base64!",
        base64.b64encode(b"123").decode(),
        base64.b64encode(b"abc;1").decode(),
        base64.b64encode(b"1;2;3").decode(),
        base64.b64encode(b"-1;2").decode(),
        base64.b64encode("١;٢".encode()).decode(),
        base64.b64encode(b"9" * 19 + b";1").decode(),
    ],
)
def test_forged_pagination_token_is_400(app_client: CoreClient, token: str) -> None:
    assert_400(app_client.get(AUDIT, params={"paginationToken": token}), "invalid pagination token")


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        ("0", "limit must a positive integer with min value 1"),
        ("-3", "limit must a positive integer with min value 1"),
        ("501", "max limit allowed is 500"),
        ("ten", "Field name 'limit' must be an int in the GET request"),
        ("1.5", "Field name 'limit' must be an int in the GET request"),
    ],
)
def test_bad_limit_is_400(app_client: CoreClient, limit: str, message: str) -> None:
    assert_400(app_client.get(AUDIT, params={"limit": limit}), message)


def test_filter_by_unknown_action_is_400(app_client: CoreClient) -> None:
    reply = app_client.get(AUDIT, params={"action": "user.explode"})
    assert reply.status_code == 400
    assert reply.text.startswith("Unknown action 'user.explode'; actions are: role.create, ")


def test_limit_of_five_hundred_is_accepted(app_client: CoreClient) -> None:
    add(app_client)
    assert len(entries(app_client, limit=500)) == 1


ACTIONS_TEXT = ", ".join(sorted(audit.ACTIONS))


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"action": "user.update", "targetType": "user"}, "Field name 'actor' is invalid in JSON input"),
        ({**entry(), "actor": None}, "Field name 'actor' is invalid in JSON input"),
        ({**entry(), "actor": "  "}, "Field name 'actor' cannot be an empty String"),
        ({**entry(), "actor": "a" * 257}, "Field name 'actor' is too long: at most 256 characters"),
        ({**entry(), "actor": 5}, "Field name 'actor' is invalid in JSON input"),
        ({**entry(), "actorIp": "1" * 65}, "Field name 'actorIp' is too long: at most 64 characters"),
        ({**entry(), "action": "user.explode"}, f"Field name 'action' must be one of: {ACTIONS_TEXT}"),
        ({**entry(), "action": None}, "Field name 'action' is invalid in JSON input"),
        ({"actor": ACTOR, "action": "user.update"}, "Field name 'targetType' is invalid in JSON input"),
        (
            {**entry(), "targetType": "planet"},
            "Field name 'targetType' must be one of: user, role, dashboard-user, tenant",
        ),
        ({**entry(), "targetId": ""}, "Field name 'targetId' cannot be an empty String"),
        ({**entry(), "targetId": "u" * 256}, "Field name 'targetId' is too long: at most 255 characters"),
        ({**entry(), "tenantId": []}, "Field name 'tenantId' is invalid in JSON input"),
        ({**entry(), "summary": "changed"}, "Field name 'summary' is invalid in JSON input"),
        ({**entry(), "summary": None}, "Field name 'summary' is invalid in JSON input"),
        ({**entry(), "summary": [1]}, "Field name 'summary' is invalid in JSON input"),
        (
            {**entry(), "summary": {"newPassword": "hunter22"}},
            "Field name 'summary' must not record passwords: remove the key 'newPassword'"
            ' (no key may contain "password")',
        ),
        (
            {**entry(), "summary": {"changes": [{"field": "x"}, {"PASSWORD_hash": "$2b$"}]}},
            "Field name 'summary' must not record passwords: remove the key 'PASSWORD_hash'"
            ' (no key may contain "password")',
        ),
        ({**entry(), "summary": {"x": "y" * 20000}}, "Field name 'summary' is too large: at most 16384 bytes of JSON"),
        ({**entry(), "summary": {"x": "\ud800"}}, "Field name 'summary' cannot contain unpaired UTF-16 surrogates"),
        (
            {**entry(), "target": "u1"},
            "Field name 'target' is not allowed; an audit entry has actor, actorIp, action, targetType, targetId,"
            " summary, tenantId",
        ),
    ],
)
def test_bad_entry_is_400_and_records_nothing(app_client: CoreClient, body: dict[str, Any], message: str) -> None:
    # Sent as ASCII JSON, so that a lone surrogate travels as the escape \ud800, as a browser would send it.
    reply = app_client.post(AUDIT, content=json.dumps(body), headers={"content-type": "application/json"})
    assert_400(reply, message)
    assert entries(app_client) == []


def test_audit_routes_need_the_api_key(core: CoreProcess, app_client: CoreClient) -> None:
    with core.client(app_client.app_id, api_key="wrong-key") as stranger:
        assert stranger.post(AUDIT, json=entry()).status_code == 401
        assert stranger.get(AUDIT).status_code == 401
    assert entries(app_client) == []


def test_audit_routes_are_app_wide(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    reply = app_client.get("/t1" + AUDIT)
    assert reply.status_code == 403
    assert reply.text == "Only public tenantId can call this app specific API"


# --- entries written with the write they describe ----------------------------------------------------

Write = Callable[[CoreClient], tuple[str, str, dict[str, Any], str]]


def _remove_user(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    user_id = sign_up(c)
    return "POST", "/user/remove", {"userId": user_id}, user_id


def _update_email(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    user_id = sign_up(c)
    return "PUT", "/recipe/user", {"recipeUserId": user_id, "email": "new@example.com"}, user_id


def _metadata(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    return "PUT", "/recipe/user/metadata", {"userId": "u1", "metadataUpdate": {"first_name": "Ada"}}, "u1"


def _revoke_sessions(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    return "POST", "/public/recipe/session/remove", {"userId": "u1", "revokeAcrossAllTenants": False}, "u1"


def _add_user_role(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    c.ok("PUT", "/recipe/role", json={"role": "admin"})
    return "PUT", "/public/recipe/user/role", {"userId": "u1", "role": "admin"}, "u1"


def _remove_user_role(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    c.ok("PUT", "/recipe/role", json={"role": "admin"})
    c.ok("PUT", "/public/recipe/user/role", json={"userId": "u1", "role": "admin"})
    return "POST", "/public/recipe/user/role/remove", {"userId": "u1", "role": "admin"}, "u1"


def _put_role(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    return "PUT", "/recipe/role", {"role": "admin", "permissions": ["read"]}, "admin"


def _remove_role(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    c.ok("PUT", "/recipe/role", json={"role": "admin"})
    return "POST", "/recipe/role/remove", {"role": "admin"}, "admin"


def _remove_permissions(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    c.ok("PUT", "/recipe/role", json={"role": "admin", "permissions": ["read", "write"]})
    return "POST", "/recipe/role/permissions/remove", {"role": "admin", "permissions": ["write"]}, "admin"


def _verify_email(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    body = {"userId": "u1", "email": "ada@example.com"}
    token = c.ok("POST", "/public/recipe/user/email/verify/token", json=body)["token"]
    return "POST", "/public/recipe/user/email/verify", {"method": "token", "token": token}, "u1"


def _unverify_email(c: CoreClient) -> tuple[str, str, dict[str, Any], str]:
    return "POST", "/recipe/user/email/verify/remove", {"userId": "u1", "email": "ada@example.com"}, "u1"


WRITES: dict[str, tuple[str, Write]] = {
    "remove user": ("user.delete", _remove_user),
    "update email": ("user.update", _update_email),
    "metadata": ("user.metadata.update", _metadata),
    "revoke sessions": ("user.sessions.revoke", _revoke_sessions),
    "add user role": ("user.roles.add", _add_user_role),
    "remove user role": ("user.roles.remove", _remove_user_role),
    "put role": ("role.create", _put_role),
    "remove role": ("role.delete", _remove_role),
    "remove permissions": ("role.permissions.remove", _remove_permissions),
    "verify email": ("user.email.verify", _verify_email),
    "unverify email": ("user.email.unverify", _unverify_email),
}


@pytest.mark.parametrize("case", list(WRITES))
def test_write_with_audit_records_exactly_one_entry_about_its_target(app_client: CoreClient, case: str) -> None:
    action, prepare = WRITES[case]
    method, path, body, target = prepare(app_client)
    assert entries(app_client) == []
    summary = {"field": "value"}
    app_client.ok(method, path, json={**body, "audit": {"actor": ACTOR, "action": action, "summary": summary}})
    (found,) = entries(app_client)
    assert (found["action"], found["actor"], found["summary"]) == (action, ACTOR, summary)
    assert (found["targetType"], found["targetId"]) == ("role" if action.startswith("role.") else "user", target)
    assert found["tenantId"] == "public"


def test_sign_up_with_audit_records_the_new_user_as_target(app_client: CoreClient) -> None:
    audit_object = {"actor": ACTOR, "actorIp": "198.51.100.7", "action": "user.create", "summary": {"email": "a@x.co"}}
    body = {"email": "a@x.co", "password": PASSWORD, "audit": audit_object}
    user = app_client.ok("POST", "/public/recipe/signup", json=body)["user"]
    (found,) = entries(app_client)
    assert (found["targetType"], found["targetId"], found["actorIp"]) == ("user", user["id"], "198.51.100.7")


def test_write_without_audit_records_nothing(app_client: CoreClient) -> None:
    sign_up(app_client)
    app_client.ok("PUT", "/recipe/role", json={"role": "admin"})
    assert entries(app_client) == []


def test_audit_object_may_name_its_own_target_and_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/role", json={"role": "admin"})
    audit_object = {
        "actor": ACTOR,
        "action": "user.roles.add",
        "targetType": "user",
        "targetId": "u1",
        "tenantId": "t9",
        "summary": {"role": "admin"},
    }
    app_client.ok("PUT", "/public/recipe/user/role", json={"userId": "u1", "role": "admin", "audit": audit_object})
    (found,) = entries(app_client)
    assert (found["targetType"], found["targetId"], found["tenantId"]) == ("user", "u1", "t9")


def test_audit_of_a_write_in_a_tenant_names_the_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    app_client.ok("PUT", "/recipe/role", json={"role": "admin"})
    body = {"userId": "u1", "role": "admin", "audit": {"actor": ACTOR, "action": "user.roles.add"}}
    app_client.ok("PUT", "/t1/recipe/user/role", json=body)
    assert entries(app_client)[0]["tenantId"] == "t1"


def test_failed_write_records_nothing(app_client: CoreClient) -> None:
    audit_object = {"actor": ACTOR, "action": "user.roles.add"}
    body = {"userId": "u1", "role": "ghost", "audit": audit_object}
    assert app_client.put("/public/recipe/user/role", json=body).json() == {"status": "UNKNOWN_ROLE_ERROR"}
    sign_up(app_client, "taken@example.com")
    body = {"email": "taken@example.com", "password": PASSWORD, "audit": {"actor": ACTOR, "action": "user.create"}}
    assert app_client.post("/public/recipe/signup", json=body).json()["status"] == "EMAIL_ALREADY_EXISTS_ERROR"
    body = {"recipeUserId": "nobody", "email": "x@example.com", "audit": {"actor": ACTOR, "action": "user.update"}}
    assert app_client.put("/recipe/user", json=body).json()["status"] == "UNKNOWN_USER_ID_ERROR"
    assert entries(app_client) == []


@pytest.mark.parametrize(
    ("audit_object", "message"),
    [
        (None, "Field name 'audit' is invalid in JSON input"),
        ("user.create", "Field name 'audit' is invalid in JSON input"),
        ({"action": "user.create"}, "Field name 'audit.actor' is invalid in JSON input"),
        ({"actor": ACTOR, "action": "nope"}, f"Field name 'audit.action' must be one of: {ACTIONS_TEXT}"),
        (
            {"actor": ACTOR, "action": "user.create", "summary": {"password": "abcd1234"}},
            "Field name 'audit.summary' must not record passwords: remove the key 'password'"
            ' (no key may contain "password")',
        ),
        (
            {"actor": ACTOR, "action": "user.create", "extra": 1},
            "Field name 'audit.extra' is not allowed; an audit entry has actor, actorIp, action, targetType,"
            " targetId, summary, tenantId",
        ),
    ],
)
def test_bad_audit_object_is_400_and_undoes_the_write(
    app_client: CoreClient, audit_object: Any, message: str
) -> None:
    body = {"email": "ada@example.com", "password": PASSWORD, "audit": audit_object}
    assert_400(app_client.post("/public/recipe/signup", json=body), message)
    # The sign-up was rolled back with the refused entry: the email is still free.
    sign_up(app_client)
    assert entries(app_client) == []


def test_bad_audit_object_leaves_a_deletion_undone(app_client: CoreClient) -> None:
    user_id = sign_up(app_client)
    body = {"userId": user_id, "audit": {"actor": "", "action": "user.delete"}}
    assert_400(app_client.post("/user/remove", json=body), "Field name 'audit.actor' cannot be an empty String")
    assert app_client.ok("GET", "/user/id", params={"userId": user_id})["user"]["id"] == user_id


def test_audit_object_may_come_in_a_header(app_client: CoreClient) -> None:
    user_id = sign_up(app_client)
    header = json.dumps({"actor": ACTOR, "action": "user.delete", "summary": {"by": "header"}})
    app_client.ok("POST", "/user/remove", json={"userId": user_id}, headers={audit.HEADER: header})
    (found,) = entries(app_client)
    assert (found["targetId"], found["summary"]) == (user_id, {"by": "header"})


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("{not json", "Header 'x-authdeck-audit' must hold a JSON object"),
        ("[1, 2]", "Header 'x-authdeck-audit' must hold a JSON object"),
        ('{"actor": NaN}', "Header 'x-authdeck-audit' must hold a JSON object"),
        ('{"action": "user.delete"}', "Field name 'audit.actor' is invalid in JSON input"),
    ],
)
def test_bad_audit_header_is_400_and_undoes_the_write(app_client: CoreClient, header: str, message: str) -> None:
    user_id = sign_up(app_client)
    assert_400(app_client.post("/user/remove", json={"userId": user_id}, headers={audit.HEADER: header}), message)
    assert app_client.ok("GET", "/user/id", params={"userId": user_id})["user"]["id"] == user_id


def test_audit_in_body_and_header_at_once_is_400(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/role", json={"role": "admin"})
    audit_object = {"actor": ACTOR, "action": "role.delete"}
    reply = app_client.post(
        "/recipe/role/remove",
        json={"role": "admin", "audit": audit_object},
        headers={audit.HEADER: json.dumps(audit_object)},
    )
    assert_400(reply, "Send the audit object in the body or in the x-authdeck-audit header, not both")
    assert app_client.ok("GET", "/recipe/roles")["roles"] == ["admin"]
    assert entries(app_client) == []


def test_password_change_is_recorded_without_the_password(app_client: CoreClient) -> None:
    user_id = sign_up(app_client)
    body = {
        "recipeUserId": user_id,
        "password": "n3w-secret-pw",
        "audit": {"actor": ACTOR, "action": "user.password.change", "summary": {"changed": ["password"]}},
    }
    app_client.ok("PUT", "/recipe/user", json=body)
    page = app_client.get(AUDIT).text
    assert "n3w-secret-pw" not in page
    assert json.loads(page)["entries"][0]["summary"] == {"changed": ["password"]}
