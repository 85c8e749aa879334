"""The request sequences replayed against both apps, each in cookie and in header transfer mode.

``{email}`` is an address unique to the scenario and mode (both apps get the same one: each app has its own
app on the core, so the two never see each other's users). Later steps use tokens kept by the frontend, and
variables captured from earlier replies (``{reset_token}``, ``{verify_token}``).
"""

from __future__ import annotations

import re

import httpx

from tests.differential.replay import Capture, Snapshot, Step, parse_set_cookie

PASSWORD = "abcd1234"
NEW_PASSWORD = "efgh5678"
# Over 1 MiB: authdeck's SDK refuses it as its core does; upstream validates it as a sign-up form
OVERSIZED = b'{"formFields": [{"id": "email", "value": "' + b"x" * (1 << 20) + b'@example.com"}]}'
_TOKEN = re.compile(r"[?&]token=([^&]+)")


def form(*fields: tuple[str, object]) -> dict[str, object]:
    return {"formFields": [{"id": name, "value": value} for name, value in fields]}


def credentials(email: object = "{email}", password: object = PASSWORD) -> dict[str, object]:
    return form(("email", email), ("password", password))


def emailed_token(variable: str) -> Capture:
    """Takes the token from the link of the newest email in a ``GET /test/emails`` reply."""

    def capture(reply: httpx.Response) -> dict[str, str]:
        emails = reply.json()
        assert emails, "no email was recorded"
        found = _TOKEN.search(emails[-1]["link"])
        assert found, emails[-1]
        return {variable: found.group(1)}

    return capture


def reset_body(token: object, password: object = NEW_PASSWORD) -> dict[str, object]:
    """A password reset body; a None token or password leaves that key or field out."""
    body: dict[str, object] = {"method": "token", **(form() if password is None else form(("password", password)))}
    if token is not None:
        body["token"] = token
    return body


def tokens_as(prefix: str) -> Capture:
    """Keeps a reply's tokens as variables: ``{prefix}_access``/``_refresh`` from the st-access-token and
    st-refresh-token headers or the cookies, and ``{prefix}_csrf`` from the anti-csrf header."""

    def capture(reply: httpx.Response) -> dict[str, str]:
        found = {}
        for line in reply.headers.get_list("set-cookie"):
            name, value, _ = parse_set_cookie(line)
            if name in ("sAccessToken", "sRefreshToken") and value:
                found[f"{prefix}_{name[1:-5].lower()}"] = value
        for header, key in (("st-access-token", "access"), ("st-refresh-token", "refresh"), ("anti-csrf", "csrf")):
            if reply.headers.get(header):
                found[f"{prefix}_{key}"] = reply.headers[header]
        return found

    return capture


SIGN_UP = Step("POST", "/auth/signup", json=credentials())
SIGN_IN = Step("POST", "/auth/signin", json=credentials())
PROTECTED = Step("GET", "/protected")
REFRESH = Step("POST", "/auth/session/refresh")
RESET = Step("POST", "/auth/user/password/reset")

BOTH_ACCESS = {"authorization": "Bearer {h_access}", "cookie": "sAccessToken={c_access}", "anti-csrf": "{c_csrf}"}
BOTH_REFRESH = {"authorization": "Bearer {h_refresh}", "cookie": "sRefreshToken={c_refresh}", "anti-csrf": "{c_csrf}"}
# Scenarios that choose their transfer methods themselves: replayed once, not once per mode.
MODE_INDEPENDENT = {"tokens_in_both_transfer_methods"}

