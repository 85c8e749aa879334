"""Data types of the emailpassword recipe: form fields and the password reset email's template variables."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from authdeck.ingredients.emaildelivery.types import EmailDeliveryInterface, SMTPServiceInterface
from authdeck.types import RecipeUserId

Validator = Callable[[Any, str], Awaitable[str | None] | str | None]
"""``validate(value, tenant_id)``: an error message, or None when the value is fine; sync or async."""


@dataclass
class FormField:
    """One ``{"id", "value"}`` entry of a request's ``formFields``."""

    id: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "value": self.value}


@dataclass
class ErrorFormField:
    """One entry of a FIELD_ERROR reply."""

    id: str
    error: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "error": self.error}


@dataclass
class InputFormField:
    """A sign-up field: ``email`` and ``password`` get default validators unless ``validate`` is given."""

    id: str
    validate: Validator | None = None
    optional: bool | None = None


@dataclass(frozen=True)
class NormalisedFormField:
    id: str
    validate: Validator
    optional: bool


class PasswordResetEmailTemplateVarsUser:
    def __init__(self, user_id: str, recipe_user_id: RecipeUserId | None, email: str) -> None:
        self.id = user_id
        self.recipe_user_id = recipe_user_id
        self.email = email

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id}
        if self.recipe_user_id is not None:
            out["recipeUserId"] = self.recipe_user_id.get_as_string()
        out["email"] = self.email
        return out


class PasswordResetEmailTemplateVars:
    """What a password reset email is built from."""

    def __init__(self, user: PasswordResetEmailTemplateVarsUser, password_reset_link: str, tenant_id: str) -> None:
        self.user = user
        self.password_reset_link = password_reset_link
        self.tenant_id = tenant_id

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "PASSWORD_RESET",
            "user": self.user.to_json(),
            "passwordResetLink": self.password_reset_link,
            "tenantId": self.tenant_id,
        }


EmailTemplateVars = PasswordResetEmailTemplateVars
SMTPOverrideInput = SMTPServiceInterface[EmailTemplateVars]
EmailDeliveryOverrideInput = EmailDeliveryInterface[EmailTemplateVars]
