"""The emailpassword recipe through the CDI: sign-up, sign-in, reset tokens, PUT /recipe/user, hash import."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import bcrypt
import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, create_engine, insert, select

from authdeck.core import app as core_app
from authdeck.core import jobs
from authdeck.core.config import load_settings
from authdeck.core.state import CoreState
from authdeck.core.storage.tables import (
    emailpassword_user_to_tenant,
    emailpassword_users,
    password_reset_tokens,
    tenant_users,
    verified_emails,
)
from tests._harness.core_process import CoreClient, CoreProcess

PASSWORD = "secret-pass-123"


@pytest.fixture
def db(core: CoreProcess) -> Iterator[Engine]:
    """The core's own database, to check what was (not) written."""
    engine = create_engine(core.database)
    yield engine
    engine.dispose()


def sign_up(client: CoreClient, email: str, password: str = PASSWORD, tenant: str = "public") -> dict[str, Any]:
    return client.ok("POST", f"/{tenant}/recipe/signup", json={"email": email, "password": password})


def count(client: CoreClient, tenant: str = "public") -> int:
    return int(client.ok("GET", f"/{tenant}/users/count")["count"])


def post_status(client: CoreClient, path: str, body: dict[str, Any]) -> str:
    reply = client.post(path, json=body)
    assert reply.status_code == 200, reply.text
    return str(reply.json()["status"])


# --- sign-up ----------------------------------------------------------------------------------------------


def test_signup_returns_the_user_object_with_normalised_email(app_client: CoreClient) -> None:
    before = int(time.time() * 1000)
    body = sign_up(app_client, "  Alice@Example.COM ")
    user = body["user"]
    assert set(body) == {"status", "user", "recipeUserId"}
    assert body["recipeUserId"] == user["id"]
    assert len(user["id"]) == 36 and user["id"][14] == "4"  # a UUID v4
    assert before <= user["timeJoined"] <= int(time.time() * 1000)
    assert user == {
        "id": user["id"],
        "isPrimaryUser": False,
        "tenantIds": ["public"],
        "emails": ["alice@example.com"],
        "phoneNumbers": [],
        "thirdParty": [],
        "webauthn": {"credentialIds": []},
        "loginMethods": [
            {
                "recipeId": "emailpassword",
                "recipeUserId": user["id"],
                "tenantIds": ["public"],
                "timeJoined": user["timeJoined"],
                "verified": False,
                "email": "alice@example.com",
            }
        ],
        "timeJoined": user["timeJoined"],
    }


def test_signup_stores_a_hash_never_the_password(app_client: CoreClient, db: Engine) -> None:
    user_id = sign_up(app_client, "hash@example.com")["user"]["id"]
    with db.connect() as conn:
        stored = conn.execute(
            select(emailpassword_users.c.password_hash).where(
                emailpassword_users.c.app_id == app_client.app_id, emailpassword_users.c.user_id == user_id
            )
        ).scalar_one()
    assert stored.startswith("$2a$") and PASSWORD not in stored


def test_signup_with_taken_email_returns_email_already_exists_and_adds_nobody(app_client: CoreClient) -> None:
    sign_up(app_client, "dup@example.com")
    assert post_status(app_client, "/public/recipe/signup", {"email": " DUP@example.com", "password": "x"}) == (
        "EMAIL_ALREADY_EXISTS_ERROR"
    )
    assert count(app_client) == 1


def test_same_email_may_sign_up_in_two_tenants(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    first = sign_up(app_client, "both@example.com")["user"]["id"]
    second = sign_up(app_client, "both@example.com", tenant="t1")["user"]
    assert second["id"] != first and second["tenantIds"] == ["t1"]
    assert count(app_client, "t1") == 1
    assert app_client.ok("GET", "/users/count?includeAllTenants=true")["count"] == 2


def test_concurrent_signups_with_one_email_create_exactly_one_user(app_client: CoreClient) -> None:
    body = {"email": "race@example.com", "password": PASSWORD}
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: post_status(app_client, "/public/recipe/signup", body), range(8)))
    assert statuses.count("OK") == 1
    assert statuses.count("EMAIL_ALREADY_EXISTS_ERROR") == 7
    assert count(app_client) == 1


def test_concurrent_signups_keep_counters_exact(app_client: CoreClient) -> None:
    def one(i: int) -> str:
        return post_status(app_client, "/public/recipe/signup", {"email": f"c{i}@example.com", "password": "p1"})

    with ThreadPoolExecutor(10) as pool:
        assert set(pool.map(one, range(30))) == {"OK"}
    assert count(app_client) == 30
    assert app_client.ok("GET", "/users/count?includeAllTenants=true")["count"] == 30


