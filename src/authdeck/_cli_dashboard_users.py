"""``authdeck dashboard-users``: manage who may sign in to the dashboard, through a running core's operator API.

Every command is one or two HTTP calls to ``/recipe/dashboard/...`` with the core's API key; the core's
refusals become one-line errors that say what to fix, and a non-zero exit.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click
import httpx
from rich.console import Console
from rich.table import Table

DEFAULT_CORE = "http://localhost:3567"
CDI_VERSION = "5.4"
_USER = "/recipe/dashboard/user"
_WRONG_KEY = "the core refused the API key; pass --api-key or set AUTHDECK_API_KEY"


class CoreRefusal(click.ClickException):
    """The core said no, or could not be asked; printed as ``Error: <message>`` with exit code 1."""


class Core:
    """The dashboard operator endpoints of one core (the URL may carry an ``/appid-<id>`` prefix)."""

    def __init__(self, url: str, api_key: str | None) -> None:
        self.url = url.rstrip("/")
        headers = {"rid": "dashboard", "cdi-version": CDI_VERSION}
        if api_key:
            headers["api-key"] = api_key
        self._http = httpx.Client(base_url=self.url, headers=headers, timeout=30)

    def close(self) -> None:
        self._http.close()

    def call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        """The JSON reply of a 200; every other outcome raises ``CoreRefusal``."""
        try:
            reply = self._http.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise CoreRefusal(
                f"cannot reach the core at {self.url} ({exc}); is it running? Pass --core or set AUTHDECK_CORE_URL"
            ) from exc
        if reply.status_code == 401:
            raise CoreRefusal(_WRONG_KEY)
        if reply.status_code == 400:
            raise CoreRefusal(f"the core refused the request: {reply.text}")
        if reply.status_code == 404:
            raise CoreRefusal(f"{self.url} has no {path}; is --core the URL of an authdeck core?")
        if reply.status_code != 200:
            raise CoreRefusal(f"the core answered HTTP {reply.status_code}: {reply.text[:200]}")
        try:
            body = reply.json()
        except ValueError as exc:
            raise CoreRefusal(f"{self.url} did not answer with JSON; is --core the URL of an authdeck core?") from exc
        if not isinstance(body, dict):
            raise CoreRefusal(f"{self.url} answered {reply.text[:200]!r}, which is not a reply of an authdeck core")
        return body

    def user_by_email(self, email: str) -> dict[str, Any]:
        wanted = email.strip().lower()
        for user in self.call("GET", "/recipe/dashboard/users").get("users", []):
            if user["email"] == wanted:
                return dict(user)
        raise CoreRefusal(f"there is no dashboard user with email {wanted}")


def _status_error(body: dict[str, Any], email: str, new_email: str | None = None) -> CoreRefusal:
    status = body.get("status")
    if status == "PASSWORD_WEAK_ERROR":
        return CoreRefusal(f"the password is too weak: {body.get('message', 'choose a stronger one')}")
    if status == "INVALID_EMAIL_ERROR":
        return CoreRefusal(f"{new_email or email!r} is not a valid email address")
    if status == "EMAIL_ALREADY_EXISTS_ERROR":
        return CoreRefusal(f"a dashboard user with email {(new_email or email).strip().lower()} already exists")
    if status == "UNKNOWN_USER_ERROR":
        return CoreRefusal(f"there is no dashboard user with email {email.strip().lower()}")
    return CoreRefusal(f"the core answered {status}: {body}")


def _remember(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    # --core and --api-key may come before the sub-command or after it; the later one wins.
    if value is not None:
        ctx.meta[f"authdeck.{param.name}"] = value
    return value


_CORE_HELP = "The core's URL (env AUTHDECK_CORE_URL); add /appid-<id> for another app than public."
_KEY_HELP = "The core's API key (env AUTHDECK_API_KEY)."


def _connection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option("--core", "core_url", expose_value=False, callback=_remember, help=_CORE_HELP)(command)
    return click.option("--api-key", expose_value=False, callback=_remember, help=_KEY_HELP)(command)


@contextmanager
def _core(ctx: click.Context) -> Iterator[Core]:
    url = ctx.meta.get("authdeck.core_url", DEFAULT_CORE)
    api_key = ctx.meta.get("authdeck.api_key")
    if not url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{url!r} is not an http:// or https:// URL", param_hint="--core")
    core = Core(url, api_key)
    try:
        yield core
    finally:
        core.close()


def _when(ms: int) -> str:
    return datetime.datetime.fromtimestamp(ms / 1000, tz=datetime.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _print(table: Table) -> None:
    console = Console()
    if not console.is_terminal:
        console.width = 500  # piped or captured: never wrap or cut ids
    console.print(table)


@click.group("dashboard-users")
@click.option(
    "--core",
    "core_url",
    envvar="AUTHDECK_CORE_URL",
    default=DEFAULT_CORE,
    show_default=True,
    expose_value=False,
    callback=_remember,
    help=_CORE_HELP,
)
@click.option("--api-key", envvar="AUTHDECK_API_KEY", expose_value=False, callback=_remember, help=_KEY_HELP)
def dashboard_users() -> None:
    """Create, change, delete and list the people who may sign in to the dashboard."""


@dashboard_users.command("create")
@_connection_options
@click.option("--email", required=True, help="Their email; they sign in with it.")
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Prompted for (hidden, twice) when not given; a flag stays in the shell's history.",
)
@click.pass_context
def create(ctx: click.Context, /, email: str, password: str) -> None:
    """Add a dashboard user."""
    with _core(ctx) as core:
        body = core.call("POST", _USER, json={"email": email, "password": password})
    if body.get("status") != "OK":
        raise _status_error(body, email)
    user = body["user"]
    click.echo(f"created dashboard user {user['email']} (user id {user['userId']})")


@dashboard_users.command("update")
@_connection_options
@click.option("--email", required=True, help="The user's current email.")
@click.option("--new-email", help="Their new email.")
@click.option(
    "--new-password",
    help="Their new password; prompted for (hidden, twice) when neither --new-email nor --new-password is given.",
)
@click.pass_context
def update(ctx: click.Context, /, email: str, new_email: str | None, new_password: str | None) -> None:
    """Change a dashboard user's email or password (this ends their dashboard sessions)."""
    if new_email is None and new_password is None:
        new_password = click.prompt("New password", hide_input=True, confirmation_prompt=True)
    request: dict[str, str] = {"email": email}
    if new_email is not None:
        request["newEmail"] = new_email
    if new_password is not None:
        request["newPassword"] = new_password
    with _core(ctx) as core:
        body = core.call("PUT", _USER, json=request)
    if body.get("status") != "OK":
        raise _status_error(body, email, new_email)
    changed = [what for what, given in (("email", new_email), ("password", new_password)) if given is not None]
    click.echo(f"updated dashboard user {body['user']['email']}: {' and '.join(changed)} changed")


