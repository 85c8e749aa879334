"""Data types of email verification: the verified user and the verification email's template variables."""

from __future__ import annotations

from typing import Any

from authdeck.ingredients.emaildelivery.types import EmailDeliveryInterface, SMTPServiceInterface
from authdeck.types import RecipeUserId


class EmailVerificationUser:
    def __init__(self, recipe_user_id: RecipeUserId, email: str) -> None:
        self.recipe_user_id = recipe_user_id
        self.email = email

    def to_json(self) -> dict[str, Any]:
        return {"recipeUserId": self.recipe_user_id.get_as_string(), "email": self.email}


class VerificationEmailTemplateVarsUser:
    def __init__(self, _id: str, recipe_user_id: RecipeUserId, email: str) -> None:
        self.id = _id
        self.recipe_user_id = recipe_user_id
        self.email = email

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "recipeUserId": self.recipe_user_id.get_as_string(), "email": self.email}


class VerificationEmailTemplateVars:
    """What a verification email is built from."""

    def __init__(self, user: VerificationEmailTemplateVarsUser, email_verify_link: str, tenant_id: str) -> None:
        self.user = user
        self.email_verify_link = email_verify_link
        self.tenant_id = tenant_id

    def to_json(self) -> dict[str, Any]:
        return {
            "type": "EMAIL_VERIFICATION",
            "user": self.user.to_json(),
            "emailVerifyLink": self.email_verify_link,
            "tenantId": self.tenant_id,
        }


EmailTemplateVars = VerificationEmailTemplateVars
SMTPOverrideInput = SMTPServiceInterface[EmailTemplateVars]
EmailDeliveryOverrideInput = EmailDeliveryInterface[EmailTemplateVars]
