"""General user functions for synchronous code; each one runs its async twin in authdeck.asyncio."""

from __future__ import annotations

from typing import Any

from authdeck import _sync
from authdeck import asyncio as _async
from authdeck.asyncio import GetUsersResult
from authdeck.types import AccountInfo, User


def get_user(user_id: str, user_context: dict[str, Any] | None = None) -> User | None:
    return _sync.run(_async.get_user(user_id, user_context))


def get_users_oldest_first(
    tenant_id: str,
    limit: int | None = None,
    pagination_token: str | None = None,
    include_recipe_ids: list[str] | None = None,
    query: dict[str, str] | None = None,
    user_context: dict[str, Any] | None = None,
) -> GetUsersResult:
    return _sync.run(
        _async.get_users_oldest_first(tenant_id, limit, pagination_token, include_recipe_ids, query, user_context)
    )


def get_users_newest_first(
    tenant_id: str,
    limit: int | None = None,
    pagination_token: str | None = None,
    include_recipe_ids: list[str] | None = None,
    query: dict[str, str] | None = None,
    user_context: dict[str, Any] | None = None,
) -> GetUsersResult:
    return _sync.run(
        _async.get_users_newest_first(tenant_id, limit, pagination_token, include_recipe_ids, query, user_context)
    )


def get_user_count(
    include_recipe_ids: list[str] | None = None,
    tenant_id: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> int:
    return _sync.run(_async.get_user_count(include_recipe_ids, tenant_id, user_context))


def delete_user(
    user_id: str, remove_all_linked_accounts: bool = True, user_context: dict[str, Any] | None = None
) -> None:
    _sync.run(_async.delete_user(user_id, remove_all_linked_accounts, user_context))


def list_users_by_account_info(
    tenant_id: str,
    account_info: AccountInfo,
    do_union_of_account_info: bool = False,
    user_context: dict[str, Any] | None = None,
) -> list[User]:
    return _sync.run(_async.list_users_by_account_info(tenant_id, account_info, do_union_of_account_info, user_context))


__all__ = [
    "delete_user",
    "get_user",
    "get_user_count",
    "get_users_newest_first",
    "get_users_oldest_first",
    "list_users_by_account_info",
]