@dashboard_users.command("delete")
@_connection_options
@click.option("--email", required=True, help="The user's email.")
@click.pass_context
def delete(ctx: click.Context, /, email: str) -> None:
    """Delete a dashboard user and end their sessions."""
    with _core(ctx) as core:
        body = core.call("DELETE", _USER, params={"email": email})
    if body.get("status") != "OK":
        raise _status_error(body, email)
    if not body.get("didUserExist"):
        raise CoreRefusal(f"there is no dashboard user with email {email.strip().lower()}")
    click.echo(f"deleted dashboard user {email.strip().lower()}")


@dashboard_users.command("list")
@_connection_options
@click.pass_context
def list_users(ctx: click.Context, /) -> None:
    """List every dashboard user, oldest first."""
    with _core(ctx) as core:
        users = core.call("GET", "/recipe/dashboard/users").get("users", [])
    if not users:
        click.echo("there are no dashboard users yet; add one with `authdeck dashboard-users create`")
        return
    table = Table("email", "user id", "joined")
    for user in users:
        table.add_row(user["email"], user["userId"], _when(user["timeJoined"]))
    _print(table)


@dashboard_users.command("sessions")
@_connection_options
@click.option("--email", required=True, help="The user's email.")
@click.pass_context
def sessions(ctx: click.Context, /, email: str) -> None:
    """List a dashboard user's live sessions."""
    with _core(ctx) as core:
        user = core.user_by_email(email)
        found = core.call("GET", "/recipe/dashboard/user/sessions", params={"userId": user["userId"]})
    live = found.get("sessions", [])
    if not live:
        click.echo(f"{user['email']} has no live dashboard sessions")
        return
    table = Table("session", "signed in", "ends if idle")
    for session in live:
        table.add_row(session["sessionId"], _when(session["timeCreated"]), _when(session["expiry"]))
    _print(table)
