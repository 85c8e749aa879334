"""The dashboard behind Flask (sync, through the SDK's bridge): page, file, sign-in cookie, guarded API."""

from __future__ import annotations

from collections.abc import Iterator

import flask
import pytest

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck._supertokens import Authdeck
from authdeck.framework.flask import Middleware
from authdeck.recipe import dashboard, session
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess
from tests.recipe.dashboard._app import ADMIN, PASSWORD, VIEWER


@pytest.fixture
def client(core: CoreProcess, app_client: CoreClient) -> Iterator[flask.testing.FlaskClient]:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="Flask", api_domain="https://api.example.com", website_domain="example.com"),
        framework="flask",
        supertokens_config=SupertokensConfig(connection_uri=f"{core.url}/appid-{app_client.app_id}", api_key=API_KEY),
        recipe_list=[session.init(), dashboard.init(admins=[ADMIN])],
    )
    for email in (ADMIN, VIEWER):
        app_client.ok("POST", "/recipe/dashboard/user", json={"email": email, "password": PASSWORD})
    app = flask.Flask(__name__)
    Middleware(app)
    try:
        yield app.test_client()
    finally:
        Authdeck.reset()


def test_dashboard_works_behind_flask(client: flask.testing.FlaskClient) -> None:
    page = client.get("/auth/dashboard/roles")
    assert page.status_code == 200 and page.content_type == "text/html; charset=utf-8"
    assert page.headers["x-content-type-options"] == "nosniff"
    js = client.get("/auth/dashboard/static/app.js")
    assert js.status_code == 200 and js.content_type == "text/javascript; charset=utf-8"
    signin = client.post("/auth/dashboard/api/signin", json={"email": VIEWER, "password": PASSWORD})
    cookie = signin.headers["set-cookie"]
    assert "HttpOnly; Path=/auth/dashboard; SameSite=strict; Secure" in cookie  # https API domain
    me = client.get("/auth/dashboard/api/me", headers={"authorization": f"Bearer {signin.json['sessionId']}"})
    assert me.json == {"status": "OK", "email": VIEWER, "authMode": "email-password", "isAdmin": False,
                       "canWrite": False}
    refused = client.put(
        "/auth/dashboard/api/userroles/role",
        json={"role": "r", "permissions": []},
        headers={"authorization": f"Bearer {signin.json['sessionId']}"},
    )
    assert (refused.status_code, refused.json) == (403, {"message": "You are not permitted to perform this operation"})
    by_cookie = client.get("/auth/dashboard/api/me")  # the test client keeps the sign-in's cookie
    assert by_cookie.json["email"] == VIEWER
    assert client.get("/auth/dashboard/api/me", headers={"authorization": "Bearer"}).status_code == 401
