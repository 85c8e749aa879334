"""The general user endpoints: /users paging and search, count, by-accountinfo, user/id, remove, search tags."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import Engine, Table, create_engine, func, insert, select, update

from authdeck.core.storage.tables import (
    app_users,
    email_verification_tokens,
    password_reset_tokens,
    roles,
    sessions,
    tenant_users,
    user_counters,
    user_metadata,
    user_roles,
    verified_emails,
)
from tests._harness.core_process import CoreClient, CoreProcess

PASSWORD = "secret-pass-123"


@pytest.fixture
def db(core: CoreProcess) -> Iterator[Engine]:
    """The core's own database, to arrange rows no endpoint writes yet and to check what was deleted."""
    engine = create_engine(core.database)
    yield engine
    engine.dispose()


def sign_up(client: CoreClient, email: str, tenant: str = "public") -> dict[str, Any]:
    user: dict[str, Any] = client.ok("POST", f"/{tenant}/recipe/signup", json={"email": email, "password": PASSWORD})[
        "user"
    ]
    return user


def list_users(client: CoreClient, tenant: str = "public", **params: Any) -> dict[str, Any]:
    return client.ok("GET", f"/{tenant}/users", params=params)


def ids(reply: dict[str, Any]) -> list[str]:
    return [u["id"] for u in reply["users"]]


def bad_request(client: CoreClient, path: str, params: dict[str, Any] | None = None) -> str:
    reply = client.get(path, params=params)
    assert reply.status_code == 400, reply.text
    return reply.text


def add_tenant(client: CoreClient, tenant_id: str) -> None:
    client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": tenant_id})


# --- pagination -------------------------------------------------------------------------------------------


