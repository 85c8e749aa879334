"""Dashboard sign-in: credentials, input checks, the per-email lockout (core) and per-IP limit (SDK) as 429."""

from __future__ import annotations

import time

import pytest

from authdeck.recipe.dashboard._ratelimit import SignInLimiter
from authdeck.recipe.dashboard.constants import SIGNIN_FAILURES_PER_IP
from tests.recipe.dashboard._app import ADMIN, PASSWORD, VIEWER, DashboardApp

pytestmark = pytest.mark.anyio


async def attempt(dash: DashboardApp, email: str, password: str, ip: str) -> tuple[int, dict[str, object], str | None]:
    reply = await dash.http(ip).post(dash.api("/signin"), json={"email": email, "password": password})
    return reply.status_code, reply.json(), reply.headers.get("retry-after")


async def test_signin_with_right_password_returns_a_session_id(dash: DashboardApp) -> None:
    status, body, _ = await attempt(dash, f"  {ADMIN.upper()} ", PASSWORD, "10.0.0.1")
    assert status == 200 and body["status"] == "OK" and isinstance(body["sessionId"], str)


async def test_signin_with_wrong_password_returns_invalid_credentials(dash: DashboardApp) -> None:
    assert await attempt(dash, ADMIN, "wrong-pass-1", "10.0.0.1") == (
        200,
        {"status": "INVALID_CREDENTIALS_ERROR"},
        None,
    )
    assert (await attempt(dash, "nobody@example.com", PASSWORD, "10.0.0.1"))[1] == {
        "status": "INVALID_CREDENTIALS_ERROR"
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({}, "Missing required parameter 'email'"),
        ({"email": 1, "password": "x"}, "Missing required parameter 'email'"),
        ({"email": ADMIN}, "Missing required parameter 'password'"),
        ({"email": ADMIN, "password": None}, "Missing required parameter 'password'"),
        ({"email": "  ", "password": "x"}, "Field name 'email' cannot be an empty String"),
    ],
)
async def test_signin_with_bad_input_answers_400(dash: DashboardApp, body: dict[str, object], message: str) -> None:
    reply = await dash.http().post(dash.api("/signin"), json=body)
    assert (reply.status_code, reply.json()) == (400, {"message": message})
    assert "set-cookie" not in reply.headers


async def test_email_lockout_from_the_core_answers_429_with_retry_after(dash: DashboardApp) -> None:
    # Five addresses, so that only the per-email lock (kept in the core) can be what trips.
    for i in range(5):
        status, body, _ = await attempt(dash, ADMIN, "wrong-pass-1", f"10.1.0.{i}")
        assert (status, body) == (200, {"status": "INVALID_CREDENTIALS_ERROR"})
    status, body, retry_after = await attempt(dash, ADMIN, PASSWORD, "10.1.0.99")
    assert status == 429
    assert body == {
        "status": "TOO_MANY_ATTEMPTS_ERROR",
        "message": "Too many failed sign-in attempts. Try again in 15 minutes.",
        "retryAfterSeconds": 900,
    }
    assert retry_after == "900"
    # Another dashboard user is not affected.
    assert (await attempt(dash, VIEWER, PASSWORD, "10.1.0.98"))[1]["status"] == "OK"


async def test_successful_signin_resets_the_email_failure_count(dash: DashboardApp) -> None:
    for i in range(4):
        await attempt(dash, ADMIN, "wrong-pass-1", f"10.2.0.{i}")
    assert (await attempt(dash, ADMIN, PASSWORD, "10.2.0.50"))[1]["status"] == "OK"
    for i in range(4):
        assert (await attempt(dash, ADMIN, "wrong-pass-1", f"10.2.1.{i}"))[0] == 200
    assert (await attempt(dash, ADMIN, PASSWORD, "10.2.0.51"))[1]["status"] == "OK"


async def test_ip_limit_answers_429_after_five_failures_across_emails(dash: DashboardApp) -> None:
    ip = "10.3.0.1"
    for i in range(SIGNIN_FAILURES_PER_IP):
        status, body, _ = await attempt(dash, f"guess{i}@example.com", "wrong-pass-1", ip)
        assert (status, body) == (200, {"status": "INVALID_CREDENTIALS_ERROR"})
    status, body, retry_after = await attempt(dash, ADMIN, PASSWORD, ip)
    assert status == 429
    assert body["status"] == "TOO_MANY_ATTEMPTS_ERROR"
    assert body["message"] == "Too many failed sign-in attempts from this address. Try again in 15 minutes."
    assert retry_after is not None and 890 <= int(retry_after) <= 900
    assert int(retry_after) == body["retryAfterSeconds"]
    # The lock is per address: the same user from elsewhere signs in.
    assert (await attempt(dash, ADMIN, PASSWORD, "10.3.0.2"))[1]["status"] == "OK"


async def test_successful_signin_resets_the_ip_failure_count(dash: DashboardApp) -> None:
    ip = "10.4.0.1"
    for i in range(SIGNIN_FAILURES_PER_IP - 1):
        await attempt(dash, f"guess{i}@example.com", "wrong-pass-1", ip)
    assert (await attempt(dash, ADMIN, PASSWORD, ip))[1]["status"] == "OK"
    for i in range(SIGNIN_FAILURES_PER_IP - 1):
        assert (await attempt(dash, f"other{i}@example.com", "wrong-pass-1", ip))[0] == 200
    assert (await attempt(dash, VIEWER, PASSWORD, ip))[1]["status"] == "OK"


def test_ip_limiter_forgets_failures_older_than_its_window() -> None:
    limiter = SignInLimiter(max_failures=2, window_seconds=0.05)
    limiter.failed("1.1.1.1")
    limiter.failed("1.1.1.1")
    assert limiter.retry_after("1.1.1.1") == 1
    time.sleep(0.06)
    assert limiter.retry_after("1.1.1.1") is None


def test_ip_limiter_keeps_a_bounded_number_of_addresses() -> None:
    limiter = SignInLimiter(max_failures=1, window_seconds=60, max_ips=3)
    for i in range(5):
        limiter.failed(f"1.1.1.{i}")
    assert [limiter.retry_after(f"1.1.1.{i}") is not None for i in range(5)] == [False, False, True, True, True]
    assert limiter.retry_after(None) is None
