"""SQL for user roles: app-level roles and their permissions, and per-tenant user↔role rows.

Lists come back unordered; the service sorts them so that both databases answer the same order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import ColumnElement, Connection, Insert, delete, insert, select
from sqlalchemy.exc import IntegrityError

from authdeck.core.storage.engine import is_unique_violation
from authdeck.core.storage.tables import role_permissions, roles, user_roles

Lock = Literal["none", "key_share", "update"]


def role_exists(conn: Connection, app_id: str, role: str, *, lock: Lock = "none") -> bool:
    """Whether ``role`` exists. ``key_share`` keeps it from being deleted until the transaction ends;
    ``update`` also serialises writers of the same role (both are no-ops on SQLite, whose writers queue)."""
    query = select(roles.c.role).where(roles.c.app_id == app_id, roles.c.role == role)
    if lock == "update":
        query = query.with_for_update()
    elif lock == "key_share":
        query = query.with_for_update(read=True, key_share=True)
    return conn.execute(query).first() is not None


def _try_insert(conn: Connection, statement: Insert) -> bool:
    savepoint = conn.begin_nested()
    try:
        conn.execute(statement)
    except IntegrityError as exc:
        savepoint.rollback()
        if is_unique_violation(exc):
            return False
        raise
    savepoint.commit()
    return True


def try_insert_role(conn: Connection, app_id: str, role: str) -> bool:
    """Insert ``role``; False when it exists already (also when another transaction just created it)."""
    return _try_insert(conn, insert(roles).values(app_id=app_id, role=role))


def all_roles(conn: Connection, app_id: str) -> list[str]:
    return list(conn.execute(select(roles.c.role).where(roles.c.app_id == app_id)).scalars())


def delete_role(conn: Connection, app_id: str, role: str) -> bool:
    """Delete ``role``; its permissions and user mappings in every tenant go with it (FK cascade)."""
    result = conn.execute(delete(roles).where(roles.c.app_id == app_id, roles.c.role == role))
    return bool(result.rowcount)


def permissions_of(conn: Connection, app_id: str, role: str) -> list[str]:
    query = select(role_permissions.c.permission).where(
        role_permissions.c.app_id == app_id, role_permissions.c.role == role
    )
    return list(conn.execute(query).scalars())


def add_permissions(conn: Connection, app_id: str, role: str, permissions: Iterable[str]) -> None:
    """Add those of ``permissions`` the role lacks. The caller holds the role's row lock, so no writer races."""
    missing = set(permissions) - set(permissions_of(conn, app_id, role))
    if missing:
        conn.execute(
            insert(role_permissions),
            [{"app_id": app_id, "role": role, "permission": p} for p in sorted(missing)],
        )


def remove_permissions(conn: Connection, app_id: str, role: str, permissions: Iterable[str] | None) -> None:
    """Remove ``permissions`` from ``role``, or all of them when None."""
    query = delete(role_permissions).where(role_permissions.c.app_id == app_id, role_permissions.c.role == role)
    if permissions is not None:
        query = query.where(role_permissions.c.permission.in_(list(permissions)))
    conn.execute(query)


def roles_with_permission(conn: Connection, app_id: str, permission: str) -> list[str]:
    query = select(role_permissions.c.role).where(
        role_permissions.c.app_id == app_id, role_permissions.c.permission == permission
    )
    return list(conn.execute(query).scalars())


def _user_role(app_id: str, tenant_id: str, user_id: str, role: str) -> list[ColumnElement[bool]]:
    return [
        user_roles.c.app_id == app_id,
        user_roles.c.tenant_id == tenant_id,
        user_roles.c.user_id == user_id,
        user_roles.c.role == role,
    ]


def user_has_role(conn: Connection, app_id: str, tenant_id: str, user_id: str, role: str) -> bool:
    query = select(user_roles.c.role).where(*_user_role(app_id, tenant_id, user_id, role))
    return conn.execute(query).first() is not None


def try_add_user_role(conn: Connection, app_id: str, tenant_id: str, user_id: str, role: str) -> bool:
    """Give ``user_id`` the role in the tenant; False when the user had it already."""
    statement = insert(user_roles).values(app_id=app_id, tenant_id=tenant_id, user_id=user_id, role=role)
    return _try_insert(conn, statement)


def remove_user_role(conn: Connection, app_id: str, tenant_id: str, user_id: str, role: str) -> bool:
    result = conn.execute(delete(user_roles).where(*_user_role(app_id, tenant_id, user_id, role)))
    return bool(result.rowcount)


def roles_of_user(conn: Connection, app_id: str, tenant_id: str, user_id: str) -> list[str]:
    query = select(user_roles.c.role).where(
        user_roles.c.app_id == app_id, user_roles.c.tenant_id == tenant_id, user_roles.c.user_id == user_id
    )
    return list(conn.execute(query).scalars())


def users_with_role(conn: Connection, app_id: str, tenant_id: str, role: str) -> list[str]:
    query = select(user_roles.c.user_id).where(
        user_roles.c.app_id == app_id, user_roles.c.tenant_id == tenant_id, user_roles.c.role == role
    )
    return list(conn.execute(query).scalars())


def delete_user(conn: Connection, app_id: str, user_id: str) -> int:
    """Remove every role of ``user_id`` in every tenant of the app; rows deleted."""
    result = conn.execute(delete(user_roles).where(user_roles.c.app_id == app_id, user_roles.c.user_id == user_id))
    return int(result.rowcount)
