"""``POST /signin``: check the credentials and create a session."""

from __future__ import annotations

from typing import Any

from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailpassword.api.session_loading import load_session_in_auth_api_if_needed
from authdeck.recipe.emailpassword.api.utils import (
    read_body,
    send_200,
    should_try_linking_with_session_user,
    user_json_for,
    validate_form_fields_or_throw_error,
)
from authdeck.recipe.emailpassword.interfaces import APIInterface, APIOptions, SignInPostOkResult


async def handle_sign_in_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    request = api_options.request
    body = await read_body(request)
    raw = body["formFields"] if "formFields" in body else []
    link = should_try_linking_with_session_user(request, body)
    session = await load_session_in_auth_api_if_needed(request, link, user_context)
    if session is not None:
        tenant_id = session.get_tenant_id()
    form_fields = await validate_form_fields_or_throw_error(
        api_options.config.sign_in_feature.form_fields, raw, tenant_id
    )
    result = await api_implementation.sign_in_post(form_fields, tenant_id, session, link, api_options, user_context)
    if isinstance(result, SignInPostOkResult):
        recipe_user_id = result.session.get_recipe_user_id(user_context).get_as_string()
        return send_200(
            api_options.request,
            api_options.response,
            {"status": "OK", "user": user_json_for(request, result.user, recipe_user_id)},
        )
    return send_200(api_options.request, api_options.response, result.to_json())
