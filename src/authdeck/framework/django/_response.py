"""Rendering SDK responses and queued session headers onto Django responses.

Django formats cookies itself (through ``http.cookies``), which would reorder the attributes; a Morsel that
outputs the SDK's own line keeps ``Set-Cookie`` byte-identical to the other frameworks.
"""

from __future__ import annotations

from collections.abc import Container
from http.cookies import Morsel

from django.http import HttpResponse, HttpResponseBase  # type: ignore[import-untyped]

from authdeck.framework.response import BaseResponse


class _FormattedCookie(Morsel[str]):
    def __init__(self, line: str) -> None:
        super().__init__()
        name, _, rest = line.partition("=")
        coded = rest.split(";", 1)[0]
        self.set(name, coded.strip('"'), coded)
        self._line = line

    def OutputString(self, attrs: Container[str] | None = None) -> str:  # noqa: N802 (the http.cookies name)
        return self._line


def _add_set_cookies(response: HttpResponseBase, lines: list[str]) -> None:
    added: set[str] = set()
    for line in lines:
        cookie = _FormattedCookie(line)
        key = cookie.key
        # The lines come from one BaseResponse, which keeps one cookie per (name, path, domain): a name seen
        # twice here is the same name for another path or domain, and needs an entry of its own.
        while key in added:
            key += "\x00"
        added.add(key)
        dict.__setitem__(response.cookies, key, cookie)


def render(reply: BaseResponse) -> HttpResponse:
    """A Django response carrying exactly the SDK's status, headers, cookies and body."""
    body = reply.body or b""
    response = HttpResponse(body, status=reply.status_code, content_type=reply.media_type)
    response["Content-Length"] = str(len(body))  # as the other frameworks send it
    apply_changes(response, reply.header_items())
    return response


def apply_changes(response: HttpResponseBase, changes: list[tuple[str, str]]) -> None:
    """Put SDK headers onto a Django response; each cookie keeps its own Set-Cookie header."""
    _add_set_cookies(response, [value for key, value in changes if key == "set-cookie"])
    for key, value in changes:
        if key == "set-cookie":
            continue
        if key == "access-control-expose-headers" and response.has_header(key):
            response[key] = f"{response[key]},{value}"
        else:
            response[key] = value
