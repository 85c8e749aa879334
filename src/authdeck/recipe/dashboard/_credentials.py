"""Where a dashboard request's credential comes from: ``Authorization: Bearer <token>``, else the cookie.

A present but malformed Authorization header is no credential at all (401), never a fallback to the cookie.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from authdeck.framework.request import BaseRequest
from authdeck.recipe.dashboard.constants import COOKIE_NAME

MAX_TOKEN_LENGTH = 512  # session ids are UUIDs; longer tokens are refused without asking the core


@dataclass(frozen=True)
class Credential:
    token: str = field(repr=False)
    via_cookie: bool


def read_credential(request: BaseRequest) -> Credential | None:
    header = request.get_header("authorization")
    if header is not None:
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "bearer" or len(parts[1]) > MAX_TOKEN_LENGTH:
            return None
        return Credential(parts[1], via_cookie=False)
    cookie = request.get_cookie(COOKIE_NAME)
    if cookie and len(cookie) <= MAX_TOKEN_LENGTH:
        return Credential(cookie, via_cookie=True)
    return None
