"""Helpers the dashboard's handlers share: which recipes are on, user lookup, form-field validation."""

from __future__ import annotations

from typing import Any

from authdeck import _sync
from authdeck._supertokens import Authdeck
from authdeck.recipe._module import RecipeModule
from authdeck.recipe.dashboard._call import Call
from authdeck.types import User

FEATURE_NOT_ENABLED: dict[str, Any] = {"status": "FEATURE_NOT_ENABLED_ERROR"}
USER_NOT_FOUND = "User not found"


def recipe_enabled(recipe_type: type[RecipeModule]) -> bool:
    return Authdeck.get_instance().find_recipe(recipe_type) is not None


async def fetch_user(call: Call, user_id: str) -> User | None:
    reply = await call.querier.get("/user/id", {"userId": user_id})
    if reply.get("status") != "OK":
        return None
    return User.from_json(reply["user"])


async def validate_emailpassword_field(field_id: str, value: str, tenant_id: str) -> str | None:
    """The app's sign-up validator for ``email`` or ``password`` (its own policy, else the default)."""
    from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe

    recipe = EmailPasswordRecipe.get_instance()
    for form_field in recipe.config.sign_up_feature.form_fields:
        if form_field.id == field_id:
            error: str | None = await _sync.call_maybe_async(form_field.validate, value, tenant_id)
            return error
    return None
