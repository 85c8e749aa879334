"""The usermetadata functions, async."""

from __future__ import annotations

from typing import Any

from authdeck.recipe.usermetadata.interfaces import ClearUserMetadataResult, MetadataResult
from authdeck.recipe.usermetadata.recipe import UserMetadataRecipe


async def get_user_metadata(user_id: str, user_context: dict[str, Any] | None = None) -> MetadataResult:
    """The user's metadata; ``{}`` when none is stored."""
    recipe = UserMetadataRecipe.get_instance()
    return await recipe.recipe_implementation.get_user_metadata(user_id, _context(user_context))


async def update_user_metadata(
    user_id: str, metadata_update: dict[str, Any], user_context: dict[str, Any] | None = None
) -> MetadataResult:
    """Shallow-merge ``metadata_update`` into the user's metadata (a top-level ``None`` deletes the key)."""
    recipe = UserMetadataRecipe.get_instance()
    return await recipe.recipe_implementation.update_user_metadata(user_id, metadata_update, _context(user_context))


async def clear_user_metadata(user_id: str, user_context: dict[str, Any] | None = None) -> ClearUserMetadataResult:
    """Delete all of the user's metadata."""
    recipe = UserMetadataRecipe.get_instance()
    return await recipe.recipe_implementation.clear_user_metadata(user_id, _context(user_context))


def _context(user_context: dict[str, Any] | None) -> dict[str, Any]:
    return {} if user_context is None else user_context


__all__ = ["clear_user_metadata", "get_user_metadata", "update_user_metadata"]
