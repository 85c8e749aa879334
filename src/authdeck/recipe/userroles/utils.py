"""Configuration of the userroles recipe."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from authdeck.exceptions import ConfigError
from authdeck.recipe.userroles.interfaces import APIInterface, RecipeInterface


@dataclass(kw_only=True)
class UserRolesOverrideConfig:
    """``functions`` / ``apis`` receive the original implementation and return the one to use."""

    functions: Callable[[RecipeInterface], RecipeInterface] | None = None
    apis: Callable[[APIInterface], APIInterface] | None = None


InputOverrideConfig = UserRolesOverrideConfig  # the older upstream name


@dataclass(frozen=True, kw_only=True)
class UserRolesConfig:
    skip_adding_roles_to_access_token: bool = False
    skip_adding_permissions_to_access_token: bool = False
    override: UserRolesOverrideConfig


def validate_and_normalise_user_input(
    skip_adding_roles_to_access_token: bool,
    skip_adding_permissions_to_access_token: bool,
    override: UserRolesOverrideConfig | None,
) -> UserRolesConfig:
    for name, value in (
        ("skip_adding_roles_to_access_token", skip_adding_roles_to_access_token),
        ("skip_adding_permissions_to_access_token", skip_adding_permissions_to_access_token),
    ):
        if not isinstance(value, bool):
            raise ConfigError(f"userroles.init({name}=...) must be True or False, not {value!r}")
    if override is not None and not isinstance(override, UserRolesOverrideConfig):
        raise ConfigError("userroles.init(override=...) takes a UserRolesOverrideConfig")
    return UserRolesConfig(
        skip_adding_roles_to_access_token=skip_adding_roles_to_access_token,
        skip_adding_permissions_to_access_token=skip_adding_permissions_to_access_token,
        override=override if override is not None else UserRolesOverrideConfig(),
    )
