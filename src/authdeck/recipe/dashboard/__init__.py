"""The user management dashboard: ``<api_base_path>/dashboard`` and its API, for the team that runs the app.

``dashboard.init()`` signs in with dashboard users kept in the core (``authdeck dashboard-users create``);
``dashboard.init(api_key=...)`` with a shared key instead. ``admins=[...]`` makes every other user read-only.
"""

from __future__ import annotations

from authdeck.recipe._module import RecipeInit
from authdeck.recipe.dashboard.exceptions import DashboardOperationNotAllowedError
from authdeck.recipe.dashboard.interfaces import (
    APIInterface,
    APIOptions,
    DashboardOperation,
    DashboardUser,
    RecipeInterface,
    get_dashboard_operation,
)
from authdeck.recipe.dashboard.recipe import DashboardRecipe
from authdeck.recipe.dashboard.utils import DashboardConfig, DashboardOverrideConfig, InputOverrideConfig


def init(
    api_key: str | None = None,
    admins: list[str] | None = None,
    override: DashboardOverrideConfig | None = None,
) -> RecipeInit:
    """The dashboard recipe for init(recipe_list=[...]).

    ``admins``: None lets every dashboard user change data; a list (emails, any case) lets only those; [] nobody.
    It has no effect in API-key mode, where the key holder may do everything.
    """
    return DashboardRecipe.init(api_key, admins, override)


__all__ = [
    "APIInterface",
    "APIOptions",
    "DashboardConfig",
    "DashboardOperation",
    "DashboardOperationNotAllowedError",
    "DashboardOverrideConfig",
    "DashboardRecipe",
    "DashboardUser",
    "InputOverrideConfig",
    "RecipeInterface",
    "get_dashboard_operation",
    "init",
]
