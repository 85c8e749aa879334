"""User metadata: a JSON object per user, updated by shallow merge where a top-level null deletes a key."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection

from authdeck.core.storage.queries import metadata as queries

Metadata = dict[str, Any]

USER_ID_MAX_LENGTH = 128  # user_metadata.user_id


def merge(stored: Mapping[str, Any], update: Mapping[str, Any]) -> Metadata:
    """``stored`` with ``update`` applied: each top-level key is replaced wholesale, or removed if null."""
    merged = dict(stored)
    for key, value in update.items():
        merged.pop(key, None)
        if value is not None:
            merged[key] = value
    return merged


def _load(text: str | None) -> Metadata:
    if text is None:
        return {}
    value: Metadata = json.loads(text)
    return value


def _dump(value: Metadata) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def get(conn: Connection, app_id: str, user_id: str) -> Metadata:
    """The user's metadata; ``{}`` when there is none. Users need not exist."""
    return _load(queries.get(conn, app_id, user_id))


def update(conn: Connection, app_id: str, user_id: str, changes: Mapping[str, Any]) -> Metadata:
    """Merge ``changes`` into the user's metadata and return the result.

    The row is locked before it is read, so concurrent updates of one user queue instead of overwriting
    each other. When there is no row yet, two first updates may both try to insert it: the loser reads
    the winner's row (now committed and locked) and merges into it.
    """
    stored = queries.get(conn, app_id, user_id, lock=True)
    if stored is None:
        merged = merge({}, changes)
        if queries.try_insert(conn, app_id, user_id, _dump(merged)):
            return merged
        stored = queries.get(conn, app_id, user_id, lock=True)
    merged = merge(_load(stored), changes)
    queries.replace(conn, app_id, user_id, _dump(merged))
    return merged


def remove(conn: Connection, app_id: str, user_id: str) -> None:
    queries.delete_user(conn, app_id, user_id)


def get_many(conn: Connection, app_id: str, user_ids: Sequence[str]) -> list[tuple[str, Metadata | None]]:
    """(user id, metadata or None when it has none) for each of ``user_ids``, in the order given."""
    stored = queries.get_many(conn, app_id, user_ids)
    return [(user_id, _load(stored[user_id]) if user_id in stored else None) for user_id in user_ids]
