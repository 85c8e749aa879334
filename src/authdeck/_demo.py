"""``authdeck demo``: a core on SQLite under ``.demo/`` plus the example FastAPI app, seeded once with sample data.

Both run as child processes; Ctrl-C (or SIGTERM) stops both. A second run reuses the database and API key.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import FrameType
from typing import Any

import click
import httpx

DEMO_DIR = Path(".demo")
EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SAMPLE_PASSWORD = "sample-password-1"  # noqa: S105 - the demo prints it; sample data only
ROLES = {"admin": ["users:read", "users:write", "settings:write"], "editor": ["users:read", "users:write"],
         "viewer": ["users:read"]}
FIRST = ["Ada", "Alan", "Grace", "Linus", "Margaret", "Dennis", "Barbara", "Ken", "Radia", "Edsger", "Frances", "Tim"]
LAST = ["Lovelace", "Turing", "Hopper", "Torvalds", "Hamilton", "Ritchie", "Liskov", "Thompson", "Perlman", "Dijkstra"]


class DemoError(click.ClickException):
    """A child process or the core misbehaved; printed as ``Error: ...`` with exit code 1."""


def _api_key(directory: Path) -> str:
    path = directory / "api-key"
    if path.exists():
        return path.read_text().strip()
    key = secrets.token_hex(24)  # the core accepts A-Z, a-z, 0-9, "=" and "-" only
    path.write_text(key + "\n")
    path.chmod(0o600)
    return key


def _spawn(cmd: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    with open(log, "ab") as out:
        return subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)  # noqa: S603 - our own argv


def _wait_for(url: str, proc: subprocess.Popen[bytes], log: Path, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise DemoError(f"the {what} exited with code {proc.returncode}; see {log}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise DemoError(f"the {what} did not answer at {url} within {timeout:.0f}s; see {log}")


def _stop(procs: list[subprocess.Popen[bytes]]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class _Core:
    """Just the CDI calls the seeding needs, with the demo's API key."""

    def __init__(self, url: str, api_key: str) -> None:
        self.http = httpx.Client(base_url=url, headers={"api-key": api_key, "cdi-version": "5.4"}, timeout=30)

    def call(self, method: str, path: str, rid: str | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = {"rid": rid} if rid else {}
        reply = self.http.request(method, path, headers=headers, **kwargs)
        if reply.status_code != 200:
            raise DemoError(f"{method} {path}: the core answered HTTP {reply.status_code}: {reply.text[:200]}")
        body: dict[str, Any] = reply.json()
        return body


def _dashboard_user(core: _Core, email: str, password: str) -> None:
    """Create the dashboard user, or reset its password so that the printed credentials are always right."""
    body = {"email": email, "password": password}
    created = core.call("POST", "/recipe/dashboard/user", rid="dashboard", json=body)
    if created["status"] == "EMAIL_ALREADY_EXISTS_ERROR":
        created = core.call("PUT", "/recipe/dashboard/user", rid="dashboard",
                            json={"email": email, "newPassword": password})
    if created["status"] != "OK":
        raise DemoError(f"could not set up dashboard user {email}: {created}")


def _seed_user(core: _Core, n: int) -> None:
    first, last = FIRST[n % len(FIRST)], LAST[(n // len(FIRST) + n) % len(LAST)]
    email = f"{first}.{last}.{n}@example.com".lower()
    signup = core.call("POST", "/public/recipe/signup", rid="emailpassword",
                       json={"email": email, "password": SAMPLE_PASSWORD})
    if signup["status"] == "EMAIL_ALREADY_EXISTS_ERROR":
        return  # an interrupted earlier seeding got this far
    user_id = signup["user"]["id"]
    core.call("PUT", "/recipe/user/metadata", json={"userId": user_id,
                                                     "metadataUpdate": {"first_name": first, "last_name": last}})
    role = ("admin", "editor", "viewer", "viewer")[n % 4]
    core.call("PUT", "/public/recipe/user/role", rid="userroles", json={"userId": user_id, "role": role})
    if n % 3 != 2:  # two thirds verified
        token = core.call("POST", "/public/recipe/user/email/verify/token", rid="emailverification",
                          json={"userId": user_id, "email": email})["token"]
        core.call("POST", "/public/recipe/user/email/verify", rid="emailverification",
                  json={"method": "token", "token": token})
    if n % 4 == 0:  # a quarter signed in right now
        core.call("POST", "/public/recipe/session", rid="session", json={
            "userId": user_id, "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False})


def _seed(core: _Core, users: int) -> None:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    for role, permissions in ROLES.items():
        core.call("PUT", "/recipe/role", rid="userroles", json={"role": role, "permissions": permissions})
    with Progress(TextColumn("seeding sample users"), BarColumn(), MofNCompleteColumn(), transient=True) as bar:
        task = bar.add_task("seed", total=users)
        pool = ThreadPoolExecutor(max_workers=4)
        try:
            for _ in pool.map(lambda n: _seed_user(core, n), range(users)):
                bar.advance(task)
        finally:
            pool.shutdown(cancel_futures=True)  # Ctrl-C during seeding stops at once; the next run resumes


@click.command("demo")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="The example app's port.")
@click.option("--core-port", default=3567, show_default=True, type=click.IntRange(1, 65535), help="The core's port.")
@click.option("--users", default=50, show_default=True, type=click.IntRange(0, 100_000), help="Sample users to seed.")
@click.option("--admin-email", default="admin@example.com", show_default=True)
@click.option("--admin-password", default="admin-password-1", show_default=True)
@click.option("--viewer-email", default="viewer@example.com", show_default=True)
@click.option("--viewer-password", default="viewer-password-1", show_default=True)
def demo(port: int, core_port: int, users: int, admin_email: str, admin_password: str, viewer_email: str,
         viewer_password: str) -> None:
    """Run a core and the example FastAPI app with sample data; Ctrl-C stops both."""
    if not (EXAMPLES / "fastapi_app.py").exists():
        raise DemoError(f"the example app is not at {EXAMPLES}; run the demo from a clone of authdeck")
    DEMO_DIR.mkdir(exist_ok=True)
    directory = DEMO_DIR.resolve()
    key = _api_key(directory)
    core_url, app_url = f"http://127.0.0.1:{core_port}", f"http://localhost:{port}"
    env = {**os.environ, "AUTHDECK_CORE_URL": core_url, "AUTHDECK_API_KEY": key, "AUTHDECK_API_DOMAIN": app_url,
           "AUTHDECK_WEBSITE_DOMAIN": app_url, "AUTHDECK_DEMO_ADMINS": admin_email}
    procs: list[subprocess.Popen[bytes]] = []

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a shell that starts us in the background leaves SIGINT ignored, and Python keeps it so.
    previous = signal.signal(signal.SIGTERM, stop)
    previous_int = signal.signal(signal.SIGINT, stop)
    try:
        core_log, app_log = directory / "core.log", directory / "app.log"
        procs.append(_spawn([sys.executable, "-m", "authdeck.cli", "core", "--host", "127.0.0.1", "--port",
                             str(core_port), "--database", f"sqlite:///{directory / 'authdeck.db'}",
                             "--api-keys", key], core_log, env))
        _wait_for(core_url + "/hello", procs[0], core_log, "core")
        procs.append(_spawn([sys.executable, "-m", "uvicorn", "--app-dir", str(EXAMPLES), "fastapi_app:app",
                             "--host", "127.0.0.1", "--port", str(port)], app_log, env))
        core = _Core(core_url, key)
        try:
            _dashboard_user(core, admin_email, admin_password)
            _dashboard_user(core, viewer_email, viewer_password)
            marker = directory / "seeded"
            if marker.exists():
                click.echo(f"reusing the sample data in {directory} (delete .demo/ to start over)")
            else:
                _seed(core, users)
                marker.write_text(f"{users}\n")
                click.echo(f"seeded {users} sample users (password {SAMPLE_PASSWORD})")
        finally:
            core.http.close()
        _wait_for(app_url + "/", procs[1], app_log, "example app")
        click.echo(
            f"\n  App:        {app_url}/\n  Dashboard:  {app_url}/auth/dashboard\n"
            f"  Admin:      {admin_email} / {admin_password}\n"
            f"  Read-only:  {viewer_email} / {viewer_password}\n"
            f"  Core:       {core_url} (API key in {directory / 'api-key'}; logs in {directory})\n"
            f"  (core pid {procs[0].pid}, app pid {procs[1].pid}) Press Ctrl-C to stop.\n"
        )
        sys.stdout.flush()
        while all(p.poll() is None for p in procs):
            time.sleep(0.5)
        raise DemoError("a child process exited unexpectedly; see the logs in " + str(directory))
    except KeyboardInterrupt:
        click.echo("stopping")
    finally:
        # A second Ctrl-C while the children shut down must not leave them running.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        try:
            _stop(procs)
        finally:
            signal.signal(signal.SIGINT, previous_int)
            signal.signal(signal.SIGTERM, previous)
