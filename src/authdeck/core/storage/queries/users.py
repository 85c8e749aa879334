"""SQL for users of every auth recipe: loading user records in batches, keyset pages, search, counters, removal.

Pages are loaded with a constant number of queries (ids, details, tenants), never one query per user.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import (
    ColumnElement,
    Connection,
    Row,
    Select,
    String,
    and_,
    any_,
    bindparam,
    delete,
    func,
    not_,
    select,
    union,
)
from sqlalchemy.dialects import postgresql, sqlite

from authdeck.core.storage.tables import (
    app_users,
    email_verification_tokens,
    emailpassword_user_to_tenant,
    emailpassword_users,
    sessions,
    tenant_users,
    tenants,
    user_counters,
    user_metadata,
    user_roles,
    verified_emails,
)

Order = Literal["ASC", "DESC"]
ALL_TENANTS = ""  # the tenant_id of the counter rows that count the app's distinct users
# Above every character, so that `col >= term AND col < term + _TOP` is "col starts with term" as a range.
_TOP = "\U0010ffff"


@dataclass(frozen=True)
class LoginMethod:
    recipe_id: str
    recipe_user_id: str
    time_joined: int
    tenant_ids: tuple[str, ...]
    email: str | None = None
    verified: bool = False


@dataclass(frozen=True)
class UserRecord:
    user_id: str
    time_joined: int
    login_methods: tuple[LoginMethod, ...] = field(default_factory=tuple)

    @property
    def tenant_ids(self) -> list[str]:
        return sorted({t for m in self.login_methods for t in m.tenant_ids})

    @property
    def emails(self) -> list[str]:
        return list(dict.fromkeys(m.email for m in self.login_methods if m.email is not None))


def _among_ids(column: ColumnElement[str], postgres: bool) -> ColumnElement[bool]:
    # PostgreSQL takes the ids as one array parameter: much cheaper to send than hundreds of scalar ones.
    if postgres:
        return column == any_(bindparam("ids", type_=postgresql.ARRAY(String)))
    return column.in_(bindparam("ids", expanding=True))


def _with_details() -> Select[Any]:
    """Rows of (user_id, recipe_id, time_joined, email, verified) for every user, to be filtered by the caller."""
    au, ep, ve = app_users.c, emailpassword_users.c, verified_emails.c
    return select(
        au.user_id, au.recipe_id, au.time_joined, ep.email, ve.user_id.is_not(None).label("verified")
    ).select_from(
        app_users.outerjoin(emailpassword_users, and_(ep.app_id == au.app_id, ep.user_id == au.user_id)).outerjoin(
            verified_emails, and_(ve.app_id == ep.app_id, ve.user_id == ep.user_id, ve.email == ep.email)
        )
    )


def _load_statements(postgres: bool) -> tuple[Select[Any], Select[Any]]:
    """The queries that load users by id, built once per dialect (building costs more than running them)."""
    users_query = _with_details().where(
        app_users.c.app_id == bindparam("app_id"), _among_ids(app_users.c.user_id, postgres)
    )
    # recipe_id is selected although unused: it keeps ix_tenant_users_page_desc from being a covering index
    # here, which SQLite without statistics would otherwise prefer (scanning the whole app) over
    # ix_tenant_users_user.
    tenants_query = select(tenant_users.c.user_id, tenant_users.c.tenant_id, tenant_users.c.recipe_id).where(
        tenant_users.c.app_id == bindparam("app_id"), _among_ids(tenant_users.c.user_id, postgres)
    )
    return users_query, tenants_query


_LOAD = {True: _load_statements(True), False: _load_statements(False)}


def _records(conn: Connection, app_id: str, rows: Sequence[Row[Any]]) -> list[UserRecord]:
    """User records for detail rows (see ``_with_details``), in their order, adding their tenants (one query)."""
    if not rows:
        return []
    tenants_query = _LOAD[conn.dialect.name == "postgresql"][1]
    tenants: dict[str, list[str]] = {}
    for user_id, tenant_id, _recipe in conn.execute(
        tenants_query, {"app_id": app_id, "ids": [r.user_id for r in rows]}
    ):
        tenants.setdefault(user_id, []).append(tenant_id)
    records = []
    for row in rows:
        method = LoginMethod(
            recipe_id=row.recipe_id,
            recipe_user_id=row.user_id,
            time_joined=row.time_joined,
            tenant_ids=tuple(sorted(tenants.get(row.user_id, []))),
            email=row.email,
            verified=bool(row.verified),
        )
        records.append(UserRecord(row.user_id, row.time_joined, (method,)))
    return records


def load_users(conn: Connection, app_id: str, user_ids: Sequence[str]) -> dict[str, UserRecord]:
    """The users among ``user_ids`` that exist, by id, in two queries whatever their number."""
    ids = list(dict.fromkeys(user_ids))
    if not ids:
        return {}
    users_query = _LOAD[conn.dialect.name == "postgresql"][0]
    rows = conn.execute(users_query, {"app_id": app_id, "ids": ids}).all()
    return {record.user_id: record for record in _records(conn, app_id, rows)}


def load_user(conn: Connection, app_id: str, user_id: str) -> UserRecord | None:
    return load_users(conn, app_id, [user_id]).get(user_id)


def page(
    conn: Connection,
    app_id: str,
    tenant_id: str,
    *,
    order: Order,
    limit: int,
    recipe_ids: Sequence[str] = (),
    cursor: tuple[str, int] | None = None,
) -> list[UserRecord]:
    """Up to ``limit`` users of the tenant ordered by (time joined ``order``, user id DESC), from ``cursor`` on.

    ``cursor`` (user id, time joined) is the first row of the page, included. The predicates keep a range on
    ``time_joined`` so that the index (ix_tenant_users_page_asc / _desc) is scanned from the cursor. The page's
    ids come first and drive primary-key lookups of the details: joined in one statement, PostgreSQL's planner
    may prefer hashing all of app_users (a full scan) to a hundred index probes.
    """
    tu = tenant_users.c
    query = select(tu.user_id, tu.time_joined).where(tu.app_id == app_id, tu.tenant_id == tenant_id)
    if recipe_ids:
        query = query.where(tu.recipe_id.in_(list(recipe_ids)))
    if cursor is not None:
        user_id, time_joined = cursor
        past_cursor_in_tie = and_(tu.time_joined == time_joined, tu.user_id > user_id)
        if order == "ASC":
            query = query.where(tu.time_joined >= time_joined, not_(past_cursor_in_tie))
        else:
            query = query.where(tu.time_joined <= time_joined, not_(past_cursor_in_tie))
    time_order = tu.time_joined.asc() if order == "ASC" else tu.time_joined.desc()
    ids = list(conn.execute(query.order_by(time_order, tu.user_id.desc()).limit(limit)).scalars())
    loaded = load_users(conn, app_id, ids)
    return [loaded[user_id] for user_id in ids if user_id in loaded]


def _starts_with(column: ColumnElement[str], term: str) -> ColumnElement[bool]:
    return and_(column >= term, column < term + _TOP)


def search_emailpassword(
    conn: Connection,
    app_id: str,
    tenant_id: str,
    *,
    email_terms: Sequence[str],
    order: Order,
    cap: int,
    recipe_ids: Sequence[str] = (),
) -> list[UserRecord]:
    """Users of the tenant whose email, or email domain, starts with one of ``email_terms``.

    Each term is two index range scans (on the email and on the domain), each capped at ``cap`` rows as upstream
    caps its per-recipe sub-queries; the union is ordered by time joined and capped at ``cap`` again.
    """
    if not email_terms or (recipe_ids and "emailpassword" not in recipe_ids):
        return []
    e = emailpassword_user_to_tenant.c
    scans: list[Select[tuple[str]]] = []
    for term in dict.fromkeys(email_terms):
        for column in (e.email, e.email_domain):
            scans.append(
                select(e.user_id)
                .where(e.app_id == app_id, e.tenant_id == tenant_id, _starts_with(column, term))
                .order_by(column)
                .limit(cap)
            )
    # SQLite refuses ORDER BY/LIMIT directly inside a compound select; wrapping each scan keeps both legal.
    matches = conn.execute(union(*[select(s.subquery().c.user_id) for s in scans])).scalars().all()
    # The (bounded) matches drive primary-key lookups for the details, then are ordered here: an email row in
    # the tenant implies membership of it.
    found = sorted(load_users(conn, app_id, matches).values(), key=lambda u: u.user_id, reverse=True)
    found.sort(key=lambda u: u.time_joined, reverse=order == "DESC")
    return found[:cap]


def users_by_email(conn: Connection, app_id: str, tenant_id: str, email: str) -> list[str]:
    """Ids of the tenant's users with exactly this (normalised) email; at most one per recipe."""
    e = emailpassword_user_to_tenant.c
    query = select(e.user_id).where(e.app_id == app_id, e.tenant_id == tenant_id, e.email == email)
    return list(conn.execute(query).scalars())


