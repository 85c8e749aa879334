"""Sign-in (with its lockouts and the browser cookie), sign-out, API-key validation, ``me`` and analytics."""

from __future__ import annotations

import time

from authdeck.exceptions import BadInputError, CoreError
from authdeck.framework.response import Cookie
from authdeck.recipe.dashboard._call import JSON, Call
from authdeck.recipe.dashboard._credentials import MAX_TOKEN_LENGTH, read_credential
from authdeck.recipe.dashboard.constants import COOKIE_LIFETIME_MS, COOKIE_NAME, DASHBOARD
from authdeck.recipe.dashboard.exceptions import TooManySignInAttemptsError
from authdeck.recipe.dashboard.recipe_implementation import api_key_matches, may_write

OK: JSON = {"status": "OK"}


def _cookie(call: Call, value: str, expires_ms: int) -> Cookie:
    info = call.recipe.app_info
    return Cookie(
        key=COOKIE_NAME,
        value=value,
        expires_ms=expires_ms,
        path=info.api_base_path + DASHBOARD,
        domain=None,
        secure=info.api_domain.startswith("https://"),
        httponly=True,
        samesite="strict",
    )


async def sign_in(call: Call) -> JSON:
    limiter = call.recipe.signin_limiter
    ip = call.request.client_ip()
    limiter.refuse_if_locked(ip, "sign-in attempts")
    body = await call.body()
    email, password = body.get("email"), body.get("password")
    if not isinstance(email, str):
        raise BadInputError("Missing required parameter 'email'")
    if not isinstance(password, str):
        raise BadInputError("Missing required parameter 'password'")
    reply = await call.querier.post("/recipe/dashboard/signin", {"email": email, "password": password})
    status = reply.get("status")
    if status == "OK":
        limiter.succeeded(ip)
        session_id: str = reply["sessionId"]
        # A sign-in posted by another site (a form can send a JSON-looking body) gets no cookie, so nobody can
        # be signed in to someone else's dashboard account; the sessionId in the reply is unreadable to that site.
        if call.request.get_header("sec-fetch-site") != "cross-site":
            call.response.set_cookie(_cookie(call, session_id, int(time.time() * 1000) + COOKIE_LIFETIME_MS))
        return {"status": "OK", "sessionId": session_id}
    if status == "INVALID_CREDENTIALS_ERROR":
        limiter.failed(ip)
        return {"status": "INVALID_CREDENTIALS_ERROR"}
    if status == "USER_SUSPENDED_ERROR":
        return {"status": "USER_SUSPENDED_ERROR", "message": reply.get("message", "")}
    if status == "TOO_MANY_ATTEMPTS_ERROR":
        raise TooManySignInAttemptsError(str(reply["message"]), int(reply["retryAfterSeconds"]))
    raise CoreError(f"The core answered dashboard sign-in with an unknown status {status!r}")


async def sign_out(call: Call) -> JSON:
    call.response.set_cookie(_cookie(call, "", 0))
    if call.recipe.config.auth_mode == "api-key":
        return OK
    user = call.user
    session_id = user.session_id if user is not None else None
    if session_id is None:  # an overridden should_allow_access may not say who it let in
        credential = read_credential(call.request)
        session_id = credential.token if credential is not None else None
    if session_id is None:
        raise BadInputError("Neither 'API Key' nor 'Authorization' header was found")
    await call.querier.delete("/recipe/dashboard/session", {"sessionId": session_id})
    return OK


async def validate_key(call: Call) -> JSON | None:
    """200 OK when ``Authorization: Bearer <api key>`` holds the configured key; 401 otherwise."""
    config = call.recipe.config
    if config.auth_mode != "api-key":  # no key to guess: every answer is 401
        _unauthorised(call)
        return None
    limiter, ip = call.recipe.signin_limiter, call.request.client_ip()
    limiter.refuse_if_locked(ip, "API key attempts")
    parts = (call.request.get_header("authorization") or "").split()
    if len(parts) == 2 and parts[0].lower() == "bearer" and len(parts[1]) <= MAX_TOKEN_LENGTH:
        if api_key_matches(config, parts[1]):
            limiter.succeeded(ip)
            return OK
    limiter.failed(ip)
    _unauthorised(call)
    return None


def _unauthorised(call: Call) -> None:
    call.response.set_status(401)
    call.response.set_json_content({"message": "Unauthorised"})


async def me(call: Call) -> JSON:
    """Who is signed in and whether they may change data (our addition, for the UI)."""
    config = call.recipe.config
    email = call.user.email if call.user is not None else None
    can_write = may_write(config, email)
    return {"status": "OK", "email": email, "authMode": config.auth_mode, "isAdmin": can_write, "canWrite": can_write}


async def analytics(call: Call) -> JSON:
    """Accepted and dropped: authdeck sends no telemetry anywhere."""
    return OK