@pytest.fixture
def many(app_client: CoreClient, db: Engine) -> list[tuple[int, str]]:
    """25 users whose times joined come in groups of three equal values, as (time joined, id)."""
    created = [sign_up(app_client, f"user{i:02}@example.com")["id"] for i in range(25)]
    with db.begin() as conn:
        for i, user_id in enumerate(created):
            joined = 1_000_000 + i // 3
            for table in (app_users, tenant_users):
                conn.execute(
                    update(table)
                    .where(table.c.app_id == app_client.app_id, table.c.user_id == user_id)
                    .values(time_joined=joined)
                )
    return [(1_000_000 + i // 3, user_id) for i, user_id in enumerate(created)]


def walk(client: CoreClient, order: str, limit: int) -> list[list[str]]:
    pages: list[list[str]] = []
    params: dict[str, Any] = {"timeJoinedOrder": order, "limit": limit}
    while True:
        reply = list_users(client, **params)
        pages.append(ids(reply))
        token = reply.get("nextPaginationToken")
        if token is None:
            return pages
        params["paginationToken"] = token


def test_pages_ascending_cover_every_user_once_in_order(app_client: CoreClient, many: list[tuple[int, str]]) -> None:
    pages = walk(app_client, "ASC", 10)
    assert [len(p) for p in pages] == [10, 10, 5]
    expected = [user_id for _, user_id in sorted(many, key=lambda r: (r[0], _desc(r[1])))]
    assert [u for p in pages for u in p] == expected


def test_pages_descending_cover_every_user_once_in_order(app_client: CoreClient, many: list[tuple[int, str]]) -> None:
    pages = walk(app_client, "DESC", 10)
    assert [len(p) for p in pages] == [10, 10, 5]
    expected = [user_id for _, user_id in sorted(many, reverse=True)]
    assert [u for p in pages for u in p] == expected


def _desc(text: str) -> tuple[int, ...]:
    return tuple(-ord(c) for c in text)


def test_next_token_names_the_first_user_of_the_next_page(app_client: CoreClient, many: list[tuple[int, str]]) -> None:
    first = list_users(app_client, limit=4, timeJoinedOrder="DESC")
    token = first["nextPaginationToken"]
    user_id, joined = base64.b64decode(token).decode().split(";")
    second = list_users(app_client, limit=4, timeJoinedOrder="DESC", paginationToken=token)
    assert second["users"][0]["id"] == user_id
    assert second["users"][0]["timeJoined"] == int(joined)


def test_default_order_is_ascending_and_default_limit_100(app_client: CoreClient, many: list[tuple[int, str]]) -> None:
    reply = list_users(app_client)
    assert "nextPaginationToken" not in reply
    assert ids(reply) == [u for p in walk(app_client, "ASC", 10) for u in p]


def test_exact_page_size_gives_no_next_token(app_client: CoreClient, many: list[tuple[int, str]]) -> None:
    assert "nextPaginationToken" not in list_users(app_client, limit=25)
    assert "nextPaginationToken" in list_users(app_client, limit=24)


def test_users_of_other_tenants_are_not_listed(app_client: CoreClient) -> None:
    add_tenant(app_client, "t1")
    mine = sign_up(app_client, "t1@example.com", tenant="t1")
    sign_up(app_client, "public@example.com")
    assert ids(list_users(app_client, tenant="t1")) == [mine["id"]]
    assert mine["tenantIds"] == ["t1"]


def test_include_recipe_ids_filters_by_recipe(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "r@example.com")["id"]
    assert ids(list_users(app_client, includeRecipeIds="emailpassword")) == [user_id]
    assert ids(list_users(app_client, includeRecipeIds="thirdparty,passwordless")) == []
    assert ids(list_users(app_client, includeRecipeIds="thirdparty, emailpassword")) == [user_id]
    assert ids(list_users(app_client, includeRecipeIds="")) == [user_id]
    assert bad_request(app_client, "/public/users", {"includeRecipeIds": "emailpassword,nope"}) == (
        "Unknown recipe ID: nope"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"limit": "0"}, "limit must a positive integer with min value 1"),
        ({"limit": "-3"}, "limit must a positive integer with min value 1"),
        ({"limit": "501"}, "max limit allowed is 500"),
        ({"limit": "100000"}, "max limit allowed is 500"),
        ({"limit": "99999999999999999999999"}, "Field name 'limit' must be an int in the GET request"),
        ({"limit": "abc"}, "Field name 'limit' must be an int in the GET request"),
        ({"limit": "1.5"}, "Field name 'limit' must be an int in the GET request"),
        ({"timeJoinedOrder": "asc"}, "timeJoinedOrder can be either ASC OR DESC"),
        ({"timeJoinedOrder": "NEWEST"}, "timeJoinedOrder can be either ASC OR DESC"),
        ({"paginationToken": base64.b64encode(b"\x8f\x00garbage\xff").decode()}, "invalid pagination token"),
        ({"paginationToken": "not base64 at all!"}, "invalid pagination token"),
        ({"paginationToken": base64.b64encode(b"just-an-id").decode()}, "invalid pagination token"),
        ({"paginationToken": base64.b64encode(b"id;notanumber").decode()}, "invalid pagination token"),
        ({"paginationToken": base64.b64encode(b"id;12;34").decode()}, "invalid pagination token"),
        ({"paginationToken": base64.b64encode(b";12").decode()}, "invalid pagination token"),
        ({"paginationToken": base64.b64encode(b"id;-12").decode()}, "invalid pagination token"),
        ({"paginationToken": base64.b64encode(b"id;99999999999999999999").decode()}, "invalid pagination token"),
        ({"paginationToken": "aWQ7MTI"}, "invalid pagination token"),  # unpadded
    ],
)
def test_bad_list_parameters_are_400(app_client: CoreClient, params: dict[str, str], message: str) -> None:
    sign_up(app_client, "still@example.com")
    assert bad_request(app_client, "/public/users", params) == message
    assert len(list_users(app_client)["users"]) == 1


def test_a_well_formed_token_of_no_user_still_positions_the_page(app_client: CoreClient) -> None:
    first = sign_up(app_client, "a@example.com")
    token = base64.b64encode(f"zzzz;{first['timeJoined']}".encode()).decode()
    assert ids(list_users(app_client, paginationToken=token)) == ids(list_users(app_client))


