"""The session recipe's functions for async code (``authdeck.recipe.session.syncio`` has the sync twins).

``request`` may be the framework's request (Starlette/FastAPI, Flask, Django) or an authdeck ``BaseRequest``.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from authdeck.framework.request import BaseRequest
from authdeck.recipe.session import _request_flows
from authdeck.recipe.session.claims import SessionClaim, SessionClaimValidator
from authdeck.recipe.session.constants import PROTECTED_PROPS
from authdeck.recipe.session.framework import as_base_request
from authdeck.recipe.session.interfaces import (
    ClaimsValidationResult,
    GetClaimValueOkResult,
    OverrideGlobalClaimValidators,
    SessionContainer,
    SessionDoesNotExistError,
    SessionInformationResult,
)
from authdeck.recipe.session.recipe import SessionRecipe
from authdeck.types import RecipeUserId

T = TypeVar("T")
HandleValidatorsOverride = Callable[
    [list[SessionClaimValidator], SessionInformationResult, dict[str, Any]],
    "list[SessionClaimValidator] | Awaitable[list[SessionClaimValidator]]",
]


def _context(user_context: dict[str, Any] | None, request: BaseRequest | None = None) -> dict[str, Any]:
    context = {} if user_context is None else user_context
    if request is not None:
        context.setdefault("_default", {}).setdefault("request", request)
    return context


def _recipe_user_id(value: RecipeUserId | str) -> RecipeUserId:
    return value if isinstance(value, RecipeUserId) else RecipeUserId(value)


async def _primary_user_id(recipe: SessionRecipe, recipe_user_id: RecipeUserId) -> str:
    """The user id claims are fetched for: the primary user of a linked login method, if the core knows it."""
    reply = await recipe.querier.get("/user/id", {"userId": recipe_user_id.get_as_string()})
    user = reply.get("user") if reply.get("status") == "OK" else None
    if isinstance(user, dict) and isinstance(user.get("id"), str):
        return str(user["id"])
    return recipe_user_id.get_as_string()


async def create_new_session(
    request: Any,
    tenant_id: str,
    recipe_user_id: RecipeUserId | str,
    access_token_payload: dict[str, Any] | None = None,
    session_data_in_database: dict[str, Any] | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer:
    """Create a session and send its tokens on the response to ``request`` (transfer method per §2.1)."""
    base = as_base_request(request)
    context = _context(user_context, base)
    recipe = SessionRecipe.get_instance()
    rid = _recipe_user_id(recipe_user_id)
    return await _request_flows.create_new_session_in_request(
        recipe,
        base,
        user_id=await _primary_user_id(recipe, rid),
        recipe_user_id=rid,
        tenant_id=tenant_id,
        access_token_payload=access_token_payload or {},
        session_data_in_database=session_data_in_database or {},
        user_context=context,
    )


async def create_new_session_without_request_response(
    tenant_id: str,
    recipe_user_id: RecipeUserId | str,
    access_token_payload: dict[str, Any] | None = None,
    session_data_in_database: dict[str, Any] | None = None,
    disable_anti_csrf: bool = False,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer:
    """Create a session whose tokens you deliver yourself (``get_all_session_tokens_dangerously()``)."""
    context = _context(user_context)
    recipe = SessionRecipe.get_instance()
    rid = _recipe_user_id(recipe_user_id)
    user_id = await _primary_user_id(recipe, rid)
    payload = await _request_flows.build_initial_payload(
        recipe, user_id, rid, tenant_id, access_token_payload or {}, context
    )
    return await recipe.recipe_implementation.create_new_session(
        user_id, rid, payload, session_data_in_database or {}, disable_anti_csrf, tenant_id, context
    )


async def get_session(
    request: Any,
    session_required: bool | None = None,
    anti_csrf_check: bool | None = None,
    check_database: bool | None = None,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer | None:
    base = as_base_request(request)
    return await _request_flows.get_session_from_request(
        SessionRecipe.get_instance(),
        base,
        session_required=session_required is not False,
        anti_csrf_check=anti_csrf_check,
        check_database=check_database is True,
        override_global_claim_validators=override_global_claim_validators,
        user_context=_context(user_context, base),
    )


async def get_session_without_request_response(
    access_token: str,
    anti_csrf_token: str | None = None,
    anti_csrf_check: bool | None = None,
    session_required: bool | None = None,
    check_database: bool | None = None,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer | None:
    """Verify a token you extracted yourself; claim validators are applied as for a request."""
    context = _context(user_context)
    recipe = SessionRecipe.get_instance()
    session = await recipe.recipe_implementation.get_session(
        access_token,
        anti_csrf_token,
        anti_csrf_check,
        session_required is not False,
        check_database,
        override_global_claim_validators,
        context,
    )
    if session is not None:
        validators = await _request_flows.get_required_claim_validators(
            recipe, session, override_global_claim_validators, context
        )
        await session.assert_claims(validators, context)
    return session


async def refresh_session(request: Any, user_context: dict[str, Any] | None = None) -> SessionContainer:
    base = as_base_request(request)
    return await _request_flows.refresh_session_in_request(
        SessionRecipe.get_instance(), base, _context(user_context, base)
    )


async def refresh_session_without_request_response(
    refresh_token: str,
    disable_anti_csrf: bool = False,
    anti_csrf_token: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer:
    return await SessionRecipe.get_instance().recipe_implementation.refresh_session(
        refresh_token, anti_csrf_token, disable_anti_csrf, _context(user_context)
    )


async def revoke_session(session_handle: str, user_context: dict[str, Any] | None = None) -> bool:
    return await SessionRecipe.get_instance().recipe_implementation.revoke_session(
        session_handle, _context(user_context)
    )


async def revoke_all_sessions_for_user(
    user_id: str,
    revoke_sessions_for_linked_accounts: bool = True,
    tenant_id: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> list[str]:
    """Revoke the user's sessions: in every tenant when ``tenant_id`` is None, else in that tenant only."""
    return await SessionRecipe.get_instance().recipe_implementation.revoke_all_sessions_for_user(
        user_id, revoke_sessions_for_linked_accounts, tenant_id or "public", tenant_id is None, _context(user_context)
    )


