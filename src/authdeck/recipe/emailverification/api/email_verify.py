"""``POST /user/email/verify`` (use a link's token) and ``GET /user/email/verify`` (is it verified?)."""

from __future__ import annotations

from typing import Any

from authdeck.exceptions import BadInputError
from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailverification.api._session import (
    get_optional_session,
    get_required_session,
    send_with_session_changes,
)
from authdeck.recipe.emailverification.interfaces import APIInterface, APIOptions


async def handle_email_verify_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    body = await api_options.request.json()
    if body is None:
        raise BadInputError("Please provide a JSON body")
    if not isinstance(body, dict) or "token" not in body:
        raise BadInputError("Please provide the email verification token")
    token = body["token"]
    if not isinstance(token, str):
        raise BadInputError("The email verification token must be a string")
    # The link may be opened where nobody is signed in; a session, if any, gets its claim refreshed.
    session = await get_optional_session(api_options, user_context)
    result = await api_implementation.email_verify_post(token, session, tenant_id, api_options, user_context)
    return send_with_session_changes(api_options, result.to_json())


async def handle_is_email_verified_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    session = await get_required_session(api_options, user_context)
    result = await api_implementation.is_email_verified_get(session, api_options, user_context)
    return send_with_session_changes(api_options, result.to_json())
