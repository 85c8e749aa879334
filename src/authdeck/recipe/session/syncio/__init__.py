"""Synchronous twins of ``authdeck.recipe.session.asyncio`` (for Flask and sync Django views)."""

from __future__ import annotations

from typing import Any, TypeVar

from authdeck import _sync
from authdeck.recipe.session import asyncio as _async
from authdeck.recipe.session.asyncio import HandleValidatorsOverride
from authdeck.recipe.session.claims import SessionClaim
from authdeck.recipe.session.interfaces import (
    ClaimsValidationResult,
    GetClaimValueOkResult,
    OverrideGlobalClaimValidators,
    SessionContainer,
    SessionDoesNotExistError,
    SessionInformationResult,
)
from authdeck.types import RecipeUserId

T = TypeVar("T")


def create_new_session(
    request: Any,
    tenant_id: str,
    recipe_user_id: RecipeUserId | str,
    access_token_payload: dict[str, Any] | None = None,
    session_data_in_database: dict[str, Any] | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer:
    return _sync.run(
        _async.create_new_session(
            request, tenant_id, recipe_user_id, access_token_payload, session_data_in_database, user_context
        )
    )


def create_new_session_without_request_response(
    tenant_id: str,
    recipe_user_id: RecipeUserId | str,
    access_token_payload: dict[str, Any] | None = None,
    session_data_in_database: dict[str, Any] | None = None,
    disable_anti_csrf: bool = False,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer:
    return _sync.run(
        _async.create_new_session_without_request_response(
            tenant_id, recipe_user_id, access_token_payload, session_data_in_database, disable_anti_csrf, user_context
        )
    )


def get_session(
    request: Any,
    session_required: bool | None = None,
    anti_csrf_check: bool | None = None,
    check_database: bool | None = None,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer | None:
    return _sync.run(
        _async.get_session(
            request, session_required, anti_csrf_check, check_database, override_global_claim_validators, user_context
        )
    )


def get_session_without_request_response(
    access_token: str,
    anti_csrf_token: str | None = None,
    anti_csrf_check: bool | None = None,
    session_required: bool | None = None,
    check_database: bool | None = None,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer | None:
    return _sync.run(
        _async.get_session_without_request_response(
            access_token,
            anti_csrf_token,
            anti_csrf_check,
            session_required,
            check_database,
            override_global_claim_validators,
            user_context,
        )
    )


def refresh_session(request: Any, user_context: dict[str, Any] | None = None) -> SessionContainer:
    return _sync.run(_async.refresh_session(request, user_context))


def refresh_session_without_request_response(
    refresh_token: str,
    disable_anti_csrf: bool = False,
    anti_csrf_token: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer:
    return _sync.run(
        _async.refresh_session_without_request_response(refresh_token, disable_anti_csrf, anti_csrf_token, user_context)
    )


def revoke_session(session_handle: str, user_context: dict[str, Any] | None = None) -> bool:
    return _sync.run(_async.revoke_session(session_handle, user_context))


def revoke_all_sessions_for_user(
    user_id: str,
    revoke_sessions_for_linked_accounts: bool = True,
    tenant_id: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> list[str]:
    return _sync.run(
        _async.revoke_all_sessions_for_user(user_id, revoke_sessions_for_linked_accounts, tenant_id, user_context)
    )


def get_all_session_handles_for_user(
    user_id: str,
    fetch_sessions_for_linked_accounts: bool = True,
    tenant_id: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> list[str]:
    return _sync.run(
        _async.get_all_session_handles_for_user(user_id, fetch_sessions_for_linked_accounts, tenant_id, user_context)
    )


def revoke_multiple_sessions(session_handles: list[str], user_context: dict[str, Any] | None = None) -> list[str]:
    return _sync.run(_async.revoke_multiple_sessions(session_handles, user_context))


def get_session_information(
    session_handle: str, user_context: dict[str, Any] | None = None
) -> SessionInformationResult | None:
    return _sync.run(_async.get_session_information(session_handle, user_context))


def update_session_data_in_database(
    session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any] | None = None
) -> bool:
    return _sync.run(_async.update_session_data_in_database(session_handle, new_session_data, user_context))


def merge_into_access_token_payload(
    session_handle: str, new_access_token_payload: dict[str, Any], user_context: dict[str, Any] | None = None
) -> bool:
    return _sync.run(_async.merge_into_access_token_payload(session_handle, new_access_token_payload, user_context))


def fetch_and_set_claim(
    session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None
) -> bool:
    return _sync.run(_async.fetch_and_set_claim(session_handle, claim, user_context))


def get_claim_value(
    session_handle: str, claim: SessionClaim[T], user_context: dict[str, Any] | None = None
) -> SessionDoesNotExistError | GetClaimValueOkResult[T]:
    return _sync.run(_async.get_claim_value(session_handle, claim, user_context))


def set_claim_value(
    session_handle: str, claim: SessionClaim[T], value: T, user_context: dict[str, Any] | None = None
) -> bool:
    return _sync.run(_async.set_claim_value(session_handle, claim, value, user_context))


def remove_claim(session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None) -> bool:
    return _sync.run(_async.remove_claim(session_handle, claim, user_context))


def validate_claims_for_session_handle(
    session_handle: str,
    override_global_claim_validators: HandleValidatorsOverride | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionDoesNotExistError | ClaimsValidationResult:
    return _sync.run(
        _async.validate_claims_for_session_handle(session_handle, override_global_claim_validators, user_context)
    )


__all__ = [
    "create_new_session",
    "create_new_session_without_request_response",
    "fetch_and_set_claim",
    "get_all_session_handles_for_user",
    "get_claim_value",
    "get_session",
    "get_session_information",
    "get_session_without_request_response",
    "merge_into_access_token_payload",
    "refresh_session",
    "refresh_session_without_request_response",
    "remove_claim",
    "revoke_all_sessions_for_user",
    "revoke_multiple_sessions",
    "revoke_session",
    "set_claim_value",
    "update_session_data_in_database",
    "validate_claims_for_session_handle",
]
