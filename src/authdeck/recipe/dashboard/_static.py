"""The dashboard UI's files from package data: the HTML shell (configuration in a JSON data element, no inline
script) and the static files under ``<base>/dashboard/static/``, with content types and cache validators."""

from __future__ import annotations

import hashlib
import html
import json
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse

CONTENT_TYPES = {
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
    ".woff2": "font/woff2",
}
# A URL whose ?v= is the file's hash never changes, so browsers may keep it; without it they revalidate.
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
_SEGMENT = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9_.-]*$")


@dataclass(frozen=True)
class StaticFile:
    content: bytes
    content_type: str
    version: str


@lru_cache(maxsize=256)
def load(relative_path: str) -> StaticFile | None:
    """A file below ui/ by a relative path of plain names (no dot-files, no '..'); None if there is none."""
    parts = relative_path.split("/")
    if not parts or not all(_SEGMENT.match(p) for p in parts):
        return None
    suffix = "." + parts[-1].rsplit(".", 1)[-1] if "." in parts[-1] else ""
    content_type = CONTENT_TYPES.get(suffix.lower())
    if content_type is None:
        return None
    node = resources.files("authdeck.recipe.dashboard").joinpath("ui", *parts)
    if not node.is_file():
        return None
    content = node.read_bytes()
    return StaticFile(content, content_type, hashlib.sha256(content).hexdigest()[:20])


@lru_cache(maxsize=1)
def _shell_template() -> string.Template:
    text = resources.files("authdeck.recipe.dashboard").joinpath("ui", "index.html").read_text("utf-8")
    return string.Template(text)


def _version(name: str) -> str:
    found = load(name)
    return found.version if found is not None else "0"


def _json_for_html(value: Any) -> str:
    """JSON that cannot end the <script> element it sits in or start markup."""
    text = json.dumps(value, separators=(",", ":"), ensure_ascii=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_shell(
    static_base: str, config: dict[str, Any], *, title: str = "User Management Dashboard", preload: tuple[str, ...] = ()
) -> str:
    """The HTML page; ``preload`` names the UI modules this page will import, fetched alongside app.js."""
    links = "".join(
        f'<link rel="modulepreload" href="{html.escape(static_base, quote=True)}/{html.escape(name, quote=True)}">\n'
        for name in preload
    )
    return _shell_template().substitute(
        preload=links,
        title=html.escape(title, quote=True),
        static=html.escape(static_base, quote=True),
        config=_json_for_html(config),
        js_version=_version("app.js"),
        css_version=_version("app.css"),
        icon_version=_version("icon.svg"),
    )


def serve(request: BaseRequest, response: BaseResponse, relative_path: str) -> BaseResponse:
    found = load(relative_path)
    if found is None:
        response.set_status(404)
        response.set_json_content({"message": "Not found"})
        return response
    etag = f'"{found.version}"'
    response.set_header("ETag", etag)
    response.set_header("Cache-Control", IMMUTABLE if request.get_query_param("v") == found.version else REVALIDATE)
    candidates = [t.strip() for t in (request.get_header("if-none-match") or "").split(",")]
    if etag in candidates or f"W/{etag}" in candidates:
        response.set_status(304)
        response.set_body(b"", found.content_type)
        return response
    response.set_status(200)
    response.set_body(found.content, found.content_type)
    return response
