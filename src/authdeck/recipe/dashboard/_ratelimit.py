"""Per-client-IP limit on failed dashboard sign-ins and wrong API keys, in this process's memory.

The per-email lockout lives in the core (shared by every process); this one stops a single IP from trying
many emails, or many API keys in API-key mode. A successful sign-in from an IP clears its failures.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque

from authdeck.recipe.dashboard.constants import (
    SIGNIN_FAILURE_WINDOW_SECONDS,
    SIGNIN_FAILURES_PER_IP,
    SIGNIN_TRACKED_IPS,
)
from authdeck.recipe.dashboard.exceptions import TooManySignInAttemptsError


class SignInLimiter:
    def __init__(
        self,
        max_failures: int = SIGNIN_FAILURES_PER_IP,
        window_seconds: float = SIGNIN_FAILURE_WINDOW_SECONDS,
        max_ips: int = SIGNIN_TRACKED_IPS,
    ) -> None:
        self.max_failures = max_failures
        self.window = window_seconds
        self.max_ips = max_ips
        self._failures: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()  # Flask and sync Django may call from several threads

    def _recent(self, ip: str, now: float) -> deque[float] | None:
        times = self._failures.get(ip)
        if times is None:
            return None
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self._failures[ip]
            return None
        return times

    def retry_after(self, ip: str | None) -> int | None:
        """Seconds until ``ip`` may try again, or None when it is not locked."""
        if ip is None:
            return None
        now = time.monotonic()
        with self._lock:
            times = self._recent(ip, now)
            if times is None or len(times) < self.max_failures:
                return None
            return max(1, math.ceil(times[-self.max_failures] + self.window - now))

    def refuse_if_locked(self, ip: str | None, attempts: str) -> None:
        """Raise ``TooManySignInAttemptsError`` naming ``attempts`` when ``ip`` has failed too often."""
        wait = self.retry_after(ip)
        if wait is not None:
            minutes = math.ceil(wait / 60)
            unit = "minute" if minutes == 1 else "minutes"
            raise TooManySignInAttemptsError(
                f"Too many failed {attempts} from this address. Try again in {minutes} {unit}.", wait
            )

    def failed(self, ip: str | None) -> None:
        if ip is None:
            return
        now = time.monotonic()
        with self._lock:
            times = self._recent(ip, now)
            if times is None:
                times = self._failures[ip] = deque(maxlen=self.max_failures)
            times.append(now)
            self._failures.move_to_end(ip)
            while len(self._failures) > self.max_ips:
                self._failures.popitem(last=False)

    def succeeded(self, ip: str | None) -> None:
        if ip is not None:
            with self._lock:
                self._failures.pop(ip, None)
