"""Loads the caller's session in sign-in/up when the frontend asked to link (or is too old to say)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authdeck.framework.request import BaseRequest

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer


async def load_session_in_auth_api_if_needed(
    request: BaseRequest, should_try_linking_with_session_user: bool | None, user_context: dict[str, Any]
) -> SessionContainer | None:
    """None when linking is off; otherwise the session (required only when linking was asked for)."""
    if should_try_linking_with_session_user is False:
        return None
    from authdeck.recipe.session.asyncio import get_session

    return await get_session(
        request,
        session_required=should_try_linking_with_session_user is True,
        override_global_claim_validators=lambda _validators, _session, _user_context: [],
        check_database=True,
        user_context=user_context,
    )
