"""``GET /emailpassword/email/exists`` (and the deprecated ``/signup/email/exists``)."""

from __future__ import annotations

from typing import Any

from authdeck.exceptions import BadInputError
from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailpassword.api.utils import send_200
from authdeck.recipe.emailpassword.interfaces import APIInterface, APIOptions


async def handle_email_exists_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    email = api_options.request.get_query_param("email")
    if email is None:
        raise BadInputError("Please provide the email as a GET param")
    result = await api_implementation.email_exists_get(email, tenant_id, api_options, user_context)
    return send_200(api_options.request, api_options.response, result.to_json())
