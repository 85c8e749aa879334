"""User roles: app-level roles with permissions, assigned to users per tenant. Users need not exist."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection

from authdeck.core.errors import CoreError, StatusError
from authdeck.core.storage.queries import roles as queries

# Column lengths in tables.py.
ROLE_MAX_LENGTH = 255
PERMISSION_MAX_LENGTH = 255
USER_ID_MAX_LENGTH = 128


class UnknownRoleError(StatusError):
    status = "UNKNOWN_ROLE_ERROR"


# A role deleted by another transaction every time we are about to lock it is not a real workload.
_ENSURE_ATTEMPTS = 5


def _ensure_role(conn: Connection, app_id: str, role: str) -> bool:
    """Create ``role`` if missing and hold its row lock; True when this call created it."""
    for _ in range(_ENSURE_ATTEMPTS):
        if queries.role_exists(conn, app_id, role, lock="update"):
            return False
        # A concurrent creator makes the insert wait for its commit, then fail; the lock above then sees it.
        if queries.try_insert_role(conn, app_id, role):
            return True
    raise CoreError(f"role {role!r} kept disappearing while being created")


def put_role(conn: Connection, app_id: str, role: str, permissions: Sequence[str]) -> bool:
    """Create ``role`` or add ``permissions`` to it (never removes any); True when the role is new."""
    created = _ensure_role(conn, app_id, role)
    queries.add_permissions(conn, app_id, role, permissions)
    return created


def _require_role(conn: Connection, app_id: str, role: str) -> None:
    # key_share: the role cannot be deleted under us until we commit.
    if not queries.role_exists(conn, app_id, role, lock="key_share"):
        raise UnknownRoleError()


def all_roles(conn: Connection, app_id: str) -> list[str]:
    return sorted(queries.all_roles(conn, app_id))


def remove_role(conn: Connection, app_id: str, role: str) -> bool:
    """Delete ``role`` with its permissions and its user mappings in every tenant; True if it existed."""
    return queries.delete_role(conn, app_id, role)


def permissions_of(conn: Connection, app_id: str, role: str) -> list[str]:
    _require_role(conn, app_id, role)
    return sorted(queries.permissions_of(conn, app_id, role))


def remove_permissions(conn: Connection, app_id: str, role: str, permissions: Sequence[str] | None) -> None:
    """Remove ``permissions`` from ``role``; all of them when None."""
    _require_role(conn, app_id, role)
    queries.remove_permissions(conn, app_id, role, permissions)


def roles_with_permission(conn: Connection, app_id: str, permission: str) -> list[str]:
    return sorted(queries.roles_with_permission(conn, app_id, permission))


def add_user_role(conn: Connection, app_id: str, tenant_id: str, user_id: str, role: str) -> bool:
    """Give the user ``role`` in the tenant; True when the user had it already."""
    _require_role(conn, app_id, role)
    if queries.user_has_role(conn, app_id, tenant_id, user_id, role):
        return True
    return not queries.try_add_user_role(conn, app_id, tenant_id, user_id, role)


def remove_user_role(conn: Connection, app_id: str, tenant_id: str, user_id: str, role: str) -> bool:
    """Take ``role`` from the user in the tenant; True when the user had it."""
    _require_role(conn, app_id, role)
    return queries.remove_user_role(conn, app_id, tenant_id, user_id, role)


def roles_of_user(conn: Connection, app_id: str, tenant_id: str, user_id: str) -> list[str]:
    return sorted(queries.roles_of_user(conn, app_id, tenant_id, user_id))


def users_with_role(conn: Connection, app_id: str, tenant_id: str, role: str) -> list[str]:
    _require_role(conn, app_id, role)
    return sorted(queries.users_with_role(conn, app_id, tenant_id, role))


def delete_user(conn: Connection, app_id: str, user_id: str) -> None:
    """Remove the user's roles in every tenant; for user deletion."""
    queries.delete_user(conn, app_id, user_id)
