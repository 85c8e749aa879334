"""The users page's dashboard API calls made from Python with httpx, as the UI benchmark's baseline: the same
requests, with the browser's cookie, but no browser. Sampled between the browser loads, so both see the same
machine."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import httpx

from authdeck.recipe.dashboard.constants import COOKIE_NAME

API = "/auth/dashboard/api"
CALLS = {
    "/me": "/me",
    "/users": "/users?limit=10&timeJoinedOrder=DESC",
    "/users/count": "/users/count",
    "/search/tags": "/search/tags",
}
PAGE = "the page's calls as it makes them: `/me`, then the other three at once"


class ApiProbe:
    """Keep-alive connections; the three concurrent calls go out from three threads."""

    def __init__(self, app_url: str, cookie: str) -> None:
        headers = {"cookie": f"{COOKIE_NAME}={cookie}", "accept": "application/json"}
        self.client = httpx.Client(base_url=app_url + API, headers=headers, timeout=30)
        self.pool = ThreadPoolExecutor(max_workers=3)
        self.samples: dict[str, list[float]] = {PAGE: [], **{f"`GET {name}` alone": [] for name in CALLS}}

    def close(self) -> None:
        self.pool.shutdown()
        self.client.close()

    def get(self, path: str) -> None:
        reply = self.client.get(path)
        if reply.status_code != 200 or reply.json().get("status") != "OK":
            raise RuntimeError(f"GET {path} -> {reply.status_code}: {reply.text[:300]}")

    def as_the_page(self) -> None:
        # The users page asks who is signed in, then for the page, the count and the search tags at once.
        self.get(CALLS["/me"])
        for future in [self.pool.submit(self.get, CALLS[p]) for p in ("/users", "/users/count", "/search/tags")]:
            future.result()

    def sample(self, rounds: int, *, keep: bool = True) -> None:
        """``rounds`` timed calls of the page's sequence and of each call alone."""
        jobs: list[tuple[str, Callable[[], None]]] = [(PAGE, self.as_the_page)]
        jobs += [(f"`GET {name}` alone", lambda path=path: self.get(path)) for name, path in CALLS.items()]  # type: ignore[misc]
        for _ in range(rounds):
            for name, job in jobs:
                started = time.perf_counter()
                job()
                if keep:
                    self.samples[name].append((time.perf_counter() - started) * 1000)