def test_list_in_unknown_tenant_is_400(app_client: CoreClient) -> None:
    assert bad_request(app_client, "/nosuch/users").startswith("AppId or tenantId not found")


# --- search -----------------------------------------------------------------------------------------------


@pytest.fixture
def people(app_client: CoreClient) -> dict[str, str]:
    emails = ["alice@acme.com", "bob@acme.org", "carol@mail.net", "alan@other.io", "dave@acme-corp.com", "al_x@b.io"]
    return {email: sign_up(app_client, email)["id"] for email in emails}


def search(client: CoreClient, **params: str) -> set[str]:
    reply = list_users(client, **params)
    assert "nextPaginationToken" not in reply
    return {u["emails"][0] for u in reply["users"]}


def test_search_by_email_prefix(app_client: CoreClient, people: dict[str, str]) -> None:
    assert search(app_client, email="al") == {"alice@acme.com", "alan@other.io", "al_x@b.io"}
    assert search(app_client, email="alice@acme.com") == {"alice@acme.com"}


def test_search_by_domain_prefix(app_client: CoreClient, people: dict[str, str]) -> None:
    assert search(app_client, email="acme") == {"alice@acme.com", "bob@acme.org", "dave@acme-corp.com"}
    assert search(app_client, email="acme.") == {"alice@acme.com", "bob@acme.org"}
    assert search(app_client, email="mail.net") == {"carol@mail.net"}


def test_search_terms_are_trimmed_lowercased_and_ored(app_client: CoreClient, people: dict[str, str]) -> None:
    assert search(app_client, email=" BOB ; carol;;  ") == {"bob@acme.org", "carol@mail.net"}
    assert search(app_client, email="Other.IO;bob") == {"alan@other.io", "bob@acme.org"}


def test_search_takes_wildcards_literally(app_client: CoreClient, people: dict[str, str]) -> None:
    assert search(app_client, email="al_") == {"al_x@b.io"}
    assert search(app_client, email="%") == set()


def test_search_ignores_limit_and_is_ordered_by_time_joined(app_client: CoreClient, people: dict[str, str]) -> None:
    matching = {
        people[e] for e in ["alice@acme.com", "bob@acme.org", "alan@other.io", "dave@acme-corp.com", "al_x@b.io"]
    }
    for order in ("ASC", "DESC"):
        users = list_users(app_client, email="a", limit=1, timeJoinedOrder=order)["users"]
        assert {u["id"] for u in users} == matching
        joined = [u["timeJoined"] for u in users]
        assert joined == sorted(joined, reverse=order == "DESC")


def test_search_with_phone_or_provider_finds_no_emailpassword_user(
    app_client: CoreClient, people: dict[str, str]
) -> None:
    assert search(app_client, phone="+1") == set()
    assert search(app_client, provider="google") == set()
    assert search(app_client, email="alice", phone="+1") == set()


def test_search_with_only_empty_terms_lists_normally(app_client: CoreClient, people: dict[str, str]) -> None:
    assert len(list_users(app_client, email=" ; ")["users"]) == len(people)


def test_search_is_per_tenant(app_client: CoreClient, people: dict[str, str]) -> None:
    add_tenant(app_client, "t1")
    sign_up(app_client, "alice@acme.com", tenant="t1")
    assert search(app_client, tenant="t1", email="acme") == {"alice@acme.com"}


def test_search_respects_include_recipe_ids(app_client: CoreClient, people: dict[str, str]) -> None:
    assert search(app_client, email="alice", includeRecipeIds="thirdparty") == set()
    assert search(app_client, email="alice", includeRecipeIds="emailpassword") == {"alice@acme.com"}


def test_search_tags(app_client: CoreClient) -> None:
    assert app_client.ok("GET", "/user/search/tags") == {"status": "OK", "tags": ["email", "phone", "provider"]}


# --- count ------------------------------------------------------------------------------------------------


