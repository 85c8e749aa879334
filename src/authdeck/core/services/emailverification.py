"""Email verification: single-use tokens (only their SHA-256 is stored) that mark a (user, email) verified.

Verification is keyed by (app, user id, email), so changing a user's email makes it unverified. Users need
not exist, as upstream.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import Connection

from authdeck.core import jobs
from authdeck.core.errors import StatusError
from authdeck.core.storage.queries import emailverification as queries
from authdeck.core.storage.tables import email_verification_tokens

# Column lengths in tables.py.
USER_ID_MAX_LENGTH = 128
EMAIL_MAX_LENGTH = 256

# 96 random bytes give 128 URL-safe characters, the length SDKs and email templates expect.
_TOKEN_BYTES = 96

PURGE_NAME = "email-verification-tokens"
jobs.register(PURGE_NAME)(jobs.delete_expired(email_verification_tokens, "token_expiry"))


class EmailAlreadyVerifiedError(StatusError):
    status = "EMAIL_ALREADY_VERIFIED_ERROR"


class InvalidTokenError(StatusError):
    status = "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"


@dataclass(frozen=True)
class Verified:
    user_id: str
    email: str


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_token(
    conn: Connection, app_id: str, tenant_id: str, user_id: str, email: str, *, now_ms: int, lifetime_ms: int
) -> str:
    """A new token for (user, email) in the tenant; raises when that pair is verified already."""
    email = normalise_email(email)
    if queries.is_verified(conn, app_id, user_id, email):
        raise EmailAlreadyVerifiedError()
    token = secrets.token_urlsafe(_TOKEN_BYTES)
    queries.insert_token(conn, app_id, tenant_id, _hash(token), user_id, email, now_ms + lifetime_ms)
    return token


def verify(conn: Connection, app_id: str, tenant_id: str, token: str, *, now_ms: int) -> Verified:
    """Use ``token``: mark its (user, email) verified and revoke every token of that pair in the tenant."""
    row = queries.find_token(conn, app_id, tenant_id, _hash(token))
    if row is None:
        raise InvalidTokenError()
    user_id, email, expiry_ms = row
    if expiry_ms < now_ms:
        raise InvalidTokenError()  # the expired rows go with the periodic purge
    queries.delete_tokens(conn, app_id, tenant_id, user_id, email)
    queries.mark_verified(conn, app_id, user_id, email)
    return Verified(user_id, email)


def is_verified(conn: Connection, app_id: str, user_id: str, email: str) -> bool:
    """Compares ``email`` as given, as upstream does: callers pass the stored, normalised email."""
    return queries.is_verified(conn, app_id, user_id, email)


def unverify(conn: Connection, app_id: str, user_id: str, email: str) -> None:
    queries.unverify(conn, app_id, user_id, normalise_email(email))


def revoke_tokens(conn: Connection, app_id: str, tenant_id: str, user_id: str, email: str) -> None:
    queries.delete_tokens(conn, app_id, tenant_id, user_id, normalise_email(email))


def delete_user(conn: Connection, app_id: str, user_id: str) -> None:
    """Forget the user's verified emails and tokens in every tenant; for user deletion."""
    queries.delete_user(conn, app_id, user_id)
