"""Email verification endpoints: tokens (stored as hashes only), verify, expiry, unverify, revoke, bad input."""

from __future__ import annotations

import hashlib
import string
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import Connection, select

from authdeck.core import jobs
from authdeck.core.services import emailverification as service
from authdeck.core.storage.engine import make_engine
from authdeck.core.storage.tables import email_verification_tokens, verified_emails
from tests._harness.core_process import CoreClient, CoreProcess

TOKEN = "/public/recipe/user/email/verify/token"
VERIFY = "/public/recipe/user/email/verify"
IS_VERIFIED = "/recipe/user/email/verify"
UNVERIFY = "/recipe/user/email/verify/remove"
REVOKE = "/public/recipe/user/email/verify/token/remove"
INVALID = {"status": "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"}
URL_SAFE = set(string.ascii_letters + string.digits + "-_")


def new_token(client: CoreClient, user_id: str = "u1", email: str = "a@example.com", tenant: str = "public") -> str:
    body = client.ok("POST", f"/{tenant}/recipe/user/email/verify/token", json={"userId": user_id, "email": email})
    assert set(body) == {"status", "token"}
    token: str = body["token"]
    return token


def use(client: CoreClient, token: str, tenant: str = "public") -> dict[str, Any]:
    reply = client.post(f"/{tenant}/recipe/user/email/verify", json={"method": "token", "token": token})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def is_verified(client: CoreClient, user_id: str = "u1", email: str = "a@example.com") -> bool:
    body = client.ok("GET", IS_VERIFIED, params={"userId": user_id, "email": email})
    assert set(body) == {"status", "isVerified"}
    verified: bool = body["isVerified"]
    return verified


def assert_400(reply: httpx.Response, text: str) -> None:
    assert reply.status_code == 400, reply.text
    assert reply.text == text


@contextmanager
def database(core: CoreProcess) -> Iterator[Connection]:
    engine = make_engine(core.database)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


def test_token_verifies_the_email_once(app_client: CoreClient) -> None:
    token = new_token(app_client)
    assert 120 <= len(token) <= 140
    assert set(token) <= URL_SAFE
    assert is_verified(app_client) is False

    assert use(app_client, token) == {"status": "OK", "userId": "u1", "email": "a@example.com"}

    assert is_verified(app_client) is True
    assert use(app_client, token) == INVALID


def test_tokens_are_random(app_client: CoreClient) -> None:
    assert len({new_token(app_client) for _ in range(5)}) == 5


def test_only_the_sha256_of_a_token_is_stored(core: CoreProcess, app_client: CoreClient) -> None:
    token = new_token(app_client, email="a@example.com")

    with database(core) as conn:
        rows = conn.execute(
            select(email_verification_tokens).where(email_verification_tokens.c.app_id == app_client.app_id)
        ).all()

    assert len(rows) == 1
    assert rows[0].token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in [str(value) for value in rows[0]]


def test_token_expiry_follows_the_apps_configured_lifetime(core: CoreProcess, app_client: CoreClient) -> None:
    with core.new_app({"email_verification_token_lifetime": 60_000}) as client:
        before = int(time.time() * 1000)
        new_token(client)
        after = int(time.time() * 1000)
        with database(core) as conn:
            expiry = conn.execute(
                select(email_verification_tokens.c.token_expiry).where(
                    email_verification_tokens.c.app_id == client.app_id
                )
            ).scalar_one()
    assert before + 60_000 <= expiry <= after + 60_000


def test_emails_are_trimmed_and_lowercased_when_a_token_is_made(app_client: CoreClient) -> None:
    token = new_token(app_client, email="  Alice@Example.COM ")

    assert use(app_client, token)["email"] == "alice@example.com"

    assert is_verified(app_client, email="alice@example.com") is True
    # The is-verified check compares the email as given, as upstream does.
    assert is_verified(app_client, email="Alice@Example.COM") is False


def test_already_verified_email_gets_no_new_token(app_client: CoreClient) -> None:
    use(app_client, new_token(app_client))

    reply = app_client.post(TOKEN, json={"userId": "u1", "email": " A@EXAMPLE.com"})

    assert reply.status_code == 200
    assert reply.json() == {"status": "EMAIL_ALREADY_VERIFIED_ERROR"}
    # Another email of the same user, or the same email of another user, is still unverified.
    new_token(app_client, email="b@example.com")
    new_token(app_client, user_id="u2")


def test_using_a_token_revokes_every_token_of_that_user_and_email(app_client: CoreClient) -> None:
    first, second = new_token(app_client), new_token(app_client)
    other_email = new_token(app_client, email="b@example.com")
    other_user = new_token(app_client, user_id="u2")

    use(app_client, second)

    assert use(app_client, first) == INVALID
    assert use(app_client, other_email)["status"] == "OK"
    assert use(app_client, other_user)["status"] == "OK"


