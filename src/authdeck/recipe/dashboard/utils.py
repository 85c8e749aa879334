"""Configuration of the dashboard recipe: auth mode, admins, overrides; validated once, in init()."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from authdeck.exceptions import ConfigError

if TYPE_CHECKING:
    from authdeck.recipe.dashboard.interfaces import APIInterface, RecipeInterface

AuthMode = Literal["api-key", "email-password"]


@dataclass(kw_only=True)
class DashboardOverrideConfig:
    """``functions`` / ``apis`` receive the original implementation and return the one to use."""

    functions: Callable[[RecipeInterface], RecipeInterface] | None = None
    apis: Callable[[APIInterface], APIInterface] | None = None


InputOverrideConfig = DashboardOverrideConfig  # the older upstream name


@dataclass(frozen=True, kw_only=True)
class DashboardConfig:
    """The normalised configuration. ``admins`` None: every dashboard user may write; []: nobody may."""

    api_key: str | None = field(repr=False)
    admins: list[str] | None
    auth_mode: AuthMode
    override: DashboardOverrideConfig

    def __repr__(self) -> str:
        key = "None" if self.api_key is None else "'***'"
        return f"DashboardConfig(auth_mode={self.auth_mode!r}, api_key={key}, admins={self.admins!r})"


def normalise_email(email: str) -> str:
    return email.strip().lower()


def validate_and_normalise_user_input(
    api_key: str | None, admins: list[str] | None, override: DashboardOverrideConfig | None
) -> DashboardConfig:
    if api_key is not None and not isinstance(api_key, str):
        raise ConfigError("dashboard.init(api_key=...) must be a string (the key the dashboard signs in with) or None")
    # A blank key means no key: the dashboard then signs in with dashboard users, as upstream decides.
    key = api_key if api_key is not None and api_key.strip() else None
    if admins is not None:
        if isinstance(admins, str) or not isinstance(admins, list | tuple):
            raise ConfigError("dashboard.init(admins=...) must be a list of emails, e.g. admins=['ada@example.com']")
        for email in admins:
            if not isinstance(email, str) or not email.strip():
                raise ConfigError(f"dashboard.init(admins=...) holds {email!r}; every entry must be a non-empty email")
    if override is not None and not isinstance(override, DashboardOverrideConfig):
        raise ConfigError("dashboard.init(override=...) takes a DashboardOverrideConfig(functions=..., apis=...)")
    return DashboardConfig(
        api_key=key,
        admins=None if admins is None else list(dict.fromkeys(normalise_email(e) for e in admins)),
        auth_mode="api-key" if key is not None else "email-password",
        override=override if override is not None else DashboardOverrideConfig(),
    )