def count(client: CoreClient, tenant: str = "public", **params: str) -> int:
    return int(client.ok("GET", f"/{tenant}/users/count", params=params)["count"])


def test_count_per_tenant_and_for_the_whole_app(app_client: CoreClient) -> None:
    add_tenant(app_client, "t1")
    assert count(app_client) == 0
    for i in range(3):
        sign_up(app_client, f"p{i}@example.com")
    sign_up(app_client, "p0@example.com", tenant="t1")
    assert count(app_client) == 3
    assert count(app_client, tenant="t1") == 1
    assert count(app_client, includeAllTenants="true") == 4
    assert count(app_client, includeAllTenants="TRUE", includeRecipeIds="") == 4
    assert count(app_client, includeAllTenants="false") == 3
    assert count(app_client, includeRecipeIds="emailpassword") == 3
    assert count(app_client, includeRecipeIds="thirdparty") == 0
    assert count(app_client, includeAllTenants="true", includeRecipeIds="thirdparty,emailpassword") == 4


def test_count_with_bad_parameters_is_400(app_client: CoreClient) -> None:
    assert bad_request(app_client, "/public/users/count", {"includeRecipeIds": "x"}) == "Unknown recipe ID: x"
    bad_request(app_client, "/public/users/count", {"includeAllTenants": "yes"})


def test_count_of_all_tenants_through_a_non_public_tenant_is_403(app_client: CoreClient) -> None:
    add_tenant(app_client, "t1")
    assert app_client.get("/t1/users/count", params={"includeAllTenants": "true"}).status_code == 403


def test_counters_stay_exact_under_concurrent_removals(app_client: CoreClient) -> None:
    users = [sign_up(app_client, f"r{i}@example.com")["id"] for i in range(6)]
    # Each user removed three times at once: only one removal may count.
    with ThreadPoolExecutor(9) as pool:
        list(pool.map(lambda u: app_client.ok("POST", "/user/remove", json={"userId": u}), users * 3))
    assert count(app_client) == 0
    assert count(app_client, includeAllTenants="true") == 0


# --- user/id and by-accountinfo ---------------------------------------------------------------------------


def test_get_user_by_id(app_client: CoreClient) -> None:
    user = sign_up(app_client, "id@example.com")
    assert app_client.ok("GET", "/user/id", params={"userId": user["id"]}) == {"status": "OK", "user": user}
    assert app_client.get("/user/id", params={"userId": "nope"}).json() == {"status": "UNKNOWN_USER_ID_ERROR"}
    assert bad_request(app_client, "/user/id") == "Field name 'userId' is missing in GET request"
    assert bad_request(app_client, "/user/id", {"userId": " "}) == "Field name 'userId' cannot be an empty String"


def test_get_user_by_id_through_a_non_public_tenant_is_403(app_client: CoreClient) -> None:
    add_tenant(app_client, "t1")
    reply = app_client.get("/t1/user/id", params={"userId": "x"})
    assert reply.status_code == 403
    assert reply.text == "Only public tenantId can call this app specific API"


def by_account(client: CoreClient, tenant: str = "public", **params: str) -> list[str]:
    return ids(client.ok("GET", f"/{tenant}/users/by-accountinfo", params=params))


def test_users_by_account_info_matches_the_normalised_email(app_client: CoreClient) -> None:
    add_tenant(app_client, "t1")
    user = sign_up(app_client, "acc@example.com")
    sign_up(app_client, "acc@example.com", tenant="t1")
    assert by_account(app_client, email=" ACC@Example.com", doUnionOfAccountInfo="false") == [user["id"]]
    assert by_account(app_client, email="other@example.com", doUnionOfAccountInfo="true") == []
    assert by_account(app_client, doUnionOfAccountInfo="true") == []
    reply = app_client.ok(
        "GET", "/public/users/by-accountinfo", params={"email": "acc@example.com", "doUnionOfAccountInfo": "true"}
    )
    assert reply == {"status": "OK", "users": [user]}


