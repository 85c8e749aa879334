"""POST /signout: revokes the session and clears its tokens in the transfer method in use; claim validators
are not applied (a user failing a claim must still be able to sign out)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authdeck.framework.response import BaseResponse
from authdeck.recipe.session import _transfer
from authdeck.recipe.session._request_flows import get_session_from_request
from authdeck.recipe.session.interfaces import APIInterface, APIOptions

if TYPE_CHECKING:
    from authdeck.recipe.session.recipe import SessionRecipe


async def handle_signout_api(
    recipe: SessionRecipe, api: APIInterface, options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse | None:
    if api.disable_signout_post or getattr(api, "signout_post", None) is None or options.response is None:
        return None
    session = await get_session_from_request(
        recipe,
        options.request,
        session_required=True,
        anti_csrf_check=None,
        check_database=False,
        override_global_claim_validators=lambda _validators, _session, _ctx: [],
        user_context=user_context,
    )
    if session is None:  # session_required=True never gives None; an override might
        return None
    result = await api.signout_post(session, options, user_context)
    response = options.response
    response.set_status(200)
    response.set_json_content(result.to_json())
    _transfer.apply_queued(options.request, response)
    return response
