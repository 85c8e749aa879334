"""What a dashboard API handler works with: the request's input, the caller, the core, and the audit record."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from authdeck.exceptions import BadInputError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe.dashboard.interfaces import DashboardOperation, DashboardUser

if TYPE_CHECKING:
    from authdeck._querier import Querier
    from authdeck.recipe.dashboard.recipe import DashboardRecipe

JSON = dict[str, Any]


def invalid(name: str) -> str:
    return f"Required parameter '{name}' is missing or has an invalid type"


@dataclass
class Call:
    recipe: DashboardRecipe
    tenant_id: str
    request: BaseRequest
    response: BaseResponse
    operation: DashboardOperation
    user_context: dict[str, Any]

    @property
    def querier(self) -> Querier:
        return self.recipe.querier

    @property
    def user(self) -> DashboardUser | None:
        return self.operation.user

    # --- input -------------------------------------------------------------------------------------------

    async def body(self) -> JSON:
        return await self.request.json_object()

    async def body_string(self, name: str, message: str | None = None) -> str:
        value = (await self.body()).get(name)
        if not isinstance(value, str):
            raise BadInputError(message or invalid(name))
        return value

    def query(self, name: str, message: str | None = None) -> str:
        """A required query parameter; missing or empty answers 400 with ``message``."""
        value = self.request.get_query_param(name)
        if value is None or value == "":
            raise BadInputError(message or f"Missing required parameter '{name}'")
        return value

    # --- audit -------------------------------------------------------------------------------------------

    def audit(
        self, action: str, summary: JSON | None = None, *, target_type: str | None = None, target_id: str | None = None
    ) -> JSON:
        """The record of a write, sent with the core call that performs it (same transaction).

        Without a target, the core records the thing the write changed. ``summary`` says what changed and
        never holds a password (the core refuses any key that mentions one).
        """
        user = self.user
        if user is None:
            actor = "api-key" if self.recipe.config.auth_mode == "api-key" else "unknown"
        else:
            actor = user.email or "api-key"
        record = {
            "actor": actor,
            "actorIp": self.request.client_ip(),
            "action": action,
            "targetType": target_type,
            "targetId": target_id,
            "summary": summary or {},
            "tenantId": self.tenant_id,
        }
        return {k: v for k, v in record.items() if v is not None}

    async def record(self, audit: JSON) -> None:
        """Record a write that took several core calls, once all of them succeeded."""
        await self.querier.post("/recipe/dashboard/audit", audit)
