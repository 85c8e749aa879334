"""Password hashing with bcrypt or Argon2id, bounded so that hashing cannot starve the server.

Hashes are slow on purpose. Callers run in worker threads (never on the event loop); a semaphore caps how
many hash at once, so a burst of sign-ins queues instead of exhausting CPU and memory.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Literal

import bcrypt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

Algorithm = Literal["BCRYPT", "ARGON2"]


class PasswordHashing:
    """Hashes new passwords with the configured algorithm and verifies hashes of either kind."""

    def __init__(
        self,
        *,
        bcrypt_rounds: int = 11,
        argon2_iterations: int = 1,
        argon2_memory_kb: int = 87_795,
        argon2_parallelism: int = 2,
        pool_size: int = 2,
    ) -> None:
        self._bcrypt_rounds = bcrypt_rounds
        self._argon2 = PasswordHasher(
            time_cost=argon2_iterations,
            memory_cost=argon2_memory_kb,
            parallelism=argon2_parallelism,
            hash_len=32,
            salt_len=16,
        )
        self.pool_size = pool_size
        self._slots = threading.BoundedSemaphore(pool_size)
        self._counts = threading.Lock()
        self.in_progress = 0
        self.waiting = 0
        self.on_wait: Callable[[float], None] | None = None  # told how long each hash waited for a slot, in s
        self._dummy: str | None = None

    @contextmanager
    def _slot(self) -> Iterator[None]:
        started = time.perf_counter()
        with self._counts:
            self.waiting += 1
        try:
            self._slots.acquire()
        finally:
            with self._counts:
                self.waiting -= 1
        with self._counts:
            self.in_progress += 1
        if self.on_wait is not None:
            self.on_wait(time.perf_counter() - started)
        try:
            yield
        finally:
            with self._counts:
                self.in_progress -= 1
            self._slots.release()

    def hash(self, password: str, algorithm: Algorithm = "BCRYPT") -> str:
        with self._slot():
            if algorithm == "ARGON2":
                return self._argon2.hash(password)
            # bcrypt reads at most 72 bytes of a password (so do jBCrypt and upstream); the rest is ignored.
            salt = bcrypt.gensalt(rounds=self._bcrypt_rounds, prefix=b"2a")
            return str(bcrypt.hashpw(password.encode("utf-8")[:72], salt).decode("ascii"))

    def verify(self, password: str, stored_hash: str) -> bool:
        """True when ``password`` matches ``stored_hash``; a malformed hash never matches."""
        with self._slot():
            if stored_hash.startswith("$argon2"):
                try:
                    return bool(self._argon2.verify(stored_hash, password))
                except (VerificationError, InvalidHashError):
                    return False
            if stored_hash.startswith(("$2a$", "$2b$", "$2y$", "$2x$")):
                normalised = "$2b$" + stored_hash[4:]
                try:
                    return bool(bcrypt.checkpw(password.encode("utf-8")[:72], normalised.encode("ascii")))
                except ValueError:
                    return False
            return False

    def burn_dummy(self, password: str) -> None:
        """Spend as long as a real verification, for unknown users, so timing does not reveal who exists."""
        if self._dummy is None:
            self._dummy = self.hash("authdeck-dummy-password-1")
        self.verify(password, self._dummy)


def is_supported_hash(value: str, algorithm: str | None = None) -> bool:
    """True when ``value`` looks like a hash this core can verify (for imports)."""
    if algorithm in (None, "BCRYPT") and value.startswith(("$2a$", "$2b$", "$2y$", "$2x$")):
        return len(value) == 60
    if algorithm in (None, "ARGON2") and value.startswith(("$argon2id$", "$argon2i$", "$argon2d$")):
        return value.count("$") >= 5
    return False