def test_signup_with_empty_password_is_400(app_client: CoreClient) -> None:
    reply = app_client.post("/public/recipe/signup", json={"email": "e@example.com", "password": ""})
    assert reply.status_code == 400
    assert reply.text == "Password cannot be an empty string"
    assert count(app_client) == 0


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"password": PASSWORD}, "Field name 'email' is invalid in JSON input"),
        ({"email": None, "password": PASSWORD}, "Field name 'email' is invalid in JSON input"),
        ({"email": 5, "password": PASSWORD}, "Field name 'email' is invalid in JSON input"),
        ({"email": ["a@b.com"], "password": PASSWORD}, "Field name 'email' is invalid in JSON input"),
        ({"email": "   ", "password": PASSWORD}, "Field name 'email' cannot be an empty String"),
        ({"email": "a@b.com"}, "Field name 'password' is invalid in JSON input"),
        ({"email": "a@b.com", "password": None}, "Field name 'password' is invalid in JSON input"),
        ({"email": "a@b.com", "password": 12345678}, "Field name 'password' is invalid in JSON input"),
        ({"email": "a" * 251 + "@b.com", "password": PASSWORD}, None),
    ],
)
def test_signup_with_bad_input_is_400_and_creates_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str | None
) -> None:
    reply = app_client.post("/public/recipe/signup", json=body)
    assert reply.status_code == 400
    if message is None:
        assert "too long" in reply.text
    else:
        assert reply.text == message
    assert count(app_client) == 0


def test_signup_with_malformed_json_is_400_and_creates_nothing(app_client: CoreClient) -> None:
    reply = app_client.post(
        "/public/recipe/signup",
        content=b'{"email": "a@b.com", "password":',
        headers={"content-type": "application/json"},
    )
    assert reply.status_code == 400
    assert reply.text == "Invalid Json Input"
    assert count(app_client) == 0


def test_signup_in_unknown_tenant_is_400(app_client: CoreClient) -> None:
    reply = app_client.post("/nosuch/recipe/signup", json={"email": "a@b.com", "password": PASSWORD})
    assert reply.status_code == 400
    assert reply.text.startswith("AppId or tenantId not found")
    assert count(app_client) == 0


@pytest.mark.parametrize("email", ["x@stfakeemail.supertokens.com", "someone@user.fakeemail.com"])
def test_signup_with_fake_email_is_verified(app_client: CoreClient, db: Engine, email: str) -> None:
    user = sign_up(app_client, email)["user"]
    assert user["loginMethods"][0]["verified"] is True
    with db.connect() as conn:
        rows = conn.execute(
            select(verified_emails.c.email).where(
                verified_emails.c.app_id == app_client.app_id, verified_emails.c.user_id == user["id"]
            )
        ).all()
    assert [r.email for r in rows] == [email]


def test_signup_with_real_looking_email_is_not_verified(app_client: CoreClient) -> None:
    assert sign_up(app_client, "x@fakeemail.community")["user"]["loginMethods"][0]["verified"] is False


def test_signup_writes_the_tenant_rows_with_the_email_domain(app_client: CoreClient, db: Engine) -> None:
    user_id = sign_up(app_client, "d@Sub.Example.org")["user"]["id"]
    with db.connect() as conn:
        row = conn.execute(
            select(emailpassword_user_to_tenant).where(emailpassword_user_to_tenant.c.app_id == app_client.app_id)
        ).one()
    assert (row.tenant_id, row.user_id, row.email, row.email_domain) == (
        "public",
        user_id,
        "d@sub.example.org",
        "sub.example.org",
    )


# --- sign-in ----------------------------------------------------------------------------------------------


def test_signin_with_right_password_returns_the_user(app_client: CoreClient) -> None:
    created = sign_up(app_client, "in@example.com")
    body = app_client.ok("POST", "/public/recipe/signin", json={"email": " IN@example.com ", "password": PASSWORD})
    assert body["user"] == created["user"]
    assert body["recipeUserId"] == created["user"]["id"]


def test_signin_with_wrong_password_returns_wrong_credentials(app_client: CoreClient) -> None:
    sign_up(app_client, "in@example.com")
    body = {"email": "in@example.com", "password": PASSWORD + "x"}
    assert post_status(app_client, "/public/recipe/signin", body) == "WRONG_CREDENTIALS_ERROR"


def test_signin_with_unknown_email_returns_wrong_credentials(app_client: CoreClient) -> None:
    body = {"email": "nobody@example.com", "password": PASSWORD}
    assert app_client.post("/public/recipe/signin", json=body).json() == {"status": "WRONG_CREDENTIALS_ERROR"}


