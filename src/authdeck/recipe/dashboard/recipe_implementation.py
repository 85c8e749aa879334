"""The default authentication of dashboard requests: the API key, or a dashboard session checked by the core."""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING, Any

from authdeck.exceptions import CoreRequestError
from authdeck.framework.request import BaseRequest
from authdeck.recipe.dashboard._credentials import read_credential
from authdeck.recipe.dashboard.constants import STATIC
from authdeck.recipe.dashboard.exceptions import DashboardOperationNotAllowedError
from authdeck.recipe.dashboard.interfaces import DashboardUser, RecipeInterface, get_dashboard_operation
from authdeck.recipe.dashboard.utils import DashboardConfig, normalise_email

if TYPE_CHECKING:
    from authdeck._appinfo import AppInfo
    from authdeck._querier import Querier


def may_write(config: DashboardConfig, email: str | None) -> bool:
    """API-key holders always may; dashboard users may unless ``admins`` is given and lacks their email."""
    if config.auth_mode == "api-key" or config.admins is None:
        return True
    return email is not None and normalise_email(email) in config.admins


def api_key_matches(config: DashboardConfig, token: str) -> bool:
    if config.api_key is None:
        return False
    return hmac.compare_digest(token.encode("utf-8"), config.api_key.encode("utf-8"))


class RecipeImplementation(RecipeInterface):
    def __init__(self, querier: Querier, app_info: AppInfo) -> None:
        self.querier = querier
        self.app_info = app_info

    async def get_dashboard_bundle_location(self, user_context: dict[str, Any]) -> str:
        return self.app_info.api_base_path + STATIC

    async def should_allow_access(
        self, request: BaseRequest, config: DashboardConfig, user_context: dict[str, Any]
    ) -> bool:
        credential = read_credential(request)
        if credential is None:
            return False
        operation = get_dashboard_operation(request)
        if config.auth_mode == "api-key":
            if not api_key_matches(config, credential.token):
                return False
            if operation is not None:
                operation.user = DashboardUser(email=None, via_cookie=credential.via_cookie)
            return True
        try:
            reply = await self.querier.post("/recipe/dashboard/session/verify", {"sessionId": credential.token})
        except CoreRequestError as exc:
            if exc.status == 400:  # a token the core cannot even parse is no session
                return False
            raise
        email = reply.get("email")
        if reply.get("status") != "OK" or not isinstance(email, str):
            return False
        user = DashboardUser(normalise_email(email), session_id=credential.token, via_cookie=credential.via_cookie)
        if operation is not None:
            operation.user = user
            if operation.writes and not may_write(config, user.email):
                raise DashboardOperationNotAllowedError("You are not permitted to perform this operation")
        return True
