"""Access tokens (JWT, RS256): parsing without trust, structure checks, and local signature verification."""

from __future__ import annotations

import base64
import binascii
import json
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey

from authdeck.recipe.session.exceptions import TryRefreshTokenError

LATEST_DEFAULT_VERSION = 3  # a header without "version" is read as v3


class TokenStructureError(ValueError):
    """The string is not an access token of the shape the core issues."""


@dataclass(frozen=True)
class JWTHeader:
    version: int
    kid: str
    alg: Any


@dataclass(frozen=True)
class ParsedJWT:
    version: int
    raw_token_string: str
    header: JWTHeader
    payload: dict[str, Any]
    kid: str
    signed_length: int  # the signature covers raw_token_string[:signed_length]

    @property
    def signing_input(self) -> bytes:
        return self.raw_token_string[: self.signed_length].encode("ascii", "replace")

    @property
    def signature(self) -> bytes:
        return _b64url_decode(self.raw_token_string[self.signed_length + 1 :])


def _b64url_decode(part: str) -> bytes:
    try:
        return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))
    except (binascii.Error, ValueError) as exc:
        raise TokenStructureError("a JWT part is not base64url") from exc


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        value = json.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise TokenStructureError("a JWT part is not JSON") from exc
    if not isinstance(value, dict):
        raise TokenStructureError("a JWT part is not a JSON object")
    return value


@lru_cache(maxsize=64)
def _parse_header(segment: str) -> JWTHeader:
    """Headers repeat for every token signed with one key, so parsed ones are kept (they are immutable)."""
    header = _json_object(_b64url_decode(segment))
    try:
        version = int(header.get("version", str(LATEST_DEFAULT_VERSION)))
    except (TypeError, ValueError) as exc:
        raise TokenStructureError("JWT header mismatch") from exc
    kid = header.get("kid")
    if header.get("typ") != "JWT" or version < 3 or not isinstance(kid, str):
        raise TokenStructureError("JWT header mismatch")
    return JWTHeader(version=version, kid=kid, alg=header.get("alg"))


def parse_jwt_without_signature_verification(token: str) -> ParsedJWT:
    """Split and decode ``token``; checks the header (typ JWT, version >= 3, kid) but not the signature."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenStructureError("a JWT has three parts")
    header = _parse_header(parts[0])
    return ParsedJWT(
        version=header.version,
        raw_token_string=token,
        header=header,
        payload=_json_object(_b64url_decode(parts[1])),
        kid=header.kid,
        signed_length=len(parts[0]) + 1 + len(parts[1]),
    )


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def validate_access_token_structure(payload: dict[str, Any], version: int) -> None:
    """The claims the SDK relies on must be present with the right types (cdi.md §4.1)."""
    if "stt" in payload and (isinstance(payload["stt"], bool) or payload["stt"] != 0):
        raise TokenStructureError("Wrong token type")
    missing = (
        not isinstance(payload.get("sub"), str)
        or not _is_number(payload.get("exp"))
        or not _is_number(payload.get("iat"))
        or not isinstance(payload.get("sessionHandle"), str)
        or not isinstance(payload.get("refreshTokenHash1"), str)
        or (version >= 4 and not isinstance(payload.get("tId"), str))
        or (version >= 5 and not isinstance(payload.get("rsub"), str))
    )
    if missing:
        raise TokenStructureError("Access token does not contain all the information. Maybe the structure has changed?")


def verify_signature_and_expiry(token: ParsedJWT, key: RSAPublicKey) -> None:
    """RS256 only; any other ``alg`` is refused. Raises TryRefreshTokenError (the frontend then refreshes)."""
    if token.header.alg != "RS256":
        raise TryRefreshTokenError("The access token is not signed with RS256")
    try:
        key.verify(token.signature, token.signing_input, padding.PKCS1v15(), hashes.SHA256())
    except (InvalidSignature, TokenStructureError) as exc:
        raise TryRefreshTokenError("The access token's signature is invalid") from exc
    exp = token.payload["exp"]
    if exp * 1000 < time.time() * 1000:
        raise TryRefreshTokenError("Access token expired")


PARSED_KEY = "_authdeck_parsed_access_token"


def remember_parsed(user_context: dict[str, Any], token: ParsedJWT) -> None:
    """Let a later step of the same request reuse this parse (RecipeInterface.get_session takes a string)."""
    user_context[PARSED_KEY] = token


def parse_remembered(user_context: dict[str, Any] | None, token: str) -> ParsedJWT:
    remembered = user_context.pop(PARSED_KEY, None) if user_context is not None else None
    if isinstance(remembered, ParsedJWT) and remembered.raw_token_string == token:
        return remembered
    parsed = parse_jwt_without_signature_verification(token)
    validate_access_token_structure(parsed.payload, parsed.version)
    return parsed


def sanitize_string(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) else None
