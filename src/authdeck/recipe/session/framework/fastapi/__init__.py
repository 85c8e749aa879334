"""FastAPI: ``session: SessionContainer = Depends(verify_session())``."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request

from authdeck.framework.fastapi import wrap_request
from authdeck.recipe.session.framework import verify_session_for_request
from authdeck.recipe.session.interfaces import OverrideGlobalClaimValidators, SessionContainer


def verify_session(
    anti_csrf_check: bool | None = None,
    session_required: bool = True,
    check_database: bool = False,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> Callable[[Request], Coroutine[Any, Any, SessionContainer | None]]:
    """A dependency giving the verified session (or None if optional and absent). Session errors are answered
    by authdeck's middleware; refreshed tokens are added to the route's response."""

    async def dependency(request: Request) -> SessionContainer | None:
        return await verify_session_for_request(
            wrap_request(request),
            anti_csrf_check,
            session_required,
            check_database,
            override_global_claim_validators,
            user_context,
        )

    return dependency


__all__ = ["verify_session"]
