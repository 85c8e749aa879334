"""Sign-in lockout in a real browser (its own module: the lockout holds the test client's IP for minutes)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.browser.conftest import ADMIN, Demo, Watched, csp_violations


def test_repeated_wrong_passwords_show_the_lockout_with_the_time_left(demo: Demo, watched: Watched) -> None:
    page = watched.page
    page.goto(demo.dashboard)
    page.locator("#email").fill(ADMIN)
    alert = page.get_by_role("alert")
    for attempt in range(8):
        page.locator("#password").fill(f"wrong-{attempt}")
        page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("button", name="Sign in")).to_be_enabled()
        expect(alert).to_be_visible()
        if "Try again" in (alert.text_content() or ""):
            break
    expect(alert).to_have_text(re.compile(r"Too many failed sign-in attempts.*Try again in \d+ minutes?"))
    assert csp_violations(page) == []
    # Chromium logs the 429 reply itself as a failed load; that is the expected answer here.
    assert [p for p in watched.problems if "429" not in p] == []
