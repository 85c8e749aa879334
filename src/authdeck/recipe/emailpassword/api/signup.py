"""``POST /signup``: validate the sign-up form, create the user and a session."""

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
from authdeck.recipe.emailpassword.exceptions import raise_form_field_exception
from authdeck.recipe.emailpassword.interfaces import (
    APIInterface,
    APIOptions,
    EmailAlreadyExistsError,
    SignUpPostOkResult,
)
from authdeck.recipe.emailpassword.types import ErrorFormField

EMAIL_EXISTS_MESSAGE = "This email already exists. Please sign in instead."


async def handle_sign_up_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    request = api_options.request
    body = await read_body(request)
    raw = body["formFields"] if "formFields" in body else []
    link = should_try_linking_with_session_user(request, body)
    session = await load_session_in_auth_api_if_needed(request, link, user_context)
    if session is not None:
        tenant_id = session.get_tenant_id()  # validators are per tenant, so resolve it first
    form_fields = await validate_form_fields_or_throw_error(
        api_options.config.sign_up_feature.form_fields, raw, tenant_id
    )
    result = await api_implementation.sign_up_post(form_fields, tenant_id, session, link, api_options, user_context)
    if isinstance(result, SignUpPostOkResult):
        recipe_user_id = result.session.get_recipe_user_id(user_context).get_as_string()
        return send_200(
            api_options.request,
            api_options.response,
            {"status": "OK", "user": user_json_for(request, result.user, recipe_user_id)},
        )
    if isinstance(result, EmailAlreadyExistsError):
        raise_form_field_exception("EMAIL_ALREADY_EXISTS_ERROR", [ErrorFormField("email", EMAIL_EXISTS_MESSAGE)])
    return send_200(api_options.request, api_options.response, result.to_json())
