"""Token cryptography: JWT signing and checking, sealed refresh tokens, hashes, JWKs and the rotation policy."""

from __future__ import annotations

import base64
import hashlib
import json

import jwt
import pytest

from authdeck.core.config import AppSettings
from authdeck.core.crypto import keys, tokens
from authdeck.core.crypto.keys import OVERLAP_MS, SigningKey, make_signing_key, new_private_key

HOUR = 3_600_000
SETTINGS = AppSettings(access_token_validity=3600, access_token_dynamic_signing_key_update_interval=168)


@pytest.fixture(scope="module")
def key() -> SigningKey:
    return make_signing_key("d-1000", 1000, new_private_key())


@pytest.fixture(scope="module")
def other_key() -> SigningKey:
    return make_signing_key("d-1000", 1000, new_private_key())


def test_sha256_helpers_hash_the_hex_of_the_previous_step() -> None:
    first = hashlib.sha256(b"token").hexdigest()
    assert tokens.sha256_hex("token") == first
    assert tokens.double_sha256_hex("token") == hashlib.sha256(first.encode()).hexdigest()


def test_jwt_round_trip_keeps_header_and_claims(key: SigningKey) -> None:
    token = tokens.encode_jwt({"sub": "u", "n": 1}, key.private_key, key.kid, version="5")
    header = tokens.jwt_header(token)
    assert header == {"alg": "RS256", "typ": "JWT", "kid": "d-1000", "version": "5"}
    assert tokens.verify_jwt(token, key.public_key) == {"sub": "u", "n": 1}


def test_jwt_verifies_with_pyjwt_and_the_exported_jwk(key: SigningKey) -> None:
    token = tokens.encode_jwt({"sub": "u"}, key.private_key, key.kid, version=None)
    public = jwt.PyJWK(key.jwk).key
    assert jwt.decode(token, public, algorithms=["RS256"]) == {"sub": "u"}


def test_jwk_has_the_fields_sdks_need(key: SigningKey) -> None:
    assert set(key.jwk) == {"kty", "kid", "n", "e", "alg", "use"}
    assert key.jwk["kty"] == "RSA" and key.jwk["alg"] == "RS256" and key.jwk["use"] == "sig"
    n = int.from_bytes(base64.urlsafe_b64decode(key.jwk["n"] + "=="), "big")
    assert n == key.public_key.public_numbers().n
    assert key.jwk["e"] == "AQAB"


def test_tampered_payload_fails_the_signature(key: SigningKey) -> None:
    token = tokens.encode_jwt({"sub": "u"}, key.private_key, key.kid, version="5")
    head, _, sig = token.split(".")
    forged = base64.urlsafe_b64encode(json.dumps({"sub": "admin"}).encode()).rstrip(b"=").decode()
    with pytest.raises(tokens.BadSignatureError):
        tokens.verify_jwt(f"{head}.{forged}.{sig}", key.public_key)


def test_token_of_another_key_fails_the_signature(key: SigningKey, other_key: SigningKey) -> None:
    token = tokens.encode_jwt({"sub": "u"}, other_key.private_key, key.kid, version="5")
    with pytest.raises(tokens.BadSignatureError):
        tokens.verify_jwt(token, key.public_key)


@pytest.mark.parametrize("token", ["", "abc", "a.b", "a.b.c", "....", "x" * 20_000, "eyJhbGciOiJub25lIn0.e30."])
def test_garbage_is_a_malformed_token(token: str) -> None:
    with pytest.raises(tokens.MalformedTokenError):
        tokens.jwt_header(token)


def test_unsigned_alg_none_token_is_refused(key: SigningKey) -> None:
    unsigned = jwt.encode({"sub": "u"}, None, algorithm="none", headers={"kid": key.kid})
    with pytest.raises(tokens.MalformedTokenError):
        tokens.jwt_header(unsigned)
    with pytest.raises(tokens.TokenError):
        tokens.verify_jwt(unsigned, key.public_key)


def test_hs256_token_keyed_with_the_public_key_is_refused(key: SigningKey) -> None:
    # The classic algorithm-confusion forgery: an HMAC keyed with the public key bytes.
    _, public_text = keys.dump_key(key.private_key)
    forged = jwt.api_jws.PyJWS().encode(b'{"sub":"admin"}', public_text.encode(), algorithm="HS256")
    with pytest.raises(tokens.MalformedTokenError):
        tokens.jwt_header(forged)
    with pytest.raises(tokens.TokenError):
        tokens.verify_jwt(forged, key.public_key)


MASTER = bytes(range(32))


def test_refresh_token_round_trip() -> None:
    payload = {"sessionHandle": "h", "userId": "u", "parentRefreshTokenHash1": None, "tenantId": "public"}
    token = tokens.seal_refresh_token(MASTER, "app1", payload)
    assert tokens.open_refresh_token(MASTER, "app1", token) == payload


