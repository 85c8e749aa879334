"""Configuration of email verification (mode, email delivery, overrides) and its verification link."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.ingredients.emaildelivery.services.console import ConsoleService
from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig, EmailDeliveryConfigWithService
from authdeck.recipe.emailverification.types import EmailTemplateVars

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck.recipe.emailverification.interfaces import (
        APIInterface,
        RecipeInterface,
        TypeGetEmailForUserIdFunction,
    )

MODE_TYPE = Literal["REQUIRED", "OPTIONAL"]
MODES = ("REQUIRED", "OPTIONAL")


@dataclass
class InputOverrideConfig:
    """``functions`` and ``apis`` each receive the original implementation and return the one to use."""

    functions: Callable[[RecipeInterface], RecipeInterface] | None = None
    apis: Callable[[APIInterface], APIInterface] | None = None


EmailVerificationOverrideConfig = InputOverrideConfig


@dataclass(frozen=True)
class EmailVerificationConfig:
    """The normalised configuration."""

    mode: MODE_TYPE
    email_delivery: EmailDeliveryConfig[EmailTemplateVars]
    get_email_for_recipe_user_id: TypeGetEmailForUserIdFunction | None
    override: InputOverrideConfig

    def get_email_delivery_config(self) -> EmailDeliveryConfigWithService[EmailTemplateVars]:
        service = self.email_delivery.service
        if service is None:
            service = ConsoleService("emailverification", "Email verification link", _describe_verify_email)
        return EmailDeliveryConfigWithService(service, self.email_delivery.override)


def _describe_verify_email(template_vars: EmailTemplateVars) -> tuple[str, str]:
    return template_vars.user.email, template_vars.email_verify_link


def validate_and_normalise_user_input(
    mode: Any,
    email_delivery: EmailDeliveryConfig[EmailTemplateVars] | None,
    get_email_for_recipe_user_id: TypeGetEmailForUserIdFunction | None,
    override: InputOverrideConfig | None,
) -> EmailVerificationConfig:
    if mode not in MODES:
        raise ConfigError(f"emailverification mode {mode!r} is not valid; use 'REQUIRED' or 'OPTIONAL'")
    if email_delivery is not None and not isinstance(email_delivery, EmailDeliveryConfig):
        raise ConfigError("email_delivery must be EmailDeliveryConfig(service=...)")
    if get_email_for_recipe_user_id is not None and not callable(get_email_for_recipe_user_id):
        raise ConfigError("get_email_for_recipe_user_id must be a function (recipe_user_id, user_context)")
    if override is not None and not isinstance(override, InputOverrideConfig):
        raise ConfigError("override must be InputOverrideConfig(functions=..., apis=...)")
    return EmailVerificationConfig(
        mode=mode,
        email_delivery=email_delivery or EmailDeliveryConfig(),
        get_email_for_recipe_user_id=get_email_for_recipe_user_id,
        override=override or InputOverrideConfig(),
    )


def get_request_from_user_context(user_context: dict[str, Any] | None) -> BaseRequest | None:
    """The request the SDK is serving, if any (the middleware puts it into the user context)."""
    default = (user_context or {}).get("_default")
    request = default.get("request") if isinstance(default, dict) else None
    return request if isinstance(request, BaseRequest) else None


def get_email_verify_link(
    app_info: AppInfo, token: str, tenant_id: str, request: BaseRequest | None, user_context: dict[str, Any]
) -> str:
    origin = app_info.get_origin(request, user_context)
    return f"{origin}{app_info.website_base_path}/verify-email?token={token}&tenantId={tenant_id}"
