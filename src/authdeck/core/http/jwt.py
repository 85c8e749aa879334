"""JWKS and JWT endpoints of the CDI (spec §2.3)."""

from __future__ import annotations

from starlette.responses import JSONResponse

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import Reply, Route
from authdeck.core.services import jwt


def public_jwks(ctx: RequestContext) -> Reply:
    result = jwt.jwks(ctx)
    return JSONResponse({"keys": result.keys}, headers={"Cache-Control": f"max-age={result.max_age}, must-revalidate"})


def jwks(ctx: RequestContext) -> Reply:
    return {"status": "OK", "keys": jwt.jwks(ctx).keys}


def create_jwt(ctx: RequestContext) -> Reply:
    body = ctx.body
    payload = _input.obj(body, "payload") or {}
    validity = _input.integer(body, "validity")
    algorithm = _input.string(body, "algorithm")
    _input.string(body, "jwksDomain")  # required by the CDI; the issuer is the caller's business (payload iss)
    use_static_key = _input.boolean(body, "useStaticSigningKey", default=True)
    if validity <= 0:
        raise BadRequestError("Field name 'validity' must be a positive number of seconds")
    token = jwt.create_jwt(
        ctx, payload=payload, validity_s=validity, algorithm=algorithm, use_static_key=use_static_key
    )
    return {"status": "OK", "jwt": token}


# The JWKS routes may create the first (or next) dynamic key, so they are write routes.
ROUTES = [
    Route("GET", "/.well-known/jwks.json", public_jwks, public=True, write=True),
    Route("GET", "/recipe/jwt/jwks", jwks, write=True),
    Route("POST", "/recipe/jwt", create_jwt),
]