def test_refresh_tokens_are_opaque_and_unique() -> None:
    payload = {"sessionHandle": "visible-handle", "userId": "visible-user"}
    first = tokens.seal_refresh_token(MASTER, "app1", payload)
    second = tokens.seal_refresh_token(MASTER, "app1", payload)
    assert first != second
    decoded = base64.urlsafe_b64decode(first + "=" * (-len(first) % 4))
    assert b"visible" not in decoded


def test_refresh_token_of_another_app_does_not_open() -> None:
    token = tokens.seal_refresh_token(MASTER, "app1", {"a": 1})
    with pytest.raises(tokens.MalformedTokenError):
        tokens.open_refresh_token(MASTER, "app2", token)


def test_refresh_token_under_another_master_key_does_not_open() -> None:
    token = tokens.seal_refresh_token(MASTER, "app1", {"a": 1})
    with pytest.raises(tokens.MalformedTokenError):
        tokens.open_refresh_token(bytes(32), "app1", token)


def test_every_single_flipped_byte_is_detected() -> None:
    token = tokens.seal_refresh_token(MASTER, "app1", {"a": 1})
    raw = bytearray(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    for i in range(len(raw)):
        flipped = bytearray(raw)
        flipped[i] ^= 0x01
        text = base64.urlsafe_b64encode(bytes(flipped)).rstrip(b"=").decode()
        with pytest.raises(tokens.MalformedTokenError):
            tokens.open_refresh_token(MASTER, "app1", text)


@pytest.mark.parametrize("cut", [1, 10, 40, 60])
def test_truncated_refresh_token_does_not_open(cut: int) -> None:
    token = tokens.seal_refresh_token(MASTER, "app1", {"a": 1})
    with pytest.raises(tokens.MalformedTokenError):
        tokens.open_refresh_token(MASTER, "app1", token[:-cut])


@pytest.mark.parametrize("token", ["", "!!!", "AAAA", "a.b.V2", "x" * 20_000, "é"])
def test_garbage_refresh_token_does_not_open(token: str) -> None:
    with pytest.raises(tokens.MalformedTokenError):
        tokens.open_refresh_token(MASTER, "app1", token)


def _keys(*created: int) -> list[SigningKey]:
    private = new_private_key()
    return [make_signing_key(f"d-{c}", c, private) for c in created]


def test_first_key_is_due_at_once_and_then_after_interval_minus_overlap() -> None:
    assert keys.rotation_due(None, 0, SETTINGS)
    created = 10 * HOUR
    due_at = created + 168 * HOUR - OVERLAP_MS
    assert not keys.rotation_due(created, due_at - 1, SETTINGS)
    assert keys.rotation_due(created, due_at, SETTINGS)


def test_previous_key_signs_during_the_overlap_then_the_new_one() -> None:
    old, new = 0, 168 * HOUR - OVERLAP_MS
    ring = _keys(new, old)
    assert keys.choose_signing_key(ring, new + 1, SETTINGS).kid == f"d-{old}"
    assert keys.choose_signing_key(ring, new + OVERLAP_MS, SETTINGS).kid == f"d-{new}"


def test_a_stale_previous_key_does_not_sign_even_during_the_overlap() -> None:
    # After a long idle period the old key is past its signing life; use the new one at once.
    old, new = 0, 1000 * HOUR
    assert keys.choose_signing_key(_keys(new, old), new + 1, SETTINGS).kid == f"d-{new}"


def test_keys_verify_for_interval_plus_two_access_token_lifetimes() -> None:
    window = 168 * HOUR + 2 * 3600 * 1000
    assert keys.verification_window_ms(SETTINGS) == window
    now = 2 * window
    ring = _keys(now - 10, now - window, now - window - 1)
    assert [k.kid for k in keys.verifiable(ring, now, SETTINGS)] == [f"d-{now - 10}", f"d-{now - window}"]


def test_the_newest_key_always_verifies() -> None:
    assert len(keys.verifiable(_keys(0), 10**12, SETTINGS)) == 1


def test_seconds_until_rotation_is_at_least_one() -> None:
    assert keys.seconds_until_rotation(0, 0, SETTINGS) == (168 * HOUR - OVERLAP_MS) // 1000
    assert keys.seconds_until_rotation(0, 10**12, SETTINGS) == 1


def test_stored_key_loads_back_to_the_same_key() -> None:
    private = new_private_key()
    private_text, _ = keys.dump_key(private)
    loaded = keys.load_key("s-x", 5, private_text)
    assert loaded.jwk == keys.to_jwk(private.public_key(), "s-x")
    token = tokens.encode_jwt({"a": 1}, loaded.private_key, "s-x", version=None)
    assert tokens.verify_jwt(token, private.public_key()) == {"a": 1}
