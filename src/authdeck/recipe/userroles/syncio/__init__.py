"""The userroles functions for synchronous code; each one runs its async twin."""

from __future__ import annotations

from typing import Any

from authdeck import _sync
from authdeck.recipe.userroles import asyncio as _async
from authdeck.recipe.userroles.interfaces import (
    AddRoleToUserOkResult,
    CreateNewRoleOrAddPermissionsOkResult,
    DeleteRoleOkResult,
    GetAllRolesOkResult,
    GetPermissionsForRoleOkResult,
    GetRolesForUserOkResult,
    GetRolesThatHavePermissionOkResult,
    GetUsersThatHaveRoleOkResult,
    RemovePermissionsFromRoleOkResult,
    RemoveUserRoleOkResult,
    UnknownRoleError,
)


def add_role_to_user(
    tenant_id: str, user_id: str, role: str, user_context: dict[str, Any] | None = None
) -> AddRoleToUserOkResult | UnknownRoleError:
    return _sync.run(_async.add_role_to_user(tenant_id, user_id, role, user_context))


def remove_user_role(
    tenant_id: str, user_id: str, role: str, user_context: dict[str, Any] | None = None
) -> RemoveUserRoleOkResult | UnknownRoleError:
    return _sync.run(_async.remove_user_role(tenant_id, user_id, role, user_context))


def get_roles_for_user(
    tenant_id: str, user_id: str, user_context: dict[str, Any] | None = None
) -> GetRolesForUserOkResult:
    return _sync.run(_async.get_roles_for_user(tenant_id, user_id, user_context))


def get_users_that_have_role(
    tenant_id: str, role: str, user_context: dict[str, Any] | None = None
) -> GetUsersThatHaveRoleOkResult | UnknownRoleError:
    return _sync.run(_async.get_users_that_have_role(tenant_id, role, user_context))


def create_new_role_or_add_permissions(
    role: str, permissions: list[str], user_context: dict[str, Any] | None = None
) -> CreateNewRoleOrAddPermissionsOkResult:
    return _sync.run(_async.create_new_role_or_add_permissions(role, permissions, user_context))


def get_permissions_for_role(
    role: str, user_context: dict[str, Any] | None = None
) -> GetPermissionsForRoleOkResult | UnknownRoleError:
    return _sync.run(_async.get_permissions_for_role(role, user_context))


def remove_permissions_from_role(
    role: str, permissions: list[str], user_context: dict[str, Any] | None = None
) -> RemovePermissionsFromRoleOkResult | UnknownRoleError:
    return _sync.run(_async.remove_permissions_from_role(role, permissions, user_context))


def get_roles_that_have_permission(
    permission: str, user_context: dict[str, Any] | None = None
) -> GetRolesThatHavePermissionOkResult:
    return _sync.run(_async.get_roles_that_have_permission(permission, user_context))


def delete_role(role: str, user_context: dict[str, Any] | None = None) -> DeleteRoleOkResult:
    return _sync.run(_async.delete_role(role, user_context))


def get_all_roles(user_context: dict[str, Any] | None = None) -> GetAllRolesOkResult:
    return _sync.run(_async.get_all_roles(user_context))


__all__ = [
    "add_role_to_user",
    "create_new_role_or_add_permissions",
    "delete_role",
    "get_all_roles",
    "get_permissions_for_role",
    "get_roles_for_user",
    "get_roles_that_have_permission",
    "get_users_that_have_role",
    "remove_permissions_from_role",
    "remove_user_role",
]
