"""Token cryptography: RS256 JWTs (via PyJWT), sealed refresh tokens (AES-256-GCM) and SHA-256 helpers.

Errors, all ``TokenError``::

    TokenError
    ├── MalformedTokenError    not a token of ours at all (truncated, bad encoding, wrong header)
    ├── UnknownKeyError        well-formed JWT whose ``kid`` this app does not have
    ├── BadSignatureError      the signature does not match (tampered, or another app's key)
    └── ExpiredTokenError      authentic but past its ``exp``

Refresh tokens are ``base64url(version ‖ salt ‖ nonce ‖ AES-256-GCM(ciphertext ‖ tag))``. Each token gets
its own key, HKDF-SHA256(master key, salt): a single GCM key may only see about 2^32 random nonces, and a
busy app refreshes more often than that over its life. The app id is bound as associated data.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
from collections.abc import Mapping
from typing import Any

import jwt
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from authdeck.core.errors import CoreError

ALGORITHM = "RS256"
MASTER_KEY_BYTES = 32
# Anything longer cannot be one of our tokens; refuse it before decoding anything.
MAX_TOKEN_CHARS = 16 * 1024

_REFRESH_VERSION = 1
_SALT_BYTES = 16
_NONCE_BYTES = 12
_HKDF_INFO = b"authdeck refresh token v1"
_JWS = jwt.PyJWS()


class TokenError(CoreError):
    """A token could not be accepted; the message is safe to return (it never contains the token)."""


class MalformedTokenError(TokenError):
    pass


class UnknownKeyError(TokenError):
    pass


class BadSignatureError(TokenError):
    pass


class ExpiredTokenError(TokenError):
    pass


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def double_sha256_hex(text: str) -> str:
    """SHA-256 of the hex SHA-256: what is stored for a refresh token (``refresh_token_hash_2``)."""
    return sha256_hex(sha256_hex(text))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


# --- JWTs -------------------------------------------------------------------------------------------


def encode_jwt(claims: Mapping[str, Any], private_key: RSAPrivateKey, kid: str, *, version: str | None) -> str:
    """An RS256 JWT with header ``{alg, typ: JWT, kid[, version]}``."""
    headers: dict[str, Any] = {"kid": kid}
    if version is not None:
        headers["version"] = version
    return jwt.encode(dict(claims), private_key, algorithm=ALGORITHM, headers=headers)


def jwt_header(token: str) -> dict[str, Any]:
    """The unverified header of ``token``; raises ``MalformedTokenError``."""
    if len(token) > MAX_TOKEN_CHARS or token.count(".") != 2:
        raise MalformedTokenError("The access token is malformed")
    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as exc:
        raise MalformedTokenError("The access token is malformed") from exc
    if header.get("alg") != ALGORITHM or not isinstance(header.get("kid"), str):
        raise MalformedTokenError("The access token is malformed")
    return header


def verify_jwt(token: str, public_key: RSAPublicKey) -> dict[str, Any]:
    """The claims of ``token`` after checking its RS256 signature (not its expiry)."""
    try:
        decoded = _JWS.decode_complete(token, key=public_key, algorithms=[ALGORITHM])
    except jwt.InvalidSignatureError as exc:
        raise BadSignatureError("The access token's signature is invalid") from exc
    except jwt.PyJWTError as exc:
        raise MalformedTokenError("The access token is malformed") from exc
    try:
        claims = json.loads(decoded["payload"])
    except (ValueError, UnicodeDecodeError) as exc:
        raise MalformedTokenError("The access token is malformed") from exc
    if not isinstance(claims, dict):
        raise MalformedTokenError("The access token is malformed")
    return claims


# --- Refresh tokens ---------------------------------------------------------------------------------


def _token_key(master_key: bytes, salt: bytes) -> AESGCM:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=_HKDF_INFO).derive(master_key)
    return AESGCM(derived)


def seal_refresh_token(master_key: bytes, app_id: str, payload: Mapping[str, Any]) -> str:
    """Encrypt ``payload`` into an opaque refresh token that only ``app_id``'s master key opens."""
    salt = os.urandom(_SALT_BYTES)
    nonce = os.urandom(_NONCE_BYTES)
    plaintext = json.dumps(payload, separators=(",", ":")).encode("utf-8")
    sealed = _token_key(master_key, salt).encrypt(nonce, plaintext, app_id.encode("utf-8"))
    return _b64url(bytes([_REFRESH_VERSION]) + salt + nonce + sealed)


def open_refresh_token(master_key: bytes, app_id: str, token: str) -> dict[str, Any]:
    """The payload sealed in ``token``; raises ``MalformedTokenError`` for anything we did not seal."""
    invalid = MalformedTokenError("The refresh token is invalid")
    if not token or len(token) > MAX_TOKEN_CHARS:
        raise invalid
    try:
        raw = _unb64url(token)
    except (binascii.Error, ValueError) as exc:
        raise invalid from exc
    head = 1 + _SALT_BYTES + _NONCE_BYTES
    if len(raw) <= head + 16 or raw[0] != _REFRESH_VERSION:
        raise invalid
    salt, nonce, sealed = raw[1 : 1 + _SALT_BYTES], raw[1 + _SALT_BYTES : head], raw[head:]
    try:
        plaintext = _token_key(master_key, salt).decrypt(nonce, sealed, app_id.encode("utf-8"))
        payload = json.loads(plaintext)
    except (InvalidTag, ValueError, UnicodeDecodeError) as exc:
        raise invalid from exc
    if not isinstance(payload, dict):
        raise invalid
    return payload


def new_master_key() -> bytes:
    return os.urandom(MASTER_KEY_BYTES)