# --- counters -----------------------------------------------------------------------------------------------


def add_to_counters(conn: Connection, app_id: str, deltas: Mapping[tuple[str, str], int]) -> None:
    """Add ``deltas`` {(tenant_id, recipe_id): n} to the exact user counters, creating rows as needed.

    An upsert (``count = count + n``) keeps concurrent writers exact; rows are touched in sorted order so that
    two transactions never wait on each other's counter rows in opposite orders.
    """
    for (tenant_id, recipe_id), delta in sorted(deltas.items()):
        if delta == 0:
            continue
        values = {"app_id": app_id, "tenant_id": tenant_id, "recipe_id": recipe_id, "count": delta}
        if conn.dialect.name == "postgresql":
            pg = postgresql.insert(user_counters).values(**values)
            stmt = pg.on_conflict_do_update(
                index_elements=["app_id", "tenant_id", "recipe_id"],
                set_={"count": user_counters.c.count + pg.excluded["count"]},
            )
        else:
            lite = sqlite.insert(user_counters).values(**values)
            stmt = lite.on_conflict_do_update(  # type: ignore[assignment]
                index_elements=["app_id", "tenant_id", "recipe_id"],
                set_={"count": user_counters.c.count + lite.excluded["count"]},
            )
        conn.execute(stmt)


