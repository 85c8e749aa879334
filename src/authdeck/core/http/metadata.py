"""User metadata endpoints of the CDI (spec §2.5): get, merge-update, remove and bulk get."""

from __future__ import annotations

import json
from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import Reply, Route
from authdeck.core.services import audit, metadata

MAX_BULK_USER_IDS = 500




def _user_id(ctx: RequestContext) -> str:
    # User ids are kept verbatim, as upstream does; only an empty one is refused.
    return _input.fits(_input.string(ctx.body, "userId", trim=False), "userId", metadata.USER_ID_MAX_LENGTH)


def _user_id_query(ctx: RequestContext) -> str:
    user_id = _input.query(ctx.query, "userId")
    if not user_id:
        raise BadRequestError("Field name 'userId' cannot be an empty String")
    return _input.fits(user_id, "userId", metadata.USER_ID_MAX_LENGTH)


def _encodable(changes: dict[str, Any]) -> dict[str, Any]:
    # JSON may carry lone surrogates (\ud800), which no UTF-8 store or reply can hold: refuse them up front.
    try:
        json.dumps(changes, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        raise BadRequestError("Field name 'metadataUpdate' cannot contain unpaired UTF-16 surrogates") from exc
    return changes


def get_metadata(ctx: RequestContext) -> Reply:
    return {"status": "OK", "metadata": metadata.get(ctx.conn, ctx.app_id, _user_id_query(ctx))}


def put_metadata(ctx: RequestContext) -> Reply:
    user_id = _user_id(ctx)
    changes = _input.obj(ctx.body, "metadataUpdate")
    assert changes is not None  # noqa: S101 (required=True never answers None)
    _encodable(changes)
    updated = metadata.update(ctx.conn, ctx.app_id, user_id, changes)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK", "metadata": updated}


def remove_metadata(ctx: RequestContext) -> Reply:
    metadata.remove(ctx.conn, ctx.app_id, _user_id(ctx))
    return {"status": "OK"}


def bulk_get_metadata(ctx: RequestContext) -> Reply:
    user_ids = _input.string_list(ctx.body, "userIds")
    assert user_ids is not None  # noqa: S101 (required=True never answers None)
    if len(user_ids) > MAX_BULK_USER_IDS:
        raise BadRequestError(f"Field name 'userIds' can hold at most {MAX_BULK_USER_IDS} user ids; split the request")
    for user_id in user_ids:
        _input.fits(user_id, "userIds", metadata.USER_ID_MAX_LENGTH)
    found = metadata.get_many(ctx.conn, ctx.app_id, user_ids)
    return {"status": "OK", "users": [{"userId": user_id, "metadata": value} for user_id, value in found]}


ROUTES = [
    Route("GET", "/recipe/user/metadata", get_metadata),
    Route("PUT", "/recipe/user/metadata", put_metadata),
    Route("POST", "/recipe/user/metadata/remove", remove_metadata),
    Route("POST", "/recipe/user/metadata/bulk", bulk_get_metadata, write=False),
]
