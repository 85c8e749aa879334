"""Runs ``authdeck core`` as a real process on a free port, and talks to it with httpx."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests._harness import served
from tests._harness.ports import free_port

API_KEY = "test-api-key-0123456789-abcdefgh"
# Fast hashing for tests; production defaults are exercised by the hashing unit tests and the bench.
TEST_ENV = {"AUTHDECK_BCRYPT_LOG_ROUNDS": "4", "AUTHDECK_ARGON2_MEMORY_KB": "1024"}


@dataclass
class CoreProcess:
    database: str
    port: int
    proc: subprocess.Popen[bytes]
    log_path: Path
    api_key: str | None = API_KEY
    env: dict[str, str] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @classmethod
    def start(
        cls,
        database: str,
        log_dir: Path,
        *,
        api_key: str | None = API_KEY,
        env: Mapping[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> CoreProcess:
        port = free_port()
        log_path = log_dir / f"core-{port}.log"
        full_env = {**os.environ, **TEST_ENV, **(env or {})}
        cmd = [sys.executable, "-m", "authdeck.cli", "core", "--port", str(port), "--database", database, *args]
        if api_key:
            cmd += ["--api-keys", api_key]
        proc = served.launch(cmd, log_path, f"http://127.0.0.1:{port}/hello", what="authdeck core", env=full_env)
        return cls(database, port, proc, log_path, api_key, dict(env or {}))

    def stop(self) -> None:
        served.stop(self.proc)

    def client(self, app_id: str | None = None, *, api_key: str | None = None) -> CoreClient:
        base = self.url + (f"/appid-{app_id}" if app_id else "")
        headers = {"cdi-version": "5.4"}
        key = api_key if api_key is not None else self.api_key
        if key:
            headers["api-key"] = key
        return CoreClient(base_url=base, headers=headers, timeout=30)

    def new_app(self, core_config: dict[str, Any] | None = None) -> CoreClient:
        """A client for a brand-new app, so that tests sharing this core never see each other's data."""
        app_id = "t" + uuid.uuid4().hex[:16]
        body: dict[str, Any] = {"appId": app_id}
        if core_config is not None:
            body["coreConfig"] = core_config
        with self.client() as c:
            reply = c.put("/recipe/multitenancy/app/v2", json=body)
            assert reply.status_code == 200, reply.text
            assert reply.json()["status"] == "OK", reply.text
        client = self.client(app_id)
        client.app_id = app_id
        return client


class CoreClient(httpx.Client):
    """httpx client with the CDI headers set, plus ``ok()`` for calls expected to answer status OK."""

    app_id: str = "public"

    def ok(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        reply = self.request(method, path, **kwargs)
        assert reply.status_code == 200, f"{method} {path} -> {reply.status_code}: {reply.text}"
        body: dict[str, Any] = reply.json()
        assert body.get("status") == "OK", f"{method} {path} -> {body}"
        return body