SCENARIOS: dict[str, list[Step | Snapshot]] = {
    "sign_up_then_use_the_session": [
        SIGN_UP,
        PROTECTED,
        Step("GET", "/protected-db"),
        Step("GET", "/optional"),
        Step("POST", "/merge", json={"plan": "pro", "seats": 3, "nested": {"a": [1, "two"]}}),
        PROTECTED,
        Step("POST", "/merge", json={"seats": None}),
        PROTECTED,
    ],
    "sign_up_with_invalid_input": [
        Step("POST", "/auth/signup", json=credentials("not-an-email")),
        Step("POST", "/auth/signup", json=credentials("a@localhost", "abc")),
        Step("POST", "/auth/signup", json=credentials(password="abcdefgh")),
        Step("POST", "/auth/signup", json=credentials(password="12345678")),
        Step("POST", "/auth/signup", json=credentials(password="a1" * 50)),
        Step("POST", "/auth/signup", json=credentials("", "")),
        Step("POST", "/auth/signup", json=form(("email", "{email}"))),
        Step("POST", "/auth/signup", json=form(("email", "{email}"), ("password", PASSWORD), ("age", "3"))),
        Step("GET", "/auth/emailpassword/email/exists?email={email}"),
    ],
    "sign_up_twice_with_one_email": [
        SIGN_UP,
        Step("POST", "/auth/signup", json=credentials(password=NEW_PASSWORD)),
        Step("POST", "/auth/signup", json=credentials("  {email}  ")),
        Step("POST", "/auth/signin", json=credentials("  {email} ")),
    ],
    "sign_in_wrong_then_right": [
        SIGN_UP,
        Step("POST", "/auth/signin", json=credentials(password="wrong-password1")),
        Step("POST", "/auth/signin", json=credentials("nobody-{email}")),
        Step("POST", "/auth/signin", json=credentials("not-an-email")),
        Step("POST", "/auth/signin", json=credentials(password="")),
        SIGN_IN,
        PROTECTED,
        Step("POST", "/auth/public/signin", json=credentials(), headers={"rid": "emailpassword"}),
        Step("GET", "/auth/signin"),
        # FDI 1.17 and 2.0 get the old flat user shape
        SIGN_IN.but(headers={"fdi-version": "1.17"}, tokens="none"),
        SIGN_IN.but(headers={"rid": "session", "fdi-version": "2.0"}, tokens="none"),
        # no st-auth-mode: a new session defaults to header mode
        Step("POST", "/auth/signin", json=credentials(), tokens="none", auth_mode=None),
    ],
    "sign_in_with_an_older_fdi_while_signed_in": [
        SIGN_UP,
        SIGN_IN.but(headers={"fdi-version": "1.17"}),
        SIGN_IN.but(headers={"fdi-version": "3.0,1.18"}),
        PROTECTED,
    ],
    "email_exists": [
        Step("GET", "/auth/emailpassword/email/exists?email={email}"),
        SIGN_UP,
        Step("GET", "/auth/emailpassword/email/exists?email={email}"),
        Step("GET", "/auth/signup/email/exists?email={email}"),
        Step("GET", "/auth/emailpassword/email/exists"),
        Step("GET", "/auth/emailpassword/email/exists?email="),
    ],
    "password_reset_flow": [
        SIGN_UP,
        Step("POST", "/auth/user/password/reset/token", json=form(("email", "nobody-{email}"))),
        Step("POST", "/auth/user/password/reset/token", json=form(("email", "not-an-email"))),
        Step("POST", "/auth/user/password/reset/token", json=form(("email", "{email}"))),
        Step("GET", "/test/emails?to={email}", capture=emailed_token("reset_token")),
        RESET.but(json=reset_body("{reset_token}", None)),
        RESET.but(json=reset_body("{reset_token}", "weak")),
        RESET.but(json=reset_body("no-such-token")),
        RESET.but(json=reset_body(None)),
        RESET.but(json=reset_body(42)),
        RESET.but(json=reset_body("{reset_token}")),
        RESET.but(json=reset_body("{reset_token}")),
        SIGN_IN,
        Step("POST", "/auth/signin", json=credentials(password=NEW_PASSWORD)),
        Step("GET", "/test/emails?to=nobody-{email}"),
    ],
    "email_verification_flow": [
        Step("POST", "/auth/user/email/verify/token"),
        SIGN_UP,
        Step("GET", "/auth/user/email/verify"),
        Step("POST", "/auth/user/email/verify/token"),
        Step("GET", "/test/emails?to={email}", capture=emailed_token("verify_token")),
        Step("POST", "/auth/user/email/verify", json={"method": "token", "token": "no-such-token"}),
        Step("POST", "/auth/user/email/verify", json={"method": "token"}),
        Step("POST", "/auth/user/email/verify", json={"method": "token", "token": 7}),
        Step("POST", "/auth/user/email/verify", json={"method": "token", "token": "{verify_token}"}),
        Step("GET", "/auth/user/email/verify"),
        PROTECTED,
        Step("POST", "/auth/user/email/verify/token"),
        Step("POST", "/auth/user/email/verify", json={"method": "token", "token": "{verify_token}"}),
        Step("POST", "/auth/user/email/verify", json={"method": "token", "token": "{verify_token}"}, tokens="none"),
        Step("GET", "/auth/user/email/verify", tokens="none"),
    ],
    "refresh": [
        SIGN_UP,
        Snapshot("first"),
        REFRESH,
        PROTECTED,
        REFRESH,
        Step("POST", "/auth/session/refresh", tokens="none"),
        Step("POST", "/auth/session/refresh", send_anti_csrf=False, tokens="first"),
    ],
    "reused_refresh_token_is_theft": [
        SIGN_UP,
        Snapshot("stolen"),
        REFRESH,
        PROTECTED,
        Snapshot("rotated"),
        Step("POST", "/auth/session/refresh", tokens="stolen"),
        Step("GET", "/protected-db", tokens="rotated"),
        Step("POST", "/auth/session/refresh", tokens="rotated"),
    ],
    "sign_out": [
        SIGN_UP,
        Snapshot("signed_in"),
        Step("POST", "/auth/signout"),
        PROTECTED,
        Step("POST", "/auth/signout"),
        Step("GET", "/protected-db", tokens="signed_in"),
        Step("POST", "/auth/session/refresh", tokens="signed_in"),
    ],
    "missing_and_invalid_tokens": [
        PROTECTED,
        Step("GET", "/optional"),
        Step("GET", "/protected", headers={"authorization": "Bearer not-a-token"}),
        Step("GET", "/protected", cookies={"sAccessToken": "not-a-token"}),
        Step("GET", "/protected", headers={"authorization": "Basic dXNlcjpwYXNz"}),
        SIGN_UP,
        Step("GET", "/protected", tokens="tampered"),
        Step("GET", "/optional", tokens="tampered"),
        Step("POST", "/merge", json={"x": 1}, send_anti_csrf=False),
        Step("POST", "/merge", json={"x": 1}, headers={"anti-csrf": "wrong"}),
        Step("POST", "/auth/signout", tokens="tampered"),
    ],
    # A browser with a cookie session that also sends another session's header tokens.
    "tokens_in_both_transfer_methods": [
        SIGN_UP.but(auth_mode="cookie", tokens="none", capture=tokens_as("c")),
        SIGN_IN.but(auth_mode="header", tokens="none", capture=tokens_as("h")),
        PROTECTED.but(tokens="none", auth_mode=None, headers=BOTH_ACCESS),
        Step("POST", "/merge", json={"x": 1}, tokens="none", auth_mode=None, headers=BOTH_ACCESS),
        REFRESH.but(tokens="none", auth_mode=None, headers=BOTH_REFRESH, deliberate="refresh-with-both-methods"),
        REFRESH.but(tokens="none", auth_mode="cookie", headers=BOTH_REFRESH, deliberate="refresh-with-both-methods"),
        Step("POST", "/auth/signout", tokens="none", auth_mode=None, headers=BOTH_ACCESS),
    ],
    "malformed_and_wrongly_typed_input": [
        Step("POST", "/auth/signup", content=b'{"formFields": [', deliberate="malformed-json"),
        Step("POST", "/auth/signin", content=b"not json", deliberate="malformed-json"),
        Step("POST", "/auth/signup", json={}),
        Step("POST", "/auth/signin", json={"formFields": []}),
        Step("POST", "/auth/signup", json={"formFields": "email"}),
        Step("POST", "/auth/signup", json={"formFields": [{"id": "email"}, {"id": "password", "value": PASSWORD}]}),
        Step("POST", "/auth/signup", json={"formFields": [{"value": "{email}"}, {"id": "password", "value": "x"}]}),
        Step("POST", "/auth/signup", json=credentials(123)),
        Step("POST", "/auth/signup", json=credentials(password=12345678)),
        Step("POST", "/auth/signup", json=credentials(None)),
        Step("POST", "/auth/signin", json=credentials(["{email}"])),
        Step("POST", "/auth/signin", json=credentials(password={"p": 1})),
        Step("POST", "/auth/user/password/reset/token", json=form(("email", True))),
        Step("POST", "/auth/user/password/reset/token", json={}),
        Step("POST", "/auth/signup", content=b"null"),
        Step("POST", "/auth/signup", content=b"[1, 2]", deliberate="non-object-body"),
        Step("POST", "/auth/signin", content=b'"formFields"', deliberate="non-object-body"),
        Step("POST", "/auth/signup", json={"formFields": ["email", "password"]}),
        Step("POST", "/auth/signup", json={"formFields": None}),
        Step("POST", "/auth/signup", content=b'{"formFields": [{"id": "email", "value": NaN}]}'),
        Step("POST", "/auth/signup", content=OVERSIZED, deliberate="oversized-body"),
        Step("POST", "/auth/user/password/reset", content=b"{", deliberate="malformed-json"),
        Step("POST", "/auth/user/email/verify", content=b"{", deliberate="malformed-json"),
        Step("GET", "/auth/emailpassword/email/exists?email={email}"),
    ],
    "metadata_and_roles": [
        SIGN_UP,
        Step("GET", "/metadata"),
        Step("POST", "/metadata", json={"theme": "dark", "prefs": {"a": 1, "b": [1, 2]}}),
        Step("POST", "/metadata", json={"prefs": None, "lang": "fr"}),
        Step("GET", "/metadata"),
        Step("GET", "/admin"),
        Step("POST", "/roles/grant"),
        Step("POST", "/roles/grant"),
        Step("GET", "/admin"),
        Step("POST", "/roles/refetch"),
        Step("GET", "/admin"),
        REFRESH,
        Step("GET", "/admin"),
    ],
}
