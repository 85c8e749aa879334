"""The dashboard credential rules: email shape and password strength, with the CDI's exact messages."""

from __future__ import annotations

import itertools
import re

import pytest

from authdeck.core.services import policy

# The upstream rule as it behaves (spec §2.8), written naively; fine as an oracle for short strings only.
_UPSTREAM_EFFECTIVE = re.compile(r"(.+)@(([a-zA-Z\-0-9]+.)+[a-zA-Z]{2,})")


@pytest.mark.parametrize(
    "email", ["test@example.com", "a@b.co", "a@localhost", "a b@ex.com", "a@@b.com", "first.last+tag@sub.example.org"]
)
def test_accepted_email_shapes(email: str) -> None:
    assert policy.is_valid_email(email)


@pytest.mark.parametrize(
    "email", ["invalidEmail", "a@b.c", "@ex.com", "a@ex.c0m", "a@1.2.3.4", "a@[1.2.3.4]", "a@", "", "a\r@b.co"]
)
def test_rejected_email_shapes(email: str) -> None:
    assert not policy.is_valid_email(email)


def test_email_rule_matches_upstream_on_every_short_string() -> None:
    # Exhaustive over an alphabet that covers each character class the rule distinguishes.
    for length in range(1, 7):
        for chars in itertools.product("aZ0-.@ ", repeat=length):
            candidate = "".join(chars)
            expected = _UPSTREAM_EFFECTIVE.fullmatch(candidate) is not None
            assert policy.is_valid_email(candidate) is expected, candidate


def test_email_longer_than_the_column_is_rejected() -> None:
    fits = "a" * (policy.EMAIL_MAX_LENGTH - len("@example.com")) + "@example.com"
    assert policy.is_valid_email(fits)
    assert not policy.is_valid_email("a" + fits)


def test_pathological_emails_are_answered() -> None:
    # Inputs that make the naive upstream pattern backtrack exponentially.
    for candidate in ("a@" + "a-" * 120 + "!", "@".join(["a" * 20] * 12) + "1", "a@" + "a" * 250 + "!"):
        assert not policy.is_valid_email(candidate)


def test_normalise_email_trims_and_lowercases() -> None:
    assert policy.normalise_email("  Admin@Example.COM ") == "admin@example.com"


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("abc123", policy.PASSWORD_TOO_SHORT),
        ("abcdefg", policy.PASSWORD_TOO_SHORT),
        ("a1" * 50, policy.PASSWORD_TOO_LONG),
        ("12345678", policy.PASSWORD_NO_LETTER),
        ("1234567é", policy.PASSWORD_NO_LETTER),
        ("abcdefgh", policy.PASSWORD_NO_DIGIT),
        ("abcdefg١", policy.PASSWORD_NO_DIGIT),  # an Arabic-Indic digit is not an ASCII number
    ],
)
def test_weak_passwords_get_the_cdi_message(password: str, problem: str) -> None:
    assert policy.password_problem(password) == problem


def test_password_messages_are_the_cdi_texts() -> None:
    assert policy.PASSWORD_TOO_SHORT == "Password must contain at least 8 characters, including a number"
    assert policy.PASSWORD_TOO_LONG == "Password's length must be lesser than 100 characters"
    assert policy.PASSWORD_NO_LETTER == "Password must contain at least one alphabet"
    assert policy.PASSWORD_NO_DIGIT == "Password must contain at least one number"


@pytest.mark.parametrize("password", ["abcdefg1", "a" * 98 + "1", "pass word 1"])
def test_acceptable_passwords(password: str) -> None:
    assert policy.password_problem(password) is None


def test_password_length_counts_like_upstream() -> None:
    # Upstream counts UTF-16 units: each emoji counts twice, so 2 + 3*2 = 8 is long enough.
    assert policy.password_problem("a1" + "\U0001f600" * 3) is None
    assert policy.password_problem("a1" + "\U0001f600" * 2) == policy.PASSWORD_TOO_SHORT
