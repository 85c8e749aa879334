"""The guard in front of every dashboard API route: credentials, the admin check by operation, CSRF for cookie
writes, and the headers every reply carries."""

from __future__ import annotations

import httpx
import pytest

from tests.recipe.dashboard._app import ADMIN, PASSWORD, VIEWER, DashboardApp, bearer

pytestmark = pytest.mark.anyio

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


def assert_security_headers(reply: httpx.Response) -> None:
    assert reply.headers["content-security-policy"] == CSP
    assert reply.headers["x-content-type-options"] == "nosniff"
    assert reply.headers["referrer-policy"] == "same-origin"


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer ", "Bearer a b", "token-without-scheme", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 600],
)
async def test_malformed_authorization_header_gets_401_not_500(dash: DashboardApp, authorization: str) -> None:
    reply = await dash.http().get(dash.api("/users"), params={"limit": 10}, headers={"authorization": authorization})
    assert (reply.status_code, reply.json()) == (401, {"message": "Unauthorised access"})
    assert_security_headers(reply)


async def test_malformed_authorization_header_is_not_rescued_by_a_valid_cookie(dash: DashboardApp) -> None:
    http = dash.http()
    await http.post(dash.api("/signin"), json={"email": ADMIN, "password": PASSWORD})
    assert (await http.get(dash.api("/me"))).status_code == 200
    reply = await http.get(dash.api("/me"), headers={"authorization": "Bearer"})
    assert reply.status_code == 401


async def test_unknown_session_id_gets_401(dash: DashboardApp) -> None:
    reply = await dash.http().get(dash.api("/me"), headers=bearer("00000000-0000-4000-8000-000000000000"))
    assert (reply.status_code, reply.json()) == (401, {"message": "Unauthorised access"})


async def test_get_unlink_is_a_write_and_is_refused_for_read_only_users(dash: DashboardApp) -> None:
    user_id = dash.sign_up_app_user("ada@example.com")
    viewer = bearer(await dash.sign_in(VIEWER))
    reply = await dash.http().get(dash.api("/user/unlink"), params={"recipeUserId": user_id}, headers=viewer)
    assert (reply.status_code, reply.json()) == (403, {"message": "You are not permitted to perform this operation"})
    admin = bearer(await dash.sign_in(ADMIN))
    reply = await dash.http().get(dash.api("/user/unlink"), params={"recipeUserId": user_id}, headers=admin)
    assert reply.json() == {"status": "OK"}


async def test_read_only_user_may_read_and_sign_out(dash: DashboardApp) -> None:
    viewer = bearer(await dash.sign_in(VIEWER))
    http = dash.http()
    assert (await http.get(dash.api("/users/count"), headers=viewer)).json() == {"status": "OK", "count": 0}
    assert (await http.post(dash.api("/analytics"), json={}, headers=viewer)).json() == {"status": "OK"}
    assert (await http.post(dash.api("/signout"), headers=viewer)).json() == {"status": "OK"}
    assert (await http.get(dash.api("/users/count"), headers=viewer)).status_code == 401


async def test_me_says_who_is_signed_in_and_whether_they_may_write(dash: DashboardApp) -> None:
    http = dash.http()
    admin = await http.get(dash.api("/me"), headers=bearer(await dash.sign_in(ADMIN.upper())))
    viewer = await http.get(dash.api("/me"), headers=bearer(await dash.sign_in(VIEWER)))
    assert admin.json() == {
        "status": "OK", "email": ADMIN, "authMode": "email-password", "isAdmin": True, "canWrite": True
    }
    assert viewer.json() == {
        "status": "OK", "email": VIEWER, "authMode": "email-password", "isAdmin": False, "canWrite": False
    }


async def test_signin_sets_a_strict_http_only_cookie_scoped_to_the_dashboard(dash: DashboardApp) -> None:
    reply = await dash.http().post(dash.api("/signin"), json={"email": ADMIN, "password": PASSWORD})
    session_id = reply.json()["sessionId"]
    cookie = reply.headers["set-cookie"]
    assert cookie.startswith(f"authdeck-dashboard={session_id}; expires=")
    assert "; HttpOnly; Path=/auth/dashboard; SameSite=strict" in cookie
    assert "Secure" not in cookie  # the API domain is http://localhost here
    assert "Domain=" not in cookie


async def test_signin_posted_by_another_site_sets_no_cookie(dash: DashboardApp) -> None:
    reply = await dash.http().post(
        dash.api("/signin"), json={"email": ADMIN, "password": PASSWORD}, headers={"sec-fetch-site": "cross-site"}
    )
    assert reply.json()["status"] == "OK"
    assert "set-cookie" not in reply.headers


