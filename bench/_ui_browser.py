"""What the UI benchmark asks of headless Chromium: the requests and bytes of one page load (from the DevTools
protocol's Network events), and the timeline of one cold load of the users page (from the Performance API).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1200, "height": 800}
ROW = "main table tbody tr"
KINDS = ("html", "js", "css", "svg", "api", "other")

# Runs before any page script: note when the first users-table row enters the DOM, and when the frame that
# shows it has been produced (a message posted from requestAnimationFrame is handled after that frame's paint).
ROW_OBSERVER = """
(() => {
  const seen = () => {
    if (window.__benchRowInDom !== undefined || !document.querySelector(__ROW__)) return;
    window.__benchRowInDom = performance.now();
    observer.disconnect();
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => { window.__benchRowPainted = performance.now(); };
      channel.port2.postMessage(null);
    });
  };
  const observer = new MutationObserver(seen);
  observer.observe(document, { childList: true, subtree: true });
})();
""".replace("__ROW__", json.dumps(ROW))

COLLECT = """
() => {
  const nav = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource").map((r) => ({
    name: r.name, start: r.startTime, sent: r.requestStart, firstByte: r.responseStart, end: r.responseEnd,
  }));
  return {
    responseEnd: nav.responseEnd, domContentLoaded: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
    rowInDom: window.__benchRowInDom, rowPainted: window.__benchRowPainted, resources,
  };
}
"""


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def sign_in(browser: Browser, dashboard_url: str, email: str, password: str) -> dict[str, Any]:
    """Sign in through the login page once; the returned storage state (cookie and the page's signed-in flag)
    makes every later context start signed in."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        page.goto(dashboard_url)
        page.locator("#email").fill(email)
        page.locator("#password").fill(password)
        page.get_by_role("button", name="Sign in").click()
        page.locator(ROW).first.wait_for(state="visible", timeout=60_000)
        state: dict[str, Any] = context.storage_state()  # type: ignore[assignment]
        return state
    finally:
        context.close()


def kind_of(url: str, mime_type: str) -> str:
    path = urlsplit(url).path
    if "/dashboard/api/" in path:
        return "api"
    mime = mime_type.lower()
    if "html" in mime:
        return "html"
    if "javascript" in mime or "ecmascript" in mime:
        return "js"
    if "css" in mime:
        return "css"
    if "svg" in mime:
        return "svg"
    return "other"


@dataclass
class Request:
    url: str
    kind: str = "other"
    status: int = 0
    wire_bytes: int = 0  # headers and body as received (DevTools' "transferred")
    body_bytes: int = 0  # the body after any content decoding
    encoding: str = ""  # the response's Content-Encoding, if any
    from_cache: bool = False
    after_table: bool = False  # started after the first row was visible
    failed: bool = False


@dataclass
class Transfer:
    requests: list[Request] = field(default_factory=list)

    def before_table(self) -> list[Request]:
        return [r for r in self.requests if not r.after_table]

    def on_network(self) -> list[Request]:
        """Requests that reached the server (304 revalidations included, cache hits not)."""
        return [r for r in self.before_table() if not r.from_cache]

    def wire_bytes(self) -> int:
        return sum(r.wire_bytes for r in self.before_table())

    def by_kind(self) -> dict[str, tuple[int, int, int]]:
        """kind -> (requests on the network, wire bytes, body bytes), for requests before the table showed."""
        out: dict[str, tuple[int, int, int]] = {}
        for r in self.before_table():
            n, wire, body = out.get(r.kind, (0, 0, 0))
            out[r.kind] = (n + (0 if r.from_cache else 1), wire + r.wire_bytes, body + r.body_bytes)
        return out


def record_transfer(page: Page, context: BrowserContext, url: str) -> Transfer:
    """Navigate ``page`` to ``url`` and record every request until the first row shows (and, marked as after the
    table, any the page makes until the network has been idle for 500 ms)."""
    cdp = context.new_cdp_session(page)
    seen: dict[str, Request] = {}
    order: list[str] = []
    table_shown = False

    def will_send(event: dict[str, Any]) -> None:
        rid = event["requestId"]
        if rid not in seen:
            order.append(rid)
        # A redirect reuses the requestId; the request that counts is the last one.
        seen[rid] = Request(url=event["request"]["url"], after_table=table_shown)

    def response(event: dict[str, Any]) -> None:
        req = seen.get(event["requestId"])
        if req is None:
            return
        r = event["response"]
        req.status = int(r.get("status", 0))
        req.kind = kind_of(req.url, r.get("mimeType", ""))
        headers = {str(k).lower(): str(v) for k, v in (r.get("headers") or {}).items()}
        req.encoding = headers.get("content-encoding", "")
        if r.get("fromDiskCache") or r.get("fromServiceWorker") or r.get("fromPrefetchCache"):
            req.from_cache = True

    def from_cache(event: dict[str, Any]) -> None:
        if event["requestId"] in seen:
            seen[event["requestId"]].from_cache = True

    def data(event: dict[str, Any]) -> None:
        if event["requestId"] in seen:
            seen[event["requestId"]].body_bytes += int(event.get("dataLength", 0))

    def finished(event: dict[str, Any]) -> None:
        if event["requestId"] in seen:
            seen[event["requestId"]].wire_bytes = int(event.get("encodedDataLength", 0))

    def failed(event: dict[str, Any]) -> None:
        if event["requestId"] in seen:
            seen[event["requestId"]].failed = True

    cdp.on("Network.requestWillBeSent", will_send)
    cdp.on("Network.responseReceived", response)
    cdp.on("Network.requestServedFromCache", from_cache)
    cdp.on("Network.dataReceived", data)
    cdp.on("Network.loadingFinished", finished)
    cdp.on("Network.loadingFailed", failed)
    cdp.send("Network.enable")
    try:
        page.goto(url, wait_until="commit")
        page.locator(ROW).first.wait_for(state="visible", timeout=60_000)
        table_shown = True
        page.wait_for_load_state("networkidle")
    finally:
        cdp.detach()
    return Transfer([seen[rid] for rid in order])


def transfers(browser: Browser, state: dict[str, Any], url: str) -> tuple[Transfer, Transfer, str]:
    """(first load with an empty cache, second load in the same context, the first row's text) of ``url``,
    signed in."""
    context = browser.new_context(storage_state=state, viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        cold = record_transfer(page, context, url)
        first_row = page.locator(ROW).first.inner_text()
        warm = record_transfer(page, context, url)
        return cold, warm, first_row
    finally:
        context.close()


@dataclass(frozen=True)
class Timeline:
    """One cold load, in ms from navigation start (the Performance API's time origin)."""

    wall_ms: float  # seen from Python: page.goto() until the painted flag was read back
    response_end: float
    dom_content_loaded: float
    static_end: float  # the last static file (JS, CSS, SVG) the page fetched before its API calls
    api: dict[str, tuple[float, float, float]]  # API path -> (request start, first byte, response end)
    row_in_dom: float
    row_painted: float
    # (URL, start, request sent, first byte, response end), in the order they started: "start" is when the page
    # asked; the gap to "sent" is queueing and connecting, "sent" to "first byte" the server as the browser saw it.
    resources: list[tuple[str, float, float, float, float]]


def api_name(url: str) -> str:
    path = urlsplit(url).path
    return path.split("/dashboard/api", 1)[1] if "/dashboard/api" in path else path


def timed_load(browser: Browser, state: dict[str, Any], url: str) -> Timeline:
    """A cold load (new context: empty cache, new connections) of the users page, already signed in."""
    context = browser.new_context(storage_state=state, viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        context.add_init_script(ROW_OBSERVER)
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="commit")
        page.wait_for_function("() => window.__benchRowPainted !== undefined", timeout=60_000)
        wall = (time.perf_counter() - started) * 1000
        got: dict[str, Any] = page.evaluate(COLLECT)
    finally:
        context.close()
    api: dict[str, tuple[float, float, float]] = {}
    static_end = 0.0
    first_api = min((r["start"] for r in got["resources"] if "/dashboard/api/" in r["name"]), default=float("inf"))
    for r in got["resources"]:
        if "/dashboard/api/" in r["name"]:
            api.setdefault(api_name(r["name"]), (r["start"], r["firstByte"], r["end"]))
        elif r["start"] < first_api:
            static_end = max(static_end, r["end"])
    return Timeline(
        wall_ms=wall,
        response_end=got["responseEnd"],
        dom_content_loaded=got["domContentLoaded"],
        static_end=static_end,
        api=api,
        row_in_dom=got["rowInDom"],
        row_painted=got["rowPainted"],
        resources=sorted(
            ((r["name"], r["start"], r["sent"], r["firstByte"], r["end"]) for r in got["resources"]), key=lambda r: r[1]
        ),
    )


@dataclass(frozen=True)
class EmptyLoad:
    load_ms: float  # loadEventEnd, ms since navigation start
    wall_ms: float  # seen from Python: page.goto() until the load event
    first_date_format_ms: float  # the first toLocaleString() with the users table's options, in this fresh page


# The users table formats "time joined" with these options; the first such call in a page loads ICU's locale data.
FIRST_DATE_FORMAT = """
() => {
  const started = performance.now();
  new Date(1.7e12).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
  return performance.now() - started;
}
"""


def empty_page_load(browser: Browser, url: str) -> EmptyLoad:
    """A cold load of the server's empty HTML page in a new context: the baseline for any page load."""
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page = context.new_page()
        started = time.perf_counter()
        page.goto(url, wait_until="load")
        wall = (time.perf_counter() - started) * 1000
        load: float = page.evaluate("() => performance.getEntriesByType('navigation')[0].loadEventEnd")
        first_format: float = page.evaluate(FIRST_DATE_FORMAT)
    finally:
        context.close()
    return EmptyLoad(load, wall, first_format)
