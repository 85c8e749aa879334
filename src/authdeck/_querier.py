"""The SDK's client for the core (CDI 5.4): handshake, headers, fail-over, retries and error translation.

One ``httpx.AsyncClient`` per event loop, so async frameworks and the sync bridge can share a querier.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
from typing import Any

import httpx

from authdeck.exceptions import ConfigError, CoreRequestError, CoreUnavailableError, IncompatibleCoreError

log = logging.getLogger("authdeck.querier")

CDI_VERSION = "5.4"
RETRIES_ON_429 = 5
TIMEOUT_SECONDS = 30.0


def parse_connection_uri(connection_uri: str) -> list[str]:
    hosts = []
    for part in connection_uri.split(";"):
        part = part.strip().rstrip("/")
        if not part:
            continue
        if not part.startswith(("http://", "https://")):
            raise ConfigError(
                f"supertokens_config.connection_uri entry {part!r} must start with http:// or https:// "
                "(for example http://localhost:3567)"
            )
        hosts.append(part)
    if not hosts:
        raise ConfigError("supertokens_config.connection_uri is empty; give the core's URL, e.g. http://localhost:3567")
    return hosts


class Querier:
    """Sends CDI requests to one of the configured cores and returns the parsed JSON."""

    def __init__(self, connection_uri: str, api_key: str | None, *, timeout: float = TIMEOUT_SECONDS) -> None:
        self.hosts = parse_connection_uri(connection_uri)
        self._api_key = api_key
        self._timeout = timeout
        self._next_host = itertools.count()
        self._clients: dict[int, tuple[asyncio.AbstractEventLoop, httpx.AsyncClient]] = {}
        self._version: str | None = None

    def _client(self) -> httpx.AsyncClient:
        loop = asyncio.get_running_loop()
        entry = self._clients.get(id(loop))
        if entry is None or entry[0] is not loop:
            client = httpx.AsyncClient(timeout=self._timeout, trust_env=False)
            self._clients[id(loop)] = (loop, client)
            return client
        return entry[1]

    async def api_version(self) -> str:
        """Negotiate once per process; raises IncompatibleCoreError if the core lacks CDI 5.4."""
        if self._version is None:
            reply = await self._send("GET", "/apiversion", versioned=False)
            versions = reply.get("versions", [])
            if CDI_VERSION not in versions:
                raise IncompatibleCoreError(
                    f"The core at {', '.join(self.hosts)} speaks CDI {', '.join(map(str, versions)) or 'nothing'}; "
                    f"authdeck needs {CDI_VERSION}. Upgrade the core (authdeck core, or SuperTokens core 11.3+)."
                )
            self._version = CDI_VERSION
        return self._version

    async def get(self, path: str, params: dict[str, Any] | None = None, *, rid: str | None = None) -> dict[str, Any]:
        return await self._send("GET", path, params=params, rid=rid)

    async def post(self, path: str, body: dict[str, Any], *, rid: str | None = None) -> dict[str, Any]:
        return await self._send("POST", path, body=body, rid=rid)

    async def put(
        self, path: str, body: dict[str, Any], params: dict[str, Any] | None = None, *, rid: str | None = None
    ) -> dict[str, Any]:
        return await self._send("PUT", path, body=body, params=params, rid=rid)

    async def delete(
        self, path: str, params: dict[str, Any] | None = None, *, rid: str | None = None
    ) -> dict[str, Any]:
        return await self._send("DELETE", path, params=params, rid=rid)

    async def get_public(self, path: str) -> tuple[dict[str, Any], httpx.Headers]:
        """GET without api-key or cdi-version (the JWKS); returns the JSON and the response headers."""
        response = await self._exchange("GET", path, headers={}, params=None, body=None)
        return response.json(), response.headers

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        body: dict[str, Any] | None = None,
        rid: str | None = None,
        versioned: bool = True,
    ) -> dict[str, Any]:
        headers: dict[str, str] = {}
        if versioned:
            headers["cdi-version"] = await self.api_version()
        if self._api_key:
            headers["api-key"] = self._api_key
        if rid:
            headers["rid"] = rid
        response = await self._exchange(method, path, headers=headers, params=_encode(params), body=body)
        try:
            data = response.json()
        except ValueError as exc:
            raise CoreRequestError(method, path, response.status_code, "the reply is not JSON") from exc
        if not isinstance(data, dict):
            raise CoreRequestError(method, path, response.status_code, "the reply is not a JSON object")
        return data

    async def _exchange(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str],
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
    ) -> httpx.Response:
        start = next(self._next_host)
        errors = []
        for i in range(len(self.hosts)):
            host = self.hosts[(start + i) % len(self.hosts)]
            try:
                response = await self._with_429_retries(method, host + path, headers, params, body)
            except httpx.TransportError as exc:
                errors.append(f"{host}: {type(exc).__name__}")
                continue
            if response.status_code >= 400:
                raise CoreRequestError(method, path, response.status_code, response.text[:500])
            return response
        raise CoreUnavailableError(self.hosts, "; ".join(errors))

    async def _with_429_retries(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        params: dict[str, str] | None,
        body: dict[str, Any] | None,
    ) -> httpx.Response:
        client = self._client()
        for attempt in range(RETRIES_ON_429 + 1):
            response = await client.request(method, url, headers=headers, params=params, json=body)
            if response.status_code != 429 or attempt == RETRIES_ON_429:
                return response
            await asyncio.sleep((10 + attempt * 250) / 1000)
        raise AssertionError("unreachable")  # pragma: no cover

    async def aclose(self) -> None:
        """Close the connections this event loop opened (``close()`` closes every loop's)."""
        entry = self._clients.pop(id(asyncio.get_running_loop()), None)
        if entry is not None:
            await entry[1].aclose()

    def close(self) -> None:
        """Close connections from synchronous code, on whichever loops opened them (best effort)."""
        for loop, client in list(self._clients.values()):
            if loop.is_closed():
                continue
            if loop.is_running():
                future = asyncio.run_coroutine_threadsafe(client.aclose(), loop)
                try:
                    asyncio.get_running_loop()
                except RuntimeError:  # not on that loop's thread: wait for it
                    future.result(timeout=5)
            else:
                loop.run_until_complete(client.aclose())
        self._clients.clear()


def _encode(params: dict[str, Any] | None) -> dict[str, str] | None:
    """Query values as the CDI expects: booleans as true/false, None as an empty value."""
    if params is None:
        return None
    out: dict[str, str] = {}
    for key, value in params.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif value is None:
            out[key] = ""
        else:
            out[key] = str(value)
    return out