async def test_cookie_reads_work_without_the_csrf_header(dash: DashboardApp) -> None:
    http = dash.http()
    await http.post(dash.api("/signin"), json={"email": ADMIN, "password": PASSWORD})
    reply = await http.get(dash.api("/me"))
    assert reply.json()["email"] == ADMIN


async def test_cookie_write_without_csrf_header_gets_403_and_changes_nothing(dash: DashboardApp) -> None:
    """403, not 401: the caller may well be signed in; what is refused is a cookie-borne change that lacks the
    proof a cross-site page cannot forge. The cookie is not even looked at, so the forged request cannot
    touch the session (not even its idle timer)."""
    user_id = dash.sign_up_app_user("ada@example.com")
    http = dash.http()
    await http.post(dash.api("/signin"), json={"email": ADMIN, "password": PASSWORD})
    reply = await http.delete(dash.api("/user"), params={"userId": user_id})
    assert reply.status_code == 403
    assert reply.json() == {
        "message": "This request is authenticated by the dashboard cookie and changes data, so it must carry the "
        "header 'x-authdeck-csrf: 1' (the dashboard UI sends it; cross-site forms cannot)"
    }
    assert dash.core_client.get("/user/id", params={"userId": user_id}).json()["status"] == "OK"
    wrong = await http.delete(dash.api("/user"), params={"userId": user_id}, headers={"x-authdeck-csrf": "yes"})
    assert wrong.status_code == 403
    done = await http.delete(dash.api("/user"), params={"userId": user_id}, headers={"x-authdeck-csrf": "1"})
    assert done.json() == {"status": "OK"}
    assert dash.core_client.get("/user/id", params={"userId": user_id}).json()["status"] == "UNKNOWN_USER_ID_ERROR"


async def test_cookie_sign_out_needs_the_csrf_header_too(dash: DashboardApp) -> None:
    http = dash.http()
    await http.post(dash.api("/signin"), json={"email": VIEWER, "password": PASSWORD})
    assert (await http.post(dash.api("/signout"))).status_code == 403
    assert (await http.get(dash.api("/me"))).status_code == 200
    reply = await http.post(dash.api("/signout"), headers={"x-authdeck-csrf": "1"})
    assert reply.json() == {"status": "OK"}
    cleared = reply.headers["set-cookie"]
    assert cleared.startswith('authdeck-dashboard=""; expires=Thu, 01 Jan 1970 00:00:00 GMT')
    assert "Path=/auth/dashboard" in cleared


async def test_signout_ends_the_session_in_the_core(dash: DashboardApp) -> None:
    session_id = await dash.sign_in(ADMIN)
    http = dash.http()
    reply = await http.post(dash.api("/signout"), headers=bearer(session_id))
    assert reply.json() == {"status": "OK"}
    verify = dash.core_client.post("/recipe/dashboard/session/verify", json={"sessionId": session_id})
    assert verify.json() == {"status": "INVALID_SESSION_ERROR"}
    assert (await http.get(dash.api("/me"), headers=bearer(session_id))).status_code == 401


async def test_read_only_user_with_cookie_and_csrf_header_still_gets_403(dash: DashboardApp) -> None:
    http = dash.http()
    await http.post(dash.api("/signin"), json={"email": VIEWER, "password": PASSWORD})
    reply = await http.put(
        dash.api("/userroles/role"), json={"role": "r", "permissions": []}, headers={"x-authdeck-csrf": "1"}
    )
    assert (reply.status_code, reply.json()) == (403, {"message": "You are not permitted to perform this operation"})
    assert dash.core_client.get("/recipe/roles").json()["roles"] == []


async def test_bad_input_answers_400_with_the_message_and_the_security_headers(dash: DashboardApp) -> None:
    admin = bearer(await dash.sign_in(ADMIN))
    http = dash.http()
    reply = await http.get(dash.api("/users"), headers=admin)
    assert (reply.status_code, reply.json()) == (400, {"message": "Missing required parameter 'limit'"})
    assert reply.headers["cache-control"] == "no-store"
    assert_security_headers(reply)
    reply = await http.put(dash.api("/user/metadata"), content=b"{not json", headers=admin)
    assert (reply.status_code, reply.json()) == (400, {"message": "The request body is not valid JSON"})
    reply = await http.put(dash.api("/user/metadata"), json=[1], headers=admin)
    assert (reply.status_code, reply.json()) == (400, {"message": "The request body must be a JSON object"})


async def test_core_refusals_of_input_become_400_with_the_core_message(dash: DashboardApp) -> None:
    admin = bearer(await dash.sign_in(ADMIN))
    reply = await dash.http().put(
        dash.api("/userroles/role"), json={"role": "r" * 300, "permissions": []}, headers=admin
    )
    assert reply.status_code == 400
    assert "'role'" in reply.json()["message"]
    assert dash.core_client.get("/recipe/roles").json()["roles"] == []
