"""Email verification: the ``st-ev`` session claim, the verification link and its three routes.

``emailverification.init(mode="REQUIRED")`` makes every ``verify_session()`` answer 403 until the email is
verified; ``"OPTIONAL"`` only keeps the claim up to date.
"""

from __future__ import annotations

from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfig, EmailDeliveryInterface
from authdeck.recipe._module import RecipeInit
from authdeck.recipe.emailverification.claims import EmailVerificationClaim
from authdeck.recipe.emailverification.emaildelivery.services import SMTPService
from authdeck.recipe.emailverification.interfaces import TypeGetEmailForUserIdFunction
from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe
from authdeck.recipe.emailverification.types import EmailTemplateVars
from authdeck.recipe.emailverification.utils import (
    MODE_TYPE,
    EmailVerificationOverrideConfig,
    InputOverrideConfig,
)


def init(
    mode: MODE_TYPE,
    email_delivery: EmailDeliveryConfig[EmailTemplateVars] | None = None,
    get_email_for_recipe_user_id: TypeGetEmailForUserIdFunction | None = None,
    override: EmailVerificationOverrideConfig | None = None,
) -> RecipeInit:
    """The email verification recipe for init(recipe_list=[...]); the configuration is checked here."""
    return EmailVerificationRecipe.init(mode, email_delivery, get_email_for_recipe_user_id, override)


__all__ = [
    "EmailDeliveryConfig",
    "EmailDeliveryInterface",
    "EmailTemplateVars",
    "EmailVerificationClaim",
    "EmailVerificationOverrideConfig",
    "EmailVerificationRecipe",
    "InputOverrideConfig",
    "SMTPService",
    "TypeGetEmailForUserIdFunction",
    "init",
]
