"""Dashboard users and dashboard sessions through the CDI (spec §2.8), on SQLite and PostgreSQL."""

from __future__ import annotations

import hashlib
import json
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import Connection, insert, select, update

from authdeck.core import jobs
from authdeck.core.config import load_settings
from authdeck.core.services import dashboard as dashboard_service
from authdeck.core.state import CoreState
from authdeck.core.storage import migrate
from authdeck.core.storage.engine import make_engine
from authdeck.core.storage.tables import dashboard_sessions, dashboard_signin_failures, key_value
from tests._harness.core_process import CoreClient, CoreProcess
from tests.conftest import BACKENDS

USER = "/recipe/dashboard/user"
USERS = "/recipe/dashboard/users"
SIGNIN = "/recipe/dashboard/signin"
VERIFY = "/recipe/dashboard/session/verify"
SESSION = "/recipe/dashboard/session"
SESSIONS = "/recipe/dashboard/user/sessions"
EMAIL = "admin@example.com"
PASSWORD = "abcd1234"


def create(client: CoreClient, email: str = EMAIL, password: str = PASSWORD) -> dict[str, Any]:
    user: dict[str, Any] = client.ok("POST", USER, json={"email": email, "password": password})["user"]
    return user


def sign_in(client: CoreClient, email: str = EMAIL, password: str = PASSWORD) -> dict[str, Any]:
    reply = client.post(SIGNIN, json={"email": email, "password": password})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def session_of(client: CoreClient, email: str = EMAIL, password: str = PASSWORD) -> str:
    body = sign_in(client, email, password)
    assert body["status"] == "OK", body
    session_id: str = body["sessionId"]
    return session_id


def verify(client: CoreClient, session_id: str) -> dict[str, Any]:
    reply = client.post(VERIFY, json={"sessionId": session_id})
    assert reply.status_code == 200, reply.text
    body: dict[str, Any] = reply.json()
    return body


def users(client: CoreClient) -> list[dict[str, Any]]:
    listed: list[dict[str, Any]] = client.ok("GET", USERS)["users"]
    return listed


@contextmanager
def database(core: CoreProcess) -> Iterator[Connection]:
    engine = make_engine(core.database)
    try:
        with engine.begin() as conn:
            yield conn
    finally:
        engine.dispose()


# --- creating users ----------------------------------------------------------------------------------


def test_create_user_returns_the_user_with_its_email_normalised(app_client: CoreClient) -> None:
    before = int(time.time() * 1000)
    user = create(app_client, email="  Admin@Example.COM ")
    assert user["email"] == EMAIL
    assert uuid.UUID(user["userId"]).version == 4
    assert before - 5000 <= user["timeJoined"] <= int(time.time() * 1000) + 5000
    assert users(app_client) == [user]


def test_create_user_with_a_taken_email_returns_email_already_exists(app_client: CoreClient) -> None:
    create(app_client)
    reply = app_client.post(USER, json={"email": "ADMIN@example.com", "password": "other1234"})
    assert reply.json() == {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    assert len(users(app_client)) == 1


@pytest.mark.parametrize("email", ["invalidEmail", "a@b.c", "@ex.com", "a@ex.c0m"])
def test_create_user_with_a_malformed_email_returns_invalid_email(app_client: CoreClient, email: str) -> None:
    reply = app_client.post(USER, json={"email": email, "password": PASSWORD})
    assert reply.json() == {"status": "INVALID_EMAIL_ERROR"}
    assert users(app_client) == []


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("abc123", "Password must contain at least 8 characters, including a number"),
        ("a1" * 50, "Password's length must be lesser than 100 characters"),
        ("12345678", "Password must contain at least one alphabet"),
        ("abcdefgh", "Password must contain at least one number"),
    ],
)
def test_create_user_with_a_weak_password_says_why(app_client: CoreClient, password: str, message: str) -> None:
    reply = app_client.post(USER, json={"email": EMAIL, "password": password})
    assert reply.json() == {"status": "PASSWORD_WEAK_ERROR", "message": message}
    assert users(app_client) == []


