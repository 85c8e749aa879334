"""RSA signing keys: generation, storage encoding, JWK export, and the dynamic-key rotation policy.

Dynamic keys (kid ``d-<createdAtMs>``) rotate every ``access_token_dynamic_signing_key_update_interval``
hours; static keys (``s-<uuid>``) never rotate. The policy functions here are pure (time is an argument);
``keyring`` applies them to what is stored.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPrivateKey, RSAPublicKey

from authdeck.core.config import AppSettings
from authdeck.core.crypto.tokens import ALGORITHM

# After a new dynamic key appears, the previous one keeps signing this long, so JWKS caches catch up.
OVERLAP_MS = 60_000
HOUR_MS = 3_600_000


@dataclass(frozen=True)
class SigningKey:
    kid: str
    created_at: int
    private_key: RSAPrivateKey = field(repr=False)
    public_key: RSAPublicKey = field(repr=False)
    jwk: dict[str, str] = field(repr=False)

    @property
    def dynamic(self) -> bool:
        return self.kid.startswith("d-")


def new_private_key() -> RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _int_b64url(value: int) -> str:
    raw = value.to_bytes((value.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def to_jwk(public_key: RSAPublicKey, kid: str) -> dict[str, str]:
    numbers = public_key.public_numbers()
    return {
        "kty": "RSA",
        "kid": kid,
        "n": _int_b64url(numbers.n),
        "e": _int_b64url(numbers.e),
        "alg": ALGORITHM,
        "use": "sig",
    }


def make_signing_key(kid: str, created_at: int, private_key: RSAPrivateKey) -> SigningKey:
    public_key = private_key.public_key()
    return SigningKey(kid, created_at, private_key, public_key, to_jwk(public_key, kid))


def dump_key(private_key: RSAPrivateKey) -> tuple[str, str]:
    """``(private, public)`` as base64 DER (PKCS#8, SubjectPublicKeyInfo), as stored."""
    private = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public = private_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(private).decode("ascii"), base64.b64encode(public).decode("ascii")


def load_key(kid: str, created_at: int, private_text: str) -> SigningKey:
    # Our own keys from our own database: the (slow) consistency check adds nothing.
    private = serialization.load_der_private_key(
        base64.b64decode(private_text), password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(private, RSAPrivateKey):
        raise TypeError(f"signing key {kid} is not an RSA key")
    return make_signing_key(kid, created_at, private)


# --- Rotation policy (pure) ------------------------------------------------------------------------


def interval_ms(settings: AppSettings) -> int:
    return settings.access_token_dynamic_signing_key_update_interval * HOUR_MS


def verification_window_ms(settings: AppSettings) -> int:
    """How long after its creation a dynamic key still verifies tokens."""
    return interval_ms(settings) + 2 * settings.access_token_validity * 1000


def rotation_due(newest_created_at: int | None, now_ms: int, settings: AppSettings) -> bool:
    if newest_created_at is None:
        return True
    return now_ms >= newest_created_at + interval_ms(settings) - OVERLAP_MS


def seconds_until_rotation(newest_created_at: int, now_ms: int, settings: AppSettings) -> int:
    due = newest_created_at + interval_ms(settings) - OVERLAP_MS
    return max(1, math.ceil((due - now_ms) / 1000))


def choose_signing_key(dynamic: Sequence[SigningKey], now_ms: int, settings: AppSettings) -> SigningKey:
    """The key to sign with, from the app's dynamic keys (newest first, at least one)."""
    newest = dynamic[0]
    if len(dynamic) > 1 and now_ms - newest.created_at < OVERLAP_MS:
        previous = dynamic[1]
        # Only while the previous key is within its own signing life: after a long idle period its
        # tokens could otherwise outlive its verification window.
        if now_ms - previous.created_at < interval_ms(settings):
            return previous
    return newest


def verifiable(dynamic: Sequence[SigningKey], now_ms: int, settings: AppSettings) -> list[SigningKey]:
    """The dynamic keys (newest first) that still verify tokens: those in their window, and the newest."""
    cutoff = now_ms - verification_window_ms(settings)
    return [key for i, key in enumerate(dynamic) if i == 0 or key.created_at >= cutoff]
