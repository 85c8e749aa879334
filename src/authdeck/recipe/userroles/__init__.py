"""User roles and permissions, stored in the core, with the ``st-role`` / ``st-perm`` session claims."""

from __future__ import annotations

from authdeck.recipe._module import RecipeInit
from authdeck.recipe.userroles.recipe import PermissionClaim, UserRoleClaim, UserRolesRecipe
from authdeck.recipe.userroles.utils import InputOverrideConfig, UserRolesOverrideConfig


def init(
    skip_adding_roles_to_access_token: bool = False,
    skip_adding_permissions_to_access_token: bool = False,
    override: UserRolesOverrideConfig | None = None,
) -> RecipeInit:
    """Add the userroles recipe to ``init(recipe_list=[...])``; list it with session.init()."""
    return UserRolesRecipe.init(skip_adding_roles_to_access_token, skip_adding_permissions_to_access_token, override)


__all__ = [
    "InputOverrideConfig",
    "PermissionClaim",
    "UserRoleClaim",
    "UserRolesOverrideConfig",
    "UserRolesRecipe",
    "init",
]
