"""Session handling shared by the verification routes: load it with claim validators skipped (the user may
be unverified, which is the point), and send token changes (a refreshed ``st-ev``) with the reply."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailverification.interfaces import APIOptions

if TYPE_CHECKING:
    from authdeck.recipe.session import SessionContainer
    from authdeck.recipe.session.claims import SessionClaimValidator


def _no_validators(
    validators: list[SessionClaimValidator], session: SessionContainer, user_context: dict[str, Any]
) -> list[SessionClaimValidator]:
    return []


async def get_optional_session(api_options: APIOptions, user_context: dict[str, Any]) -> SessionContainer | None:
    from authdeck.recipe.session.asyncio import get_session

    return await get_session(
        api_options.request,
        session_required=False,
        override_global_claim_validators=_no_validators,
        user_context=user_context,
    )


async def get_required_session(api_options: APIOptions, user_context: dict[str, Any]) -> SessionContainer:
    from authdeck.recipe.session.asyncio import get_session

    session = await get_session(
        api_options.request,
        session_required=True,
        override_global_claim_validators=_no_validators,
        user_context=user_context,
    )
    if session is None:  # session_required=True raises instead; kept for the type checker
        from authdeck.recipe.session.exceptions import raise_unauthorised_exception

        raise_unauthorised_exception("unauthorised", clear_tokens=False)
    return session


def send_with_session_changes(api_options: APIOptions, content: dict[str, Any]) -> BaseResponse:
    """Reply 200 with ``content``; the SDK's routing adds the tokens of a claim refreshed meanwhile."""
    response = api_options.response
    response.set_status(200)
    response.set_json_content(content)
    return response