def test_expired_token_is_invalid(core: CoreProcess) -> None:
    with core.new_app({"email_verification_token_lifetime": 1}) as client:
        token = new_token(client)
        time.sleep(0.05)

        assert use(client, token) == INVALID
        assert is_verified(client) is False


def test_unknown_token_is_invalid(app_client: CoreClient) -> None:
    new_token(app_client)
    assert use(app_client, "x" * 128) == INVALID
    assert is_verified(app_client) is False


def test_token_works_only_in_the_tenant_that_made_it(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    token = new_token(app_client, tenant="t1")

    assert use(app_client, token) == INVALID
    assert use(app_client, token, tenant="t1")["status"] == "OK"

    # Verification itself is app-wide.
    assert is_verified(app_client) is True
    reply = app_client.post("/public/recipe/user/email/verify/token", json={"userId": "u1", "email": "a@example.com"})
    assert reply.json() == {"status": "EMAIL_ALREADY_VERIFIED_ERROR"}


def test_unverify_makes_the_email_unverified_and_is_idempotent(app_client: CoreClient) -> None:
    use(app_client, new_token(app_client))
    use(app_client, new_token(app_client, email="b@example.com"))

    assert app_client.ok("POST", UNVERIFY, json={"userId": "u1", "email": " A@Example.com "}) == {"status": "OK"}
    app_client.ok("POST", UNVERIFY, json={"userId": "u1", "email": "a@example.com"})
    app_client.ok("POST", UNVERIFY, json={"userId": "nobody", "email": "a@example.com"})

    assert is_verified(app_client) is False
    assert is_verified(app_client, email="b@example.com") is True
    use(app_client, new_token(app_client))
    assert is_verified(app_client) is True


def test_revoking_tokens_invalidates_them_for_that_user_and_email_only(app_client: CoreClient) -> None:
    first, second = new_token(app_client), new_token(app_client)
    other = new_token(app_client, email="b@example.com")

    assert app_client.ok("POST", REVOKE, json={"userId": "u1", "email": "A@EXAMPLE.COM "}) == {"status": "OK"}
    app_client.ok("POST", REVOKE, json={"userId": "u1", "email": "a@example.com"})

    assert use(app_client, first) == INVALID
    assert use(app_client, second) == INVALID
    assert use(app_client, other)["status"] == "OK"


def test_revoking_in_one_tenant_leaves_tokens_of_another(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    token = new_token(app_client, tenant="t1")

    app_client.ok("POST", REVOKE, json={"userId": "u1", "email": "a@example.com"})

    assert use(app_client, token, tenant="t1")["status"] == "OK"


def test_verification_is_per_app(core: CoreProcess, app_client: CoreClient) -> None:
    use(app_client, new_token(app_client))
    with core.new_app() as other:
        assert is_verified(other) is False


def test_method_other_than_token_is_400_and_the_token_stays_usable(app_client: CoreClient) -> None:
    token = new_token(app_client)

    for method in ("otp", "TOKEN", ""):
        reply = app_client.post(VERIFY, json={"method": method, "token": token})
        if method:
            assert_400(reply, "Unsupported method for email verification: 'method' must be \"token\"")
        else:
            assert_400(reply, "Field name 'method' cannot be an empty String")

    assert is_verified(app_client) is False
    assert use(app_client, token)["status"] == "OK"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"token": "t"}, "Field name 'method' is invalid in JSON input"),
        ({"method": None, "token": "t"}, "Field name 'method' is invalid in JSON input"),
        ({"method": "token"}, "Field name 'token' is invalid in JSON input"),
        ({"method": "token", "token": None}, "Field name 'token' is invalid in JSON input"),
        ({"method": "token", "token": 12}, "Field name 'token' is invalid in JSON input"),
        ({"method": "token", "token": " "}, "Field name 'token' cannot be an empty String"),
    ],
)
def test_verify_with_bad_input_is_400(app_client: CoreClient, body: dict[str, Any], message: str) -> None:
    token = new_token(app_client)
    assert_400(app_client.post(VERIFY, json=body), message)
    assert is_verified(app_client) is False
    assert use(app_client, token)["status"] == "OK"