def test_create_user_checks_email_then_password_then_duplicate(app_client: CoreClient) -> None:
    create(app_client)
    bad_both = app_client.post(USER, json={"email": "nope", "password": "short"}).json()
    assert bad_both["status"] == "INVALID_EMAIL_ERROR"
    taken_and_weak = app_client.post(USER, json={"email": EMAIL, "password": "short"}).json()
    assert taken_and_weak["status"] == "PASSWORD_WEAK_ERROR"


def test_any_number_of_dashboard_users_may_be_created(app_client: CoreClient) -> None:
    for i in range(5):
        create(app_client, email=f"admin{i}@example.com")
    assert len(users(app_client)) == 5
    assert sign_in(app_client, "admin4@example.com")["status"] == "OK"


def test_users_are_listed_oldest_first(app_client: CoreClient) -> None:
    for name in ("carol", "alice", "bob"):
        create(app_client, email=f"{name}@example.com")
        time.sleep(0.01)
    listed = users(app_client)
    assert [u["email"] for u in listed] == ["carol@example.com", "alice@example.com", "bob@example.com"]
    assert [u["timeJoined"] for u in listed] == sorted(u["timeJoined"] for u in listed)


def test_dashboard_users_belong_to_their_app(core: CoreProcess, app_client: CoreClient) -> None:
    create(app_client)
    with core.new_app() as other:
        assert users(other) == []
        assert sign_in(other)["status"] == "INVALID_CREDENTIALS_ERROR"


def test_wrong_api_key_cannot_create_a_user(core: CoreProcess, app_client: CoreClient) -> None:
    with core.client(app_client.app_id, api_key="wrong-key-" + "x" * 20) as intruder:
        reply = intruder.post(USER, json={"email": EMAIL, "password": PASSWORD})
    assert reply.status_code == 401
    assert users(app_client) == []


# --- updating and deleting users ---------------------------------------------------------------------


def test_update_by_user_id_changes_email_and_password(app_client: CoreClient) -> None:
    user = create(app_client)
    body = app_client.ok(
        "PUT", USER, json={"userId": user["userId"], "newEmail": "New@Example.com", "newPassword": "newpass99"}
    )
    assert body["user"] == {**user, "email": "new@example.com"}
    assert sign_in(app_client)["status"] == "INVALID_CREDENTIALS_ERROR"
    assert sign_in(app_client, "new@example.com", PASSWORD)["status"] == "INVALID_CREDENTIALS_ERROR"
    assert sign_in(app_client, "new@example.com", "newpass99")["status"] == "OK"


def test_update_by_email_changes_the_password(app_client: CoreClient) -> None:
    create(app_client)
    body = app_client.ok("PUT", USER, json={"email": "ADMIN@example.com", "newPassword": "newpass99"})
    assert body["user"]["email"] == EMAIL
    assert sign_in(app_client, EMAIL, "newpass99")["status"] == "OK"


def test_update_uses_user_id_when_both_are_given(app_client: CoreClient) -> None:
    first = create(app_client, email="first@example.com")
    create(app_client, email="second@example.com")
    app_client.ok(
        "PUT", USER, json={"userId": first["userId"], "email": "second@example.com", "newPassword": "x1234567"}
    )
    assert sign_in(app_client, "first@example.com", "x1234567")["status"] == "OK"
    assert sign_in(app_client, "second@example.com", PASSWORD)["status"] == "OK"


def test_update_of_an_unknown_user_returns_unknown_user(app_client: CoreClient) -> None:
    for ident in ({"userId": str(uuid.uuid4())}, {"email": "ghost@example.com"}):
        reply = app_client.put(USER, json={**ident, "newPassword": "newpass99"})
        assert reply.json() == {"status": "UNKNOWN_USER_ERROR"}


