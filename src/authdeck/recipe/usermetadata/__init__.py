"""User metadata: a JSON object per user, stored in the core (``get_user_metadata`` and friends in .asyncio)."""

from __future__ import annotations

from authdeck.recipe._module import RecipeInit
from authdeck.recipe.usermetadata.recipe import UserMetadataRecipe
from authdeck.recipe.usermetadata.utils import InputOverrideConfig, UserMetadataOverrideConfig


def init(override: UserMetadataOverrideConfig | None = None) -> RecipeInit:
    """Add the usermetadata recipe to ``init(recipe_list=[...])``."""
    return UserMetadataRecipe.init(override)


__all__ = ["InputOverrideConfig", "UserMetadataOverrideConfig", "UserMetadataRecipe", "init"]
