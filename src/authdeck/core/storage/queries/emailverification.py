"""SQL for email verification: verified (user, email) pairs per app, and per-tenant token hashes."""

from __future__ import annotations

from typing import NamedTuple

from sqlalchemy import Connection, delete, insert, select
from sqlalchemy.exc import IntegrityError

from authdeck.core.storage.engine import is_unique_violation
from authdeck.core.storage.tables import email_verification_tokens as tokens
from authdeck.core.storage.tables import verified_emails as verified


class TokenInfo(NamedTuple):
    user_id: str
    email: str
    expiry_ms: int


def is_verified(conn: Connection, app_id: str, user_id: str, email: str) -> bool:
    query = select(verified.c.email).where(
        verified.c.app_id == app_id, verified.c.user_id == user_id, verified.c.email == email
    )
    return conn.execute(query).first() is not None


def mark_verified(conn: Connection, app_id: str, user_id: str, email: str) -> None:
    """Record the pair as verified; a no-op when it is already (also when a concurrent request just did)."""
    if is_verified(conn, app_id, user_id, email):
        return
    savepoint = conn.begin_nested()
    try:
        conn.execute(insert(verified).values(app_id=app_id, user_id=user_id, email=email))
    except IntegrityError as exc:
        savepoint.rollback()
        if not is_unique_violation(exc):
            raise
        return
    savepoint.commit()


def unverify(conn: Connection, app_id: str, user_id: str, email: str) -> None:
    conn.execute(
        delete(verified).where(verified.c.app_id == app_id, verified.c.user_id == user_id, verified.c.email == email)
    )


def insert_token(
    conn: Connection, app_id: str, tenant_id: str, token_hash: str, user_id: str, email: str, expiry_ms: int
) -> None:
    conn.execute(
        insert(tokens).values(
            app_id=app_id,
            tenant_id=tenant_id,
            token_hash=token_hash,
            user_id=user_id,
            email=email,
            token_expiry=expiry_ms,
        )
    )


def find_token(conn: Connection, app_id: str, tenant_id: str, token_hash: str) -> TokenInfo | None:
    """The token's row, locked so that two concurrent uses of one token cannot both succeed."""
    query = (
        select(tokens.c.user_id, tokens.c.email, tokens.c.token_expiry)
        .where(tokens.c.app_id == app_id, tokens.c.tenant_id == tenant_id, tokens.c.token_hash == token_hash)
        .with_for_update()
    )
    row = conn.execute(query).first()
    return None if row is None else TokenInfo(row.user_id, row.email, row.token_expiry)


def delete_tokens(conn: Connection, app_id: str, tenant_id: str, user_id: str, email: str) -> int:
    """Delete every token of (tenant, user, email); rows deleted."""
    result = conn.execute(
        delete(tokens).where(
            tokens.c.app_id == app_id,
            tokens.c.tenant_id == tenant_id,
            tokens.c.user_id == user_id,
            tokens.c.email == email,
        )
    )
    return int(result.rowcount)


def delete_user(conn: Connection, app_id: str, user_id: str) -> None:
    """Forget ``user_id``'s verified emails and tokens in every tenant of the app."""
    conn.execute(delete(verified).where(verified.c.app_id == app_id, verified.c.user_id == user_id))
    conn.execute(delete(tokens).where(tokens.c.app_id == app_id, tokens.c.user_id == user_id))
