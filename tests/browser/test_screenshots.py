"""The screenshots under docs/images/, taken from a demo seeded with realistic people, roles and activity.

Opt-in, so ordinary runs leave the tree clean:
    AUTHDECK_UPDATE_SCREENSHOTS=1 .venv/bin/pytest tests/browser/test_screenshots.py
Light mode, 1280 px wide. Each page is also checked for zero CSP violations and console errors.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from playwright.sync_api import expect

from tests._harness.core_process import CoreClient
from tests.browser.conftest import ADMIN, IMAGES, PASSWORD, Demo, Watched, csp_violations, running_demo

pytestmark = pytest.mark.skipif(
    os.environ.get("AUTHDECK_UPDATE_SCREENSHOTS") != "1",
    reason="refreshes docs/images; set AUTHDECK_UPDATE_SCREENSHOTS=1",
)

APP_NAME = "Acme Notes"
APP_PASSWORD = "correct-horse-1"  # noqa: S105 (a demo credential)
# Oldest first: the users list shows them newest first. None: a user who never gave a name.
PEOPLE = [
    ("Grace", "Hopper", "grace@navy.example"),
    ("Alan", "Turing", "alan.turing@bletchley.example"),
    (None, None, "j.doe@mailbox.example"),
    ("Katherine", "Johnson", "kjohnson@langley.example"),
    ("Margaret", "Hamilton", "margaret@apollo.example"),
    ("Edsger", "Dijkstra", "ewd@eindhoven.example"),
    (None, None, "night.owl@inbox.example"),
    ("Barbara", "Liskov", "liskov@mit.example"),
    ("Radia", "Perlman", "radia@spanningtree.example"),
    ("Frances", "Allen", "fran.allen@ibm.example"),
    ("Donald", "Knuth", "knuth@taocp.example"),
    ("Hedy", "Lamarr", "hedy@frequency.example"),
    ("Ada", "Lovelace", "ada@analytical.example"),
]
ROLES = {
    "admin": ["users:read", "users:write", "billing:manage"],
    "editor": ["notes:read", "notes:write", "notes:publish"],
    "support": ["users:read", "tickets:reply"],
    "viewer": ["notes:read"],
}
ASSIGNED = {"ada@analytical.example": ["admin"], "grace@navy.example": ["editor"], "knuth@taocp.example": ["viewer"]}


def seed_people(client: CoreClient) -> dict[str, str]:
    ids: dict[str, str] = {}
    for first, last, email in PEOPLE:
        body = client.ok("POST", "/public/recipe/signup", json={"email": email, "password": APP_PASSWORD})
        ids[email] = body["user"]["id"]
        if first:
            update = {"first_name": first, "last_name": last}
            client.ok("PUT", "/recipe/user/metadata", json={"userId": ids[email], "metadataUpdate": update})
    for role in ("admin", "editor", "viewer"):
        client.ok("PUT", "/recipe/role", json={"role": role, "permissions": ROLES[role]})
    for email, roles in ASSIGNED.items():
        for role in roles:
            client.ok("PUT", "/recipe/user/role", json={"userId": ids[email], "role": role})
    return ids


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with running_demo(tmp_path_factory.mktemp("screenshots"), seed_people, app_name=APP_NAME) as running:
        yield running


def record_activity(demo: Demo) -> None:
    """Changes made through the dashboard API as the admin, so the Activity page has a realistic history."""
    api = f"{demo.dashboard}/api"
    signed_in = httpx.post(f"{api}/signin", json={"email": ADMIN, "password": PASSWORD}).json()
    headers = {"authorization": f"Bearer {signed_in['sessionId']}"}

    def call(method: str, path: str, **kwargs: Any) -> None:
        reply = httpx.request(method, api + path, headers=headers, **kwargs)
        assert reply.status_code == 200 and reply.json()["status"] == "OK", reply.text

    ids = demo.user_ids
    verified = ("grace@navy.example", "kjohnson@langley.example", "margaret@apollo.example", "ada@analytical.example")
    for email in verified:
        call("PUT", "/user/email/verify", json={"recipeUserId": ids[email], "verified": True})
    call("PUT", "/userroles/role", json={"role": "support", "permissions": ROLES["support"]})
    call("PUT", "/userroles/user/roles", json={"userId": ids["radia@spanningtree.example"], "role": "support"})
    call("PUT", "/userroles/user/roles", json={"userId": ids["ada@analytical.example"], "role": "editor"})
    metadata = {"first_name": "Ada", "last_name": "Lovelace", "plan": "team", "company": "Analytical Engines Ltd"}
    call("PUT", "/user/metadata", json={"userId": ids["ada@analytical.example"], "data": json.dumps(metadata)})
    turing = ids["alan.turing@bletchley.example"]
    call("PUT", "/user/password", json={"recipeUserId": turing, "newPassword": "en1gma-2"})
    for _ in range(2):  # two devices signed in to the app
        fields = [{"id": "email", "value": "ada@analytical.example"}, {"id": "password", "value": APP_PASSWORD}]
        reply = httpx.post(f"{demo.url}/auth/signin", json={"formFields": fields}, headers={"rid": "emailpassword"})
        assert reply.json()["status"] == "OK"


def shoot(w: Watched, name: str, *, full_page: bool = False) -> None:
    w.page.screenshot(path=str(IMAGES / f"{name}.png"), full_page=full_page)
    assert csp_violations(w.page) == []
    assert w.problems == []


def test_screenshots_of_every_page(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 1280, "height": 800})
    page.emulate_media(color_scheme="light")
    page.goto(demo.dashboard)
    page.get_by_text("Add a new user").click()
    expect(page.get_by_text("authdeck dashboard-users create").first).to_be_visible()
    shoot(watched, "login")

    record_activity(demo)
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("table.users tbody tr")).to_have_count(10)
    expect(page.locator("[data-count]")).to_contain_text(str(len(PEOPLE)))
    shoot(watched, "users", full_page=True)

    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.get_by_label("Remove role editor")).to_be_visible()
    expect(page.get_by_role("button", name="Revoke", exact=True)).to_have_count(2)
    expect(page.locator("ul.audit li")).to_have_count(3)
    expect(page.locator("#metadata")).to_have_value(re.compile("Analytical Engines Ltd"))
    shoot(watched, "user", full_page=True)

    page.get_by_role("link", name="Roles & permissions").click()
    expect(page.locator("section.card h2")).to_have_count(len(ROLES) + 1)  # the "New role" card and one per role
    shoot(watched, "roles", full_page=True)

    page.get_by_role("link", name="Activity").click()
    expect(page.locator("table tbody tr")).to_have_count(9)
    shoot(watched, "activity", full_page=True)
