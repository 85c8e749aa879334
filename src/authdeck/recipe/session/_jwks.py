"""The core's public signing keys, cached for ``jwks_refresh_interval_sec`` and refetched (at most once per
500 ms) when a token names a key id the cache does not hold, so that key rotation needs no restart."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from jwt.algorithms import RSAAlgorithm
from jwt.exceptions import InvalidKeyError

from authdeck._querier import Querier
from authdeck.recipe.session.exceptions import TryRefreshTokenError

JWKS_PATH = "/.well-known/jwks.json"
REFETCH_COOLDOWN_MS = 500


def _now_ms() -> float:
    return time.monotonic() * 1000


@dataclass(frozen=True)
class _Snapshot:
    keys: dict[str, RSAPublicKey]
    fetched_at_ms: float


def parse_jwks(data: dict[str, Any]) -> dict[str, RSAPublicKey]:
    """RSA keys by kid; keys of other types or algorithms are skipped (only RS256 tokens are accepted)."""
    keys: dict[str, RSAPublicKey] = {}
    for jwk in data.get("keys") or []:
        if not isinstance(jwk, dict) or jwk.get("kty") != "RSA" or not isinstance(jwk.get("kid"), str):
            continue
        if jwk.get("alg", "RS256") != "RS256":
            continue
        try:
            key = RSAAlgorithm.from_jwk(jwk)
        except (InvalidKeyError, ValueError, KeyError):
            continue
        if isinstance(key, RSAPublicKey):
            keys[jwk["kid"]] = key
    return keys


class JWKSCache:
    """One per session recipe. Safe to share between event loops (async app loop and the sync bridge)."""

    def __init__(self, querier: Querier, refresh_interval_sec: int) -> None:
        self._querier = querier
        self._refresh_interval_ms = refresh_interval_sec * 1000
        self._snapshot: _Snapshot | None = None
        self._last_fetch_ms: float | None = None
        self._locks: dict[int, tuple[asyncio.AbstractEventLoop, asyncio.Lock]] = {}
        self.fetch_count = 0  # for tests and diagnostics

    def _fresh_keys(self) -> dict[str, RSAPublicKey] | None:
        snap = self._snapshot
        if snap is None or _now_ms() - snap.fetched_at_ms >= self._refresh_interval_ms:
            return None
        return snap.keys

    def _lookup(self, kid: str) -> RSAPublicKey | None:
        """The cached key, None if a fetch is due; raises if the kid is unknown and we fetched just now."""
        keys = self._fresh_keys()
        if keys is None:
            return None
        key = keys.get(kid)
        if key is not None:
            return key
        if self._last_fetch_ms is not None and _now_ms() - self._last_fetch_ms < REFETCH_COOLDOWN_MS:
            raise TryRefreshTokenError("No matching JWKS found")
        return None

    def _lock(self) -> asyncio.Lock:
        loop = asyncio.get_running_loop()
        entry = self._locks.get(id(loop))
        if entry is None or entry[0] is not loop:
            entry = (loop, asyncio.Lock())
            self._locks[id(loop)] = entry
        return entry[1]

    async def get_key(self, kid: str) -> RSAPublicKey:
        key = self._lookup(kid)
        if key is not None:
            return key
        async with self._lock():
            key = self._lookup(kid)  # another request may have fetched while we waited
            if key is not None:
                return key
            try:
                data, _headers = await self._querier.get_public(JWKS_PATH)
            finally:
                self._last_fetch_ms = _now_ms()
            self.fetch_count += 1
            keys = parse_jwks(data if isinstance(data, dict) else {})
            self._snapshot = _Snapshot(keys, _now_ms())
        key = keys.get(kid)
        if key is None:
            raise TryRefreshTokenError("No matching JWKS found")
        return key

    def reset(self) -> None:
        self._snapshot = None
        self._last_fetch_ms = None
