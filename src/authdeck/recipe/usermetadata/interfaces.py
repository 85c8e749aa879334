"""The overridable surfaces of the usermetadata recipe and the results its functions return."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class MetadataResult:
    """The user's metadata after the call (``{}`` when none is stored)."""

    def __init__(self, metadata: dict[str, Any]) -> None:
        self.metadata = metadata


class ClearUserMetadataResult:
    """Returned once the user's metadata is gone (also when there was none)."""


class RecipeInterface(ABC):
    """The recipe functions; override them with ``init(override=UserMetadataOverrideConfig(functions=...))``."""

    @abstractmethod
    async def get_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> MetadataResult: ...

    @abstractmethod
    async def update_user_metadata(
        self, user_id: str, metadata_update: dict[str, Any], user_context: dict[str, Any]
    ) -> MetadataResult:
        """Shallow-merge ``metadata_update`` into the stored object; a top-level ``None`` deletes that key."""

    @abstractmethod
    async def clear_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> ClearUserMetadataResult: ...


class APIInterface:
    """The recipe serves no routes; the class exists so overrides look the same for every recipe."""
