"""SQL of the emailpassword recipe: inserting users (one or many at once), credentials, email and password updates,
reset tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, insert, select, update

from authdeck.core.storage.queries import users
from authdeck.core.storage.tables import (
    app_users,
    emailpassword_user_to_tenant,
    emailpassword_users,
    password_reset_tokens,
    tenant_users,
    verified_emails,
)

RECIPE_ID = "emailpassword"


@dataclass(frozen=True)
class NewUser:
    """A user to insert: the email normalised, the password already hashed."""

    user_id: str
    email: str
    password_hash: str
    time_joined: int


@dataclass(frozen=True)
class Credentials:
    user_id: str
    password_hash: str


@dataclass(frozen=True)
class ResetToken:
    user_id: str
    email: str
    expiry: int


def email_domain(email: str) -> str:
    """What domain search matches: everything after the first '@' ('' when there is none)."""
    return email.partition("@")[2]


def insert_users(conn: Connection, app_id: str, tenant_id: str, rows: Sequence[NewUser]) -> None:
    """Insert new users of one tenant with one executemany per table, and count them.

    Raises SQLAlchemy's ``IntegrityError`` when an email is taken in the tenant (or an id exists); callers
    translate it. Counters are updated last, so their hot rows stay locked for the shortest time.
    """
    if not rows:
        return
    conn.execute(
        insert(app_users),
        [{"app_id": app_id, "user_id": r.user_id, "recipe_id": RECIPE_ID, "time_joined": r.time_joined} for r in rows],
    )
    conn.execute(
        insert(tenant_users),
        [
            {
                "app_id": app_id,
                "tenant_id": tenant_id,
                "user_id": r.user_id,
                "recipe_id": RECIPE_ID,
                "time_joined": r.time_joined,
            }
            for r in rows
        ],
    )
    conn.execute(
        insert(emailpassword_users),
        [
            {
                "app_id": app_id,
                "user_id": r.user_id,
                "email": r.email,
                "password_hash": r.password_hash,
                "time_joined": r.time_joined,
            }
            for r in rows
        ],
    )
    conn.execute(
        insert(emailpassword_user_to_tenant),
        [
            {
                "app_id": app_id,
                "tenant_id": tenant_id,
                "user_id": r.user_id,
                "email": r.email,
                "email_domain": email_domain(r.email),
            }
            for r in rows
        ],
    )
    users.add_to_counters(conn, app_id, users.counter_deltas(RECIPE_ID, [tenant_id], len(rows)))


def mark_verified(conn: Connection, app_id: str, pairs: Sequence[tuple[str, str]]) -> None:
    """Record (user id, email) pairs of brand-new users as verified."""
    if pairs:
        conn.execute(insert(verified_emails), [{"app_id": app_id, "user_id": u, "email": e} for u, e in pairs])


def credentials(conn: Connection, app_id: str, tenant_id: str, email: str) -> Credentials | None:
    e, u = emailpassword_user_to_tenant.c, emailpassword_users.c
    row = conn.execute(
        select(u.user_id, u.password_hash)
        .select_from(
            emailpassword_user_to_tenant.join(emailpassword_users, (u.app_id == e.app_id) & (u.user_id == e.user_id))
        )
        .where(e.app_id == app_id, e.tenant_id == tenant_id, e.email == email)
    ).first()
    return None if row is None else Credentials(row.user_id, row.password_hash)


def lock_user_email(conn: Connection, app_id: str, user_id: str) -> str | None:
    """The user's email, with its row locked until commit; None if no such emailpassword user."""
    u = emailpassword_users.c
    email: str | None = conn.execute(
        select(u.email).where(u.app_id == app_id, u.user_id == user_id).with_for_update()
    ).scalar_one_or_none()
    return email


def update_email(conn: Connection, app_id: str, user_id: str, email: str) -> None:
    """Change the email everywhere (all tenants); raises ``IntegrityError`` if a tenant already has it."""
    u, e = emailpassword_users.c, emailpassword_user_to_tenant.c
    conn.execute(update(emailpassword_users).where(u.app_id == app_id, u.user_id == user_id).values(email=email))
    # The tenants are named so that the primary key (app, tenant, user) finds the rows without a scan.
    conn.execute(
        update(emailpassword_user_to_tenant)
        .where(e.app_id == app_id, e.tenant_id.in_(users.tenants_of(conn, app_id, user_id)), e.user_id == user_id)
        .values(email=email, email_domain=email_domain(email))
    )


def update_password_hash(conn: Connection, app_id: str, user_id: str, password_hash: str) -> None:
    u = emailpassword_users.c
    conn.execute(
        update(emailpassword_users).where(u.app_id == app_id, u.user_id == user_id).values(password_hash=password_hash)
    )


def insert_reset_token(conn: Connection, app_id: str, token_hash: str, token: ResetToken) -> None:
    conn.execute(
        insert(password_reset_tokens).values(
            app_id=app_id, token_hash=token_hash, user_id=token.user_id, email=token.email, token_expiry=token.expiry
        )
    )


def take_reset_token(conn: Connection, app_id: str, token_hash: str) -> ResetToken | None:
    """Delete the token and return what it was for; of two concurrent takers only one gets it."""
    t = password_reset_tokens.c
    row = conn.execute(
        delete(password_reset_tokens)
        .where(t.app_id == app_id, t.token_hash == token_hash)
        .returning(t.user_id, t.email, t.token_expiry)
    ).first()
    return None if row is None else ResetToken(row.user_id, row.email, row.token_expiry)


def delete_reset_tokens(conn: Connection, app_id: str, user_id: str) -> None:
    t = password_reset_tokens.c
    conn.execute(delete(password_reset_tokens).where(t.app_id == app_id, t.user_id == user_id))