def test_signin_does_not_trim_the_password(app_client: CoreClient) -> None:
    sign_up(app_client, "sp@example.com", password=" padded ")
    assert post_status(app_client, "/public/recipe/signin", {"email": "sp@example.com", "password": "padded"}) == (
        "WRONG_CREDENTIALS_ERROR"
    )
    app_client.ok("POST", "/public/recipe/signin", json={"email": "sp@example.com", "password": " padded "})


def test_signin_is_per_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    sign_up(app_client, "only-public@example.com")
    body = {"email": "only-public@example.com", "password": PASSWORD}
    assert post_status(app_client, "/t1/recipe/signin", body) == "WRONG_CREDENTIALS_ERROR"


def test_signin_with_empty_password_is_400(app_client: CoreClient) -> None:
    reply = app_client.post("/public/recipe/signin", json={"email": "a@b.com", "password": ""})
    assert reply.status_code == 400
    assert reply.text == "Password cannot be an empty string"


# --- reset-password tokens --------------------------------------------------------------------------------


def reset_token(client: CoreClient, user_id: str, email: str, tenant: str = "public") -> str:
    body = client.ok("POST", f"/{tenant}/recipe/user/password/reset/token", json={"userId": user_id, "email": email})
    return str(body["token"])


def consume(client: CoreClient, token: str) -> dict[str, Any]:
    reply = client.post("/public/recipe/user/password/reset/token/consume", json={"token": token})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def test_reset_token_is_consumed_once(app_client: CoreClient, db: Engine) -> None:
    user_id = sign_up(app_client, "reset@example.com")["user"]["id"]
    token = reset_token(app_client, user_id, " Reset@Example.com")
    assert len(token) >= 40
    with db.connect() as conn:
        stored = conn.execute(
            select(password_reset_tokens.c.token_hash).where(password_reset_tokens.c.app_id == app_client.app_id)
        ).scalar_one()
    assert stored == hashlib.sha256(token.encode()).hexdigest()
    assert consume(app_client, token) == {"status": "OK", "userId": user_id, "email": "reset@example.com"}
    assert consume(app_client, token) == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}


def test_consuming_one_reset_token_spends_the_users_others(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "two@example.com")["user"]["id"]
    first = reset_token(app_client, user_id, "two@example.com")
    second = reset_token(app_client, user_id, "two@example.com")
    assert first != second
    assert consume(app_client, second)["status"] == "OK"
    assert consume(app_client, first)["status"] == "RESET_PASSWORD_INVALID_TOKEN_ERROR"


def test_reset_token_for_unknown_user_is_unknown_user_id(app_client: CoreClient) -> None:
    body = {"userId": "no-such-user", "email": "a@b.com"}
    assert post_status(app_client, "/public/recipe/user/password/reset/token", body) == "UNKNOWN_USER_ID_ERROR"


def test_unknown_reset_token_is_invalid(app_client: CoreClient) -> None:
    assert consume(app_client, "not-a-token") == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}


def test_expired_reset_token_is_invalid(core: CoreProcess) -> None:
    with core.new_app({"password_reset_token_lifetime": 1}) as client:
        user_id = sign_up(client, "late@example.com")["user"]["id"]
        token = reset_token(client, user_id, "late@example.com")
        time.sleep(0.01)
        assert consume(client, token) == {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}


@pytest.mark.parametrize("body", [{}, {"token": None}, {"token": 5}, {"token": ""}, {"token": " "}, {"token": ["t"]}])
def test_consume_with_bad_input_is_400_and_keeps_tokens(app_client: CoreClient, body: dict[str, Any]) -> None:
    user_id = sign_up(app_client, "keep@example.com")["user"]["id"]
    token = reset_token(app_client, user_id, "keep@example.com")
    assert app_client.post("/public/recipe/user/password/reset/token/consume", json=body).status_code == 400
    assert consume(app_client, token)["status"] == "OK"


@pytest.mark.parametrize(
    "body",
    [{"email": "a@b.com"}, {"userId": "u"}, {"userId": None, "email": "a@b.com"}, {"userId": "u", "email": 3}],
)
def test_reset_token_with_bad_input_is_400(app_client: CoreClient, body: dict[str, Any]) -> None:
    assert app_client.post("/public/recipe/user/password/reset/token", json=body).status_code == 400


