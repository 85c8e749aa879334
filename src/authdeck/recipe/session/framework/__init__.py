"""Framework-neutral ``verify_session``: the per-framework decorators and dependencies are thin shells over
``verify_session_for_request``, and depend only on ``BaseRequest`` and ``queue_change`` (new tokens are queued
onto ``request.state`` and the framework adapter adds them to the app's response)."""

from __future__ import annotations

import importlib
from typing import Any

from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.recipe.session.interfaces import OverrideGlobalClaimValidators, SessionContainer
from authdeck.recipe.session.recipe import SessionRecipe


def as_base_request(request: Any) -> BaseRequest:
    """``request`` itself if it is a BaseRequest, else the configured framework adapter's wrapper for it
    (Flask's ``wrap_request()`` takes no argument: it wraps the current request)."""
    if isinstance(request, BaseRequest):
        return request
    framework = Authdeck.get_instance().app_info.framework
    adapter = importlib.import_module(f"authdeck.framework.{framework}")
    wrap = getattr(adapter, "wrap_request", None)
    if wrap is None:
        raise ConfigError(f"authdeck.framework.{framework} cannot wrap {type(request).__name__}; pass a BaseRequest")
    wrapped: BaseRequest = wrap() if framework == "flask" else wrap(request)
    return wrapped


async def verify_session_for_request(
    request: BaseRequest,
    anti_csrf_check: bool | None = None,
    session_required: bool = True,
    check_database: bool = False,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> SessionContainer | None:
    """Verify the request's session (raising session errors for the adapter to answer) and store it on the
    request (``request.get_session()``); None only when ``session_required`` is False and there is none."""
    context: dict[str, Any] = dict(user_context) if user_context else {}
    context.setdefault("_default", {"request": request})
    session = await SessionRecipe.get_instance().verify_session(
        request, anti_csrf_check, session_required, check_database, override_global_claim_validators, context
    )
    request.set_session(session)
    return session


__all__ = ["as_base_request", "verify_session_for_request"]
