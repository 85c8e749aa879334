"""``POST /user/email/verify/token``: email the session user a verification link."""

from __future__ import annotations

from typing import Any

from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailverification.api._session import (
    get_required_session,
    send_with_session_changes,
)
from authdeck.recipe.emailverification.interfaces import APIInterface, APIOptions


async def handle_generate_email_verify_token_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    session = await get_required_session(api_options, user_context)
    result = await api_implementation.generate_email_verify_token_post(session, api_options, user_context)
    return send_with_session_changes(api_options, result.to_json())
