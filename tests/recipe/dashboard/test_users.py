"""The users routes: list (paging, search, names from metadata in one bulk call), count, get, update, delete,
create, and the routes of one user's details."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from authdeck._supertokens import Authdeck
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.dashboard._app import ADMIN, DashboardApp, bearer, serve
from tests.recipe.emailpassword._app import Outbox

pytestmark = pytest.mark.anyio

Api = Callable[..., Awaitable[Any]]


@pytest.fixture
async def api(dash: DashboardApp) -> Api:
    """``await api(method, path, **kwargs)`` as the admin: (status, JSON)."""
    headers = bearer(await dash.sign_in(ADMIN))
    http = dash.http()

    async def call(method: str, path: str, **kwargs: Any) -> tuple[int, Any]:
        reply = await http.request(method, dash.api(path, kwargs.pop("tenant", None)), headers=headers, **kwargs)
        return reply.status_code, reply.json()

    return call


def names(body: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [(u["emails"][0], u["firstName"], u["lastName"]) for u in body["users"]]


async def test_users_list_has_names_from_metadata_and_null_when_missing(dash: DashboardApp, api: Api) -> None:
    ada = dash.sign_up_app_user("ada@example.com")
    dash.sign_up_app_user("bob@example.com")
    dash.core_client.ok("PUT", "/recipe/user/metadata", json={"userId": ada, "metadataUpdate": {"first_name": "Ada"}})
    status, body = await api("GET", "/users", params={"limit": 10})
    assert status == 200
    assert names(body) == [("bob@example.com", None, None), ("ada@example.com", "Ada", None)]
    assert body["nextPaginationToken"] is None
    assert list(body["users"][1]) == [
        "id", "isPrimaryUser", "tenantIds", "emails", "phoneNumbers", "thirdParty", "webauthn", "loginMethods",
        "timeJoined", "firstName", "lastName",
    ]


async def test_users_list_fetches_metadata_in_one_bulk_call(dash: DashboardApp, api: Api) -> None:
    for i in range(7):
        dash.sign_up_app_user(f"u{i}@example.com")
    querier = Authdeck.get_instance().querier
    calls: list[str] = []
    original = querier.post

    async def counting_post(path: str, body: dict[str, Any], *, rid: str | None = None) -> dict[str, Any]:
        calls.append(path)
        return await original(path, body, rid=rid)

    querier.post = counting_post  # type: ignore[method-assign]
    try:
        status, body = await api("GET", "/users", params={"limit": 10})
    finally:
        querier.post = original  # type: ignore[method-assign]
    assert status == 200 and len(body["users"]) == 7
    assert calls.count("/recipe/user/metadata/bulk") == 1


async def test_users_list_pages_with_the_pagination_token(dash: DashboardApp, api: Api) -> None:
    for i in range(3):
        dash.sign_up_app_user(f"p{i}@example.com")
    _, first = await api("GET", "/users", params={"limit": 2, "timeJoinedOrder": "ASC"})
    assert [u["emails"][0] for u in first["users"]] == ["p0@example.com", "p1@example.com"]
    _, second = await api(
        "GET", "/users", params={"limit": 2, "timeJoinedOrder": "ASC", "paginationToken": first["nextPaginationToken"]}
    )
    assert [u["emails"][0] for u in second["users"]] == ["p2@example.com"]
    assert second["nextPaginationToken"] is None


async def test_users_list_passes_search_filters_to_the_core(dash: DashboardApp, api: Api) -> None:
    for email in ("ann@acme.com", "andy@other.org", "zed@acme.com"):
        dash.sign_up_app_user(email)
    _, by_prefix = await api("GET", "/users", params={"limit": 1000, "email": "an"})
    assert sorted(u["emails"][0] for u in by_prefix["users"]) == ["andy@other.org", "ann@acme.com"]
    _, by_domain = await api("GET", "/users", params={"limit": 1000, "email": "acme"})
    assert sorted(u["emails"][0] for u in by_domain["users"]) == ["ann@acme.com", "zed@acme.com"]
    _, either = await api("GET", "/users", params={"limit": 1000, "email": "zed;andy"})
    assert sorted(u["emails"][0] for u in either["users"]) == ["andy@other.org", "zed@acme.com"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Missing required parameter 'limit'"),
        ({"limit": "ten"}, "Invalid value received for 'limit'"),
        ({"limit": "0"}, "Invalid value received for 'limit'"),
        ({"limit": "10", "timeJoinedOrder": "UP"}, "Invalid value received for 'timeJoinedOrder'"),
        ({"limit": "10", "paginationToken": "not-a-token"}, "invalid pagination token"),
    ],
)
async def test_users_list_with_bad_paging_answers_400(api: Api, params: dict[str, str], message: str) -> None:
    assert await api("GET", "/users", params=params) == (400, {"message": message})


async def test_users_count_and_search_tags(dash: DashboardApp, api: Api) -> None:
    dash.sign_up_app_user("c@example.com")
    assert await api("GET", "/users/count") == (200, {"status": "OK", "count": 1})
    assert await api("GET", "/search/tags") == (200, {"status": "OK", "tags": ["email", "phone", "provider"]})


async def test_user_get_has_names_empty_when_missing(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("g@example.com")
    status, body = await api("GET", "/user", params={"userId": user_id})
    assert status == 200 and body["status"] == "OK"
    assert (body["user"]["id"], body["user"]["firstName"], body["user"]["lastName"]) == (user_id, "", "")
    assert await api("GET", "/user", params={"userId": "nope"}) == (200, {"status": "NO_USER_FOUND_ERROR"})
    assert await api("GET", "/user") == (400, {"message": "Missing required parameter 'userId'"})


def put_body(user_id: str, **fields: str) -> dict[str, str]:
    return {"recipeUserId": user_id, "recipeId": "emailpassword", "firstName": "", "lastName": "", "email": "",
            "phone": "", **fields}


async def test_user_put_changes_names_and_email(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("old@example.com")
    status, body = await api(
        "PUT", "/user", json=put_body(user_id, firstName=" Ada ", lastName="Lovelace", email="new@example.com")
    )
    assert (status, body) == (200, {"status": "OK"})
    _, got = await api("GET", "/user", params={"userId": user_id})
    assert (got["user"]["emails"], got["user"]["firstName"], got["user"]["lastName"]) == (
        ["new@example.com"], "Ada", "Lovelace"
    )


async def test_user_put_refusals_change_nothing(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("one@example.com")
    dash.sign_up_app_user("two@example.com")
    cases = [
        (put_body(user_id, firstName="X", email="not-an-email"), {"status": "INVALID_EMAIL_ERROR",
                                                                  "error": "Email is not valid"}),
        (put_body(user_id, firstName="X", email="two@example.com"), {"status": "EMAIL_ALREADY_EXISTS_ERROR"}),
        (put_body(user_id, firstName="X", phone="+14155550100"), {
            "status": "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR",
            "error": "Phone numbers belong to passwordless login methods, and passwordless is not enabled",
        }),
    ]
    for body, answer in cases:
        assert await api("PUT", "/user", json=body) == (200, answer)
    _, got = await api("GET", "/user", params={"userId": user_id})
    assert (got["user"]["emails"], got["user"]["firstName"]) == (["one@example.com"], "")


@pytest.mark.parametrize("field", ["recipeUserId", "recipeId", "firstName", "lastName", "email", "phone"])
async def test_user_put_needs_every_field_as_a_string(dash: DashboardApp, api: Api, field: str) -> None:
    body: dict[str, Any] = put_body("u")
    body[field] = None
    message = f"Required parameter '{field}' is missing or has an invalid type"
    assert await api("PUT", "/user", json=body) == (400, {"message": message})


async def test_user_put_for_an_unknown_login_method_answers_400(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("lm@example.com")
    assert await api("PUT", "/user", json=put_body("nope")) == (400, {"message": "User not found"})
    assert await api("PUT", "/user", json=put_body(user_id, recipeId="thirdparty")) == (
        400, {"message": "User not found"}
    )


async def test_user_delete_removes_the_user(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("del@example.com")
    assert await api("DELETE", "/user", params={"userId": user_id}) == (200, {"status": "OK"})
    assert await api("GET", "/user", params={"userId": user_id}) == (200, {"status": "NO_USER_FOUND_ERROR"})
    assert await api("DELETE", "/user") == (400, {"message": "Missing required parameter 'userId'"})


async def test_create_emailpassword_user(dash: DashboardApp, api: Api) -> None:
    status, body = await api("POST", "/user/emailpassword", json={"email": "made@example.com", "password": "abcd1234"})
    assert status == 200 and body["status"] == "OK"
    assert body["recipeUserId"] == body["user"]["id"] and body["user"]["emails"] == ["made@example.com"]
    assert await api("POST", "/user/emailpassword", json={"email": "made@example.com", "password": "abcd1234"}) == (
        200, {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    )
    assert await api("POST", "/user/emailpassword", json={"email": "bad", "password": "abcd1234"}) == (
        200, {"status": "EMAIL_VALIDATION_ERROR", "message": "Email is not valid"}
    )
    assert await api("POST", "/user/emailpassword", json={"email": "w@example.com", "password": "short"}) == (
        200,
        {"status": "PASSWORD_VALIDATION_ERROR",
         "message": "Password must contain at least 8 characters, including a number"},
    )
    assert await api("POST", "/user/emailpassword", json={"email": "w@example.com"}) == (
        400, {"message": "Required parameter 'password' is missing or has an invalid type"}
    )
    assert await api("GET", "/users/count") == (200, {"status": "OK", "count": 1})


async def test_passwordless_user_creation_is_not_enabled(api: Api) -> None:
    assert await api("POST", "/user/passwordless", json={"email": "p@example.com"}) == (
        200, {"status": "FEATURE_NOT_ENABLED_ERROR"}
    )


async def test_email_verification_get_put_and_send(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("ev@example.com")
    get = {"params": {"recipeUserId": user_id}}
    assert await api("GET", "/user/email/verify", **get) == (200, {"status": "OK", "isVerified": False})
    assert await api("POST", "/user/email/verify/token", json={"recipeUserId": user_id}) == (200, {"status": "OK"})
    sent = dash.outbox.sent[-1]
    assert sent.user.email == "ev@example.com"
    assert sent.email_verify_link.startswith("http://localhost:3000/auth/verify-email?token=")
    put = {"recipeUserId": user_id, "verified": True}
    assert await api("PUT", "/user/email/verify", json=put) == (200, {"status": "OK"})
    assert await api("GET", "/user/email/verify", **get) == (200, {"status": "OK", "isVerified": True})
    assert await api("POST", "/user/email/verify/token", json={"recipeUserId": user_id}) == (
        200, {"status": "EMAIL_ALREADY_VERIFIED_ERROR"}
    )
    assert await api("PUT", "/user/email/verify", json={**put, "verified": False}) == (200, {"status": "OK"})
    assert await api("GET", "/user/email/verify", **get) == (200, {"status": "OK", "isVerified": False})
    assert await api("PUT", "/user/email/verify", json={"recipeUserId": user_id, "verified": "yes"}) == (
        400, {"message": "Required parameter 'verified' is missing or has an invalid type"}
    )
    assert await api("POST", "/user/email/verify/token", json={"recipeUserId": "nope"}) == (
        400, {"message": "User not found"}
    )


async def test_password_put_sets_a_new_password_under_the_policy(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("pw@example.com")
    assert await api("PUT", "/user/password", json={"recipeUserId": user_id, "newPassword": "weak"}) == (
        200,
        {"status": "INVALID_PASSWORD_ERROR",
         "error": "Password must contain at least 8 characters, including a number"},
    )
    assert await api("PUT", "/user/password", json={"recipeUserId": user_id, "newPassword": "newpass123"}) == (
        200, {"status": "OK"}
    )
    signin = dash.core_client.post("/public/recipe/signin", json={"email": "pw@example.com", "password": "newpass123"})
    assert signin.json()["status"] == "OK"
    assert await api("PUT", "/user/password", json={"recipeUserId": "nope", "newPassword": "newpass123"}) == (
        400, {"message": "User not found"}
    )


async def test_metadata_put_replaces_the_metadata_exactly(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("md@example.com")
    dash.core_client.ok("PUT", "/recipe/user/metadata", json={"userId": user_id, "metadataUpdate": {"a": 1, "b": 2}})
    new = {"b": {"nested": True}, "c": [1, 2]}
    assert await api("PUT", "/user/metadata", json={"userId": user_id, "data": json.dumps(new)}) == (
        200, {"status": "OK"}
    )
    assert await api("GET", "/user/metadata", params={"userId": user_id}) == (200, {"status": "OK", "data": new})


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"data": "{}"}, "Required parameter 'userId' is missing or has an invalid type"),
        ({"userId": "u", "data": {"a": 1}}, "Required parameter 'data' is missing or has an invalid type"),
        ({"userId": "u", "data": "[1]"}, "'data' must be a valid JSON body"),
        ({"userId": "u", "data": "{oops"}, "'data' must be a valid JSON body"),
    ],
)
async def test_metadata_put_with_bad_input_answers_400(api: Api, body: dict[str, Any], message: str) -> None:
    assert await api("PUT", "/user/metadata", json=body) == (400, {"message": message})


async def test_sessions_are_listed_and_revoked(dash: DashboardApp, api: Api) -> None:
    user_id = dash.sign_up_app_user("s@example.com")
    handles = []
    for _ in range(2):
        created = dash.core_client.ok(
            "POST", "/public/recipe/session",
            json={"userId": user_id, "userDataInJWT": {"k": "v"}, "userDataInDatabase": {"d": 1},
                  "enableAntiCsrf": False},
        )
        handles.append(created["session"]["handle"])
    status, body = await api("GET", "/user/sessions", params={"userId": user_id})
    assert status == 200
    assert sorted(s["sessionHandle"] for s in body["sessions"]) == sorted(handles)
    first = body["sessions"][0]
    assert list(first) == ["accessTokenPayload", "expiry", "sessionDataInDatabase", "timeCreated", "userId",
                           "sessionHandle"]
    assert (first["userId"], first["sessionDataInDatabase"]) == (user_id, {"d": 1})
    assert await api("POST", "/user/sessions", json={"sessionHandles": handles[:1]}) == (200, {"status": "OK"})
    _, after = await api("GET", "/user/sessions", params={"userId": user_id})
    assert [s["sessionHandle"] for s in after["sessions"]] == handles[1:]
    assert await api("POST", "/user/sessions", json={"sessionHandles": "all"}) == (
        400, {"message": "Required parameter 'sessionHandles' is missing or has an invalid type"}
    )


async def test_roles_and_permissions(dash: DashboardApp, api: Api) -> None:
    assert await api("PUT", "/userroles/role", json={"role": "editor", "permissions": ["read"]}) == (
        200, {"status": "OK", "createdNewRole": True}
    )
    assert await api("GET", "/userroles/roles") == (200, {"status": "OK", "roles": ["editor"]})
    assert await api("GET", "/userroles/role") == (200, {"status": "OK", "roles": ["editor"]})
    # PUT .../role/permissions adds, as its name says (upstream answers the read of permissions instead).
    assert await api("PUT", "/userroles/role/permissions", json={"role": "editor", "permissions": ["write"]}) == (
        200, {"status": "OK"}
    )
    _, perms = await api("GET", "/userroles/role/permissions", params={"role": "editor"})
    assert sorted(perms["permissions"]) == ["read", "write"]
    assert await api("PUT", "/userroles/role/permissions", json={"role": "ghost", "permissions": ["x"]}) == (
        200, {"status": "UNKNOWN_ROLE_ERROR"}
    )
    assert await api("GET", "/userroles/roles") == (200, {"status": "OK", "roles": ["editor"]})
    remove = {"role": "editor", "permissions": ["read"]}
    assert await api("PUT", "/userroles/role/permissions/remove", json=remove) == (200, {"status": "OK"})
    assert await api("GET", "/userroles/role/permissions", params={"role": "editor"}) == (
        200, {"status": "OK", "permissions": ["write"]}
    )
    assert await api("GET", "/userroles/role/permissions", params={"role": "ghost"}) == (
        200, {"status": "UNKNOWN_ROLE_ERROR"}
    )
    user_id = dash.sign_up_app_user("r@example.com")
    assert await api("PUT", "/userroles/user/roles", json={"userId": user_id, "role": "editor"}) == (
        200, {"status": "OK", "didUserAlreadyHaveRole": False}
    )
    assert await api("PUT", "/userroles/user/roles", json={"userId": user_id, "role": "ghost"}) == (
        200, {"status": "UNKNOWN_ROLE_ERROR"}
    )
    assert await api("GET", "/userroles/user/roles", params={"userId": user_id}) == (
        200, {"status": "OK", "roles": ["editor"]}
    )
    assert await api("DELETE", "/userroles/user/roles", params={"userId": user_id, "role": "editor"}) == (
        200, {"status": "OK", "didUserHaveRole": True}
    )
    assert await api("DELETE", "/userroles/role", params={"role": "editor"}) == (
        200, {"status": "OK", "didRoleExist": True}
    )
    assert await api("PUT", "/userroles/role", json={"role": "x", "permissions": "read"}) == (
        400, {"message": "Required parameter 'permissions' is missing or has an invalid type"}
    )


async def test_tenant_routes_answer_as_without_multitenancy(dash: DashboardApp, api: Api) -> None:
    dash.sign_up_app_user("t@example.com")
    assert await api("GET", "/tenants") == (
        200, {"status": "OK", "tenants": [{"tenantId": "public", "firstFactors": ["emailpassword"]}]}
    )
    status, body = await api("GET", "/tenant")
    assert status == 200 and body["status"] == "OK"
    tenant = body["tenant"]
    assert (tenant["tenantId"], tenant["userCount"], tenant["thirdParty"]) == ("public", 1, {"providers": []})
    assert isinstance(tenant["coreConfig"], list) and tenant["coreConfig"]
    assert await api("GET", "/tenant", tenant="t1") == (200, {"status": "UNKNOWN_TENANT_ERROR"})
    assert await api("POST", "/tenant", json={"tenantId": "t1"}) == (
        200, {"status": "MULTITENANCY_NOT_ENABLED_IN_CORE_ERROR"}
    )
    assert await api("POST", "/tenant", json={}) == (400, {"message": "Missing required parameter 'tenantId'"})
    assert await api("DELETE", "/tenant") == (200, {"status": "CANNOT_DELETE_PUBLIC_TENANT_ERROR"})
    assert await api("PUT", "/tenant/first-factor", json={"factorId": "otp-email", "enable": True}) == (
        200,
        {"status": "RECIPE_NOT_CONFIGURED_ON_BACKEND_SDK_ERROR",
         "message": "Please initialise the recipe that provides 'otp-email' on the backend "
         "(available here: emailpassword)"},
    )
    assert await api("GET", "/thirdparty/config") == (400, {"message": "Please provide thirdPartyId"})


async def test_recipes_that_are_not_initialised_answer_feature_not_enabled(
    core: CoreProcess, app_client: CoreClient
) -> None:
    from authdeck.recipe import dashboard, session

    async with serve(core, app_client, recipes=[session.init(), dashboard.init()], outbox=Outbox()) as app:
        app.create_dashboard_user(ADMIN)
        headers = bearer(await app.sign_in(ADMIN))
        http = app.http()
        off = {"status": "FEATURE_NOT_ENABLED_ERROR"}
        checks = [
            ("GET", "/userroles/roles", {}),
            ("GET", "/userroles/user/roles", {"params": {"userId": "u"}}),
            ("PUT", "/userroles/role", {"json": {"role": "r", "permissions": []}}),
            ("GET", "/user/email/verify", {"params": {"recipeUserId": "u"}}),
            ("PUT", "/user/email/verify", {"json": {"recipeUserId": "u", "verified": True}}),
            ("POST", "/user/email/verify/token", {"json": {"recipeUserId": "u"}}),
            ("PUT", "/user/password", {"json": {"recipeUserId": "u", "newPassword": "abcd1234"}}),
            ("POST", "/user/emailpassword", {"json": {"email": "a@example.com", "password": "abcd1234"}}),
        ]
        for method, path, kwargs in checks:
            reply = await http.request(method, app.api(path), headers=headers, **kwargs)
            assert (path, reply.status_code, reply.json()) == (path, 200, off)
        reply = await http.get(app.api("/tenants"), headers=headers)
        assert reply.json() == {"status": "OK", "tenants": [{"tenantId": "public", "firstFactors": []}]}