def test_account_info_of_other_recipes_matches_nobody(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "acc@example.com")["id"]
    email = "acc@example.com"
    assert by_account(app_client, email=email, phoneNumber="+14155550100", doUnionOfAccountInfo="true") == [user_id]
    assert by_account(app_client, email=email, phoneNumber="+14155550100", doUnionOfAccountInfo="false") == []
    tp = {"thirdPartyId": "google", "thirdPartyUserId": "1"}
    assert by_account(app_client, email=email, doUnionOfAccountInfo="true", **tp) == [user_id]
    assert by_account(app_client, email=email, doUnionOfAccountInfo="false", **tp) == []
    assert by_account(app_client, phoneNumber="+14155550100", doUnionOfAccountInfo="true") == []


@pytest.mark.parametrize(
    "params",
    [
        {"email": "a@b.com"},
        {"email": "a@b.com", "doUnionOfAccountInfo": ""},
        {"email": "a@b.com", "doUnionOfAccountInfo": "yes"},
        {"email": "a@b.com", "doUnionOfAccountInfo": "TRUE"},
        {"email": "a@b.com", "doUnionOfAccountInfo": "true", "thirdPartyId": "google"},
        {"email": "a@b.com", "doUnionOfAccountInfo": "true", "thirdPartyUserId": "1"},
    ],
)
def test_users_by_account_info_with_bad_parameters_is_400(app_client: CoreClient, params: dict[str, str]) -> None:
    bad_request(app_client, "/public/users/by-accountinfo", params)


# --- remove -----------------------------------------------------------------------------------------------


def rows_of(db: Engine, table: Table, app_id: str, user_id: str) -> int:
    with db.connect() as conn:
        query = select(func.count()).select_from(table).where(table.c.app_id == app_id, table.c.user_id == user_id)
        return int(conn.execute(query).scalar_one())


def give_other_recipes_rows(db: Engine, app_id: str, user_id: str, email: str) -> None:
    """Rows that metadata, roles, sessions and email verification keep for a user, as those recipes write them."""
    with db.begin() as conn:
        conn.execute(insert(user_metadata).values(app_id=app_id, user_id=user_id, metadata='{"a": 1}'))
        if conn.execute(select(roles.c.role).where(roles.c.app_id == app_id)).first() is None:
            conn.execute(insert(roles).values(app_id=app_id, role="admin"))
        conn.execute(insert(user_roles).values(app_id=app_id, tenant_id="public", user_id=user_id, role="admin"))
        conn.execute(insert(verified_emails).values(app_id=app_id, user_id=user_id, email=email))
        conn.execute(
            insert(email_verification_tokens).values(
                app_id=app_id,
                tenant_id="public",
                token_hash=f"h-{user_id}",
                user_id=user_id,
                email=email,
                token_expiry=2**40,
            )
        )
        conn.execute(
            insert(sessions).values(
                app_id=app_id,
                tenant_id="public",
                session_handle=f"s-{user_id}",
                user_id=user_id,
                refresh_token_hash_2="r",
                session_data="{}",
                jwt_user_payload="{}",
                use_static_key=False,
                created_at=1,
                expires_at=2**40,
            )
        )


OTHER_TABLES = (user_metadata, user_roles, verified_emails, email_verification_tokens, sessions, password_reset_tokens)


