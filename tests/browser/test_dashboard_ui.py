"""The dashboard UI in a real Chromium against a real core and app: sign-in, the users list, user detail, read-only."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
from playwright.sync_api import Page, expect

from tests._harness.core_process import API_KEY
from tests.browser.conftest import ADMIN, PASSWORD, SEEDED, VIEWER, Demo, Watched, csp_violations


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
    expect(page).to_have_title("Sign in · Browser Test App · User Management Dashboard")
    expect(page.get_by_role("heading", name="User Management Dashboard")).to_be_visible()
    page.get_by_text("Add a new user").click()
    expect(page.get_by_text("authdeck dashboard-users create").first).to_be_visible()
    expect(page.get_by_text("/recipe/dashboard/user").first).to_be_visible()
    expect(page.get_by_text("rid: dashboard").first).to_be_visible()
    assert_clean(watched)


def run_copied(command: str, **fill: str) -> subprocess.CompletedProcess[str]:
    """Runs a command copied from the page in bash, its <placeholders> filled in, with this venv's authdeck."""
    for placeholder, value in {"<your API key>": API_KEY, **fill}.items():
        command = command.replace(placeholder, value)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}"}
    return subprocess.run(["/bin/bash", "-c", command], capture_output=True, text=True, env=env, timeout=60)


def dashboard_sign_in_status(demo: Demo, email: str, password: str) -> str:
    reply = httpx.post(f"{demo.dashboard}/api/signin", json={"email": email, "password": password})
    status: str = reply.json()["status"]
    return status


def test_login_help_commands_name_the_real_core_copy_to_the_clipboard_and_work(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=demo.url)
    page.goto(demo.dashboard)
    uri = demo.connection_uri

    def copy(name: str) -> str:
        page.get_by_role("button", name=name).click()
        expect(page.get_by_role("button", name=name)).to_have_text("Copied")
        copied: str = page.evaluate("navigator.clipboard.readText()")
        return copied

    page.get_by_text("Add a new user").click()
    cli = copy("Copy add a new user command")
    assert cli == page.locator("#help-create pre").nth(0).text_content()
    assert cli.startswith("authdeck dashboard-users create") and f"--core '{uri}'" in cli
    curl = copy("Copy add a new user curl")
    assert curl.startswith(f"curl --request POST '{uri}/recipe/dashboard/user'")
    for header in ("rid: dashboard", "api-key: <your API key>", "Content-Type: application/json"):
        assert f"--header '{header}'" in curl
    page.get_by_text("Forgot password").click()
    update_cli = copy("Copy forgot password command")
    assert update_cli.startswith("authdeck dashboard-users update") and f"--core '{uri}'" in update_cli
    update_curl = copy("Copy forgot password curl")
    assert update_curl.startswith(f"curl --request PUT '{uri}/recipe/dashboard/user'")
    assert '"newPassword"' in update_curl
    assert API_KEY not in page.content()  # the page has a placeholder, never the key
    assert_clean(watched)

    # What was copied works once its placeholders are filled in.
    made = run_copied(cli + " --password 'cli-made-pass-1'", **{"<email>": "cli-made@example.com"})
    assert made.returncode == 0, made.stderr
    assert dashboard_sign_in_status(demo, "cli-made@example.com", "cli-made-pass-1") == "OK"
    if shutil.which("curl"):
        fill = {"<email>": "curl-made@example.com", "<password>": "curl-made-pass-1", "<new password>": "curl-new-2"}
        assert '"status":"OK"' in run_copied(curl, **fill).stdout
        assert dashboard_sign_in_status(demo, "curl-made@example.com", "curl-made-pass-1") == "OK"
        assert '"status":"OK"' in run_copied(update_curl, **fill).stdout
        assert dashboard_sign_in_status(demo, "curl-made@example.com", "curl-new-2") == "OK"
    changed = run_copied(update_cli + " --new-password 'cli-new-pass-2'", **{"<email>": "cli-made@example.com"})
    assert changed.returncode == 0, changed.stderr
    assert dashboard_sign_in_status(demo, "cli-made@example.com", "cli-new-pass-2") == "OK"


