"""Email verification endpoints of the CDI (spec §2.4): tokens, verify, is-verified, unverify, revoke."""

from __future__ import annotations

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import Reply, Route
from authdeck.core.services import audit, emailverification


def _user_id(ctx: RequestContext) -> str:
    # User ids are kept verbatim, as upstream does; only an empty one is refused.
    user_id = _input.string(ctx.body, "userId", trim=False)
    return _input.fits(user_id, "userId", emailverification.USER_ID_MAX_LENGTH)


def _email(ctx: RequestContext) -> str:
    email = emailverification.normalise_email(_input.string(ctx.body, "email"))
    return _input.fits(email, "email", emailverification.EMAIL_MAX_LENGTH)


def _nonempty_query(ctx: RequestContext, name: str, max_length: int) -> str:
    value = _input.query(ctx.query, name)
    if not value:
        raise BadRequestError(f"Field name '{name}' cannot be an empty String")
    return _input.fits(value, name, max_length)


def create_token(ctx: RequestContext) -> Reply:
    user_id, email = _user_id(ctx), _email(ctx)
    token = emailverification.create_token(
        ctx.conn,
        ctx.app_id,
        ctx.tenant_id,
        user_id,
        email,
        now_ms=ctx.now_ms(),
        lifetime_ms=ctx.app.email_verification_token_lifetime,
    )
    return {"status": "OK", "token": token}


def verify_email(ctx: RequestContext) -> Reply:
    method = _input.string(ctx.body, "method")
    if method != "token":
        raise BadRequestError("Unsupported method for email verification: 'method' must be \"token\"")
    # Only the token's hash meets the database, so neither its length nor its characters matter there.
    token = _input.string(ctx.body, "token")
    done = emailverification.verify(ctx.conn, ctx.app_id, ctx.tenant_id, token, now_ms=ctx.now_ms())
    audit.record_if_asked(ctx, ("user", done.user_id))
    return {"status": "OK", "userId": done.user_id, "email": done.email}


def is_verified(ctx: RequestContext) -> Reply:
    # The email is compared raw, as upstream does; SDKs pass the stored, already normalised email.
    user_id = _nonempty_query(ctx, "userId", emailverification.USER_ID_MAX_LENGTH)
    email = _nonempty_query(ctx, "email", emailverification.EMAIL_MAX_LENGTH)
    return {"status": "OK", "isVerified": emailverification.is_verified(ctx.conn, ctx.app_id, user_id, email)}


def unverify(ctx: RequestContext) -> Reply:
    user_id, email = _user_id(ctx), _email(ctx)
    emailverification.unverify(ctx.conn, ctx.app_id, user_id, email)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK"}


def revoke_tokens(ctx: RequestContext) -> Reply:
    user_id, email = _user_id(ctx), _email(ctx)
    emailverification.revoke_tokens(ctx.conn, ctx.app_id, ctx.tenant_id, user_id, email)
    return {"status": "OK"}


ROUTES = [
    Route("POST", "/recipe/user/email/verify/token", create_token, scope="tenant"),
    Route("POST", "/recipe/user/email/verify", verify_email, scope="tenant"),
    Route("GET", "/recipe/user/email/verify", is_verified),
    Route("POST", "/recipe/user/email/verify/remove", unverify),
    Route("POST", "/recipe/user/email/verify/token/remove", revoke_tokens, scope="tenant"),
]