def count_users(conn: Connection, app_id: str, tenant_id: str, recipe_ids: Sequence[str] = ()) -> int:
    """The exact number of users of ``tenant_id`` (``ALL_TENANTS``: of the app), optionally of some recipes."""
    c = user_counters.c
    query = select(func.coalesce(func.sum(c.count), 0)).where(c.app_id == app_id, c.tenant_id == tenant_id)
    if recipe_ids:
        query = query.where(c.recipe_id.in_(list(recipe_ids)))
    return int(conn.execute(query).scalar_one())


# --- removal ------------------------------------------------------------------------------------------------


def lock_user_tenants(conn: Connection, app_id: str, user_id: str) -> tuple[str, list[str]] | None:
    """(recipe id, tenant ids) of the user, with its app row locked until commit; None if it does not exist."""
    recipe_id = conn.execute(
        select(app_users.c.recipe_id)
        .where(app_users.c.app_id == app_id, app_users.c.user_id == user_id)
        .with_for_update()
    ).scalar_one_or_none()
    if recipe_id is None:
        return None
    return recipe_id, tenants_of(conn, app_id, user_id)


def tenants_of(conn: Connection, app_id: str, user_id: str) -> list[str]:
    """The tenants the user belongs to, sorted."""
    tu = tenant_users.c
    # recipe_id keeps ix_tenant_users_page_desc from covering this query; see _load_statements.
    rows = conn.execute(select(tu.tenant_id, tu.recipe_id).where(tu.app_id == app_id, tu.user_id == user_id))
    return sorted(row.tenant_id for row in rows)


def delete_user_rows(conn: Connection, app_id: str, user_id: str) -> None:
    """Delete every row of the user; the recipe tables and reset tokens follow app_users by cascade."""
    conn.execute(delete(app_users).where(app_users.c.app_id == app_id, app_users.c.user_id == user_id))
    for table in (verified_emails, user_metadata, user_roles, sessions):
        conn.execute(delete(table).where(table.c.app_id == app_id, table.c.user_id == user_id))
    # Its only index leads with the tenant: naming the app's tenants turns a scan of the app into lookups.
    evt = email_verification_tokens.c
    app_tenants = select(tenants.c.tenant_id).where(tenants.c.app_id == app_id)
    conn.execute(
        delete(email_verification_tokens).where(
            evt.app_id == app_id, evt.tenant_id.in_(app_tenants.scalar_subquery()), evt.user_id == user_id
        )
    )


def counter_deltas(recipe_id: str, tenant_ids: Iterable[str], per_user: int) -> dict[tuple[str, str], int]:
    """What adding (``per_user`` = n) or removing (-n) users of these tenants does to the counters."""
    deltas = {(ALL_TENANTS, recipe_id): per_user}
    for tenant_id in tenant_ids:
        deltas[(tenant_id, recipe_id)] = deltas.get((tenant_id, recipe_id), 0) + per_user
    return deltas


def user_exists(conn: Connection, app_id: str, user_id: str) -> bool:
    row = conn.execute(
        select(app_users.c.user_id).where(app_users.c.app_id == app_id, app_users.c.user_id == user_id)
    ).first()
    return row is not None
