"""General user functions, async: look users up, list, count and delete them (any recipe)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from authdeck._supertokens import Authdeck
from authdeck.types import AccountInfo, User


@dataclass(frozen=True)
class GetUsersResult:
    """One page of users; pass ``next_pagination_token`` back to get the next page (None on the last page)."""

    users: list[User]
    next_pagination_token: str | None


UsersResponse = GetUsersResult  # the older upstream name


async def get_user(user_id: str, user_context: dict[str, Any] | None = None) -> User | None:
    """The user with this id (primary or recipe user id), or None."""
    reply = await Authdeck.get_instance().querier.get("/user/id", {"userId": user_id})
    if reply["status"] != "OK":
        return None
    return User.from_json(reply["user"])


async def get_users_oldest_first(
    tenant_id: str,
    limit: int | None = None,
    pagination_token: str | None = None,
    include_recipe_ids: list[str] | None = None,
    query: dict[str, str] | None = None,
    user_context: dict[str, Any] | None = None,
) -> GetUsersResult:
    """A page of the tenant's users, oldest first; ``query`` holds dashboard search tags (email, phone, provider)."""
    return await _get_users(tenant_id, "ASC", limit, pagination_token, include_recipe_ids, query)


async def get_users_newest_first(
    tenant_id: str,
    limit: int | None = None,
    pagination_token: str | None = None,
    include_recipe_ids: list[str] | None = None,
    query: dict[str, str] | None = None,
    user_context: dict[str, Any] | None = None,
) -> GetUsersResult:
    """A page of the tenant's users, newest first."""
    return await _get_users(tenant_id, "DESC", limit, pagination_token, include_recipe_ids, query)


async def _get_users(
    tenant_id: str,
    order: Literal["ASC", "DESC"],
    limit: int | None,
    pagination_token: str | None,
    include_recipe_ids: list[str] | None,
    query: dict[str, str] | None,
) -> GetUsersResult:
    params: dict[str, Any] = {"timeJoinedOrder": order}
    if limit is not None:
        params["limit"] = limit
    if pagination_token is not None:
        params["paginationToken"] = pagination_token
    if include_recipe_ids is not None:
        params["includeRecipeIds"] = ",".join(include_recipe_ids)
    if query:
        params.update(query)
    reply = await Authdeck.get_instance().querier.get(f"/{tenant_id or 'public'}/users", params)
    return GetUsersResult(
        users=[User.from_json(u) for u in reply["users"]],
        next_pagination_token=reply.get("nextPaginationToken"),
    )


async def get_user_count(
    include_recipe_ids: list[str] | None = None,
    tenant_id: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> int:
    """How many users the tenant has; with no ``tenant_id``, how many the whole app has."""
    params = {
        "includeRecipeIds": ",".join(include_recipe_ids) if include_recipe_ids is not None else None,
        "includeAllTenants": tenant_id is None,
    }
    reply = await Authdeck.get_instance().querier.get(f"/{tenant_id or 'public'}/users/count", params)
    return int(reply["count"])


async def delete_user(
    user_id: str, remove_all_linked_accounts: bool = True, user_context: dict[str, Any] | None = None
) -> None:
    """Delete the user with all their data (sessions, metadata, roles, ...); unknown ids are ignored."""
    body = {"userId": user_id, "removeAllLinkedAccounts": remove_all_linked_accounts}
    await Authdeck.get_instance().querier.post("/user/remove", body)


async def list_users_by_account_info(
    tenant_id: str,
    account_info: AccountInfo,
    do_union_of_account_info: bool = False,
    user_context: dict[str, Any] | None = None,
) -> list[User]:
    """Users of the tenant matching all (or, with ``do_union_of_account_info``, any) of the given account info."""
    params: dict[str, Any] = {"doUnionOfAccountInfo": do_union_of_account_info}
    if account_info.email is not None:
        params["email"] = account_info.email
    if account_info.phone_number is not None:
        params["phoneNumber"] = account_info.phone_number
    if account_info.third_party is not None:
        params["thirdPartyId"] = account_info.third_party.id
        params["thirdPartyUserId"] = account_info.third_party.user_id
    reply = await Authdeck.get_instance().querier.get(f"/{tenant_id or 'public'}/users/by-accountinfo", params)
    return [User.from_json(u) for u in reply["users"]]


__all__ = [
    "GetUsersResult",
    "UsersResponse",
    "delete_user",
    "get_user",
    "get_user_count",
    "get_users_newest_first",
    "get_users_oldest_first",
    "list_users_by_account_info",
]