def test_update_to_a_taken_email_returns_email_already_exists(app_client: CoreClient) -> None:
    user = create(app_client)
    create(app_client, email="other@example.com")
    reply = app_client.put(USER, json={"userId": user["userId"], "newEmail": "other@example.com"})
    assert reply.json() == {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    assert sorted(u["email"] for u in users(app_client)) == [EMAIL, "other@example.com"]


def test_update_with_a_bad_new_email_or_password_changes_nothing(app_client: CoreClient) -> None:
    user = create(app_client)
    session_id = session_of(app_client)
    bad_email = app_client.put(USER, json={"userId": user["userId"], "newEmail": "a@b.c", "newPassword": "ok123456"})
    assert bad_email.json() == {"status": "INVALID_EMAIL_ERROR"}
    weak = app_client.put(USER, json={"userId": user["userId"], "newEmail": "n@example.com", "newPassword": "weak"})
    assert weak.json() == {
        "status": "PASSWORD_WEAK_ERROR",
        "message": "Password must contain at least 8 characters, including a number",
    }
    assert users(app_client) == [user]
    assert verify(app_client, session_id)["status"] == "OK"


def test_update_without_user_id_or_email_is_400(app_client: CoreClient) -> None:
    reply = app_client.put(USER, json={"newPassword": "newpass99"})
    assert reply.status_code == 400
    assert reply.text == "Either field 'email' or 'userId' must be present"


@pytest.mark.parametrize("change", [{"newPassword": "newpass99"}, {"newEmail": "moved@example.com"}])
def test_changing_email_or_password_ends_the_users_sessions(app_client: CoreClient, change: dict[str, str]) -> None:
    user = create(app_client)
    other = create(app_client, email="other@example.com")
    mine = [session_of(app_client), session_of(app_client)]
    theirs = session_of(app_client, "other@example.com")
    app_client.ok("PUT", USER, json={"userId": user["userId"], **change})
    assert [verify(app_client, s)["status"] for s in mine] == ["INVALID_SESSION_ERROR"] * 2
    assert verify(app_client, theirs) == {"status": "OK", "email": other["email"]}


def test_update_to_the_same_email_keeps_the_sessions(app_client: CoreClient) -> None:
    user = create(app_client)
    session_id = session_of(app_client)
    app_client.ok("PUT", USER, json={"userId": user["userId"], "newEmail": EMAIL})
    assert verify(app_client, session_id)["status"] == "OK"


def test_delete_user_by_id_or_email_ends_their_sessions(app_client: CoreClient) -> None:
    first = create(app_client)
    create(app_client, email="other@example.com")
    session_id = session_of(app_client)
    assert app_client.ok("DELETE", USER, params={"userId": first["userId"]})["didUserExist"] is True
    assert verify(app_client, session_id) == {"status": "INVALID_SESSION_ERROR"}
    assert app_client.ok("DELETE", USER, params={"userId": first["userId"]})["didUserExist"] is False
    assert app_client.ok("DELETE", USER, params={"email": "OTHER@example.com"})["didUserExist"] is True
    assert app_client.ok("DELETE", USER, params={"email": "other@example.com"})["didUserExist"] is False
    assert users(app_client) == []


def test_delete_user_without_user_id_or_email_is_400(app_client: CoreClient) -> None:
    reply = app_client.delete(USER)
    assert reply.status_code == 400
    assert reply.text == "Either field 'email' or 'userId' must be present"


# --- sign-in and sessions ----------------------------------------------------------------------------


def test_sign_in_returns_a_session_that_verifies_to_the_email(app_client: CoreClient) -> None:
    create(app_client)
    body = sign_in(app_client, " ADMIN@example.com ")
    assert body["status"] == "OK"
    assert uuid.UUID(body["sessionId"]).version == 4
    assert verify(app_client, body["sessionId"]) == {"status": "OK", "email": EMAIL}
    assert verify(app_client, body["sessionId"]) == {"status": "OK", "email": EMAIL}


def test_sign_in_with_a_wrong_password_returns_invalid_credentials(app_client: CoreClient) -> None:
    create(app_client)
    assert sign_in(app_client, EMAIL, "wrong1234") == {"status": "INVALID_CREDENTIALS_ERROR"}


def test_sign_in_with_an_unknown_email_returns_invalid_credentials(app_client: CoreClient) -> None:
    assert sign_in(app_client, "ghost@example.com") == {"status": "INVALID_CREDENTIALS_ERROR"}


def test_verify_of_an_unknown_session_returns_invalid_session(app_client: CoreClient) -> None:
    assert verify(app_client, str(uuid.uuid4())) == {"status": "INVALID_SESSION_ERROR"}


def test_deleted_session_no_longer_verifies(app_client: CoreClient) -> None:
    create(app_client)
    session_id = session_of(app_client)
    other = session_of(app_client)
    assert app_client.ok("DELETE", SESSION, params={"sessionId": session_id}) == {"status": "OK"}
    assert verify(app_client, session_id) == {"status": "INVALID_SESSION_ERROR"}
    assert verify(app_client, other)["status"] == "OK"
    assert app_client.ok("DELETE", SESSION, params={"sessionId": session_id}) == {"status": "OK"}


def test_user_sessions_lists_opaque_ids_not_the_secrets(app_client: CoreClient) -> None:
    user = create(app_client)
    create(app_client, email="other@example.com")
    secrets = [session_of(app_client), session_of(app_client)]
    session_of(app_client, "other@example.com")
    sessions = app_client.ok("GET", SESSIONS, params={"userId": user["userId"]})["sessions"]
    assert len(sessions) == 2
    expected_ids = {hashlib.sha256(s.encode()).hexdigest()[:16] for s in secrets}
    assert {s["sessionId"] for s in sessions} == expected_ids
    for listed in sessions:
        assert listed["userId"] == user["userId"]
        assert listed["sessionId"] not in secrets
        assert listed["timeCreated"] < listed["expiry"]
    app_client.ok("DELETE", SESSION, params={"sessionId": secrets[0]})
    remaining = app_client.ok("GET", SESSIONS, params={"userId": user["userId"]})["sessions"]
    assert [s["sessionId"] for s in remaining] == [hashlib.sha256(secrets[1].encode()).hexdigest()[:16]]
    assert app_client.ok("GET", SESSIONS, params={"userId": str(uuid.uuid4())})["sessions"] == []


def test_session_id_is_stored_only_as_its_hash(core: CoreProcess, app_client: CoreClient) -> None:
    create(app_client)
    session_id = session_of(app_client)
    with database(core) as conn:
        rows = conn.execute(select(dashboard_sessions).where(dashboard_sessions.c.app_id == app_client.app_id)).all()
    assert len(rows) == 1
    assert session_id not in [str(value) for value in rows[0]]
    assert rows[0].session_hash == hashlib.sha256(session_id.encode()).hexdigest()


def test_idle_session_ends_after_the_idle_timeout(core: CoreProcess) -> None:
    with core.new_app({"dashboard_session_idle_timeout": 1}) as client:
        user = create(client)
        session_id = session_of(client)
        assert verify(client, session_id)["status"] == "OK"
        time.sleep(2.2)
        assert verify(client, session_id) == {"status": "INVALID_SESSION_ERROR"}
        assert client.ok("GET", SESSIONS, params={"userId": user["userId"]})["sessions"] == []
        assert session_of(client)  # signing in again works


def test_activity_keeps_a_session_past_the_idle_timeout(core: CoreProcess) -> None:
    with core.new_app({"dashboard_session_idle_timeout": 2}) as client:
        create(client)
        session_id = session_of(client)
        for _ in range(2):
            time.sleep(1.3)
            assert verify(client, session_id)["status"] == "OK"


def test_session_ends_after_its_absolute_lifetime_despite_activity(core: CoreProcess) -> None:
    with core.new_app({"dashboard_session_absolute_lifetime": 2}) as client:
        create(client)
        session_id = session_of(client)
        time.sleep(1.2)
        assert verify(client, session_id)["status"] == "OK"
        time.sleep(1.2)
        assert verify(client, session_id) == {"status": "INVALID_SESSION_ERROR"}


def test_purge_deletes_expired_dashboard_sessions(core: CoreProcess) -> None:
    with core.new_app({"dashboard_session_absolute_lifetime": 1}) as client:
        create(client)
        session_of(client)
        time.sleep(1.1)
        state = CoreState.from_settings(load_settings(environ={}, overrides={"database": core.database}))
        try:
            assert ("dashboard-sessions", dashboard_service.q.purge_expired_sessions) in jobs.PURGES
            done = jobs.purge_once(state, force=True)
        finally:
            state.engine.dispose()
        assert done["dashboard-sessions"] >= 1
        with database(core) as conn:
            query = select(dashboard_sessions).where(dashboard_sessions.c.app_id == client.app_id)
            assert conn.execute(query).all() == []


# --- sign-in lockout ---------------------------------------------------------------------------------


def test_sign_in_is_refused_after_too_many_wrong_passwords(app_client: CoreClient) -> None:
    create(app_client)
    create(app_client, email="other@example.com")
    for _ in range(dashboard_service.LOCKOUT_THRESHOLD):
        assert sign_in(app_client, EMAIL, "wrong1234") == {"status": "INVALID_CREDENTIALS_ERROR"}
    refused = sign_in(app_client, " Admin@Example.com", PASSWORD)
    assert refused == {
        "status": "TOO_MANY_ATTEMPTS_ERROR",
        "message": "Too many failed sign-in attempts. Try again in 15 minutes.",
        "retryAfterSeconds": refused["retryAfterSeconds"],
    }
    assert 890 <= refused["retryAfterSeconds"] <= 900
    assert sign_in(app_client, EMAIL, "wrong1234")["status"] == "TOO_MANY_ATTEMPTS_ERROR"
    # Other emails are not affected, and existing sessions keep working.
    assert sign_in(app_client, "other@example.com")["status"] == "OK"


def test_concurrent_wrong_passwords_are_all_counted(core: CoreProcess, app_client: CoreClient) -> None:
    create(app_client)
    attempts = dashboard_service.LOCKOUT_THRESHOLD * 2

    def attempt(_: int) -> str:
        with core.client(app_client.app_id) as client:
            return str(sign_in(client, EMAIL, "wrong1234")["status"])

    with ThreadPoolExecutor(max_workers=attempts) as pool:
        statuses = sorted(pool.map(attempt, range(attempts)))
    threshold = dashboard_service.LOCKOUT_THRESHOLD
    assert statuses == ["INVALID_CREDENTIALS_ERROR"] * threshold + ["TOO_MANY_ATTEMPTS_ERROR"] * threshold
    assert sign_in(app_client)["status"] == "TOO_MANY_ATTEMPTS_ERROR"


def test_lockout_holds_across_core_processes(core: CoreProcess, app_client: CoreClient, tmp_path: Path) -> None:
    create(app_client)
    second = CoreProcess.start(core.database, tmp_path)
    try:
        with second.client(app_client.app_id) as other_core:
            for i in range(dashboard_service.LOCKOUT_THRESHOLD):
                via = app_client if i % 2 else other_core
                assert sign_in(via, EMAIL, "wrong1234")["status"] == "INVALID_CREDENTIALS_ERROR"
            assert sign_in(other_core)["status"] == "TOO_MANY_ATTEMPTS_ERROR"
        assert sign_in(app_client)["status"] == "TOO_MANY_ATTEMPTS_ERROR"
    finally:
        second.stop()


def test_lockout_does_not_reveal_whether_the_email_exists(app_client: CoreClient) -> None:
    for _ in range(dashboard_service.LOCKOUT_THRESHOLD):
        assert sign_in(app_client, "ghost@example.com", "wrong1234")["status"] == "INVALID_CREDENTIALS_ERROR"
    assert sign_in(app_client, "ghost@example.com", "wrong1234")["status"] == "TOO_MANY_ATTEMPTS_ERROR"


def test_successful_sign_in_resets_the_failure_count(app_client: CoreClient) -> None:
    create(app_client)
    for _ in range(2):
        for _ in range(dashboard_service.LOCKOUT_THRESHOLD - 1):
            assert sign_in(app_client, EMAIL, "wrong1234")["status"] == "INVALID_CREDENTIALS_ERROR"
        assert sign_in(app_client)["status"] == "OK"


def test_failure_count_is_kept_in_the_database(core: CoreProcess, app_client: CoreClient) -> None:
    create(app_client)
    sign_in(app_client, EMAIL, "wrong1234")
    failures = dashboard_signin_failures
    mine = failures.c.app_id == app_client.app_id
    with database(core) as conn:
        rows = conn.execute(select(failures.c.email_hash, failures.c.failures, failures.c.locked_until).where(mine))
        ((email_hash, times, locked_until),) = rows.all()
    # Only the email's hash is stored, never the email itself.
    assert email_hash == hashlib.sha256(EMAIL.encode()).hexdigest()
    assert len(json.loads(times)) == 1
    assert locked_until == 0
    sign_in(app_client)
    with database(core) as conn:
        assert conn.execute(select(failures).where(mine)).all() == []


def test_purge_deletes_stale_failure_counters_only(core: CoreProcess, app_client: CoreClient) -> None:
    create(app_client)
    create(app_client, email="other@example.com")
    sign_in(app_client, EMAIL, "wrong1234")
    sign_in(app_client, "other@example.com", "wrong1234")
    failures = dashboard_signin_failures
    stale = hashlib.sha256(EMAIL.encode()).hexdigest()
    window = max(dashboard_service.LOCKOUT_WINDOW_MS, dashboard_service.LOCKOUT_DURATION_MS)
    with database(core) as conn:
        # Backdate one counter past the window rather than waiting 15 minutes.
        conn.execute(
            update(failures)
            .where(failures.c.app_id == app_client.app_id, failures.c.email_hash == stale)
            .values(updated_at=failures.c.updated_at - window - 1000)
        )
    state = CoreState.from_settings(load_settings(environ={}, overrides={"database": core.database}))
    try:
        assert jobs.purge_once(state, force=True)["dashboard-signin-failures"] >= 1
    finally:
        state.engine.dispose()
    with database(core) as conn:
        query = select(failures.c.email_hash).where(failures.c.app_id == app_client.app_id)
        left = conn.execute(query).scalars().all()
    assert left == [hashlib.sha256(b"other@example.com").hexdigest()]


# --- core config -------------------------------------------------------------------------------------


def test_core_config_lists_the_app_settings(core: CoreProcess) -> None:
    with core.new_app({"dashboard_session_idle_timeout": 60}) as client:
        client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
        for prefix in ("", "/t1"):
            config = client.ok("GET", prefix + "/recipe/dashboard/tenant/core-config")["config"]
            by_key = {item["key"]: item for item in config}
            idle = by_key["dashboard_session_idle_timeout"]
            assert idle["value"] == 60
            assert idle["defaultValue"] == 1800
            assert idle["valueType"] == "number"
            assert idle["description"]
            alg = by_key["password_hashing_alg"]
            assert alg["valueType"] == "enum"
            assert alg["possibleValues"] == ["BCRYPT", "ARGON2"]
            assert not alg["isDifferentAcrossTenants"] and not alg["isPluginProperty"]


def test_app_specific_dashboard_routes_refuse_other_tenants(app_client: CoreClient) -> None:
    app_client.ok("PUT", "/recipe/multitenancy/tenant/v2", json={"tenantId": "t1"})
    assert app_client.get("/t1" + USERS).status_code == 403


# --- bad input ---------------------------------------------------------------------------------------

_JSON = {"content-type": "application/json"}
BAD_REQUESTS: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("POST", USER, {"content": b"{not json", "headers": _JSON}, "Invalid Json Input"),
    ("POST", USER, {"json": {"email": None, "password": PASSWORD}}, "Field name 'email' is invalid in JSON input"),
    ("POST", USER, {"json": {"email": 5, "password": PASSWORD}}, "Field name 'email' is invalid in JSON input"),
    ("POST", USER, {"json": {"email": "  ", "password": PASSWORD}}, "Field name 'email' cannot be an empty String"),
    ("POST", USER, {"json": {"email": "new@example.com"}}, "Field name 'password' is invalid in JSON input"),
    ("POST", USER, {"json": {"email": "n@x.com", "password": ""}}, "Field name 'password' cannot be an empty String"),
    ("POST", USER, {"json": {"email": "a\x00b@x.com", "password": PASSWORD}}, None),
    ("POST", USER, {"content": b'{"email":"n@x.com","password":"abcd1234\\ud800"}', "headers": _JSON}, None),
    ("PUT", USER, {"json": {"userId": None, "newPassword": "newpass99"}}, None),
    ("PUT", USER, {"json": {"email": "", "newPassword": "newpass99"}}, None),
    ("PUT", USER, {"json": {"email": EMAIL, "newEmail": None}}, None),
    ("PUT", USER, {"json": {"email": EMAIL, "newPassword": 12345678}}, None),
    ("PUT", USER, {"json": {"email": EMAIL, "newEmail": " "}}, None),
    ("PUT", USER, {"content": b"[1]", "headers": _JSON}, None),
    ("DELETE", USER, {"params": {"userId": ""}}, "Field name 'userId' cannot be an empty String"),
    ("DELETE", USER, {"params": {"email": " "}}, None),
    ("DELETE", USER, {"params": {"email": "admin@example.com\x00"}}, None),
    ("POST", SIGNIN, {"json": {"email": EMAIL, "password": None}}, None),
    ("POST", SIGNIN, {"json": {"email": [EMAIL], "password": PASSWORD}}, None),
    ("POST", VERIFY, {"json": {"sessionId": 5}}, None),
    ("POST", VERIFY, {"json": {}}, None),
    ("DELETE", SESSION, {}, "Field name 'sessionId' is missing in GET request"),
    ("DELETE", SESSION, {"params": {"sessionId": ""}}, None),
    ("GET", SESSIONS, {}, "Field name 'userId' is missing in GET request"),
]


