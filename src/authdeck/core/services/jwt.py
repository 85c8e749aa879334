"""The JWT recipe: the app's public keys (JWKS) and JWTs with arbitrary payloads signed by them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from authdeck.core.context import RequestContext
from authdeck.core.crypto import tokens
from authdeck.core.crypto.keyring import KeyRing
from authdeck.core.errors import StatusError


class UnsupportedAlgorithmError(StatusError):
    status = "UNSUPPORTED_ALGORITHM_ERROR"


@dataclass(frozen=True)
class Jwks:
    keys: list[dict[str, str]]
    max_age: int  # seconds until the next dynamic key, so caches refetch in time


def jwks(ctx: RequestContext) -> Jwks:
    keys, max_age = KeyRing(ctx.state, lambda: ctx.conn, ctx.app_id, ctx.app).published(ctx.now_ms())
    return Jwks([dict(key.jwk) for key in keys], max_age)


def create_jwt(
    ctx: RequestContext, *, payload: dict[str, Any], validity_s: int, algorithm: str, use_static_key: bool
) -> str:
    """``payload`` plus ``iat``/``exp``, signed with the static key (or the current dynamic one)."""
    if algorithm.upper() != tokens.ALGORITHM:
        raise UnsupportedAlgorithmError()
    now = ctx.now_ms()
    key = KeyRing(ctx.state, lambda: ctx.conn, ctx.app_id, ctx.app).signing_key(dynamic=not use_static_key, now_ms=now)
    iat = now // 1000
    claims = {**payload, "iat": iat, "exp": iat + validity_s}
    return tokens.encode_jwt(claims, key.private_key, key.kid, version=None)