def test_remove_deletes_the_user_and_every_recipes_rows(app_client: CoreClient, db: Engine) -> None:
    app = app_client.app_id
    gone = sign_up(app_client, "gone@example.com")["id"]
    kept = sign_up(app_client, "kept@example.com")["id"]
    for user_id, email in ((gone, "gone@example.com"), (kept, "kept@example.com")):
        give_other_recipes_rows(db, app, user_id, email)
        app_client.ok("POST", "/public/recipe/user/password/reset/token", json={"userId": user_id, "email": email})
    assert all(rows_of(db, t, app, gone) == 1 for t in OTHER_TABLES)

    assert app_client.ok("POST", "/user/remove", json={"userId": gone}) == {"status": "OK"}

    assert app_client.get("/user/id", params={"userId": gone}).json()["status"] == "UNKNOWN_USER_ID_ERROR"
    assert {t.name: rows_of(db, t, app, gone) for t in (*OTHER_TABLES, app_users, tenant_users)} == dict.fromkeys(
        (t.name for t in (*OTHER_TABLES, app_users, tenant_users)), 0
    )
    assert all(rows_of(db, t, app, kept) == 1 for t in OTHER_TABLES)
    assert ids(list_users(app_client)) == [kept]
    assert count(app_client) == 1 and count(app_client, includeAllTenants="true") == 1
    assert search(app_client, email="gone") == set()
    reply = app_client.post("/public/recipe/signin", json={"email": "gone@example.com", "password": PASSWORD})
    assert reply.json()["status"] == "WRONG_CREDENTIALS_ERROR"
    # The email is free again.
    sign_up(app_client, "gone@example.com")


def test_remove_decrements_the_counters_of_every_tenant_of_the_user(app_client: CoreClient, db: Engine) -> None:
    add_tenant(app_client, "t1")
    user = sign_up(app_client, "two-tenants@example.com")
    with db.begin() as conn:
        conn.execute(
            insert(tenant_users).values(
                app_id=app_client.app_id,
                tenant_id="t1",
                user_id=user["id"],
                recipe_id="emailpassword",
                time_joined=user["timeJoined"],
            )
        )
        conn.execute(
            insert(user_counters).values(app_id=app_client.app_id, tenant_id="t1", recipe_id="emailpassword", count=1)
        )
    assert count(app_client, tenant="t1") == 1
    app_client.ok("POST", "/user/remove", json={"userId": user["id"], "removeAllLinkedAccounts": False})
    assert (count(app_client), count(app_client, tenant="t1"), count(app_client, includeAllTenants="true")) == (0, 0, 0)


def test_removing_an_unknown_user_is_ok_and_changes_no_count(app_client: CoreClient) -> None:
    sign_up(app_client, "stay@example.com")
    assert app_client.ok("POST", "/user/remove", json={"userId": "no-such-user"}) == {"status": "OK"}
    assert count(app_client) == 1 and count(app_client, includeAllTenants="true") == 1


def test_removing_an_id_that_is_not_a_user_still_deletes_its_other_rows(app_client: CoreClient, db: Engine) -> None:
    give_other_recipes_rows(db, app_client.app_id, "external-id", "x@example.com")
    app_client.ok("POST", "/user/remove", json={"userId": "external-id"})
    assert rows_of(db, user_metadata, app_client.app_id, "external-id") == 0
    assert rows_of(db, sessions, app_client.app_id, "external-id") == 0


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"userId": None},
        {"userId": 5},
        {"userId": ""},
        {"userId": "ID", "removeAllLinkedAccounts": "yes"},
        {"userId": "ID", "removeAllLinkedAccounts": None},
    ],
)
def test_remove_with_bad_input_is_400_and_removes_nothing(app_client: CoreClient, body: dict[str, Any]) -> None:
    user_id = sign_up(app_client, "safe@example.com")["id"]
    if body.get("userId") == "ID":
        body = {**body, "userId": user_id}
    assert app_client.post("/user/remove", json=body).status_code == 400
    assert app_client.ok("GET", "/user/id", params={"userId": user_id})["user"]["id"] == user_id
    assert count(app_client) == 1


def test_remove_with_malformed_json_is_400(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "safe@example.com")["id"]
    reply = app_client.post(
        "/user/remove", content=b'{"userId": "' + user_id.encode(), headers={"content-type": "application/json"}
    )
    assert reply.status_code == 400
    assert count(app_client) == 1


def test_remove_through_a_non_public_tenant_is_403(app_client: CoreClient) -> None:
    add_tenant(app_client, "t1")
    user_id = sign_up(app_client, "t1user@example.com", tenant="t1")["id"]
    assert app_client.post("/t1/user/remove", json={"userId": user_id}).status_code == 403
    assert count(app_client, tenant="t1") == 1