@pytest.mark.parametrize(("method", "path", "kwargs", "message"), BAD_REQUESTS)
def test_bad_input_is_400_and_changes_nothing(
    app_client: CoreClient, method: str, path: str, kwargs: dict[str, Any], message: str | None
) -> None:
    user = create(app_client)
    session_id = session_of(app_client)
    reply = app_client.request(method, path, **kwargs)
    assert reply.status_code == 400, reply.text
    if message is not None:
        assert reply.text == message
    assert users(app_client) == [user]
    assert verify(app_client, session_id)["status"] == "OK"
    assert sign_in(app_client)["status"] == "OK"


@pytest.mark.parametrize("backend_url", BACKENDS, indirect=True)
def test_upgrade_moves_failure_counters_out_of_key_value(backend_url: str) -> None:
    engine = make_engine(backend_url)
    cfg = migrate.alembic_config()
    hashed = hashlib.sha256(EMAIL.encode()).hexdigest()
    try:
        with engine.begin() as conn:
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "0001")
            migrate.ensure_public_app(conn)
            old = {"failures": [1000, 2000], "lockedUntil": 5000}
            for name, value in (
                ("dashboard-signin-failures:" + hashed, json.dumps(old)),
                ("dashboard-signin-failures:" + "0" * 64, "not json"),
                ("something-else", "kept"),
            ):
                conn.execute(insert(key_value).values(app_id="public", name=name, value=value, created_at=3000))
        migrate.upgrade(engine)
        with engine.connect() as conn:
            moved = conn.execute(select(dashboard_signin_failures)).all()
            names = conn.execute(select(key_value.c.name).where(key_value.c.app_id == "public")).scalars().all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in moved] == [("public", hashed, "[1000, 2000]", 5000, 3000)]
    assert "something-else" in names
    assert not any(n.startswith("dashboard-signin-failures:") for n in names)