def test_purge_deletes_expired_reset_tokens_only(core: CoreProcess, db: Engine) -> None:
    with core.new_app({"password_reset_token_lifetime": 1}) as short, core.new_app() as normal:
        expired_user = sign_up(short, "old@example.com")["user"]["id"]
        reset_token(short, expired_user, "old@example.com")
        live_user = sign_up(normal, "new@example.com")["user"]["id"]
        live = reset_token(normal, live_user, "new@example.com")
        time.sleep(0.01)
        assert core_app.all_routes()  # importing the app registers every recipe's purge, as in the core
        state = CoreState.from_settings(load_settings(overrides={"database": core.database}))
        try:
            done = jobs.purge_once(state, force=True)
        finally:
            state.engine.dispose()
        assert done["password_reset_tokens"] >= 1
        with db.connect() as conn:
            apps_left = conn.execute(select(password_reset_tokens.c.app_id)).scalars().all()
        assert short.app_id not in apps_left
        assert consume(normal, live)["status"] == "OK"


# --- PUT /recipe/user -------------------------------------------------------------------------------------


def put_user(client: CoreClient, body: dict[str, Any]) -> dict[str, Any]:
    reply = client.put("/recipe/user", json=body)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def signs_in(client: CoreClient, email: str, password: str = PASSWORD, tenant: str = "public") -> bool:
    return post_status(client, f"/{tenant}/recipe/signin", {"email": email, "password": password}) == "OK"


def test_put_user_changes_email_and_password(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "old@example.com")["user"]["id"]
    assert put_user(app_client, {"recipeUserId": user_id, "email": " New@Example.com"}) == {"status": "OK"}
    assert not signs_in(app_client, "old@example.com")
    assert signs_in(app_client, "new@example.com")
    assert put_user(app_client, {"recipeUserId": user_id, "password": "another-1"}) == {"status": "OK"}
    assert not signs_in(app_client, "new@example.com")
    assert signs_in(app_client, "new@example.com", "another-1")
    user = app_client.ok("GET", f"/user/id?userId={user_id}")["user"]
    assert user["emails"] == ["new@example.com"]
    found = app_client.ok("GET", "/public/users", params={"email": "new@exa"})["users"]
    assert [u["id"] for u in found] == [user_id]


def test_put_user_changes_the_email_in_every_tenant_of_the_user(app_client: CoreClient, db: Engine) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    user = sign_up(app_client, "multi@example.com")["user"]
    # No CDI endpoint here adds a user to a second tenant yet, so the rows are written as that would.
    with db.begin() as conn:
        base = {"app_id": app_client.app_id, "tenant_id": "t1", "user_id": user["id"]}
        conn.execute(insert(tenant_users).values(**base, recipe_id="emailpassword", time_joined=user["timeJoined"]))
        conn.execute(
            insert(emailpassword_user_to_tenant).values(**base, email="multi@example.com", email_domain="example.com")
        )
    put_user(app_client, {"recipeUserId": user["id"], "email": "moved@example.org"})
    assert signs_in(app_client, "moved@example.org", tenant="t1")
    assert signs_in(app_client, "moved@example.org")
    assert [u["id"] for u in app_client.ok("GET", "/t1/users?email=example.org")["users"]] == [user["id"]]


def test_put_user_with_taken_email_returns_email_already_exists(app_client: CoreClient) -> None:
    sign_up(app_client, "taken@example.com")
    user_id = sign_up(app_client, "mine@example.com")["user"]["id"]
    reply = put_user(app_client, {"recipeUserId": user_id, "email": "TAKEN@example.com", "password": "changed-1"})
    assert reply == {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    assert signs_in(app_client, "mine@example.com")  # the password did not change either


def test_put_user_with_own_email_is_ok(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "same@example.com")["user"]["id"]
    assert put_user(app_client, {"recipeUserId": user_id, "email": "same@example.com"}) == {"status": "OK"}


def test_put_user_for_unknown_user_is_unknown_user_id(app_client: CoreClient) -> None:
    assert put_user(app_client, {"recipeUserId": "nope", "password": "x"}) == {"status": "UNKNOWN_USER_ID_ERROR"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"recipeUserId": "ID"}, "You have to provide either email or password."),
        ({"recipeUserId": "ID", "password": ""}, "Password cannot be an empty string"),
        ({"recipeUserId": "ID", "email": None}, "Field name 'email' is invalid in JSON input"),
        ({"recipeUserId": "ID", "email": ""}, "Field name 'email' cannot be an empty String"),
        ({"recipeUserId": "ID", "password": 5}, "Field name 'password' is invalid in JSON input"),
        ({"recipeUserId": None, "password": "x"}, "Field name 'recipeUserId' is invalid in JSON input"),
        ({"password": "x"}, "Field name 'recipeUserId' is invalid in JSON input"),
    ],
)
def test_put_user_with_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, body: dict[str, Any], message: str
) -> None:
    user_id = sign_up(app_client, "keep@example.com")["user"]["id"]
    if body.get("recipeUserId") == "ID":
        body = {**body, "recipeUserId": user_id}
    reply = app_client.put("/recipe/user", json=body)
    assert reply.status_code == 400
    assert reply.text == message
    assert signs_in(app_client, "keep@example.com")


