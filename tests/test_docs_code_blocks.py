"""Every fenced code block in README.md and docs/*.md is run here, so the docs cannot drift from the product.

How a block runs depends on its language:

- ``python``: written to a file and run as a script; it must exit 0.
- ``sh``: run with ``bash -eu``; it must exit 0. Each block is its own shell.
- ``yaml``: loaded as an ``authdeck core --config`` file.
- ``json``: parsed.
- ``text``: not code (diagrams, sample output), so not run.

A fence without a language fails, so nothing escapes by accident. A marker on the line before a fence changes
how it runs:

- ``<!-- docs-test: server URL -->``: a long-running command. It must answer at URL, then stop on SIGINT.
  The port in URL is replaced by a free one for this block alone.
- ``<!-- docs-test: continues -->``: run with the previous block of the same language in front of it.
- ``<!-- docs-test: dry-run -->``: ``make <target>`` lines; ``make -n`` must resolve them (``make demo`` and
  ``make test`` themselves run in tests/test_demo.py and in CI).

The blocks of one file run in order, in one fresh directory holding ``.venv`` and ``examples`` links, against a
real core at ``http://localhost:3567`` whose API key is ``change-me-to-a-long-random-key-0123``. The ports 3567
and 8000 written in a block are rewritten to this file's core and to a free port before the block runs.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from authdeck.core.config import load_settings
from tests._harness.core_process import CoreProcess
from tests._harness.ports import free_port, wait_until

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
DOCS_API_KEY = "change-me-to-a-long-random-key-0123"
LANGUAGES = {"python", "sh", "yaml", "json", "text"}
TIMEOUT = 120

_FENCE = re.compile(r"^(?P<indent>\s*)```(?P<lang>[^`\s]*)\s*$")
_MARKER = re.compile(r"^\s*<!--\s*docs-test:\s*(?P<mode>[a-z-]+)\s*(?P<arg>\S*)\s*-->\s*$")
_PORT = re.compile(r"\b(3567|8000)\b")


@dataclass
class Block:
    path: Path
    line: int  # of the opening fence, 1-based
    lang: str
    code: str
    mode: str = ""
    arg: str = ""

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(REPO)}:{self.line}"


def parse_blocks(path: Path, text: str) -> list[Block]:
    """The fenced blocks of one Markdown file, with the marker written before each, if any."""
    blocks: list[Block] = []
    lines = text.splitlines()
    i = 0
    while i < len(lines):
        opening = _FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        closing = opening["indent"] + "```"
        end = next((j for j in range(i + 1, len(lines)) if lines[j].rstrip() == closing), None)
        if end is None:
            raise AssertionError(f"{path.name}:{i + 1}: code fence is never closed")
        previous = next((lines[j] for j in range(i - 1, -1, -1) if lines[j].strip()), "")
        marker = _MARKER.match(previous)
        indent = len(opening["indent"])
        code = "\n".join(line[indent:] for line in lines[i + 1 : end]) + "\n"
        block = Block(path, i + 1, opening["lang"], code)
        if marker:
            block.mode, block.arg = marker["mode"], marker["arg"]
        blocks.append(block)
        i = end + 1
    return blocks


class DocRun:
    """Runs the blocks of one file in order, sharing a work directory and a core."""

    def __init__(self, work: Path, core: CoreProcess) -> None:
        self.work = work
        self.ports = {"3567": str(core.port), "8000": str(free_port())}
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("AUTHDECK_")}
        self.env["PATH"] = f"{work / '.venv' / 'bin'}{os.pathsep}{self.env.get('PATH', '')}"
        self.previous: dict[str, str] = {}

    def run(self, block: Block) -> None:
        code = block.code
        if block.mode == "continues":
            assert block.lang in self.previous, f"{block.where}: 'continues' but no earlier {block.lang} block"
            code = self.previous[block.lang] + code
        elif block.mode not in ("", "server", "dry-run"):
            raise AssertionError(f"{block.where}: unknown docs-test mode {block.mode!r}")
        self.previous[block.lang] = code
        if block.lang == "text":
            return
        if block.mode == "dry-run":
            self._dry_run(block)
        elif block.mode == "server":
            self._serve(block, code)
        elif block.lang == "python":
            script = self.work / f"block_{block.line}.py"
            script.write_text(self._ports(code, self.ports))
            self._check(block, [sys.executable, str(script)], code)
        elif block.lang == "sh":
            self._check(block, ["bash", "-eu", "-c", self._ports(code, self.ports)], code)
        elif block.lang == "yaml":
            config = self.work / f"block_{block.line}.yaml"
            config.write_text(code)
            load_settings(config_file=config, environ={})
        elif block.lang == "json":
            json.loads(code)

    @staticmethod
    def _ports(code: str, ports: dict[str, str]) -> str:
        return _PORT.sub(lambda m: ports[m.group(1)], code)

    def _check(self, block: Block, argv: list[str], code: str) -> None:
        try:
            done = subprocess.run(  # noqa: S603 - the argv is our own, built from the repo's docs
                argv, cwd=self.work, env=self.env, capture_output=True, text=True, timeout=TIMEOUT
            )
        except subprocess.TimeoutExpired as exc:
            raise AssertionError(f"{block.where}: still running after {TIMEOUT} s\n{code}\n{exc.stdout}") from exc
        if done.returncode != 0:
            raise AssertionError(
                f"{block.where}: exit {done.returncode}\n--- block ---\n{code}--- stdout ---\n{done.stdout[-4000:]}"
                f"\n--- stderr ---\n{done.stderr[-4000:]}"
            )

    def _dry_run(self, block: Block) -> None:
        for line in block.code.splitlines():
            command = line.split("#", 1)[0].split()
            if not command:
                continue
            assert command[0] == "make" and len(command) == 2, f"{block.where}: dry-run takes `make <target>`"
            done = subprocess.run(  # noqa: S603
                ["make", "-n", command[1]], cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT  # noqa: S607
            )
            assert done.returncode == 0, f"{block.where}: `make -n {command[1]}` failed:\n{done.stderr}"

    def _serve(self, block: Block, code: str) -> None:
        url = httpx.URL(block.arg)
        assert url.port is not None, f"{block.where}: the server marker needs a URL with a port"
        ports = {**self.ports, str(url.port): str(free_port())}
        log_path = self.work / f"server_{block.line}.log"
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(  # noqa: S603
                ["bash", "-eu", "-c", self._ports(code, ports)],  # noqa: S607
                cwd=self.work, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
            )
        target = url.copy_with(port=int(ports[str(url.port)]))

        def answers() -> bool:
            if proc.poll() is not None:
                raise AssertionError(f"{block.where}: exited with {proc.returncode}:\n{log_path.read_text()}")
            try:
                httpx.get(target, timeout=2)
            except httpx.HTTPError:
                return False
            return True

        try:
            wait_until(answers, timeout=60, what=f"{block.where} to answer at {target}", log=log_path.read_text)
            os.killpg(proc.pid, signal.SIGINT)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired as exc:
                raise AssertionError(f"{block.where}: did not stop within 15 s of Ctrl-C") from exc
        finally:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


@pytest.mark.parametrize("path", DOCS, ids=[p.stem for p in DOCS])
def test_every_code_block_runs(path: Path, tmp_path: Path) -> None:
    blocks = parse_blocks(path, path.read_text(encoding="utf-8"))
    unlabeled = [b.where for b in blocks if b.lang not in LANGUAGES]
    assert unlabeled == [], f"label these fences with one of {sorted(LANGUAGES)}: {unlabeled}"
    (tmp_path / ".venv").symlink_to(Path(sys.prefix))
    (tmp_path / "examples").symlink_to(REPO / "examples")
    core = CoreProcess.start(f"sqlite:///{tmp_path / 'docs-core.db'}", tmp_path, api_key=DOCS_API_KEY)
    try:
        run = DocRun(tmp_path, core)
        for block in blocks:
            run.run(block)
    finally:
        core.stop()


def test_the_docs_have_code_to_run() -> None:
    # Guards against a parser change that silently finds nothing, which would pass every file above.
    runnable = [b for p in DOCS for b in parse_blocks(p, p.read_text(encoding="utf-8")) if b.lang != "text"]
    assert len(runnable) >= 20
    assert {"python", "sh", "yaml"} <= {b.lang for b in runnable}


def test_parser_reads_language_marker_and_indented_fences() -> None:
    text = "x\n<!-- docs-test: server http://localhost:8000/ -->\n```sh\nrun\n```\n\n  ```\n  plain\n  ```\n"
    first, second = parse_blocks(REPO / "README.md", text)
    assert (first.lang, first.mode, first.arg) == ("sh", "server", "http://localhost:8000/")
    assert (first.code, first.line) == ("run\n", 3)
    assert (second.lang, second.mode, second.code) == ("", "", "plain\n")
