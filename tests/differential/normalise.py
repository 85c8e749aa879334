"""Turns recorded exchanges into comparable data: ids, tokens and times become placeholders, JWTs and the
front-token are decoded, Set-Cookie lines are split into attributes with ``expires`` as a day offset.

Placeholders are numbered by first appearance within one scenario (walking dict keys in sorted order), so two
transcripts compare equal only if the same values recur in the same places: the ``sub`` of a token must be
the user id of the sign-up reply in both, the ``anti-csrf`` header must be the token's ``antiCsrfToken``, ...
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
import urllib.parse
from email.utils import parsedate_to_datetime
from typing import Any

from tests.differential.replay import Exchange, parse_set_cookie

COMPARED_HEADERS = (
    "content-type",
    "front-token",
    "st-access-token",
    "st-refresh-token",
    "anti-csrf",
    "access-control-expose-headers",
)
TIME_KEYS = {"t", "iat", "exp", "ate", "timeJoined", "expiry"}
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
HEX64 = re.compile(r"[0-9a-f]{64}")
JWT = re.compile(r"eyJ[\w-]*\.eyJ[\w-]*\.[\w-]+")
TOKEN_PARAM = re.compile(r"([?&]token=)([^&]+)")


def _b64url_json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


class Normaliser:
    """One per scenario and package: it keeps the placeholder numbering."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url
        self.names: dict[str, str] = {}
        self.counts: dict[str, int] = {}

    def placeholder(self, kind: str, value: str) -> str:
        if value not in self.names:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.names[value] = f"<{kind}:{self.counts[kind]}>"
        return self.names[value]

    # values -------------------------------------------------------------------------------------------------

    def value(self, value: Any, key: str | None = None) -> Any:
        if isinstance(value, bool) or value is None or isinstance(value, float):
            return value
        if isinstance(value, int):
            return "<time>" if key in TIME_KEYS or value >= 10**12 else value
        if isinstance(value, str):
            return self.string(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            done = {k: self.value(value[k], k) for k in sorted(value)}  # numbering independent of key order
            if key == "st-perm" and isinstance(done.get("v"), list):
                done["v"] = sorted(done["v"])  # upstream builds it from a set: no stable order
            return {k: done[k] for k in value}
        return value

    def string(self, text: str) -> Any:
        if JWT.fullmatch(text):
            return self.jwt(text)
        if UUID.fullmatch(text):
            return self.placeholder("id", text)
        if HEX64.fullmatch(text):
            return self.placeholder("hash", text)
        text = text.replace(self.api_url, "<api>")
        return TOKEN_PARAM.sub(lambda m: m.group(1) + self.placeholder("tok", urllib.parse.unquote(m.group(2))), text)

    def jwt(self, token: str) -> dict[str, Any]:
        head, payload, _signature = token.split(".")
        header = _b64url_json(head)
        if "kid" in header:
            header["kid"] = self.placeholder("kid", header["kid"])
        return {"jwt": {"header": header, "payload": self.value(_b64url_json(payload))}}

    def opaque(self, token: str) -> str:
        """A refresh token or other opaque credential: its identity matters, not its text."""
        if not token:
            return token
        normalised = self.string(token)
        return normalised if normalised != token else self.placeholder("tok", token)

    def front_token(self, text: str) -> Any:
        if text == "remove":
            return text
        try:
            raw = base64.b64decode(text, validate=True)
        except binascii.Error:
            return {"undecodable": text}
        decoded = json.loads(raw)
        return {
            "standardBase64": base64.b64encode(raw).decode() == text,
            "compactSortedJson": json.dumps(decoded, separators=(",", ":"), sort_keys=True).encode() == raw,
            "value": self.value(decoded),
        }

    # one exchange ---------------------------------------------------------------------------------------------

    def header(self, name: str, value: str) -> Any:
        if name == "front-token":
            return self.front_token(value)
        if name in ("st-access-token", "st-refresh-token", "anti-csrf"):
            return self.opaque(value)
        return value

    def cookie(self, line: str, now: dt.datetime) -> dict[str, Any]:
        name, value, _ = parse_set_cookie(line)
        attributes: list[tuple[str, str]] = []
        for item in line.split(";")[1:]:
            key, sep, val = item.strip().partition("=")
            if key.lower() == "expires":
                when = parsedate_to_datetime(val)
                val = "epoch" if when.year <= 1970 else f"now+{round((when - now).total_seconds() / 86400)}d"
            attributes.append((key, sep + val))
        shown = value if value in ("", '""') else self.opaque(urllib.parse.unquote(value))
        return {"name": name, "value": shown, "attributes": attributes}

    def exchange(self, exchange: Exchange) -> dict[str, Any]:
        headers: dict[str, list[str]] = {}
        for name, value in exchange.headers:
            headers.setdefault(name.lower(), []).append(value)
        now = parsedate_to_datetime(headers["date"][0]) if "date" in headers else dt.datetime.now(dt.UTC)
        out: dict[str, Any] = {"step": exchange.step.label(), "status": exchange.status}
        body: Any
        try:
            parsed = json.loads(exchange.body) if exchange.body else None
        except ValueError:
            body, order = exchange.body.decode(errors="replace"), []
        else:
            body, order = self.value(parsed), key_order(parsed)
        out["body"], out["bodyKeyOrder"] = body, order
        out["headers"] = {
            name: [self.header(name, v) for v in headers[name]] for name in COMPARED_HEADERS if name in headers
        }
        out["cookies"] = [self.cookie(line, now) for line in effective_cookies(headers.get("set-cookie", []))]
        return out


def effective_cookies(lines: list[str]) -> list[str]:
    """The Set-Cookie lines a browser ends up applying, sorted by name: for one name, path and domain only the
    last line counts. (upstream writes the cookie again each time a route updates the token, authdeck once.)"""
    last: dict[tuple[str, str | None, str | None], str] = {}
    for line in lines:
        name, _, attributes = parse_set_cookie(line)
        key = (name, attributes.get("path"), attributes.get("domain"))
        last.pop(key, None)
        last[key] = line
    return sorted(last.values(), key=lambda line: parse_set_cookie(line)[0])


def key_order(value: Any, prefix: str = "") -> list[str]:
    """Every object key path in the order it was emitted (JSON bodies are compared byte-for-byte-ish)."""
    paths: list[str] = []
    if isinstance(value, dict):
        for k, v in value.items():
            paths.append(prefix + k)
            paths.extend(key_order(v, f"{prefix}{k}."))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            paths.extend(key_order(v, f"{prefix}{i}."))
    return paths
