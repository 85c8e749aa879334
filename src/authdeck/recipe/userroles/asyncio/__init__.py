"""The userroles functions, async. Roles and permissions are per app; user↔role assignments per tenant."""

from __future__ import annotations

from typing import Any

from authdeck.recipe.userroles.interfaces import (
    AddRoleToUserOkResult,
    CreateNewRoleOrAddPermissionsOkResult,
    DeleteRoleOkResult,
    GetAllRolesOkResult,
    GetPermissionsForRoleOkResult,
    GetRolesForUserOkResult,
    GetRolesThatHavePermissionOkResult,
    GetUsersThatHaveRoleOkResult,
    RecipeInterface,
    RemovePermissionsFromRoleOkResult,
    RemoveUserRoleOkResult,
    UnknownRoleError,
)
from authdeck.recipe.userroles.recipe import UserRolesRecipe


def _functions() -> RecipeInterface:
    return UserRolesRecipe.get_instance().recipe_implementation


def _context(user_context: dict[str, Any] | None) -> dict[str, Any]:
    return {} if user_context is None else user_context


async def add_role_to_user(
    tenant_id: str, user_id: str, role: str, user_context: dict[str, Any] | None = None
) -> AddRoleToUserOkResult | UnknownRoleError:
    """Give ``user_id`` the role in ``tenant_id``; the role must exist."""
    return await _functions().add_role_to_user(user_id, role, tenant_id, _context(user_context))


async def remove_user_role(
    tenant_id: str, user_id: str, role: str, user_context: dict[str, Any] | None = None
) -> RemoveUserRoleOkResult | UnknownRoleError:
    return await _functions().remove_user_role(user_id, role, tenant_id, _context(user_context))


async def get_roles_for_user(
    tenant_id: str, user_id: str, user_context: dict[str, Any] | None = None
) -> GetRolesForUserOkResult:
    return await _functions().get_roles_for_user(user_id, tenant_id, _context(user_context))


async def get_users_that_have_role(
    tenant_id: str, role: str, user_context: dict[str, Any] | None = None
) -> GetUsersThatHaveRoleOkResult | UnknownRoleError:
    return await _functions().get_users_that_have_role(role, tenant_id, _context(user_context))


async def create_new_role_or_add_permissions(
    role: str, permissions: list[str], user_context: dict[str, Any] | None = None
) -> CreateNewRoleOrAddPermissionsOkResult:
    """Create ``role`` if needed and add ``permissions`` to it (existing permissions are kept)."""
    return await _functions().create_new_role_or_add_permissions(role, permissions, _context(user_context))


async def get_permissions_for_role(
    role: str, user_context: dict[str, Any] | None = None
) -> GetPermissionsForRoleOkResult | UnknownRoleError:
    return await _functions().get_permissions_for_role(role, _context(user_context))


async def remove_permissions_from_role(
    role: str, permissions: list[str], user_context: dict[str, Any] | None = None
) -> RemovePermissionsFromRoleOkResult | UnknownRoleError:
    return await _functions().remove_permissions_from_role(role, permissions, _context(user_context))


async def get_roles_that_have_permission(
    permission: str, user_context: dict[str, Any] | None = None
) -> GetRolesThatHavePermissionOkResult:
    return await _functions().get_roles_that_have_permission(permission, _context(user_context))


async def delete_role(role: str, user_context: dict[str, Any] | None = None) -> DeleteRoleOkResult:
    """Delete the role, its permissions and every assignment of it, in all tenants."""
    return await _functions().delete_role(role, _context(user_context))


async def get_all_roles(user_context: dict[str, Any] | None = None) -> GetAllRolesOkResult:
    return await _functions().get_all_roles(_context(user_context))


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
