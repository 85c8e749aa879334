"""``authdeck dashboard-users`` against a real core: every command, its prompts, and clear errors for bad input."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner, Result

from authdeck.cli import main
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess
from tests._harness.ports import free_port

EMAIL = "ada@example.com"
PASSWORD = "abcd1234"
UNKNOWN = "Error: there is no dashboard user with email ghost@example.com"
WRONG_KEY = "Error: the core refused the API key; pass --api-key or set AUTHDECK_API_KEY"
# Keep the caller's environment out of the tests: the CLI reads these.
CLEAN_ENV: dict[str, str | None] = {"AUTHDECK_CORE_URL": None, "AUTHDECK_API_KEY": None}


@dataclass
class Cli:
    url: str
    client: CoreClient

    def __call__(self, *args: str, input: str | None = None, api_key: str | None = API_KEY) -> Result:
        options = ["--core", self.url] + (["--api-key", api_key] if api_key is not None else [])
        return CliRunner().invoke(main, ["dashboard-users", *options, *args], input=input, env=CLEAN_ENV)

    def ok(self, *args: str, input: str | None = None) -> str:
        result = self(*args, input=input)
        assert result.exit_code == 0, result.output
        return result.output

    def sign_in(self, email: str = EMAIL, password: str = PASSWORD) -> dict[str, Any]:
        reply: dict[str, Any] = self.client.post(
            "/recipe/dashboard/signin", json={"email": email, "password": password}
        ).json()
        return reply

    def users(self) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = self.client.ok("GET", "/recipe/dashboard/users")["users"]
        return found


@pytest.fixture
def cli(app_client: CoreClient, core: CoreProcess) -> Iterator[Cli]:
    """The CLI aimed at a fresh app of the test core."""
    yield Cli(f"{core.url}/appid-{app_client.app_id}", app_client)


def failed(result: Result, message: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.output.strip().splitlines()[-1] == message


# --- create ------------------------------------------------------------------------------------------


def test_create_with_flags_adds_a_user_who_can_sign_in(cli: Cli) -> None:
    out = cli.ok("create", "--email", " Ada@Example.com", "--password", PASSWORD)
    (user,) = cli.users()
    assert out == f"created dashboard user {EMAIL} (user id {user['userId']})\n"
    assert cli.sign_in()["status"] == "OK"


def test_create_prompts_twice_for_a_hidden_password(cli: Cli) -> None:
    out = cli.ok("create", "--email", EMAIL, input=f"{PASSWORD}\n{PASSWORD}\n")
    assert "Password: \nRepeat for confirmation: \n" in out
    assert PASSWORD not in out
    assert cli.sign_in()["status"] == "OK"


def test_create_prompts_again_when_the_two_passwords_differ(cli: Cli) -> None:
    out = cli.ok("create", "--email", EMAIL, input=f"{PASSWORD}\nabcd12345\n{PASSWORD}\n{PASSWORD}\n")
    assert "Error: The two entered values do not match." in out
    assert cli.sign_in()["status"] == "OK"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("abc1", "Password must contain at least 8 characters, including a number"),
        ("abcdefgh", "Password must contain at least one number"),
        ("12345678", "Password must contain at least one alphabet"),
    ],
)
def test_create_with_a_weak_password_says_why_and_adds_nobody(cli: Cli, password: str, reason: str) -> None:
    failed(cli("create", "--email", EMAIL, "--password", password), f"Error: the password is too weak: {reason}")
    assert cli.users() == []


def test_create_with_an_invalid_email_says_so(cli: Cli) -> None:
    failed(
        cli("create", "--email", "invalidEmail", "--password", PASSWORD),
        "Error: 'invalidEmail' is not a valid email address",
    )
    assert cli.users() == []


def test_create_with_a_taken_email_says_so(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    failed(
        cli("create", "--email", "ADA@example.com", "--password", "other1234"),
        f"Error: a dashboard user with email {EMAIL} already exists",
    )
    assert len(cli.users()) == 1
    assert cli.sign_in()["status"] == "OK"


def test_create_with_an_empty_email_relays_the_cores_message(cli: Cli) -> None:
    failed(
        cli("create", "--email", " ", "--password", PASSWORD),
        "Error: the core refused the request: Field name 'email' cannot be an empty String",
    )


def test_create_without_email_is_a_usage_error(cli: Cli) -> None:
    result = cli("create", "--password", PASSWORD)
    assert result.exit_code == 2
    assert "Missing option '--email'" in result.output


# --- update ------------------------------------------------------------------------------------------


def test_update_changes_the_password_and_ends_sessions(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    session_id = cli.sign_in()["sessionId"]
    out = cli.ok("update", "--email", EMAIL, "--new-password", "efgh5678")
    assert out == f"updated dashboard user {EMAIL}: password changed\n"
    assert cli.sign_in()["status"] == "INVALID_CREDENTIALS_ERROR"
    assert cli.sign_in(password="efgh5678")["status"] == "OK"
    verified = cli.client.post("/recipe/dashboard/session/verify", json={"sessionId": session_id}).json()
    assert verified == {"status": "INVALID_SESSION_ERROR"}


def test_update_changes_the_email(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    out = cli.ok("update", "--email", EMAIL, "--new-email", "Grace@Example.com")
    assert out == "updated dashboard user grace@example.com: email changed\n"
    assert [u["email"] for u in cli.users()] == ["grace@example.com"]


def test_update_changes_both_at_once(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    out = cli.ok("update", "--email", EMAIL, "--new-email", "g@example.com", "--new-password", "efgh5678")
    assert out == "updated dashboard user g@example.com: email and password changed\n"
    assert cli.sign_in("g@example.com", "efgh5678")["status"] == "OK"


def test_update_without_changes_prompts_for_a_new_password(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    out = cli.ok("update", "--email", EMAIL, input="efgh5678\nefgh5678\n")
    assert "New password: \nRepeat for confirmation: \n" in out
    assert "efgh5678" not in out
    assert cli.sign_in(password="efgh5678")["status"] == "OK"


def test_update_of_an_unknown_user_says_so(cli: Cli) -> None:
    failed(cli("update", "--email", "ghost@example.com", "--new-password", "efgh5678"), UNKNOWN)


def test_update_to_a_taken_email_says_so_and_changes_nothing(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    cli.ok("create", "--email", "g@example.com", "--password", PASSWORD)
    failed(
        cli("update", "--email", EMAIL, "--new-email", "g@example.com"),
        "Error: a dashboard user with email g@example.com already exists",
    )
    assert sorted(u["email"] for u in cli.users()) == [EMAIL, "g@example.com"]


def test_update_with_bad_new_values_says_why_and_changes_nothing(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    failed(
        cli("update", "--email", EMAIL, "--new-password", "short1"),
        "Error: the password is too weak: Password must contain at least 8 characters, including a number",
    )
    failed(cli("update", "--email", EMAIL, "--new-email", "nope"), "Error: 'nope' is not a valid email address")
    assert [u["email"] for u in cli.users()] == [EMAIL]
    assert cli.sign_in()["status"] == "OK"


# --- delete ------------------------------------------------------------------------------------------


def test_delete_removes_the_user_and_their_sessions(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    session_id = cli.sign_in()["sessionId"]
    assert cli.ok("delete", "--email", "ADA@example.com") == f"deleted dashboard user {EMAIL}\n"
    assert cli.users() == []
    verified = cli.client.post("/recipe/dashboard/session/verify", json={"sessionId": session_id}).json()
    assert verified == {"status": "INVALID_SESSION_ERROR"}


def test_delete_of_an_unknown_user_says_so(cli: Cli) -> None:
    failed(cli("delete", "--email", "ghost@example.com"), UNKNOWN)


# --- list and sessions -------------------------------------------------------------------------------


def test_list_prints_every_user_with_id_and_join_time(cli: Cli) -> None:
    for email in (EMAIL, "grace@example.com", "a-rather-long-address-for-a-table@example.com"):
        cli.ok("create", "--email", email, "--password", PASSWORD)
    out = cli.ok("list")
    header, *rows = [line for line in out.splitlines() if "@" in line or "user id" in line]
    assert ("email" in header) and ("joined" in header)
    users = cli.users()
    assert len(rows) == 3
    for row, user in zip(rows, users, strict=True):
        assert user["email"] in row and user["userId"] in row and " UTC" in row


def test_list_with_no_users_says_how_to_add_one(cli: Cli) -> None:
    assert cli.ok("list") == "there are no dashboard users yet; add one with `authdeck dashboard-users create`\n"


def test_sessions_lists_the_users_live_sessions(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    cli.ok("create", "--email", "grace@example.com", "--password", PASSWORD)
    cli.sign_in()
    cli.sign_in()
    cli.sign_in("grace@example.com")
    user_id = cli.users()[0]["userId"]
    expected = cli.client.ok("GET", "/recipe/dashboard/user/sessions", params={"userId": user_id})["sessions"]
    out = cli.ok("sessions", "--email", "Ada@example.com")
    rows = [line for line in out.splitlines() if " UTC" in line]
    assert len(rows) == 2
    assert sorted(s["sessionId"] for s in expected) == sorted(r.split()[1] for r in rows)


def test_sessions_of_a_user_without_any_says_so(cli: Cli) -> None:
    cli.ok("create", "--email", EMAIL, "--password", PASSWORD)
    assert cli.ok("sessions", "--email", EMAIL) == f"{EMAIL} has no live dashboard sessions\n"


def test_sessions_of_an_unknown_user_says_so(cli: Cli) -> None:
    failed(cli("sessions", "--email", "ghost@example.com"), UNKNOWN)


# --- reaching the core -------------------------------------------------------------------------------

EVERY_COMMAND = [
    ["create", "--email", EMAIL, "--password", PASSWORD],
    ["update", "--email", EMAIL, "--new-password", "efgh5678"],
    ["delete", "--email", EMAIL],
    ["list"],
    ["sessions", "--email", EMAIL],
]


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: a[0])
def test_a_wrong_api_key_is_named_as_the_problem(cli: Cli, args: list[str]) -> None:
    failed(cli(*args, api_key="not-the-key"), WRONG_KEY)
    assert cli.users() == []


def test_a_missing_api_key_is_named_as_the_problem(cli: Cli) -> None:
    failed(cli("list", api_key=None), WRONG_KEY)


@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda a: a[0])
def test_an_unreachable_core_is_named_as_the_problem(args: list[str]) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    result = CliRunner().invoke(main, ["dashboard-users", "--core", url, *args], env=CLEAN_ENV)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot reach the core at {url} (")
    assert result.output.rstrip().endswith("is it running? Pass --core or set AUTHDECK_CORE_URL")


def test_core_url_and_api_key_may_come_from_the_environment(cli: Cli) -> None:
    env = {"AUTHDECK_CORE_URL": cli.url, "AUTHDECK_API_KEY": API_KEY}
    args = ["dashboard-users", "create", "--email", EMAIL, "--password", PASSWORD]
    result = CliRunner().invoke(main, args, env=env)
    assert result.exit_code == 0, result.output
    assert [u["email"] for u in cli.users()] == [EMAIL]


def test_a_core_url_that_is_not_http_is_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["dashboard-users", "--core", "localhost:3567", "list"], env=CLEAN_ENV)
    assert result.exit_code == 2
    assert "'localhost:3567' is not an http:// or https:// URL" in result.output


def test_an_unknown_app_relays_the_cores_message(core: CoreProcess) -> None:
    args = ["dashboard-users", "--core", f"{core.url}/appid-nosuchapp", "--api-key", API_KEY, "list"]
    result = CliRunner().invoke(main, args, env=CLEAN_ENV)
    assert result.exit_code == 1
    assert result.output.startswith("Error: the core refused the request: ")


def test_a_url_that_is_not_a_core_says_so(core: CoreProcess) -> None:
    args = ["dashboard-users", "--core", f"{core.url}/not/a/core", "--api-key", API_KEY, "list"]
    result = CliRunner().invoke(main, args, env=CLEAN_ENV)
    assert result.exit_code == 1
    assert "is --core the URL of an authdeck core?" in result.output


def test_core_and_api_key_may_follow_the_sub_command(core: CoreProcess) -> None:
    result = CliRunner().invoke(
        main, ["dashboard-users", "list", "--core", core.url, "--api-key", API_KEY], env={"AUTHDECK_API_KEY": ""}
    )
    assert result.exit_code == 0, result.output
