"""The default recipe functions: each one is a single CDI call to the core."""

from __future__ import annotations

from typing import Any

from authdeck._querier import Querier
from authdeck.recipe.usermetadata.interfaces import ClearUserMetadataResult, MetadataResult, RecipeInterface

RID = "usermetadata"


class RecipeImplementation(RecipeInterface):
    def __init__(self, querier: Querier) -> None:
        self.querier = querier

    async def get_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> MetadataResult:
        reply = await self.querier.get("/recipe/user/metadata", {"userId": user_id}, rid=RID)
        return MetadataResult(metadata=reply["metadata"])

    async def update_user_metadata(
        self, user_id: str, metadata_update: dict[str, Any], user_context: dict[str, Any]
    ) -> MetadataResult:
        body = {"userId": user_id, "metadataUpdate": metadata_update}
        reply = await self.querier.put("/recipe/user/metadata", body, rid=RID)
        return MetadataResult(metadata=reply["metadata"])

    async def clear_user_metadata(self, user_id: str, user_context: dict[str, Any]) -> ClearUserMetadataResult:
        await self.querier.post("/recipe/user/metadata/remove", {"userId": user_id}, rid=RID)
        return ClearUserMetadataResult()
