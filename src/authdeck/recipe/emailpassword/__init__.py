"""The emailpassword recipe: sign-up, sign-in and password reset with an email and a password.

``emailpassword.init(sign_up_feature=..., override=..., email_delivery=...)`` goes into init(recipe_list=[...]).
"""

from __future__ import annotations

from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig, EmailDeliveryInterface
from authdeck.recipe._module import RecipeInit
from authdeck.recipe.emailpassword.emaildelivery.services import SMTPService
from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe
from authdeck.recipe.emailpassword.types import EmailTemplateVars, InputFormField
from authdeck.recipe.emailpassword.utils import EmailPasswordOverrideConfig, InputOverrideConfig, InputSignUpFeature


def init(
    sign_up_feature: InputSignUpFeature | None = None,
    override: EmailPasswordOverrideConfig | None = None,
    email_delivery: EmailDeliveryConfig[EmailTemplateVars] | None = None,
) -> RecipeInit:
    """The emailpassword recipe for init(recipe_list=[...]); the configuration is checked here."""
    return EmailPasswordRecipe.init(sign_up_feature, override, email_delivery)


__all__ = [
    "EmailDeliveryConfig",
    "EmailDeliveryInterface",
    "EmailPasswordOverrideConfig",
    "EmailPasswordRecipe",
    "EmailTemplateVars",
    "InputFormField",
    "InputOverrideConfig",
    "InputSignUpFeature",
    "SMTPService",
    "init",
]
