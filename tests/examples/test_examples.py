"""Each example app, run by the command in its header against a real core: sign up, sign in, see the dashboard."""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests._harness import served
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess
from tests._harness.ports import free_port

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
PASSWORD = "example-password-1"


def _command(example: str, port: int) -> list[str]:
    if example == "fastapi":
        return [sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLES), "fastapi_app:app", "--port", str(port)]
    if example == "flask":
        return [sys.executable, "-m", "flask", "--app", str(EXAMPLES / "flask_app.py"), "run", "--port", str(port)]
    manage = EXAMPLES / "django_project" / "manage.py"
    return [sys.executable, str(manage), "runserver", "--noreload", f"127.0.0.1:{port}"]


@pytest.fixture(params=["fastapi", "flask", "django"])
def example(
    request: pytest.FixtureRequest, core: CoreProcess, app_client: CoreClient, tmp_path: Path
) -> Iterator[httpx.Client]:
    """The example app as a real server on a free port, talking to a fresh app on the core."""
    for email in ("admin@example.com", "viewer@example.com"):
        app_client.ok("POST", "/recipe/dashboard/user", json={"email": email, "password": PASSWORD})
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "AUTHDECK_CORE_URL": f"{core.url}/appid-{app_client.app_id}", "AUTHDECK_API_KEY": API_KEY,
           "AUTHDECK_API_DOMAIN": base, "AUTHDECK_WEBSITE_DOMAIN": base, "AUTHDECK_DEMO_ADMINS": "admin@example.com"}
    command, log = _command(request.param, port), tmp_path / "app.log"
    proc = served.launch(command, log, base + "/", what=f"{request.param} example", env=env, timeout=30)
    try:
        with httpx.Client(base_url=base, timeout=30) as client:
            yield client
    finally:
        served.stop(proc)


@pytest.mark.parametrize("core", ["sqlite"], indirect=True)
def test_example_app_signs_up_signs_in_and_serves_the_dashboard(example: httpx.Client) -> None:
    page = example.get("/")
    assert page.headers["content-type"].startswith("text/html") and '<script src="/static/app.js">' in page.text
    assert "<script>" not in page.text  # no inline script, so a strict CSP works
    assert example.get("/static/app.js").headers["content-type"].startswith("text/javascript")

    email = f"u-{uuid.uuid4().hex[:8]}@example.com"
    fields = {"formFields": [{"id": "email", "value": email}, {"id": "password", "value": PASSWORD}]}
    headers = {"rid": "emailpassword", "st-auth-mode": "cookie"}
    assert example.get("/session-info").status_code == 401
    signup = example.post("/auth/signup", json=fields, headers=headers)
    assert signup.json()["status"] == "OK" and "sAccessToken" in signup.cookies
    example.cookies.clear()
    signin = example.post("/auth/signin", json=fields, headers=headers)
    assert signin.json()["status"] == "OK"
    info = example.get("/session-info")
    assert info.status_code == 200 and info.json()["userId"] == signup.json()["user"]["id"]

    dashboard = example.get("/auth/dashboard")
    assert dashboard.status_code == 200 and dashboard.headers["content-type"].startswith("text/html")
    api = "/auth/dashboard/api"
    admin = example.post(f"{api}/signin", json={"email": "admin@example.com", "password": PASSWORD}).json()
    count = example.get(f"{api}/users/count", headers={"authorization": f"Bearer {admin['sessionId']}"})
    assert count.json()["count"] == 1
    viewer = example.post(f"{api}/signin", json={"email": "viewer@example.com", "password": PASSWORD}).json()
    refused = example.delete(f"{api}/user", params={"userId": signup.json()["user"]["id"]},
                             headers={"authorization": f"Bearer {viewer['sessionId']}"})
    assert refused.status_code == 403
