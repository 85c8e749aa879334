"""Writes one section of bench/RESULTS.md per benchmark, replacing that section's previous run."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

RESULTS = Path(__file__).parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\n"
    "Written by `make bench` (`python -m bench`). Each section names the machine and the command that produced\n"
    "it, and compares against a baseline measured in the same run. The machine is small and shared, so read the\n"
    "medians and ratios, not single figures.\n"
)


def write_section(name: str, title: str, body: str, *, command: str, machine: str) -> None:
    """Replace (or append) the section ``name`` of RESULTS.md."""
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"<!-- section:{name} -->\n## {title}\n\n"
        f"- Run: {stamp}, `{command}`\n- Machine: {machine}\n\n{body.rstrip()}\n<!-- /section:{name} -->\n"
    )
    pattern = re.compile(rf"<!-- section:{re.escape(name)} -->.*?<!-- /section:{re.escape(name)} -->\n", re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _m: section, text)
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)
