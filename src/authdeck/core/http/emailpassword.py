"""emailpassword endpoints of the CDI: sign-up, sign-in, reset tokens, PUT /recipe/user, password-hash import."""

from __future__ import annotations

from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.crypto.passwords import is_supported_hash
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.http.users import user_json
from authdeck.core.routing import Reply, Route
from authdeck.core.services import audit, emailpassword, users
from authdeck.core.services.policy import EMAIL_MAX_LENGTH, normalise_email
from authdeck.core.storage.queries.users import UserRecord

HASH_MAX_LENGTH = 256  # the column's size
HASHING_ALGORITHMS = ("BCRYPT", "ARGON2")
ACCEPTED_HASHES = (
    "BCRYPT ($2a$, $2b$, $2x$ or $2y$, 60 characters) or ARGON2 ($argon2id$, $argon2i$ or $argon2d$ "
    "in PHC string format)"
)


def _email(body: dict[str, Any], name: str = "email") -> str:
    email = normalise_email(_input.string(body, name))
    if len(email) > EMAIL_MAX_LENGTH:
        raise BadRequestError(f"Field name '{name}' is too long: use at most {EMAIL_MAX_LENGTH} characters")
    return email


def _password(body: dict[str, Any]) -> str:
    # Passwords are taken as typed: spaces are characters like any other.
    password = _input.string(body, "password", trim=False, allow_empty=True)
    if password == "":
        raise BadRequestError("Password cannot be an empty string")
    return password


def _with_user(user: UserRecord, **extra: Any) -> dict[str, Any]:
    return {"status": "OK", "user": user_json(user), **extra}


def sign_up(ctx: RequestContext) -> Reply:
    email = _email(ctx.body)
    password = _password(ctx.body)
    user = emailpassword.sign_up(ctx, email, password)
    audit.record_if_asked(ctx, ("user", user.user_id))
    return _with_user(user, recipeUserId=user.user_id)


def sign_in(ctx: RequestContext) -> Reply:
    email = _email(ctx.body)
    password = _password(ctx.body)
    user = emailpassword.sign_in(ctx, email, password)
    return _with_user(user, recipeUserId=user.user_id)


def create_reset_token(ctx: RequestContext) -> Reply:
    user_id = _input.string(ctx.body, "userId")
    email = _email(ctx.body)
    return {"status": "OK", "token": emailpassword.create_reset_token(ctx, user_id, email)}


def consume_reset_token(ctx: RequestContext) -> Reply:
    token = _input.string(ctx.body, "token")
    found = emailpassword.consume_reset_token(ctx, token)
    if found is None:
        return {"status": "RESET_PASSWORD_INVALID_TOKEN_ERROR"}
    return {"status": "OK", "userId": found.user_id, "email": found.email}


def update_user(ctx: RequestContext) -> Reply:
    user_id = _input.string(ctx.body, "recipeUserId")
    email = _email(ctx.body) if "email" in ctx.body else None
    password = _password(ctx.body) if "password" in ctx.body else None
    if email is None and password is None:
        raise BadRequestError("You have to provide either email or password.")
    emailpassword.update_user(ctx, user_id, email, password)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK"}


def import_password_hash(ctx: RequestContext) -> Reply:
    email = _email(ctx.body)
    password_hash = _input.string(ctx.body, "passwordHash")
    algorithm = _input.optional_string(ctx.body, "hashingAlgorithm")
    if algorithm is not None:
        algorithm = algorithm.upper()
        if algorithm not in HASHING_ALGORITHMS:
            raise BadRequestError(
                f"Unsupported hashingAlgorithm '{algorithm}': this core imports {' and '.join(HASHING_ALGORITHMS)}"
                " hashes only"
            )
    if len(password_hash) > HASH_MAX_LENGTH or not is_supported_hash(password_hash, algorithm):
        raise BadRequestError(f"Password hash is in invalid format. Accepted formats: {ACCEPTED_HASHES}")
    user, existed = emailpassword.import_password_hash(ctx, email, password_hash)
    return _with_user(user, didUserAlreadyExist=existed)


def get_user(ctx: RequestContext) -> Reply:
    """Deprecated lookup by ``userId`` (any tenant of the app) or ``email`` (in the tenant)."""
    user_id = ctx.query.get("userId", "").strip()
    email = normalise_email(ctx.query.get("email", ""))
    if bool(user_id) == bool(email):
        raise BadRequestError("Please provide exactly one of userId or email")
    if user_id:
        return _with_user(users.get_user(ctx.conn, ctx.app_id, user_id))
    return _with_user(emailpassword.get_user_by_email(ctx, email))


ROUTES = [
    Route("POST", "/recipe/signup", sign_up, scope="tenant"),
    Route("POST", "/recipe/signin", sign_in, scope="tenant", write=False),
    Route("POST", "/recipe/user/password/reset/token", create_reset_token, scope="tenant"),
    Route("POST", "/recipe/user/password/reset/token/consume", consume_reset_token, scope="tenant"),
    Route("POST", "/recipe/user/passwordhash/import", import_password_hash, scope="tenant"),
    Route("PUT", "/recipe/user", update_user),
    Route("GET", "/recipe/user", get_user, scope="tenant"),
]
