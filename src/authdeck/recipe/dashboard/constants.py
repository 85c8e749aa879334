"""Paths, header and cookie names, and limits of the dashboard recipe, in one place."""

from __future__ import annotations

from typing import Final

DASHBOARD: Final = "/dashboard"
API: Final = "/dashboard/api"
STATIC: Final = "/dashboard/static"

# The pages the UI can be opened on; each serves the same HTML shell (sub-paths included).
HTML_PAGES: Final = ("/dashboard", "/dashboard/roles", "/dashboard/tenants", "/dashboard/users", "/dashboard/activity")
HTML_PAGES_WITH_SUBPATHS: Final = frozenset({"/dashboard/users", "/dashboard/activity", "/dashboard/tenants"})

COOKIE_NAME: Final = "authdeck-dashboard"
# The core ends a session sooner (idle timeout, absolute lifetime); this only bounds the browser's copy.
COOKIE_LIFETIME_MS: Final = 12 * 60 * 60 * 1000
CSRF_HEADER: Final = "x-authdeck-csrf"
CSRF_VALUE: Final = "1"

SIGNIN_FAILURES_PER_IP: Final = 5
SIGNIN_FAILURE_WINDOW_SECONDS: Final = 15 * 60
SIGNIN_TRACKED_IPS: Final = 10_000  # memory bound of the per-IP counter; the oldest IPs are forgotten first

CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
SECURITY_HEADERS: Final = (
    ("Content-Security-Policy", CONTENT_SECURITY_POLICY),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
)

UNAUTHORISED: Final = "Unauthorised access"
NOT_PERMITTED: Final = "You are not permitted to perform this operation"
CSRF_MISSING: Final = (
    f"This request is authenticated by the dashboard cookie and changes data, so it must carry the header "
    f"'{CSRF_HEADER}: {CSRF_VALUE}' (the dashboard UI sends it; cross-site forms cannot)"
)

# Bulk metadata requests hold at most this many user ids (the core's limit).
METADATA_BULK_MAX: Final = 500
