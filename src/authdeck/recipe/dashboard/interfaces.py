"""The overridable surfaces of the dashboard recipe and what its routes know about the caller.

``RecipeInterface.should_allow_access`` is the single authentication hook, as upstream: it answers True to let a
request in, False for 401, or raises DashboardOperationNotAllowedError for 403. The operation being attempted
(and whether it writes) is on the request: ``get_dashboard_operation(request)``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier
    from authdeck.recipe.dashboard.utils import DashboardConfig

_STATE_KEY = "authdeck.dashboard"


@dataclass
class DashboardUser:
    """Who is calling: a dashboard user (email-password mode) or the holder of the API key (email None)."""

    email: str | None
    session_id: str | None = field(default=None, repr=False)
    via_cookie: bool = False


@dataclass
class DashboardOperation:
    """The dashboard API being called; ``writes`` says whether it changes data (not the HTTP method)."""

    api_id: str
    writes: bool
    user: DashboardUser | None = None


def get_dashboard_operation(request: BaseRequest) -> DashboardOperation | None:
    operation = request.state.get(_STATE_KEY)
    return operation if isinstance(operation, DashboardOperation) else None


def set_dashboard_operation(request: BaseRequest, operation: DashboardOperation) -> None:
    request.state[_STATE_KEY] = operation


class RecipeInterface(ABC):
    """Override with ``dashboard.init(override=DashboardOverrideConfig(functions=...))``."""

    @abstractmethod
    async def get_dashboard_bundle_location(self, user_context: dict[str, Any]) -> str:
        """Where the UI's static files are served from (a path on this API; never a CDN)."""

    @abstractmethod
    async def should_allow_access(
        self, request: BaseRequest, config: DashboardConfig, user_context: dict[str, Any]
    ) -> bool:
        """True to let the request in, False for 401; raise DashboardOperationNotAllowedError for 403."""


class APIOptions:
    """What a dashboard API function gets besides its input."""

    def __init__(
        self,
        request: BaseRequest,
        response: BaseResponse,
        recipe_id: str,
        config: DashboardConfig,
        recipe_implementation: RecipeInterface,
        app_info: AppInfo,
        querier: Querier,
    ) -> None:
        self.request = request
        self.response = response
        self.recipe_id = recipe_id
        self.config = config
        self.recipe_implementation = recipe_implementation
        self.app_info = app_info
        self.querier = querier


class APIInterface(ABC):
    """The HTML page of the dashboard. Set ``dashboard_get`` to None to stop serving the page (the API stays)."""

    @abstractmethod
    async def dashboard_get(self, options: APIOptions, user_context: dict[str, Any]) -> str:
        """The HTML shell of the dashboard UI."""