BAD_USER_AND_EMAIL = [
    ({"email": "a@example.com"}, "Field name 'userId' is invalid in JSON input"),
    ({"userId": None, "email": "a@example.com"}, "Field name 'userId' is invalid in JSON input"),
    ({"userId": 1, "email": "a@example.com"}, "Field name 'userId' is invalid in JSON input"),
    ({"userId": "", "email": "a@example.com"}, "Field name 'userId' cannot be an empty String"),
    ({"userId": "u1"}, "Field name 'email' is invalid in JSON input"),
    ({"userId": "u1", "email": None}, "Field name 'email' is invalid in JSON input"),
    ({"userId": "u1", "email": ["a@example.com"]}, "Field name 'email' is invalid in JSON input"),
    ({"userId": "u1", "email": "  "}, "Field name 'email' cannot be an empty String"),
    ({"userId": "u1", "email": "e" * 245 + "@example.com"}, "Field name 'email' is too long: at most 256 characters"),
    ({"userId": "u1", "email": "a\u0000@example.com"}, "Field name 'email' is invalid in JSON input"),
    ({"userId": "u" * 129, "email": "a@example.com"}, "Field name 'userId' is too long: at most 128 characters"),
    ({"userId": "u\u0000", "email": "a@example.com"}, "Field name 'userId' is invalid in JSON input"),
]


@pytest.mark.parametrize(("body", "message"), BAD_USER_AND_EMAIL)
@pytest.mark.parametrize("path", [TOKEN, UNVERIFY, REVOKE])
def test_user_and_email_routes_with_bad_input_are_400_and_change_nothing(
    app_client: CoreClient, path: str, body: dict[str, Any], message: str
) -> None:
    token = new_token(app_client)
    use(app_client, new_token(app_client, email="b@example.com"))

    assert_400(app_client.post(path, json=body), message)

    assert is_verified(app_client, email="b@example.com") is True
    assert use(app_client, token)["status"] == "OK"


def test_malformed_json_is_400_and_changes_nothing(app_client: CoreClient) -> None:
    token = new_token(app_client)
    headers = {"content-type": "application/json"}

    for path in (TOKEN, VERIFY, UNVERIFY, REVOKE):
        reply = app_client.post(path, content=b'{"method": "token", "token": ', headers=headers)
        assert_400(reply, "Invalid Json Input")

    assert is_verified(app_client) is False
    assert use(app_client, token)["status"] == "OK"


@pytest.mark.parametrize("missing", ["userId", "email"])
def test_is_verified_needs_user_id_and_email(app_client: CoreClient, missing: str) -> None:
    params = {"userId": "u1", "email": "a@example.com"}

    without = {k: v for k, v in params.items() if k != missing}
    assert_400(app_client.get(IS_VERIFIED, params=without), f"Field name '{missing}' is missing in GET request")
    empty = {**params, missing: ""}
    assert_400(app_client.get(IS_VERIFIED, params=empty), f"Field name '{missing}' cannot be an empty String")
    nul = {**params, missing: "x\u0000"}
    assert_400(app_client.get(IS_VERIFIED, params=nul), f"Field name '{missing}' is invalid in GET request")


def test_longest_storable_email_and_user_id_are_accepted(app_client: CoreClient) -> None:
    user_id, email = "u" * 128, "e" * 244 + "@example.com"
    assert use(app_client, new_token(app_client, user_id=user_id, email=email.upper()))["email"] == email
    assert is_verified(app_client, user_id=user_id, email=email) is True


def test_app_level_routes_refuse_a_non_public_tenant(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    use(app_client, new_token(app_client))

    replies = [
        app_client.get("/t1" + IS_VERIFIED, params={"userId": "u1", "email": "a@example.com"}),
        app_client.post("/t1" + UNVERIFY, json={"userId": "u1", "email": "a@example.com"}),
    ]

    for reply in replies:
        assert reply.status_code == 403
        assert reply.text == "Only public tenantId can call this app specific API"
    assert is_verified(app_client) is True


def test_concurrent_uses_of_one_token_succeed_once(core: CoreProcess, app_client: CoreClient) -> None:
    token = new_token(app_client)
    workers = 8
    barrier = threading.Barrier(workers)

    def attempt(_: int) -> str:
        with core.client(app_client.app_id) as client:
            barrier.wait()
            status: str = use(client, token)["status"]
            return status

    with ThreadPoolExecutor(max_workers=workers) as pool:
        statuses = list(pool.map(attempt, range(workers)))

    assert statuses.count("OK") == 1
    assert is_verified(app_client) is True


def test_purge_deletes_expired_tokens(core: CoreProcess) -> None:
    purges = dict(jobs.PURGES)
    assert service.PURGE_NAME in purges
    with core.new_app({"email_verification_token_lifetime": 1}) as client:
        token = new_token(client)
        time.sleep(0.05)
        with database(core) as conn:
            assert purges[service.PURGE_NAME](conn, int(time.time() * 1000)) >= 1
            remaining = conn.execute(
                select(email_verification_tokens).where(
                    email_verification_tokens.c.token_hash == hashlib.sha256(token.encode()).hexdigest()
                )
            ).all()
            verified = conn.execute(select(verified_emails).where(verified_emails.c.app_id == client.app_id)).all()
    assert remaining == []
    assert verified == []