async def get_all_session_handles_for_user(
    user_id: str,
    fetch_sessions_for_linked_accounts: bool = True,
    tenant_id: str | None = None,
    user_context: dict[str, Any] | None = None,
) -> list[str]:
    return await SessionRecipe.get_instance().recipe_implementation.get_all_session_handles_for_user(
        user_id, fetch_sessions_for_linked_accounts, tenant_id or "public", tenant_id is None, _context(user_context)
    )


async def revoke_multiple_sessions(session_handles: list[str], user_context: dict[str, Any] | None = None) -> list[str]:
    return await SessionRecipe.get_instance().recipe_implementation.revoke_multiple_sessions(
        session_handles, _context(user_context)
    )


async def get_session_information(
    session_handle: str, user_context: dict[str, Any] | None = None
) -> SessionInformationResult | None:
    return await SessionRecipe.get_instance().recipe_implementation.get_session_information(
        session_handle, _context(user_context)
    )


async def update_session_data_in_database(
    session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any] | None = None
) -> bool:
    return await SessionRecipe.get_instance().recipe_implementation.update_session_data_in_database(
        session_handle, new_session_data, _context(user_context)
    )


async def merge_into_access_token_payload(
    session_handle: str, new_access_token_payload: dict[str, Any], user_context: dict[str, Any] | None = None
) -> bool:
    """Update the stored payload (None deletes a key); the session's tokens carry it from their next refresh."""
    return await SessionRecipe.get_instance().recipe_implementation.merge_into_access_token_payload(
        session_handle, new_access_token_payload, _context(user_context)
    )


async def fetch_and_set_claim(
    session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None
) -> bool:
    return await SessionRecipe.get_instance().recipe_implementation.fetch_and_set_claim(
        session_handle, claim, _context(user_context)
    )


async def get_claim_value(
    session_handle: str, claim: SessionClaim[T], user_context: dict[str, Any] | None = None
) -> SessionDoesNotExistError | GetClaimValueOkResult[T]:
    return await SessionRecipe.get_instance().recipe_implementation.get_claim_value(
        session_handle, claim, _context(user_context)
    )


async def set_claim_value(
    session_handle: str, claim: SessionClaim[T], value: T, user_context: dict[str, Any] | None = None
) -> bool:
    return await SessionRecipe.get_instance().recipe_implementation.set_claim_value(
        session_handle, claim, value, _context(user_context)
    )


async def remove_claim(
    session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None
) -> bool:
    return await SessionRecipe.get_instance().recipe_implementation.remove_claim(
        session_handle, claim, _context(user_context)
    )


async def validate_claims_for_session_handle(
    session_handle: str,
    override_global_claim_validators: HandleValidatorsOverride | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionDoesNotExistError | ClaimsValidationResult:
    """Run the claim validators against a stored session (refetched values are saved to it)."""
    context = _context(user_context)
    recipe = SessionRecipe.get_instance()
    impl = recipe.recipe_implementation
    info = await impl.get_session_information(session_handle, context)
    if info is None:
        return SessionDoesNotExistError()
    validators = impl.get_global_claim_validators(
        info.tenant_id, info.user_id, info.recipe_user_id, recipe.get_claim_validators_added_by_other_recipes(), context
    )
    if inspect.isawaitable(validators):
        validators = await validators
    if override_global_claim_validators is not None:
        validators = override_global_claim_validators(list(validators), info, context)
        if inspect.isawaitable(validators):
            validators = await validators
    payload = {**info.custom_claims_in_access_token_payload, "tId": info.tenant_id}
    result = await impl.validate_claims(info.user_id, info.recipe_user_id, payload, list(validators), context)
    if result.access_token_payload_update is not None:
        update = {k: v for k, v in result.access_token_payload_update.items() if k not in PROTECTED_PROPS}
        if not await impl.merge_into_access_token_payload(session_handle, update, context):
            return SessionDoesNotExistError()
    return ClaimsValidationResult(result.invalid_claims)


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
