"""Configuration of emailpassword (form fields, validators, overrides, email delivery) and its reset link."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.ingredients.emaildelivery.services.console import ConsoleService
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig, EmailDeliveryConfigWithService
from authdeck.recipe.emailpassword.types import EmailTemplateVars, InputFormField, NormalisedFormField, Validator

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck.recipe.emailpassword.interfaces import APIInterface, RecipeInterface

FORM_FIELD_EMAIL_ID = "email"
FORM_FIELD_PASSWORD_ID = "password"  # noqa: S105 (a field id)

# The email pattern frontends and supertokens_python agree on (fdi.md §4.1).
_EMAIL_RE = re.compile(
    r'^(([^<>()\[\]\\.,;:\s@"]+(\.[^<>()\[\]\\.,;:\s@"]+)*)|(".+"))@'
    r"((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$"
)
_LETTER_RE = re.compile(r"[A-Za-z]")
_DIGIT_RE = re.compile(r"[0-9]")


async def default_validator(value: Any, tenant_id: str) -> str | None:
    return None


async def default_email_validator(value: Any, tenant_id: str) -> str | None:
    if not isinstance(value, str) or _EMAIL_RE.fullmatch(value) is None:
        return "Email is not valid"
    return None


async def default_password_validator(value: Any, tenant_id: str) -> str | None:
    if not isinstance(value, str) or len(value) < 8:
        return "Password must contain at least 8 characters, including a number"
    if len(value) >= 100:
        return "Password's length must be lesser than 100 characters"
    if _LETTER_RE.search(value) is None:
        return "Password must contain at least one alphabet"
    if _DIGIT_RE.search(value) is None:
        return "Password must contain at least one number"
    return None


@dataclass
class InputSignUpFeature:
    """The sign-up form: extra fields, and custom validators for ``email`` / ``password``."""

    form_fields: list[InputFormField] | None = None


@dataclass
class InputOverrideConfig:
    """``functions`` and ``apis`` each receive the original implementation and return the one to use."""

    functions: Callable[[RecipeInterface], RecipeInterface] | None = None
    apis: Callable[[APIInterface], APIInterface] | None = None


EmailPasswordOverrideConfig = InputOverrideConfig


@dataclass(frozen=True)
class SignUpFeature:
    form_fields: list[NormalisedFormField]


@dataclass(frozen=True)
class SignInFeature:
    form_fields: list[NormalisedFormField]


@dataclass(frozen=True)
class ResetPasswordUsingTokenFeature:
    form_fields_for_password_reset_form: list[NormalisedFormField]
    form_fields_for_generate_token_form: list[NormalisedFormField]


@dataclass(frozen=True)
class EmailPasswordConfig:
    """The normalised configuration."""

    sign_up_feature: SignUpFeature
    sign_in_feature: SignInFeature
    reset_password_using_token_feature: ResetPasswordUsingTokenFeature
    override: InputOverrideConfig
    email_delivery: EmailDeliveryConfig[EmailTemplateVars] = field(default_factory=EmailDeliveryConfig)

    def get_email_delivery_config(self) -> EmailDeliveryConfigWithService[EmailTemplateVars]:
        service = self.email_delivery.service
        if service is None:
            service = ConsoleService("emailpassword", "Password reset link", _describe_reset_email)
        return EmailDeliveryConfigWithService(service, self.email_delivery.override)


def _describe_reset_email(template_vars: EmailTemplateVars) -> tuple[str, str]:
    return template_vars.user.email, template_vars.password_reset_link


def _check_field(f: Any, seen: set[str]) -> InputFormField:
    if not isinstance(f, InputFormField):
        raise ConfigError(f"sign_up_feature.form_fields must hold InputFormField(id=...) items, not {f!r}")
    if not isinstance(f.id, str) or not f.id:
        raise ConfigError("every InputFormField needs a non-empty string id")
    if f.id in seen:
        raise ConfigError(f"sign_up_feature.form_fields lists the field {f.id!r} twice; list each field once")
    if f.validate is not None and not callable(f.validate):
        raise ConfigError(f"InputFormField {f.id!r}: validate must be a function (value, tenant_id) -> str | None")
    if f.optional is not None and not isinstance(f.optional, bool):
        raise ConfigError(f"InputFormField {f.id!r}: optional must be True, False or None")
    seen.add(f.id)
    return f


def normalise_sign_up_form_fields(form_fields: list[InputFormField]) -> list[NormalisedFormField]:
    """User fields in their order (email/password never optional), then password and email if missing."""
    seen: set[str] = set()
    out: list[NormalisedFormField] = []
    defaults: dict[str, Validator] = {
        FORM_FIELD_PASSWORD_ID: default_password_validator,
        FORM_FIELD_EMAIL_ID: default_email_validator,
    }
    for f in form_fields:
        f = _check_field(f, seen)
        if f.id in defaults:
            out.append(NormalisedFormField(f.id, f.validate or defaults[f.id], False))
        else:
            out.append(NormalisedFormField(f.id, f.validate or default_validator, bool(f.optional)))
    for field_id, validator in defaults.items():
        if field_id not in seen:
            out.append(NormalisedFormField(field_id, validator, False))
    return out


def validate_and_normalise_user_input(
    sign_up_feature: InputSignUpFeature | None,
    override: InputOverrideConfig | None,
    email_delivery: EmailDeliveryConfig[EmailTemplateVars] | None,
) -> EmailPasswordConfig:
    if sign_up_feature is not None and not isinstance(sign_up_feature, InputSignUpFeature):
        raise ConfigError("sign_up_feature must be InputSignUpFeature(form_fields=[...])")
    if override is not None and not isinstance(override, InputOverrideConfig):
        raise ConfigError("override must be InputOverrideConfig(functions=..., apis=...)")
    if email_delivery is not None and not isinstance(email_delivery, EmailDeliveryConfig):
        raise ConfigError("email_delivery must be EmailDeliveryConfig(service=...)")
    raw = (sign_up_feature.form_fields if sign_up_feature else None) or []
    if not isinstance(raw, list):
        raise ConfigError("sign_up_feature.form_fields must be a list of InputFormField")
    sign_up = normalise_sign_up_form_fields(raw)
    by_id = {f.id: f for f in sign_up}
    email, password = by_id[FORM_FIELD_EMAIL_ID], by_id[FORM_FIELD_PASSWORD_ID]
    # Sign-in checks the email's format but never the password policy: old passwords must keep working.
    sign_in = [
        NormalisedFormField(f.id, f.validate if f.id == FORM_FIELD_EMAIL_ID else default_validator, False)
        for f in sign_up
        if f.id in (FORM_FIELD_EMAIL_ID, FORM_FIELD_PASSWORD_ID)
    ]
    return EmailPasswordConfig(
        sign_up_feature=SignUpFeature(sign_up),
        sign_in_feature=SignInFeature(sign_in),
        reset_password_using_token_feature=ResetPasswordUsingTokenFeature(
            form_fields_for_password_reset_form=[password],
            form_fields_for_generate_token_form=[email],
        ),
        override=override or InputOverrideConfig(),
        email_delivery=email_delivery or EmailDeliveryConfig(),
    )


def get_request_from_user_context(user_context: dict[str, Any] | None) -> BaseRequest | None:
    """The request the SDK is serving, if any (the middleware puts it into the user context)."""
    default = (user_context or {}).get("_default")
    request = default.get("request") if isinstance(default, dict) else None
    return request if isinstance(request, BaseRequest) else None


def get_password_reset_link(
    app_info: AppInfo, token: str, tenant_id: str, request: BaseRequest | None, user_context: dict[str, Any]
) -> str:
    origin = app_info.get_origin(request, user_context)
    return f"{origin}{app_info.website_base_path}/reset-password?token={token}&tenantId={tenant_id}"
