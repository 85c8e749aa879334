"""A description of the machine a benchmark ran on, for RESULTS.md."""

from __future__ import annotations

import os
import platform
import sqlite3
import subprocess
from pathlib import Path


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except OSError:
        pass
    return "unknown"


def _postgres_version() -> str:
    import glob

    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/postgres"), reverse=True)
    if not found:
        return "not installed"
    try:
        out = subprocess.run([found[0], "--version"], capture_output=True, text=True, timeout=10, check=True)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


def describe() -> str:
    return (
        f"{_cpu_model()}, {os.cpu_count()} cores, {_memory_gib()} RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; SQLite {sqlite3.sqlite_version}; {_postgres_version()}"
    )
