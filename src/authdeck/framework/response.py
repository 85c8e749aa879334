"""A framework-neutral response that SDK routes write to; adapters render it for their framework.

Cookies are formatted here, once, so every framework sends byte-identical ``Set-Cookie`` headers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from email.utils import formatdate
from typing import Any, Literal
from urllib.parse import quote

SameSite = Literal["lax", "strict", "none"]


@dataclass(frozen=True)
class Cookie:
    key: str
    value: str
    expires_ms: int
    path: str
    domain: str | None
    secure: bool
    httponly: bool
    samesite: SameSite

    def header_value(self) -> str:
        expires = formatdate(self.expires_ms / 1000, usegmt=True)
        value = quote(self.value, safe="") if self.value else '""'
        parts = [f"{self.key}={value}"]
        if self.domain:
            parts.append(f"Domain={self.domain}")
        parts.append(f"expires={expires}")
        if self.httponly:
            parts.append("HttpOnly")
        parts.append(f"Path={self.path}")
        parts.append(f"SameSite={self.samesite}")
        if self.secure:
            parts.append("Secure")
        return "; ".join(parts)


@dataclass
class BaseResponse:
    status_code: int = 200
    headers: dict[str, str] = field(default_factory=dict)  # lower-case names
    cookies: dict[tuple[str, str, str | None], Cookie] = field(default_factory=dict)
    body: bytes | None = None
    media_type: str = "application/json"

    def set_status(self, status_code: int) -> None:
        self.status_code = status_code

    def set_header(self, key: str, value: str) -> None:
        self.headers[key.lower()] = value

    def get_header(self, key: str) -> str | None:
        return self.headers.get(key.lower())

    def remove_header(self, key: str) -> None:
        self.headers.pop(key.lower(), None)

    def append_to_header(self, key: str, value: str) -> None:
        """Comma-append ``value`` (used for Access-Control-Expose-Headers)."""
        current = self.get_header(key)
        self.set_header(key, value if not current else f"{current},{value}")

    def set_cookie(self, cookie: Cookie) -> None:
        self.cookies[(cookie.key, cookie.path, cookie.domain)] = cookie

    def set_json_content(self, content: Any) -> None:
        self.body = json.dumps(content, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        self.media_type = "application/json; charset=utf-8"

    def set_html_content(self, html: str) -> None:
        self.body = html.encode("utf-8")
        self.media_type = "text/html; charset=utf-8"

    def set_body(self, body: bytes, media_type: str) -> None:
        self.body = body
        self.media_type = media_type

    def header_items(self) -> list[tuple[str, str]]:
        """Every header to send, ``Set-Cookie`` included, in a stable order."""
        items = list(self.headers.items())
        items += [("set-cookie", c.header_value()) for c in self.cookies.values()]
        return items


def pending_changes(request_state: dict[str, Any]) -> list[tuple[str, str]]:
    """Headers that SDK code queued for the app's own response (new tokens, cleared cookies)."""
    mutators = request_state.get("response_mutators") or []
    if not mutators:
        return []
    overlay = BaseResponse()
    for mutate in mutators:
        mutate(overlay)
    return overlay.header_items()


def apply_pending(request_state: dict[str, Any], response: BaseResponse) -> None:
    """Apply (and forget) the queued changes to ``response``, an SDK route's own reply."""
    for mutate in request_state.pop("response_mutators", None) or []:
        mutate(response)


def queue_change(request_state: dict[str, Any], mutate: Any) -> None:
    """Queue ``mutate(response)`` to run on whatever response the request ends with."""
    request_state.setdefault("response_mutators", []).append(mutate)
