"""Rules for users of any recipe: lookup, keyset pages and their token, search, exact counts, removal."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection

from authdeck.core.errors import StatusError
from authdeck.core.storage.queries import users as q
from authdeck.core.storage.queries.users import Order, UserRecord

# The recipe ids the CDI knows; only emailpassword users exist here, the others simply match nobody.
RECIPE_IDS = ("emailpassword", "thirdparty", "passwordless", "webauthn")
SEARCH_TAGS = ("email", "phone", "provider")
# Upstream's cap on search results (and on each recipe's sub-query).
SEARCH_CAP = 1000


class UnknownUserIdError(StatusError):
    status = "UNKNOWN_USER_ID_ERROR"


@dataclass(frozen=True)
class Search:
    """Terms per search tag, already trimmed and lower-cased; terms of a tag are ORed, tags are ANDed."""

    email: tuple[str, ...] = ()
    phone: tuple[str, ...] = ()
    provider: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.email or self.phone or self.provider)


@dataclass(frozen=True)
class Page:
    users: list[UserRecord]
    next_token: str | None


def encode_pagination_token(user_id: str, time_joined: int) -> str:
    return base64.b64encode(f"{user_id};{time_joined}".encode()).decode("ascii")


def decode_pagination_token(token: str) -> tuple[str, int] | None:
    """(user id, time joined) from a token, or None when it is not one this core could have made."""
    try:
        text = base64.b64decode(token.encode("ascii"), validate=True).decode("utf-8")
    except (ValueError, binascii.Error, UnicodeError):
        return None
    user_id, sep, time_joined = text.partition(";")
    if not sep or not user_id or ";" in time_joined or not time_joined.isdigit() or not time_joined.isascii():
        return None
    value = int(time_joined)
    if value >= 2**63:
        return None
    return user_id, value


def get_user(conn: Connection, app_id: str, user_id: str) -> UserRecord:
    user = q.load_user(conn, app_id, user_id)
    if user is None:
        raise UnknownUserIdError()
    return user


def list_users(
    conn: Connection,
    app_id: str,
    tenant_id: str,
    *,
    order: Order,
    limit: int,
    recipe_ids: Sequence[str] = (),
    cursor: tuple[str, int] | None = None,
    search: Search | None = None,
) -> Page:
    """One page of the tenant's users; with ``search``, every match (up to ``SEARCH_CAP``) and no next page.

    A page fetches ``limit + 1`` rows: the extra one is where the next page starts, and is its first row.
    """
    if search:
        # Tags are ANDed and only emailpassword users exist: a phone or provider term can match nobody.
        if search.phone or search.provider or not search.email:
            return Page([], None)
        found = q.search_emailpassword(
            conn, app_id, tenant_id, email_terms=search.email, order=order, cap=SEARCH_CAP, recipe_ids=recipe_ids
        )
        return Page(found, None)
    users = q.page(conn, app_id, tenant_id, order=order, limit=limit + 1, recipe_ids=recipe_ids, cursor=cursor)
    next_token = None
    if len(users) > limit:
        extra = users.pop()
        next_token = encode_pagination_token(extra.user_id, extra.time_joined)
    return Page(users, next_token)


def count_users(conn: Connection, app_id: str, tenant_id: str | None, recipe_ids: Sequence[str] = ()) -> int:
    """Exact count of the tenant's users, or of the app's (``tenant_id`` None), from the maintained counters."""
    return q.count_users(conn, app_id, q.ALL_TENANTS if tenant_id is None else tenant_id, recipe_ids)


def users_by_account_info(
    conn: Connection,
    app_id: str,
    tenant_id: str,
    *,
    email: str | None,
    other_info_given: bool,
    union: bool,
) -> list[UserRecord]:
    """Users of the tenant that have the given account info (any of it with ``union``, else all of it).

    Phone numbers, third-party ids and webauthn credentials belong to recipes this core does not have, so they
    match nobody: with ``union`` they add nothing, without it they empty the result.
    """
    if email is None or (other_info_given and not union):
        return []
    ids = q.users_by_email(conn, app_id, tenant_id, email)
    loaded = q.load_users(conn, app_id, ids)
    return sorted(loaded.values(), key=lambda u: (u.time_joined, u.user_id))


def remove_user(conn: Connection, app_id: str, user_id: str) -> bool:
    """Delete the user and everything keyed by its id, in the caller's transaction; False if it did not exist.

    Rows of other recipes (metadata, roles, sessions, verification) are deleted even for an id that is not a
    user, since those recipes also accept ids of users that live elsewhere.
    """
    found = q.lock_user_tenants(conn, app_id, user_id)
    q.delete_user_rows(conn, app_id, user_id)
    if found is None:
        return False
    recipe_id, tenant_ids = found
    q.add_to_counters(conn, app_id, q.counter_deltas(recipe_id, tenant_ids, -1))
    return True