def test_admin_signs_in_and_sees_the_seeded_users(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, ADMIN)
    expect(page.locator("[data-me]")).to_have_text(ADMIN)
    expect(page.locator(".badge.admin")).to_have_text("Admin")
    expect(page.locator("header [data-app-name]")).to_have_text("Browser Test App")
    expect(page).to_have_title("Users · Browser Test App · User Management Dashboard")
    expect(page.locator("[data-readonly-note]")).to_have_count(0)
    rows = page.locator("table.users tbody tr")
    expect(rows).to_have_count(10)
    expect(page.locator("[data-count]")).to_have_text("12 users in total")
    expect(rows.first).to_contain_text("Ada Lovelace")  # newest first, named from metadata
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
    expect(page).to_have_title("Ada Lovelace · Browser Test App · User Management Dashboard")
    user_id = demo.user_ids[SEEDED[-1]]
    expect(page.locator("[data-user-id]")).to_have_text(user_id)
    assert page.url.endswith(f"/auth/dashboard/users/{user_id}")
    for heading in ("Login methods", "Roles", "Metadata", "Sessions", "Activity"):
        expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
    expect(page.locator("#metadata")).to_have_value(re.compile(r'"first_name": "Ada"'))
    expect(page.get_by_role("button", name="Delete user")).to_be_enabled()
    page.get_by_role("button", name="Mark verified").click()
    expect(page.get_by_text("Verified", exact=True).first).to_be_visible()
    page.get_by_role("link", name="Activity").click()
    expect(page.locator("table code.action").first).to_have_text("user.email.verify")
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
    expect(page.locator("[data-readonly-note]")).to_contain_text("controls that change data are turned off")
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


def search(page: Page, tag: str, value: str) -> str:
    """Adds a search chip through the form and returns the query string of the list request it caused."""
    page.get_by_label("Search by").select_option(tag)
    page.get_by_label("Search value").fill(value)
    with page.expect_request(lambda r: "/dashboard/api/users?" in r.url) as sent:
        page.get_by_label("Search value").press("Enter")
    return urlsplit(sent.value.url).query


def test_search_by_each_tag_with_several_chips(demo: Demo, watched: Watched) -> None:
    page = watched.page
    sign_in(page, demo, ADMIN)
    rows = page.locator("table.users tbody tr")
    expect(rows).to_have_count(10)
    expect(page.get_by_label("Search by").locator("option")).to_have_text(["email", "phone", "provider"])
    # Only email-password users exist, so phone and provider terms match nobody: "no match", not "no users yet".
    sent = parse_qs(search(page, "phone", "+14155550100"))
    assert sent["phone"] == ["+14155550100"]
    expect(page.get_by_text("No users match this search.")).to_be_visible()
    expect(page.get_by_text("No users yet")).to_have_count(0)
    sent = parse_qs(search(page, "provider", "google;github"))
    assert (sent["provider"], sent["phone"]) == (["google;github"], ["+14155550100"])
    chips = page.locator("[data-chips] .chip")
    expect(chips).to_have_text(["phone: +14155550100×", "provider: google×", "provider: github×"])
    assert "provider=google%3Bgithub" in page.url
    page.get_by_label("Remove phone +14155550100").click()
    expect(chips).to_have_count(2)
    expect(page.get_by_text("No users match this search.")).to_be_visible()
    page.get_by_role("button", name="Clear all").click()
    expect(rows).to_have_count(10)
    # Values of one tag are alternatives; tags narrow each other.
    sent = parse_qs(search(page, "email", f"{SEEDED[1]}; {SEEDED[2]}"))
    assert sent["email"] == [f"{SEEDED[1]};{SEEDED[2]}"]
    expect(rows).to_have_count(2)
    search(page, "phone", "+14155550100")
    expect(page.get_by_text("No users match this search.")).to_be_visible()
    page.go_back()
    expect(rows).to_have_count(2)
    assert_clean(watched)
