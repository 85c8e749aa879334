"""Starts the template app (app_template.py) on one auth package as a real uvicorn server on a free port."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests._harness.ports import free_port, wait_until

TEMPLATE = Path(__file__).parent / "app_template.py"
PACKAGES = ("authdeck", "supertokens_python")
# Keeps supertokens_python off the internet: tldextract uses its bundled suffix list, and the hosted mailer
# is skipped (the template also installs its own email service and refuses non-loopback connections).
OFFLINE_ENV = {"SUPERTOKENS_TLDEXTRACT_DISABLE_HTTP": "1", "SUPERTOKENS_ENV": "testing"}


@dataclass
class RunningApp:
    package: str
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_app(package: str, connection_uri: str, api_key: str | None, log_dir: Path) -> RunningApp:
    """The template app on ``package``, answering on 127.0.0.1 once this returns."""
    port = free_port()
    log_path = log_dir / f"{package}-{port}.log"
    cmd = [sys.executable, str(TEMPLATE), "--package", package, "--port", str(port)]
    cmd += ["--connection-uri", connection_uri]
    env = {**os.environ, **OFFLINE_ENV, "DIFF_API_KEY": api_key or ""}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env)
    app = RunningApp(package, f"http://127.0.0.1:{port}", proc, log_path)

    def up() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{package} app exited with {proc.returncode}:\n{app.log()}")
        try:
            return httpx.get(app.url + "/health", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, timeout=60, what=f"{package} app", log=app.log)
    except BaseException:
        app.stop()
        raise
    return app
