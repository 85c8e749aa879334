"""Replays a sequence of steps against one app as a frontend would, keeping its tokens between steps.

In cookie mode the frontend keeps a cookie jar (cookies go only to paths under their ``Path``) and the
``anti-csrf`` header it was given; in header mode it keeps ``st-access-token``/``st-refresh-token`` and sends
``Authorization: Bearer`` (the refresh token on the refresh path), as supertokens-website does.
"""

from __future__ import annotations

import copy
import dataclasses
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

REFRESH_PATH = "/auth/session/refresh"
_VAR = re.compile(r"\{(\w+)\}")
NO_BODY: Any = object()

Capture = Callable[[httpx.Response], dict[str, str]]


@dataclass(frozen=True)
class Step:
    """One request. ``"{name}"`` in the path, headers and JSON strings is replaced by the variable ``name``.

    tokens: "current" (what the frontend holds), "none", "tampered" (current, with the access token's signature
    altered) or the name of a Snapshot taken earlier. ``auth_mode`` is sent as ``st-auth-mode`` ("mode": the
    run's transfer mode; None: no header). ``deliberate`` names an entry of the test's table of deliberate
    differences: that step is checked against each package's own expectation instead of being compared.
    """

    method: str
    path: str
    json: Any = NO_BODY
    content: bytes | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    cookies: Mapping[str, str] = field(default_factory=dict)
    tokens: str = "current"
    send_anti_csrf: bool = True
    auth_mode: str | None = "mode"
    capture: Capture | None = None
    deliberate: str | None = None

    def but(self, **changes: Any) -> Step:
        return dataclasses.replace(self, **changes)

    def label(self) -> str:
        return f"{self.method} {self.path}"


@dataclass(frozen=True)
class Snapshot:
    """Remembers the frontend's tokens under ``name`` (a second tab, or what a thief copied)."""

    name: str


@dataclass
class Tokens:
    cookies: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (value, path)
    access: str | None = None
    refresh: str | None = None
    anti_csrf: str | None = None


@dataclass(frozen=True)
class Exchange:
    step: Step
    status: int
    headers: list[tuple[str, str]]
    body: bytes


def substitute(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        return _VAR.sub(lambda m: variables.get(m.group(1), m.group(0)), value)
    if isinstance(value, list):
        return [substitute(v, variables) for v in value]
    if isinstance(value, dict):
        return {k: substitute(v, variables) for k, v in value.items()}
    return value


def tamper(jwt: str) -> str:
    """The same token with one signature character changed: well-formed, but its signature no longer holds."""
    head, _, last = jwt.rpartition(".")
    flipped = "A" if last[5] != "A" else "B"
    return f"{head}.{last[:5]}{flipped}{last[6:]}"


class Frontend:
    def __init__(self, base_url: str, mode: str, variables: Mapping[str, str]) -> None:
        self.mode = mode
        self.http = httpx.Client(base_url=base_url, timeout=30)
        self.tokens = Tokens()
        self.snapshots: dict[str, Tokens] = {}
        self.variables = dict(variables)

    def close(self) -> None:
        self.http.close()

    def run(self, steps: list[Step | Snapshot]) -> list[Exchange]:
        exchanges = []
        for step in steps:
            if isinstance(step, Snapshot):
                self.snapshots[step.name] = copy.deepcopy(self.tokens)
            else:
                exchanges.append(self.send(step))
        return exchanges

    def _token_headers(self, step: Step, path: str) -> dict[str, str]:
        if step.tokens == "none":
            return {}
        held = self.tokens if step.tokens in ("current", "tampered") else self.snapshots[step.tokens]
        access = held.access
        cookies = {name: value for name, (value, cookie_path) in held.cookies.items() if path.startswith(cookie_path)}
        if step.tokens == "tampered":
            if access:
                access = tamper(access)
            if "sAccessToken" in cookies:
                cookies["sAccessToken"] = tamper(cookies["sAccessToken"])
        headers: dict[str, str] = {}
        if self.mode == "header":
            token = held.refresh if path == REFRESH_PATH else access
            if token:
                headers["authorization"] = f"Bearer {token}"
        if cookies:
            headers["cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if held.anti_csrf and step.send_anti_csrf:
            headers["anti-csrf"] = held.anti_csrf
        return headers

    def send(self, step: Step) -> Exchange:
        path = substitute(step.path, self.variables)
        headers = {}
        if step.auth_mode is not None:
            headers["st-auth-mode"] = self.mode if step.auth_mode == "mode" else step.auth_mode
        headers.update(self._token_headers(step, urllib.parse.urlsplit(path).path))
        if step.cookies:
            extra = "; ".join(f"{k}={substitute(v, self.variables)}" for k, v in step.cookies.items())
            headers["cookie"] = f"{headers['cookie']}; {extra}" if "cookie" in headers else extra
        headers.update(substitute(dict(step.headers), self.variables))
        kwargs: dict[str, Any] = {"headers": headers}
        if step.content is not None:
            kwargs["content"] = step.content
            headers.setdefault("content-type", "application/json")
        elif step.json is not NO_BODY:
            kwargs["json"] = substitute(step.json, self.variables)
        reply = self.http.request(step.method, path, **kwargs)
        self.http.cookies.clear()  # the jar is ours, so that Set-Cookie can be read as sent
        if reply.status_code >= 500:  # uvicorn may drop the connection after an app crash: start a new one
            self.http.close()
            self.http = httpx.Client(base_url=self.http.base_url, timeout=30)
        self._keep(reply)
        if step.capture is not None:
            self.variables.update(step.capture(reply))
        return Exchange(step, reply.status_code, list(reply.headers.multi_items()), reply.content)

    def _keep(self, reply: httpx.Response) -> None:
        held = self.tokens
        if reply.headers.get("front-token") == "remove":
            held.access = held.refresh = held.anti_csrf = None
        if "st-access-token" in reply.headers:
            held.access = reply.headers["st-access-token"] or None
        if "st-refresh-token" in reply.headers:
            held.refresh = reply.headers["st-refresh-token"] or None
        if "anti-csrf" in reply.headers:
            held.anti_csrf = reply.headers["anti-csrf"] or None
        for line in reply.headers.get_list("set-cookie"):
            name, value, attributes = parse_set_cookie(line)
            expires = attributes.get("expires")
            if (expires is not None and parsedate_to_datetime(expires).year <= 1970) or value in ("", '""'):
                held.cookies.pop(name, None)
            else:
                held.cookies[name] = (value, attributes.get("path", "/"))


def parse_set_cookie(line: str) -> tuple[str, str, dict[str, str]]:
    """(name, raw value, attributes with lower-cased names)."""
    first, *rest = line.split(";")
    name, _, value = first.strip().partition("=")
    attributes = {}
    for item in rest:
        key, _, val = item.strip().partition("=")
        attributes[key.lower()] = val
    return name, value, attributes
