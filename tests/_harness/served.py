"""Server processes for tests and benchmarks: started with output to a log, ready when a URL answers 200."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

import httpx

from tests._harness.ports import wait_until


def launch(
    cmd: Sequence[str],
    log_path: Path,
    health_url: str,
    *,
    what: str,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    timeout: float = 60,
) -> subprocess.Popen[bytes]:
    """Start ``cmd`` and wait until ``health_url`` answers 200; if it exits or never answers, raise with its log."""

    def log() -> str:
        return log_path.read_text(errors="replace")

    with open(log_path, "wb") as out:
        proc = subprocess.Popen(  # noqa: S603 - our own command lines
            list(cmd), stdout=out, stderr=subprocess.STDOUT, env=dict(env) if env is not None else None, cwd=cwd
        )

    def up() -> bool:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with {proc.returncode}:\n{log()}")
        try:
            return httpx.get(health_url, timeout=1).status_code == 200
        except httpx.HTTPError:
            return False

    try:
        wait_until(up, timeout=timeout, what=what, log=log)
    except BaseException:
        stop(proc)
        raise
    return proc


def stop(proc: subprocess.Popen[bytes], timeout: float = 15) -> None:
    """Terminate ``proc`` and wait for it; kill it if it has not exited within ``timeout`` seconds."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
