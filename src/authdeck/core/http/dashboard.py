"""Dashboard endpoints of the CDI (spec §2.8): dashboard users, dashboard sessions and the core config view."""

from __future__ import annotations

from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import Reply, Route
from authdeck.core.services import dashboard, policy

_WHICH_USER = "Either field 'email' or 'userId' must be present"


def _user_json(user: dashboard.DashboardUser) -> dict[str, Any]:
    return {"email": user.email, "userId": user.user_id, "timeJoined": user.time_joined}


def create_user(ctx: RequestContext) -> Reply:
    email = dashboard.checked_email(_input.string(ctx.body, "email"))
    password = _input.string(ctx.body, "password")
    dashboard.check_password(password)
    password_hash = ctx.state.hashing.hash(password, ctx.app.password_hashing_alg)
    user = dashboard.create_user(ctx.conn, ctx.app_id, email, password_hash, ctx.now_ms())
    return {"status": "OK", "user": _user_json(user)}


def update_user(ctx: RequestContext) -> Reply:
    user_id = _input.optional_string(ctx.body, "userId")
    email = _input.optional_string(ctx.body, "email")
    if user_id is None and email is None:
        raise BadRequestError(_WHICH_USER)
    new_email = _input.optional_string(ctx.body, "newEmail")
    new_password = _input.optional_string(ctx.body, "newPassword")
    if new_email is not None:
        new_email = dashboard.checked_email(new_email)
    new_hash = None
    if new_password is not None:
        dashboard.check_password(new_password)
        new_hash = ctx.state.hashing.hash(new_password, ctx.app.password_hashing_alg)
    user = dashboard.update_user(
        ctx.conn,
        ctx.app_id,
        user_id=user_id,
        email=None if email is None else policy.normalise_email(email),
        new_email=new_email,
        new_password_hash=new_hash,
    )
    return {"status": "OK", "user": _user_json(user)}


def delete_user(ctx: RequestContext) -> Reply:
    user_id = email = None
    if "userId" in ctx.query:
        user_id = _input.query_nonempty(ctx.query, "userId")
    elif "email" in ctx.query:
        email = policy.normalise_email(_input.query_nonempty(ctx.query, "email"))
    else:
        raise BadRequestError(_WHICH_USER)
    existed = dashboard.delete_user(ctx.conn, ctx.app_id, user_id=user_id, email=email)
    return {"status": "OK", "didUserExist": existed}


def list_users(ctx: RequestContext) -> Reply:
    return {"status": "OK", "users": [_user_json(u) for u in dashboard.list_users(ctx.conn, ctx.app_id)]}


def sign_in(ctx: RequestContext) -> Reply:
    email = policy.normalise_email(_input.string(ctx.body, "email"))
    password = _input.string(ctx.body, "password")
    result = dashboard.sign_in(ctx.conn, ctx.state.hashing, ctx.app_id, email, password, ctx.app, ctx.now_ms())
    if result.session_id is not None:
        return {"status": "OK", "sessionId": result.session_id}
    if result.retry_after_ms:
        message, seconds = dashboard.lockout_message(result.retry_after_ms)
        return {"status": "TOO_MANY_ATTEMPTS_ERROR", "message": message, "retryAfterSeconds": seconds}
    return {"status": "INVALID_CREDENTIALS_ERROR"}


def verify_session(ctx: RequestContext) -> Reply:
    session_id = _input.string(ctx.body, "sessionId")
    email = dashboard.verify_session(ctx.conn, ctx.app_id, session_id, ctx.app, ctx.now_ms())
    if email is None:
        # A reply, not a raise: an ended session is deleted, and that must be committed.
        return {"status": "INVALID_SESSION_ERROR"}
    return {"status": "OK", "email": email}


def delete_session(ctx: RequestContext) -> Reply:
    dashboard.delete_session(ctx.conn, ctx.app_id, _input.query_nonempty(ctx.query, "sessionId"))
    return {"status": "OK"}


def user_sessions(ctx: RequestContext) -> Reply:
    user_id = _input.query_nonempty(ctx.query, "userId")
    infos = dashboard.user_sessions(ctx.conn, ctx.app_id, user_id, ctx.app, ctx.now_ms())
    sessions = [
        {"userId": s.user_id, "sessionId": s.public_id, "timeCreated": s.time_created, "expiry": s.expiry}
        for s in infos
    ]
    return {"status": "OK", "sessions": sessions}


def core_config(ctx: RequestContext) -> Reply:
    return {"status": "OK", "config": dashboard.core_config(ctx.app, ctx.state.settings.app)}


ROUTES = [
    Route("POST", "/recipe/dashboard/user", create_user),
    Route("PUT", "/recipe/dashboard/user", update_user),
    Route("DELETE", "/recipe/dashboard/user", delete_user),
    Route("GET", "/recipe/dashboard/users", list_users),
    Route("POST", "/recipe/dashboard/signin", sign_in),
    Route("POST", "/recipe/dashboard/session/verify", verify_session),
    Route("DELETE", "/recipe/dashboard/session", delete_session),
    Route("GET", "/recipe/dashboard/user/sessions", user_sessions),
    Route("GET", "/recipe/dashboard/tenant/core-config", core_config, scope="tenant"),
]
