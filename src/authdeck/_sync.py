"""Runs the SDK's async logic from synchronous code (Flask, sync Django views, ``authdeck.syncio``).

Sync callers share one long-lived event loop in a daemon thread, so the core's HTTP connections are reused
across calls instead of building a new loop per call. Calling from inside a running loop is refused with a
hint, because it would block that loop.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar

T = TypeVar("T")

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()


def _background_loop() -> asyncio.AbstractEventLoop:
    global _loop
    with _lock:
        if _loop is None:
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="authdeck-sync-loop", daemon=True)
            thread.start()
            _loop = loop
        return _loop


def run(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from synchronous code and return its result."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass
    else:
        coro.close()
        raise RuntimeError(
            "an authdeck.syncio function was called inside a running event loop; "
            "use the authdeck.asyncio function of the same name and await it"
        )
    return asyncio.run_coroutine_threadsafe(coro, _background_loop()).result()


async def call_maybe_async(fn: Callable[..., T | Awaitable[T]], *args: Any) -> T:
    """Call a user callback that may be sync or async; sync ones run in a thread so they cannot block the loop."""
    if inspect.iscoroutinefunction(fn):
        result: T = await fn(*args)
        return result
    value = await asyncio.to_thread(fn, *args)
    if inspect.isawaitable(value):
        return await value
    return value
