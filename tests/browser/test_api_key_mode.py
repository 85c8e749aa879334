"""The dashboard in API-key mode (dashboard.init(api_key=...)): it signs in with the key, not with dashboard users."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import Demo, Watched, csp_violations, running_demo, seed_test_users

DASHBOARD_KEY = "dashboard-key-0123456789"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Demo]:
    with running_demo(
        tmp_path_factory.mktemp("api-key-mode"), seed_test_users, dashboard_api_key=DASHBOARD_KEY
    ) as running:
        yield running


def enter_key(page: Page, key: str) -> None:
    page.get_by_label("API key").fill(key)
    page.get_by_role("button", name="Sign in").click()


def test_the_api_key_signs_in_for_this_tab_and_sign_out_forgets_it(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.dashboard)
    expect(page.get_by_label("Email")).to_have_count(0)
    expect(page.get_by_text("Add a new user")).to_have_count(0)  # no dashboard users in this mode
    expect(page.get_by_label("API key")).to_be_focused()
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_have_text("Enter the API key.")
    enter_key(page, "not-the-key")
    expect(page.get_by_role("alert")).to_have_text("This API key is not the one the app's dashboard uses.")
    enter_key(page, DASHBOARD_KEY)
    expect(page.locator("table.users tbody tr")).to_have_count(10)
    expect(page.locator("[data-me]")).to_have_text("Signed in with the API key")
    expect(page.locator(".badge.admin")).to_have_text("Admin")
    assert DASHBOARD_KEY not in "; ".join(c["value"] for c in page.context.cookies())
    page.reload()  # the key outlives a reload of this tab
    expect(page.locator("table.users tbody tr")).to_have_count(10)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_label("API key")).to_be_visible()
    assert page.evaluate("sessionStorage.length") == 0
    page.reload()
    expect(page.get_by_label("API key")).to_be_visible()
    assert csp_violations(page) == []
    # The refused key's 401 is logged by Chromium as a failed load; that is the expected answer.
    assert [p for p in watched.problems if "401" not in p] == []
