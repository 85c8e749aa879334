"""The one guard every dashboard API route runs behind (design.md, "Security by construction").

In order: ``Cache-Control: no-store``; the CSRF proof for cookie-borne state changes (checked before the cookie
is, so a forged request never touches the session, not even its idle timer); authentication and the admin check
by operation (``should_allow_access``); then the handler, whose errors become their HTTP answers here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authdeck.exceptions import BadInputError, CoreRequestError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe.dashboard._call import Call
from authdeck.recipe.dashboard._credentials import read_credential
from authdeck.recipe.dashboard._routes import DashboardRoute
from authdeck.recipe.dashboard.constants import CSRF_HEADER, CSRF_MISSING, CSRF_VALUE, NOT_PERMITTED, UNAUTHORISED
from authdeck.recipe.dashboard.exceptions import DashboardOperationNotAllowedError, TooManySignInAttemptsError
from authdeck.recipe.dashboard.interfaces import DashboardOperation, set_dashboard_operation

if TYPE_CHECKING:
    from authdeck.recipe.dashboard.recipe import DashboardRecipe


def _message(response: BaseResponse, status: int, message: str) -> BaseResponse:
    response.set_status(status)
    response.set_json_content({"message": message})
    return response


async def _refusal(
    recipe: DashboardRecipe, route: DashboardRoute, request: BaseRequest, response: BaseResponse,
    user_context: dict[str, Any],
) -> BaseResponse | None:
    if route.public:
        return None
    credential = read_credential(request)
    if credential is not None and credential.via_cookie and route.needs_csrf:
        if request.get_header(CSRF_HEADER) != CSRF_VALUE:
            return _message(response, 403, CSRF_MISSING)
    # In API-key mode a wrong key is a failed sign-in: count it per IP, as for passwords.
    limiter = recipe.signin_limiter if recipe.config.auth_mode == "api-key" else None
    ip = request.client_ip()
    if limiter is not None:
        limiter.refuse_if_locked(ip, "API key attempts")
    try:
        allowed = await recipe.recipe_implementation.should_allow_access(request, recipe.config, user_context)
    except DashboardOperationNotAllowedError:
        return _message(response, 403, NOT_PERMITTED)
    if limiter is not None:
        (limiter.succeeded if allowed else limiter.failed)(ip)
    return None if allowed else _message(response, 401, UNAUTHORISED)


async def run(
    recipe: DashboardRecipe,
    route: DashboardRoute,
    tenant_id: str,
    request: BaseRequest,
    response: BaseResponse,
    user_context: dict[str, Any],
) -> BaseResponse:
    response.set_header("Cache-Control", "no-store")
    operation = DashboardOperation(api_id=route.api_id, writes=route.writes)
    set_dashboard_operation(request, operation)
    try:
        refused = await _refusal(recipe, route, request, response, user_context)
        if refused is not None:
            return refused
        call = Call(recipe, tenant_id, request, response, operation, user_context)
        result = await route.handler(call)
    except BadInputError as err:
        return _message(response, 400, err.message)
    except TooManySignInAttemptsError as err:
        response.set_header("Retry-After", str(err.retry_after_seconds))
        response.set_status(429)
        response.set_json_content(
            {"status": "TOO_MANY_ATTEMPTS_ERROR", "message": err.message, "retryAfterSeconds": err.retry_after_seconds}
        )
        return response
    except CoreRequestError as err:
        if err.status != 400:
            raise
        # The core refused the input the dashboard user typed (an over-long role, an empty email...).
        return _message(response, 400, err.message)
    if result is not None:
        response.set_status(200)
        response.set_json_content(result)
    return response
