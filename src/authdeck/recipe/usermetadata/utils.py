"""Configuration of the usermetadata recipe: only overrides."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from authdeck.recipe.usermetadata.interfaces import APIInterface, RecipeInterface


@dataclass(kw_only=True)
class UserMetadataOverrideConfig:
    """``functions`` / ``apis`` receive the original implementation and return the one to use."""

    functions: Callable[[RecipeInterface], RecipeInterface] | None = None
    apis: Callable[[APIInterface], APIInterface] | None = None


InputOverrideConfig = UserMetadataOverrideConfig  # the older upstream name
