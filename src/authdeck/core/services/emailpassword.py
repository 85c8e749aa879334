"""Rules of the emailpassword recipe: sign-up, sign-in, reset tokens, email and password changes, hash import.

Password hashing is slow, so it happens before the request's transaction is touched.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from collections.abc import Sequence

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from authdeck.core import jobs
from authdeck.core.context import RequestContext
from authdeck.core.errors import StatusError
from authdeck.core.services.users import UnknownUserIdError
from authdeck.core.storage.engine import is_unique_violation, transaction
from authdeck.core.storage.queries import emailpassword as q
from authdeck.core.storage.queries import users as user_q
from authdeck.core.storage.queries.emailpassword import NewUser, ResetToken
from authdeck.core.storage.queries.users import UserRecord
from authdeck.core.storage.tables import password_reset_tokens

# Emails that cannot receive mail (made up by the SDKs for users without one) count as verified.
FAKE_EMAIL_SUFFIXES = ("@stfakeemail.supertokens.com", ".fakeemail.com")

jobs.register("password_reset_tokens")(jobs.delete_expired(password_reset_tokens, "token_expiry"))


class EmailAlreadyExistsError(StatusError):
    status = "EMAIL_ALREADY_EXISTS_ERROR"


class WrongCredentialsError(StatusError):
    status = "WRONG_CREDENTIALS_ERROR"


class UnknownEmailError(StatusError):
    status = "UNKNOWN_EMAIL_ERROR"


def is_fake_email(email: str) -> bool:
    return email.endswith(FAKE_EMAIL_SUFFIXES)


def create_users(conn: Connection, app_id: str, tenant_id: str, users: Sequence[NewUser]) -> None:
    """Insert new users of one tenant (one or many, hashes precomputed) and count them, in ``conn``'s transaction.

    Raises ``EmailAlreadyExistsError`` when an email is taken in the tenant, including by a concurrent
    transaction: the unique index decides, not an earlier read.
    """
    try:
        q.insert_users(conn, app_id, tenant_id, users)
    except IntegrityError as exc:
        if is_unique_violation(exc):
            raise EmailAlreadyExistsError() from exc
        raise
    q.mark_verified(conn, app_id, [(u.user_id, u.email) for u in users if is_fake_email(u.email)])


def _load(conn: Connection, app_id: str, user_id: str) -> UserRecord:
    user = user_q.load_user(conn, app_id, user_id)
    if user is None:  # only if the row vanished inside our own transaction, which nothing here does
        raise RuntimeError(f"user {user_id} missing right after being written")
    return user


def sign_up(ctx: RequestContext, email: str, password: str) -> UserRecord:
    password_hash = ctx.state.hashing.hash(password, ctx.app.password_hashing_alg)
    user = NewUser(str(uuid.uuid4()), email, password_hash, ctx.now_ms())
    create_users(ctx.conn, ctx.app_id, ctx.tenant_id, [user])
    return _load(ctx.conn, ctx.app_id, user.user_id)


def sign_in(ctx: RequestContext, email: str, password: str) -> UserRecord:
    """The user with these credentials in the tenant; unknown emails cost a hash too, so timing tells nothing."""
    # The stored hash is read in a short transaction of its own, so that no connection is held while the
    # (deliberately slow) hash is checked.
    with transaction(ctx.state.engine, write=False) as conn:
        found = q.credentials(conn, ctx.app_id, ctx.tenant_id, email)
    if found is None:
        ctx.state.hashing.burn_dummy(password)
        raise WrongCredentialsError()
    if not ctx.state.hashing.verify(password, found.password_hash):
        raise WrongCredentialsError()
    user = user_q.load_user(ctx.conn, ctx.app_id, found.user_id)
    if user is None:  # removed between the check and now
        raise WrongCredentialsError()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_reset_token(ctx: RequestContext, user_id: str, email: str) -> str:
    """A new password-reset token for the user; only its SHA-256 is stored."""
    token = secrets.token_urlsafe(48)
    conn = ctx.conn
    if not user_q.user_exists(conn, ctx.app_id, user_id):
        raise UnknownUserIdError()
    expiry = ctx.now_ms() + ctx.app.password_reset_token_lifetime
    q.insert_reset_token(conn, ctx.app_id, _token_hash(token), ResetToken(user_id, email, expiry))
    return token


def consume_reset_token(ctx: RequestContext, token: str) -> ResetToken | None:
    """What the token was issued for, or None if unknown or expired; every reset token of its user is spent.

    Returns instead of raising on failure, so that the deletion of an expired token's siblings is committed.
    """
    found = q.take_reset_token(ctx.conn, ctx.app_id, _token_hash(token))
    if found is None:
        return None
    q.delete_reset_tokens(ctx.conn, ctx.app_id, found.user_id)
    if found.expiry < ctx.now_ms():
        return None
    return found


def update_user(ctx: RequestContext, user_id: str, email: str | None, password: str | None) -> None:
    """Change the email (in every tenant of the user) and/or the password of an emailpassword user."""
    password_hash = None if password is None else ctx.state.hashing.hash(password, ctx.app.password_hashing_alg)
    conn = ctx.conn
    current = q.lock_user_email(conn, ctx.app_id, user_id)
    if current is None:
        raise UnknownUserIdError()
    if email is not None and email != current:
        try:
            q.update_email(conn, ctx.app_id, user_id, email)
        except IntegrityError as exc:
            if is_unique_violation(exc):
                raise EmailAlreadyExistsError() from exc
            raise
    if password_hash is not None:
        q.update_password_hash(conn, ctx.app_id, user_id, password_hash)


def import_password_hash(ctx: RequestContext, email: str, password_hash: str) -> tuple[UserRecord, bool]:
    """Set the stored hash of the tenant's user with ``email``, creating the user if needed; True if it existed."""
    conn = ctx.conn
    existing = q.credentials(conn, ctx.app_id, ctx.tenant_id, email)
    if existing is not None and q.lock_user_email(conn, ctx.app_id, existing.user_id) is not None:
        q.update_password_hash(conn, ctx.app_id, existing.user_id, password_hash)
        return _load(conn, ctx.app_id, existing.user_id), True
    user = NewUser(str(uuid.uuid4()), email, password_hash, ctx.now_ms())
    create_users(conn, ctx.app_id, ctx.tenant_id, [user])
    return _load(conn, ctx.app_id, user.user_id), False


def get_user_by_email(ctx: RequestContext, email: str) -> UserRecord:
    """The tenant's emailpassword user with this email (the deprecated GET /recipe/user)."""
    found = q.credentials(ctx.conn, ctx.app_id, ctx.tenant_id, email)
    user = None if found is None else user_q.load_user(ctx.conn, ctx.app_id, found.user_id)
    if user is None:
        raise UnknownEmailError()
    return user
