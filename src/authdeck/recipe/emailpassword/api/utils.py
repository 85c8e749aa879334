"""Parsing and validation of ``formFields``, in the exact order of fdi.md §3.0, and reply helpers."""

from __future__ import annotations

from typing import Any

from authdeck import _sync
from authdeck.exceptions import BadInputError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe.emailpassword.exceptions import raise_form_field_exception
from authdeck.recipe.emailpassword.types import ErrorFormField, FormField, NormalisedFormField
from authdeck.recipe.emailpassword.utils import FORM_FIELD_EMAIL_ID, FORM_FIELD_PASSWORD_ID
from authdeck.types import User


async def read_body(request: BaseRequest) -> dict[str, Any]:
    """The JSON body; ``null`` is refused, and a body that is not an object counts as having no fields."""
    body = await request.json()
    if body is None:
        raise BadInputError("Please provide a JSON body")
    return body if isinstance(body, dict) else {}


def parse_form_fields(raw: Any) -> list[FormField]:
    if raw is None:
        raise BadInputError("Missing input param: formFields")
    if not isinstance(raw, list):
        raise BadInputError("formFields must be an array")
    fields: list[FormField] = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or "value" not in item:
            raise BadInputError("All elements of formFields must contain an 'id' and 'value' field")
        field_id: str = item["id"]
        value = item["value"]
        if field_id in (FORM_FIELD_EMAIL_ID, FORM_FIELD_PASSWORD_ID) and not isinstance(value, str):
            raise BadInputError(f"{field_id} value must be a string")
        if field_id == FORM_FIELD_EMAIL_ID:
            value = value.strip()
        fields.append(FormField(field_id, value))
    return fields


async def validate_form_fields_or_throw_error(
    config_form_fields: list[NormalisedFormField], raw: Any, tenant_id: str
) -> list[FormField]:
    """Parse ``formFields`` and run every configured validator; raises FieldError listing all failures."""
    inputs = parse_form_fields(raw)
    if len(inputs) > len(config_form_fields):
        raise BadInputError("Are you sending too many formFields?")
    errors: list[ErrorFormField] = []
    for field in config_form_fields:
        given = next((f for f in inputs if f.id == field.id), None)
        if given is None or given.value == "":
            if not field.optional:
                errors.append(ErrorFormField(field.id, "Field is not optional"))
            continue
        error = await _sync.call_maybe_async(field.validate, given.value, tenant_id)
        if error is not None:
            errors.append(ErrorFormField(field.id, error))
    if errors:
        raise_form_field_exception("Error in input formFields", errors)
    return inputs


def form_field_value(form_fields: list[FormField], field_id: str) -> Any:
    return next(f.value for f in form_fields if f.id == field_id)


def _version(text: str) -> tuple[int, ...] | None:
    try:
        return tuple(int(p) for p in text.strip().split("."))
    except ValueError:
        return None


def has_greater_than_equal_to_fdi(request: BaseRequest, minimum: str) -> bool:
    """Whether the frontend's highest ``fdi-version`` is at least ``minimum``; no header means the latest."""
    header = request.get_header("fdi-version")
    if not header:
        return True
    versions = [v for v in (_version(p) for p in header.split(",")) if v is not None]
    if not versions:
        return True
    wanted = _version(minimum)
    return wanted is not None and max(versions) >= wanted


def should_try_linking_with_session_user(request: BaseRequest, body: dict[str, Any]) -> bool | None:
    """From FDI 3.1 the body says whether to link to the session user; before that it is unknown (None)."""
    if has_greater_than_equal_to_fdi(request, "3.1"):
        flag = body.get("shouldTryLinkingWithSessionUser", False)
        # Only a JSON boolean decides; anything else loads an optional session, as upstream does.
        return flag if isinstance(flag, bool) else None
    return None


def user_json_for(request: BaseRequest, user: User, recipe_user_id: str) -> dict[str, Any]:
    """The user as the frontend's FDI version expects it (the flat shape before 1.18 and in 2.x)."""
    if (has_greater_than_equal_to_fdi(request, "1.18") and not has_greater_than_equal_to_fdi(request, "2.0")) or (
        has_greater_than_equal_to_fdi(request, "3.0")
    ):
        return user.to_json()
    method = next((lm for lm in user.login_methods if lm.recipe_user_id.get_as_string() == recipe_user_id), None)
    if method is None:
        method = min(user.login_methods, key=lambda lm: lm.time_joined)
    out: dict[str, Any] = {"id": user.id, "timeJoined": method.time_joined}
    if method.email is not None:
        out["email"] = method.email
    if method.phone_number is not None:
        out["phoneNumber"] = method.phone_number
    return out


def send_200(request: BaseRequest, response: BaseResponse, content: dict[str, Any]) -> BaseResponse:
    """Reply 200 with ``content``; the SDK's routing adds the tokens of a session created meanwhile."""
    response.set_status(200)
    response.set_json_content(content)
    return response
