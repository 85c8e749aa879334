"""General user endpoints of the CDI: list and search, count, lookup by id or account info, remove, search tags."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError, ForbiddenError
from authdeck.core.http import _input
from authdeck.core.routing import PUBLIC, Reply, Route
from authdeck.core.services import audit, users
from authdeck.core.services.policy import normalise_email
from authdeck.core.storage.queries.users import Order, UserRecord

DEFAULT_LIMIT = 100
MAX_LIMIT = 500


def user_json(user: UserRecord) -> dict[str, Any]:
    """The CDI 5.4 user object (spec §3.1), keys in upstream's order."""
    return {
        "id": user.user_id,
        "isPrimaryUser": False,
        "tenantIds": user.tenant_ids,
        "emails": user.emails,
        "phoneNumbers": [],
        "thirdParty": [],
        "webauthn": {"credentialIds": []},
        "loginMethods": [
            {
                "recipeId": m.recipe_id,
                "recipeUserId": m.recipe_user_id,
                "tenantIds": list(m.tenant_ids),
                "timeJoined": m.time_joined,
                "verified": m.verified,
                **({"email": m.email} if m.email is not None else {}),
            }
            for m in sorted(user.login_methods, key=lambda m: m.time_joined)
        ],
        "timeJoined": user.time_joined,
    }


def _recipe_ids(params: Mapping[str, str]) -> list[str]:
    """``includeRecipeIds``: a comma list; absent or empty means every recipe."""
    raw = params.get("includeRecipeIds", "")
    ids = [part.strip() for part in raw.split(",") if part.strip()]
    for recipe_id in ids:
        if recipe_id not in users.RECIPE_IDS:
            raise BadRequestError(f"Unknown recipe ID: {recipe_id}")
    return ids


def _limit(params: Mapping[str, str]) -> int:
    raw = params.get("limit")
    if raw is None or raw == "":
        return DEFAULT_LIMIT
    text = raw.strip()
    digits = text.removeprefix("-").removeprefix("+")
    if not digits.isascii() or not digits.isdigit() or len(digits) > 18:
        raise BadRequestError("Field name 'limit' must be an int in the GET request")
    value = int(text)
    if value < 1:
        raise BadRequestError("limit must a positive integer with min value 1")
    return value


def _order(params: Mapping[str, str]) -> Order:
    value = params.get("timeJoinedOrder") or "ASC"
    if value == "ASC":
        return "ASC"
    if value == "DESC":
        return "DESC"
    raise BadRequestError("timeJoinedOrder can be either ASC OR DESC")


def _terms(params: Mapping[str, str], tag: str) -> tuple[str, ...]:
    raw = params.get(tag, "")
    return tuple(dict.fromkeys(t.strip().lower() for t in raw.split(";") if t.strip()))


def list_users(ctx: RequestContext) -> Reply:
    params = ctx.query
    order = _order(params)
    limit = _limit(params)
    recipe_ids = _recipe_ids(params)
    search = users.Search(
        email=_terms(params, "email"), phone=_terms(params, "phone"), provider=_terms(params, "provider")
    )
    cursor = None
    if not search:
        if limit > MAX_LIMIT:
            raise BadRequestError(f"max limit allowed is {MAX_LIMIT}")
        token = params.get("paginationToken")
        if token:
            cursor = users.decode_pagination_token(token)
            if cursor is None:
                raise BadRequestError("invalid pagination token")
    page = users.list_users(
        ctx.conn,
        ctx.app_id,
        ctx.tenant_id,
        order=order,
        limit=limit,
        recipe_ids=recipe_ids,
        cursor=cursor,
        search=search,
    )
    reply: dict[str, Any] = {"status": "OK", "users": [user_json(u) for u in page.users]}
    if page.next_token is not None:
        reply["nextPaginationToken"] = page.next_token
    return reply


def count_users(ctx: RequestContext) -> Reply:
    all_tenants = _input.query_bool(ctx.query, "includeAllTenants", False)
    recipe_ids = _recipe_ids(ctx.query)
    if all_tenants and ctx.tenant_id != PUBLIC:
        raise ForbiddenError("Only public tenantId can call this app specific API")
    count = users.count_users(ctx.conn, ctx.app_id, None if all_tenants else ctx.tenant_id, recipe_ids)
    return {"status": "OK", "count": count}


def get_user(ctx: RequestContext) -> Reply:
    user_id = _input.query_nonempty(ctx.query, "userId")
    return {"status": "OK", "user": user_json(users.get_user(ctx.conn, ctx.app_id, user_id))}


def users_by_account_info(ctx: RequestContext) -> Reply:
    params = ctx.query
    union = _input.query(params, "doUnionOfAccountInfo")
    if union not in ("true", "false"):
        raise BadRequestError("Field name 'doUnionOfAccountInfo' must be 'true' or 'false'")
    third_party_id = (params.get("thirdPartyId") or "").strip()
    third_party_user_id = (params.get("thirdPartyUserId") or "").strip()
    if bool(third_party_id) != bool(third_party_user_id):
        raise BadRequestError("If 'thirdPartyId' is provided, 'thirdPartyUserId' must also be provided, and vice versa")
    email = normalise_email(params.get("email") or "") or None
    others = any((params.get(n) or "").strip() for n in ("phoneNumber", "webauthnCredentialId")) or bool(third_party_id)
    found = users.users_by_account_info(
        ctx.conn, ctx.app_id, ctx.tenant_id, email=email, other_info_given=others, union=union == "true"
    )
    return {"status": "OK", "users": [user_json(u) for u in found]}


def remove_user(ctx: RequestContext) -> Reply:
    user_id = _input.string(ctx.body, "userId")
    _input.boolean(ctx.body, "removeAllLinkedAccounts", default=True)  # no linking here: every user is one method
    users.remove_user(ctx.conn, ctx.app_id, user_id)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK"}


def search_tags(ctx: RequestContext) -> Reply:
    return {"status": "OK", "tags": list(users.SEARCH_TAGS)}


ROUTES = [
    Route("GET", "/users", list_users, scope="tenant"),
    Route("GET", "/users/count", count_users, scope="tenant"),
    Route("GET", "/users/by-accountinfo", users_by_account_info, scope="tenant"),
    Route("GET", "/user/id", get_user),
    Route("POST", "/user/remove", remove_user),
    Route("GET", "/user/search/tags", search_tags),
]
