"""What every recipe module provides to the SDK: the routes it serves, its CORS headers, its errors."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier

UserContext = dict[str, Any]


@dataclass(frozen=True)
class APIRoute:
    """One route a recipe serves, relative to the API base path (``/signup``).

    With ``prefix=True`` the route also matches every path below it (static files of the dashboard).
    """

    method: str
    path: str
    api_id: str
    prefix: bool = False

    def matches(self, method: str, path: str) -> bool:
        if self.method != method:
            return False
        if self.prefix:
            return path == self.path or path.startswith(self.path.rstrip("/") + "/")
        return path == self.path


class RecipeModule(ABC):
    recipe_id: ClassVar[str]

    def __init__(self, app_info: AppInfo, querier: Querier) -> None:
        self.app_info = app_info
        self.querier = querier

    @abstractmethod
    def get_apis_handled(self) -> list[APIRoute]:
        """The enabled routes (an API overridden to None is left out)."""

    @abstractmethod
    async def handle_api_request(
        self, api_id: str, tenant_id: str, request: BaseRequest, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse | None:
        """Serve ``api_id``; return None to let the app handle the request instead."""

    def get_all_cors_headers(self) -> list[str]:
        return []

    def is_error_from_this_recipe(self, err: Exception) -> bool:
        return False

    async def handle_error(
        self, request: BaseRequest, err: Exception, response: BaseResponse, user_context: UserContext
    ) -> BaseResponse:
        raise err


RecipeInit = Callable[["AppInfo", "Querier"], RecipeModule]


def api_enabled(api_implementation: object, attribute: str) -> bool:
    """Whether an overridable API serves its route: not set to None, and not turned off by ``disable_<name>``."""
    return getattr(api_implementation, attribute, None) is not None and not getattr(
        api_implementation, f"disable_{attribute}", False
    )
