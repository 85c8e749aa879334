"""Dashboard actions in a real browser: password change, sessions, roles, delete, the activity log, 375 px."""

from __future__ import annotations

import re

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import ADMIN, PASSWORD, SEEDED, VIEWER, Demo, Watched, csp_violations


def sign_in(page: Page, demo: Demo, url: str | None = None) -> None:
    page.goto(url or demo.dashboard)
    page.locator("#email").fill(ADMIN)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def app_sign_in(demo: Demo, email: str, password: str) -> httpx.Response:
    fields = [{"id": "email", "value": email}, {"id": "password", "value": password}]
    return httpx.post(f"{demo.url}/auth/signin", json={"formFields": fields}, headers={"rid": "emailpassword"})


def assert_clean(w: Watched) -> None:
    assert csp_violations(w.page) == []
    assert w.problems == []


def test_changed_password_works_in_the_app_and_revoked_sessions_end(demo: Demo, watched: Watched) -> None:
    email = SEEDED[2]
    before = app_sign_in(demo, email, "abcd1234")
    assert before.json()["status"] == "OK"
    page = watched.page
    sign_in(page, demo, f"{demo.dashboard}/users/{demo.user_ids[email]}")
    expect(page.get_by_role("button", name="Revoke", exact=True)).to_have_count(1)
    page.get_by_label("New password").fill("n3w-password")
    page.get_by_role("button", name="Change password").click()
    expect(page.get_by_text("Password changed.")).to_be_visible()
    assert app_sign_in(demo, email, "n3w-password").json()["status"] == "OK"
    assert app_sign_in(demo, email, "abcd1234").json()["status"] == "WRONG_CREDENTIALS_ERROR"
    page.reload()
    revoke_all = page.get_by_role("button", name="Revoke all")
    expect(revoke_all).to_be_visible()
    revoke_all.click()
    expect(page.get_by_text("No active sessions.")).to_be_visible()
    user_id = demo.user_ids[email]
    left = demo.client.ok("GET", "/recipe/session/user", params={"userId": user_id})
    assert left["sessionHandles"] == []
    assert_clean(watched)


def test_password_policy_is_shown_and_the_apps_refusal_appears_in_place(demo: Demo, watched: Watched) -> None:
    email = SEEDED[9]
    page = watched.page
    sign_in(page, demo, f"{demo.dashboard}/users/{demo.user_ids[email]}")
    field = page.get_by_label("New password")
    policy = page.locator("[data-password-policy]")
    expect(policy).to_contain_text("At least 8 characters, with at least one letter and one number")
    expect(policy).to_contain_text("fewer than 100 characters")
    expect(field).to_have_attribute("aria-describedby", policy.get_attribute("id") or "")
    result = page.locator("[data-password-result]")
    field.fill("short1")
    page.get_by_role("button", name="Change password").click()
    expect(result.get_by_role("alert")).to_have_text("Password must contain at least 8 characters, including a number")
    field.fill("a1" * 51)
    field.press("Enter")  # Enter in the field submits too
    expect(result.get_by_role("alert")).to_have_text("Password's length must be lesser than 100 characters")
    assert app_sign_in(demo, email, "abcd1234").json()["status"] == "OK"  # nothing changed
    assert_clean(watched)


def test_roles_are_created_changed_assigned_and_deleted(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, f"{demo.dashboard}/users/{demo.user_ids[SEEDED[4]]}")
    # With no roles at all, the user page says where to make one instead of offering an empty picker.
    expect(page.get_by_text("No roles exist yet.")).to_be_visible()
    expect(page.get_by_role("button", name="Add role")).to_be_hidden()
    page.get_by_role("link", name="Create roles").click()
    page.locator("#new-role").fill("editor")
    page.locator("#new-perms").fill("posts:read, posts:write")
    page.get_by_role("button", name="Create role").click()
    card = page.locator("section.card", has=page.get_by_role("heading", name="editor"))
    expect(card.locator(".chip")).to_have_count(2)
    card.get_by_label("New permission for editor").fill("posts:delete")
    card.get_by_role("button", name="Add permission").click()
    expect(card.locator(".chip")).to_have_count(3)
    card.get_by_label("Remove permission posts:write").click()
    expect(card.locator(".chip")).to_have_count(2)
    page.goto(f"{demo.dashboard}/users/{demo.user_ids[SEEDED[4]]}")
    expect(page.locator("#add-role option")).to_have_text(["editor"])  # the picker fills in after its own load
    page.get_by_role("button", name="Add role").click()
    expect(page.get_by_label("Remove role editor")).to_be_visible()
    page.get_by_role("link", name="Roles & permissions").click()
    card.get_by_role("button", name="Delete", exact=True).click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_text("No roles yet.")).to_be_visible()
    page.get_by_role("link", name="Activity").click()
    expect(page.locator("table code.action", has_text="role.create")).to_have_count(1)
    assert_clean(watched)


