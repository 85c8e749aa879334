"""The dashboard UI in a real Chromium against a real core and app: sign-in, the users list, user detail, read-only."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.conftest import ADMIN, PASSWORD, SEEDED, VIEWER, Demo, Watched, csp_violations, keep_screenshot


def sign_in(page: Page, demo: Demo, email: str, password: str = PASSWORD) -> None:
    page.goto(demo.dashboard)
    page.locator("#email").fill(email)
    page.locator("#password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def assert_clean(w: Watched) -> None:
    assert csp_violations(w.page) == []
    assert w.problems == []


def test_login_page_shows_title_and_how_to_add_a_dashboard_user(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.dashboard)
    expect(page.get_by_role("heading", name="User Management Dashboard")).to_be_visible()
    page.get_by_text("Add a new user").click()
    expect(page.get_by_text("authdeck dashboard-users create").first).to_be_visible()
    expect(page.get_by_text("/recipe/dashboard/user").first).to_be_visible()
    expect(page.get_by_text("rid: dashboard").first).to_be_visible()
    keep_screenshot(page, "login")
    assert_clean(watched)


def test_admin_signs_in_and_sees_the_seeded_users(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, ADMIN)
    expect(page.locator("[data-me]")).to_have_text(ADMIN)
    expect(page.locator(".badge.admin")).to_have_text("Admin")
    rows = page.locator("table.users tbody tr")
    expect(rows).to_have_count(10)
    expect(page.locator("[data-count]")).to_have_text("12 users in total")
    expect(rows.first).to_contain_text("Ada Lovelace")  # newest first, named from metadata
    keep_screenshot(page, "users")
    page.get_by_role("button", name="Next").click()
    expect(rows).to_have_count(2)
    assert "token=" in page.url
    page.go_back()
    expect(rows).to_have_count(10)
    page.get_by_label("Rows per page").select_option("25")
    expect(rows).to_have_count(12)
    assert "limit=25" in page.url
    page.go_back()
    expect(rows).to_have_count(10)
    page.get_by_role("button", name="Newest first").click()
    expect(rows.first).to_contain_text(SEEDED[0])
    assert "order=ASC" in page.url
    page.keyboard.press("/")
    expect(page.locator("[data-search]")).to_be_focused()
    page.keyboard.type(SEEDED[3])
    page.keyboard.press("Enter")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SEEDED[3])
    page.locator("[data-search]").fill(SEEDED[4])
    page.keyboard.press("Enter")
    expect(rows).to_have_count(2)  # two chips of one tag: values joined with ';'
    assert "email=user03%40example.com%3Buser04%40example.com" in page.url
    page.get_by_label(f"Remove email {SEEDED[3]}").click()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(SEEDED[4])
    page.get_by_role("button", name="Clear all").click()
    page.locator("[data-search]").fill("nobody-here@example.org")
    page.keyboard.press("Enter")
    expect(page.get_by_text("No users match this search.")).to_be_visible()
    assert_clean(watched)


def test_wrong_password_shows_the_error_in_place(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, ADMIN, "not-the-password")
    expect(page.get_by_role("alert")).to_have_text("Incorrect email or password.")
    expect(page.get_by_role("heading", name="User Management Dashboard")).to_be_visible()
    # The failed sign-in's 200 reply is not a console error; nothing else may be.
    assert_clean(watched)


def test_user_detail_opens_from_the_list_with_its_sections(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, ADMIN)
    page.get_by_role("link", name="Ada Lovelace").click()
    expect(page.locator("[data-user-name]")).to_have_text("Ada Lovelace")
    user_id = demo.user_ids[SEEDED[-1]]
    expect(page.locator("[data-user-id]")).to_have_text(user_id)
    assert page.url.endswith(f"/auth/dashboard/users/{user_id}")
    for heading in ("Login methods", "Roles", "Metadata", "Sessions", "Activity"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("#metadata")).to_have_value(re.compile(r'"first_name": "Ada"'))
    expect(page.get_by_role("button", name="Delete user")).to_be_enabled()
    keep_screenshot(page, "user", full_page=True)
    page.get_by_role("button", name="Mark verified").click()
    expect(page.get_by_text("Verified", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Activity").click()
    expect(page.get_by_text("email.verify").first).to_be_visible()
    assert_clean(watched)


def test_metadata_editor_refuses_anything_but_an_object(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{demo.dashboard}/users/{demo.user_ids[SEEDED[1]]}")
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    editor = page.locator("#metadata")
    expect(editor).to_have_value("{}")
    editor.fill("[1, 2]")
    page.get_by_role("button", name="Save metadata").click()
    expect(page.get_by_role("alert")).to_contain_text("must be a JSON object")
    assert_clean(watched)


def test_read_only_user_sees_the_badge_and_disabled_writes(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, VIEWER)
    expect(page.locator(".badge.readonly")).to_have_text("Read-only")
    page.locator("table.users tbody tr a").first.click()
    delete = page.get_by_role("button", name="Delete user")
    expect(delete).to_be_disabled()
    expect(delete).to_have_attribute("title", re.compile("Read-only"))
    page.get_by_role("link", name="Roles & permissions").click()
    expect(page.get_by_role("button", name="Create role")).to_be_disabled()
    assert_clean(watched)


def test_session_expiry_returns_to_sign_in_with_a_message(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, ADMIN)
    expect(page.locator("table.users tbody tr")).to_have_count(10)
    page.context.clear_cookies()
    page.get_by_role("link", name="Roles & permissions").click()
    expect(page.get_by_text("Your session has expired")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    # The 401 itself is logged by Chromium as a failed resource load; that is the expected outcome here.
    assert csp_violations(page) == []
    assert [p for p in watched.problems if "401" not in p] == []


def test_unreachable_server_is_reported_on_the_sign_in_form(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.route("**/dashboard/api/signin", lambda route: route.abort())
    sign_in(page, demo, ADMIN)
    expect(page.get_by_role("alert")).to_contain_text("could not be reached")
    assert csp_violations(page) == []


def test_a_csp_violation_is_explained_on_the_page(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.dashboard)
    expect(page.get_by_role("heading", name="User Management Dashboard")).to_be_visible()
    # An inline <style> is what a stricter host policy (or an extension) would be blocked on.
    page.evaluate("document.head.append(Object.assign(document.createElement('style'), {textContent: 'p{}'}))")
    notice = page.locator(".csp-notice")
    expect(notice).to_contain_text("style-src")
    expect(notice).to_contain_text("Add")
