"""``POST /user/password/reset/token`` (send the link) and ``POST /user/password/reset`` (use it)."""

from __future__ import annotations

from typing import Any

from authdeck.exceptions import BadInputError
from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailpassword.api.utils import read_body, send_200, validate_form_fields_or_throw_error
from authdeck.recipe.emailpassword.exceptions import raise_form_field_exception
from authdeck.recipe.emailpassword.interfaces import APIInterface, APIOptions, PasswordPolicyViolationError
from authdeck.recipe.emailpassword.types import ErrorFormField


async def handle_generate_password_reset_token_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    body = await read_body(api_options.request)
    raw = body["formFields"] if "formFields" in body else []
    form_fields = await validate_form_fields_or_throw_error(
        api_options.config.reset_password_using_token_feature.form_fields_for_generate_token_form, raw, tenant_id
    )
    result = await api_implementation.generate_password_reset_token_post(
        form_fields, tenant_id, api_options, user_context
    )
    return send_200(api_options.request, api_options.response, result.to_json())


async def handle_password_reset_api(
    tenant_id: str, api_implementation: APIInterface, api_options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse:
    body = await read_body(api_options.request)
    raw = body["formFields"] if "formFields" in body else []
    # The policy is checked here, before the token is spent, and again when the password is stored.
    form_fields = await validate_form_fields_or_throw_error(
        api_options.config.reset_password_using_token_feature.form_fields_for_password_reset_form, raw, tenant_id
    )
    if "token" not in body:
        raise BadInputError("Please provide the password reset token")
    token = body["token"]
    if not isinstance(token, str):
        raise BadInputError("The password reset token must be a string")
    result = await api_implementation.password_reset_post(form_fields, token, tenant_id, api_options, user_context)
    if isinstance(result, PasswordPolicyViolationError):
        raise_form_field_exception("Error in input formFields", [ErrorFormField("password", result.failure_reason)])
    return send_200(api_options.request, api_options.response, result.to_json())