def test_delete_names_the_user_and_esc_cancels(demo: Demo, watched: Watched) -> None:
    email = SEEDED[5]
    page = watched.page
    sign_in(page, demo, f"{demo.dashboard}/users/{demo.user_ids[email]}")
    page.get_by_role("button", name="Delete user").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text(email)
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    page.get_by_role("button", name="Delete user").click()
    dialog.get_by_role("button", name="Delete").click()
    expect(page.locator("table.users")).to_be_visible()
    expect(page.get_by_text(email, exact=True)).to_have_count(0)
    assert_clean(watched)


def test_every_page_fits_a_375_px_screen_in_dark_mode(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.set_viewport_size({"width": 375, "height": 740})
    page.emulate_media(color_scheme="dark")
    sign_in(page, demo)
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(18, 21, 27)"
    checks = [
        ("Users", page.locator("table.users tbody tr").first),
        ("Roles & permissions", page.get_by_label("Filter roles by name")),
        ("Activity", page.locator("table tbody tr").first),
    ]
    expect(checks[0][1]).to_be_visible()
    page.get_by_role("link", name=SEEDED[10]).click()
    page.get_by_role("button", name="Mark verified").click()  # so that Activity has a row
    expect(page.get_by_role("button", name="Mark unverified")).to_be_visible()
    for link, ready in [*checks[1:], checks[0]]:
        assert page.evaluate("document.documentElement.scrollWidth") <= 375, page.url
        page.get_by_role("link", name=link).click()
        expect(ready).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    expect(page.locator("body")).not_to_contain_text("null")
    assert_clean(watched)


def test_slash_focuses_the_search_of_each_page_and_focus_is_visible(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo)
    expect(page.locator("table.users tbody tr").first).to_be_visible()
    for link, search in (("Roles & permissions", "#role-filter"), ("Activity", "#f-actor"), ("Users", "#search")):
        page.get_by_role("link", name=link).click()
        expect(page.locator(search)).to_be_visible()
        page.keyboard.press("/")
        expect(page.locator(search)).to_be_focused()
        expect(page.locator(search)).to_have_value("")  # the "/" was not typed into it
    page.keyboard.press("Tab")
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    assert_clean(watched)


def test_name_and_email_are_edited_and_the_app_sees_the_new_email(demo: Demo, watched: Watched) -> None:
    email, new_email = SEEDED[6], "renamed@example.com"
    page = watched.page
    sign_in(page, demo, f"{demo.dashboard}/users/{demo.user_ids[email]}")
    page.locator("#first-name").fill("Grace")
    page.locator("#last-name").fill("Hopper")
    page.get_by_role("button", name="Save name").click()
    expect(page.locator("[data-user-name]")).to_have_text("Grace Hopper")
    page.get_by_label("Email", exact=True).fill(new_email)
    page.get_by_role("button", name="Save email").click()
    expect(page.get_by_text(new_email, exact=True)).to_be_visible()
    assert app_sign_in(demo, new_email, "abcd1234").json()["status"] == "OK"
    assert_clean(watched)


def test_activity_lists_actions_filters_them_and_links_to_the_user(demo: Demo, watched: Watched) -> None:
    email = SEEDED[7]
    user_id = demo.user_ids[email]
    page = watched.page
    sign_in(page, demo, f"{demo.dashboard}/users/{user_id}")
    page.get_by_role("button", name="Mark verified").click()
    expect(page.get_by_role("button", name="Mark unverified")).to_be_visible()
    expect(page.locator("ul.audit li").first).to_contain_text("by admin@example.com")
    page.get_by_role("link", name="Activity").click()
    rows = page.locator("table tbody tr")
    page.get_by_label("Filter by action").select_option("user.email.verify")
    expect(page).to_have_url(re.compile(r"action=user\.email\.verify"))
    expect(rows.first.locator("code.action")).to_have_text("user.email.verify")
    assert set(rows.locator("code.action").all_text_contents()) == {"user.email.verify"}
    expect(rows.filter(has_text=f"email: {email}")).to_have_count(1)  # the summary, readable
    page.get_by_label("Filter by target").fill(user_id)
    page.get_by_role("button", name="Filter").click()
    expect(rows).to_have_count(1)
    assert "targetId=" in page.url
    rows.first.get_by_role("link", name=user_id).click()
    expect(page.locator("[data-user-id]")).to_have_text(user_id)
    assert_clean(watched)


def test_a_403_from_the_server_is_shown_in_place_for_read_only_users(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.goto(f"{demo.dashboard}/users/{demo.user_ids[SEEDED[8]]}")
    page.locator("#email").fill(VIEWER)
    page.locator("#password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    delete = page.get_by_role("button", name="Delete user")
    expect(delete).to_be_disabled()
    # Only a tampered page could send it; the server must still refuse, and the page must say so in place.
    page.evaluate("document.querySelector('[data-delete]').disabled = false")
    delete.click()
    page.get_by_role("dialog").get_by_role("button", name="Delete").click()
    expect(page.get_by_role("alert")).to_contain_text("not permitted")
    expect(page.locator("[data-user-name]")).to_be_visible()
    assert csp_violations(page) == []
    assert [p for p in watched.problems if "403" not in p] == []
