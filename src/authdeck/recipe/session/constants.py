"""Names the session recipe reads and writes on the wire (cookies, headers, routes)."""

from __future__ import annotations

from typing import Final, Literal

SESSION_REFRESH: Final = "/session/refresh"
SIGNOUT: Final = "/signout"

ACCESS_TOKEN_COOKIE_KEY: Final = "sAccessToken"  # noqa: S105  # a name, not a secret
REFRESH_TOKEN_COOKIE_KEY: Final = "sRefreshToken"  # noqa: S105  # a name, not a secret
LEGACY_ID_REFRESH_TOKEN_COOKIE_KEY: Final = "sIdRefreshToken"  # noqa: S105  # a name, not a secret

FRONT_TOKEN_HEADER_KEY: Final = "front-token"  # noqa: S105  # a name, not a secret
ANTI_CSRF_HEADER_KEY: Final = "anti-csrf"
RID_HEADER_KEY: Final = "rid"
AUTH_MODE_HEADER_KEY: Final = "st-auth-mode"
AUTHORIZATION_HEADER_KEY: Final = "authorization"
ACCESS_TOKEN_HEADER_KEY: Final = "st-access-token"  # noqa: S105  # a name, not a secret
REFRESH_TOKEN_HEADER_KEY: Final = "st-refresh-token"  # noqa: S105  # a name, not a secret
ACCESS_CONTROL_EXPOSE_HEADERS: Final = "Access-Control-Expose-Headers"

TokenTransferMethod = Literal["cookie", "header"]
TokenType = Literal["access", "refresh"]

# Order matters: clearing "both" methods writes cookie changes first, then headers (as upstream does).
AVAILABLE_TOKEN_TRANSFER_METHODS: Final[tuple[TokenTransferMethod, ...]] = ("cookie", "header")

# Access-token payload keys owned by the core; user payloads may not set them.
PROTECTED_PROPS: Final = (
    "sub",
    "iat",
    "exp",
    "sessionHandle",
    "parentRefreshTokenHash1",
    "refreshTokenHash1",
    "antiCsrfToken",
    "rsub",
    "tId",
    "stt",
)

ONE_YEAR_IN_MS: Final = 31_536_000_000
