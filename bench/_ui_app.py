"""The app the UI benchmark loads in Chromium: bench/_dashboard_app.py's app plus an empty HTML page at
``/bench-empty``, the baseline for what any page load costs on this server and browser.

    python -m bench._ui_app --port 8123 --connection-uri http://127.0.0.1:3567
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from tests._harness.core_process import API_KEY
from tests._harness.ports import free_port, wait_until

from bench._dashboard_app import build

EMPTY_PAGE = (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>empty</title></head><body></body></html>'
)
ROOT = Path(__file__).resolve().parent.parent


def app(port: int, connection_uri: str, api_key: str | None) -> FastAPI:
    built = build(port, connection_uri, api_key)

    @built.get("/bench-empty", response_class=HTMLResponse)
    async def empty() -> str:
        return EMPTY_PAGE

    return built


@dataclass
class UiApp:
    url: str
    proc: subprocess.Popen[bytes]

    @classmethod
    def start(cls, connection_uri: str, log_dir: Path) -> UiApp:
        port = free_port()
        log_path = log_dir / f"ui-app-{port}.log"
        cmd = [sys.executable, "-m", "bench._ui_app", "--port", str(port), "--connection-uri", connection_uri]
        env = {**os.environ, "AUTHDECK_BENCH_API_KEY": API_KEY}
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=ROOT)
        started = cls(f"http://127.0.0.1:{port}", proc)

        def up() -> bool:
            if proc.poll() is not None:
                raise RuntimeError(f"UI bench app exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                return httpx.get(started.url + "/bench-empty", timeout=1).status_code == 200
            except httpx.HTTPError:
                return False

        try:
            wait_until(up, timeout=60, what="UI bench app", log=log_path.read_text)
        except BaseException:
            started.stop()
            raise
        return started

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connection-uri", required=True)
    args = parser.parse_args()
    import uvicorn

    built = app(args.port, args.connection_uri, os.environ.get("AUTHDECK_BENCH_API_KEY") or None)
    uvicorn.run(built, host="127.0.0.1", port=args.port, log_level="warning", workers=1)


if __name__ == "__main__":
    main()
