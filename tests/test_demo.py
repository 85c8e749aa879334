"""`authdeck demo` end to end: a real core and app as child processes, seeded once, stopped by Ctrl-C."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests._harness.core_process import TEST_ENV
from tests._harness.ports import free_port


def _start(workdir: Path, port: int, core_port: int) -> tuple[subprocess.Popen[str], str]:
    cmd = [sys.executable, "-m", "authdeck.cli", "demo", "--users", "5", "--port", str(port),
           "--core-port", str(core_port)]
    proc = subprocess.Popen(cmd, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, **TEST_ENV})
    assert proc.stdout is not None
    out = ""
    deadline = time.monotonic() + 60
    while "Press Ctrl-C" not in out:
        line = proc.stdout.readline()
        assert line and time.monotonic() < deadline, f"demo stopped early:\n{out}"
        out += line
    return proc, out



def _children(out: str) -> list[int]:
    return [int(pid) for pid in re.findall(r"(?:core|app) pid (\d+)", out)]


def _gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _interrupt(proc: subprocess.Popen[str], out: str) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        assert proc.wait(timeout=30) == 0
    finally:
        assert proc.stdout is not None
        proc.stdout.close()
    assert all(_gone(pid) for pid in _children(out))


def test_demo_seeds_once_guards_the_viewer_and_stops_both_children_on_ctrl_c(tmp_path: Path) -> None:
    port, core_port = free_port(), free_port()
    proc, out = _start(tmp_path, port, core_port)
    try:
        assert "seeded 5 sample users" in out
        assert f"http://localhost:{port}/auth/dashboard" in out and "admin@example.com / admin-password-1" in out
        base = f"http://127.0.0.1:{port}/auth/dashboard/api"
        admin = httpx.post(f"{base}/signin", json={"email": "admin@example.com", "password": "admin-password-1"})
        assert admin.json()["status"] == "OK"
        users = httpx.get(f"{base}/users/count", headers={"authorization": f"Bearer {admin.json()['sessionId']}"})
        assert users.json()["count"] == 5
        viewer = httpx.post(f"{base}/signin", json={"email": "viewer@example.com", "password": "viewer-password-1"})
        refused = httpx.delete(f"{base}/user", params={"userId": "any"},
                               headers={"authorization": f"Bearer {viewer.json()['sessionId']}"})
        assert refused.status_code == 403
    finally:
        _interrupt(proc, out)

    again, out = _start(tmp_path, port, core_port)
    try:
        assert "reusing the sample data" in out and "seeded" not in out
    finally:
        _interrupt(again, out)
