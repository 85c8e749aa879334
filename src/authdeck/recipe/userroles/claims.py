"""The ``st-role`` and ``st-perm`` session claims: the user's roles in the session's tenant, and their permissions.

Validators (``UserRoleClaim.validators.includes("admin")`` ...) come from the PrimitiveArrayClaim base class.
"""

from __future__ import annotations

from typing import Any

from authdeck.recipe.session.claims import PrimitiveArrayClaim
from authdeck.types import RecipeUserId


async def _fetch_roles(
    user_id: str, recipe_user_id: RecipeUserId, tenant_id: str, current_payload: dict[str, Any],
    user_context: dict[str, Any],
) -> list[str]:
    from authdeck.recipe.userroles.recipe import UserRolesRecipe

    recipe = UserRolesRecipe.get_instance()
    return (await recipe.recipe_implementation.get_roles_for_user(user_id, tenant_id, user_context)).roles


async def _fetch_permissions(
    user_id: str, recipe_user_id: RecipeUserId, tenant_id: str, current_payload: dict[str, Any],
    user_context: dict[str, Any],
) -> list[str]:
    from authdeck.recipe.userroles.interfaces import GetPermissionsForRoleOkResult
    from authdeck.recipe.userroles.recipe import UserRolesRecipe

    functions = UserRolesRecipe.get_instance().recipe_implementation
    roles = (await functions.get_roles_for_user(user_id, tenant_id, user_context)).roles
    permissions: dict[str, None] = {}  # insertion-ordered set: stable output for equal inputs
    for role in roles:
        found = await functions.get_permissions_for_role(role, user_context)
        # A role deleted between the two calls has no permissions left to grant.
        if isinstance(found, GetPermissionsForRoleOkResult):
            permissions.update(dict.fromkeys(found.permissions))
    return list(permissions)


class UserRoleClaimClass(PrimitiveArrayClaim[list[str]]):
    def __init__(self) -> None:
        super().__init__("st-role", _fetch_roles)


class PermissionClaimClass(PrimitiveArrayClaim[list[str]]):
    def __init__(self) -> None:
        super().__init__("st-perm", _fetch_permissions)


UserRoleClaim = UserRoleClaimClass()
PermissionClaim = PermissionClaimClass()
