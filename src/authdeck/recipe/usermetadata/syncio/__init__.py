"""The usermetadata functions for synchronous code; each one runs its async twin."""

from __future__ import annotations

from typing import Any

from authdeck import _sync
from authdeck.recipe.usermetadata import asyncio as _async
from authdeck.recipe.usermetadata.interfaces import ClearUserMetadataResult, MetadataResult


def get_user_metadata(user_id: str, user_context: dict[str, Any] | None = None) -> MetadataResult:
    return _sync.run(_async.get_user_metadata(user_id, user_context))


def update_user_metadata(
    user_id: str, metadata_update: dict[str, Any], user_context: dict[str, Any] | None = None
) -> MetadataResult:
    return _sync.run(_async.update_user_metadata(user_id, metadata_update, user_context))


def clear_user_metadata(user_id: str, user_context: dict[str, Any] | None = None) -> ClearUserMetadataResult:
    return _sync.run(_async.clear_user_metadata(user_id, user_context))


__all__ = ["clear_user_metadata", "get_user_metadata", "update_user_metadata"]
