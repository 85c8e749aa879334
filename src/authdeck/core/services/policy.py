"""Email and password rules for dashboard credentials, as the CDI applies them (spec §2.8).

Pure functions with no I/O, so the SDK side can mirror them and unit tests can pin every case.
"""

from __future__ import annotations

import re

# The effective upstream rule is "<anything>@<domain>" where the domain is one or more blocks of
# (letters, digits or '-', then any one character) followed by at least two ASCII letters. Written that
# way, the nested repetition backtracks exponentially; this form accepts exactly the same strings (runs of
# [A-Za-z0-9-] joined by single other characters, then any character, then the letters) in polynomial time.
# "Any character" follows Java's '.': everything but line terminators.
_ANY = "[^\n\r\u0085\u2028\u2029]"
_RUN = "[A-Za-z0-9-]+"
_JOIN = "[^A-Za-z0-9\\-\n\r\u0085\u2028\u2029]"
EMAIL_RE = re.compile(f"{_ANY}+@{_RUN}(?:{_JOIN}{_RUN})*{_ANY}[A-Za-z]{{2,}}")

# Longer emails do not fit the column (and would only feed the regex more work).
EMAIL_MAX_LENGTH = 256

PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 100  # exclusive: 99 characters is the longest accepted

# The CDI's exact messages (not secrets; the S105 check mistakes them for hardcoded passwords).
PASSWORD_TOO_SHORT = "Password must contain at least 8 characters, including a number"  # noqa: S105
PASSWORD_TOO_LONG = "Password's length must be lesser than 100 characters"  # noqa: S105
PASSWORD_NO_LETTER = "Password must contain at least one alphabet"  # noqa: S105
PASSWORD_NO_DIGIT = "Password must contain at least one number"  # noqa: S105

_ASCII_LETTER = re.compile("[A-Za-z]")
_ASCII_DIGIT = re.compile("[0-9]")


def normalise_email(email: str) -> str:
    """How emails are compared and stored: trimmed and lower-cased."""
    return email.strip().lower()


def is_valid_email(email: str) -> bool:
    """True when the (already normalised) ``email`` has an acceptable shape."""
    return len(email) <= EMAIL_MAX_LENGTH and EMAIL_RE.fullmatch(email) is not None


def _length(text: str) -> int:
    # Upstream counts UTF-16 code units; characters outside the BMP count twice there, so here too.
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def password_problem(password: str) -> str | None:
    """Why ``password`` is too weak, in the CDI's words, or None when it is acceptable."""
    length = _length(password)
    if length < PASSWORD_MIN_LENGTH:
        return PASSWORD_TOO_SHORT
    if length >= PASSWORD_MAX_LENGTH:
        return PASSWORD_TOO_LONG
    if _ASCII_LETTER.search(password) is None:
        return PASSWORD_NO_LETTER
    if _ASCII_DIGIT.search(password) is None:
        return PASSWORD_NO_DIGIT
    return None