def test_put_user_through_a_non_public_tenant_is_403(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    user_id = sign_up(app_client, "t@example.com")["user"]["id"]
    reply = app_client.put("/t1/recipe/user", json={"recipeUserId": user_id, "password": "changed-1"})
    assert reply.status_code == 403
    assert signs_in(app_client, "t@example.com")


# --- password-hash import ---------------------------------------------------------------------------------


def import_hash(client: CoreClient, body: dict[str, Any]) -> dict[str, Any]:
    return client.ok("POST", "/public/recipe/user/passwordhash/import", json=body)


@pytest.mark.parametrize("prefix", [b"2a", b"2b"])
def test_imported_bcrypt_hash_signs_in(app_client: CoreClient, prefix: bytes) -> None:
    hashed = bcrypt.hashpw(b"imported-1", bcrypt.gensalt(rounds=4, prefix=prefix)).decode()
    body = import_hash(app_client, {"email": "Imp@example.com", "passwordHash": hashed})
    assert body["didUserAlreadyExist"] is False
    assert body["user"]["emails"] == ["imp@example.com"]
    assert signs_in(app_client, "imp@example.com", "imported-1")


def test_imported_argon2_hash_signs_in(app_client: CoreClient) -> None:
    hashed = PasswordHasher(memory_cost=1024, time_cost=1).hash("imported-2")
    import_hash(app_client, {"email": "argon@example.com", "passwordHash": hashed, "hashingAlgorithm": "ARGON2"})
    assert signs_in(app_client, "argon@example.com", "imported-2")


def test_importing_a_hash_for_an_existing_email_replaces_the_password(app_client: CoreClient) -> None:
    user_id = sign_up(app_client, "exists@example.com")["user"]["id"]
    hashed = bcrypt.hashpw(b"replaced-1", bcrypt.gensalt(rounds=4)).decode()
    body = import_hash(
        app_client, {"email": "exists@example.com", "passwordHash": hashed, "hashingAlgorithm": "BCRYPT"}
    )
    assert body["didUserAlreadyExist"] is True
    assert body["user"]["id"] == user_id
    assert not signs_in(app_client, "exists@example.com")
    assert signs_in(app_client, "exists@example.com", "replaced-1")
    assert count(app_client) == 1


@pytest.mark.parametrize(
    ("hashed", "algorithm", "expected"),
    [
        ("plain-text-password", None, "Password hash is in invalid format"),
        ("$2a$04$tooshort", None, "Password hash is in invalid format"),
        ("$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g", "BCRYPT", "Password hash is in invalid format"),
        ("$2a$04$" + "a" * 53, "ARGON2", "Password hash is in invalid format"),
        ("$2a$04$" + "a" * 53, "FIREBASE_SCRYPT", "Unsupported hashingAlgorithm 'FIREBASE_SCRYPT'"),
        ("$2a$04$" + "a" * 53, "md5", "Unsupported hashingAlgorithm 'MD5'"),
    ],
)
def test_importing_an_unsupported_hash_is_400_naming_the_accepted_formats(
    app_client: CoreClient, hashed: str, algorithm: str | None, expected: str
) -> None:
    body: dict[str, Any] = {"email": "bad@example.com", "passwordHash": hashed}
    if algorithm is not None:
        body["hashingAlgorithm"] = algorithm
    reply = app_client.post("/public/recipe/user/passwordhash/import", json=body)
    assert reply.status_code == 400
    assert reply.text.startswith(expected)
    assert "BCRYPT" in reply.text and "ARGON2" in reply.text
    assert count(app_client) == 0


# --- deprecated GET /recipe/user --------------------------------------------------------------------------


def test_deprecated_get_user_by_id_or_email(app_client: CoreClient) -> None:
    user = sign_up(app_client, "old-api@example.com")["user"]
    assert app_client.ok("GET", f"/recipe/user?userId={user['id']}")["user"] == user
    assert app_client.ok("GET", "/public/recipe/user?email=OLD-API@example.com")["user"] == user
    assert app_client.get("/recipe/user?userId=nope").json() == {"status": "UNKNOWN_USER_ID_ERROR"}
    assert app_client.get("/recipe/user?email=no@example.com").json() == {"status": "UNKNOWN_EMAIL_ERROR"}
    assert app_client.get("/recipe/user").status_code == 400
