"""Password hashing: both algorithms verify, bad hashes never match, and imports are recognised."""

from __future__ import annotations

import bcrypt
import pytest

from authdeck.core.crypto.passwords import PasswordHashing, is_supported_hash

FAST = PasswordHashing(bcrypt_rounds=4, argon2_memory_kb=1024)


@pytest.mark.parametrize("alg", ["BCRYPT", "ARGON2"])
def test_hash_verifies_right_password_only(alg: str) -> None:
    h = FAST.hash("correct horse 1", alg)  # type: ignore[arg-type]
    assert FAST.verify("correct horse 1", h)
    assert not FAST.verify("correct horse 2", h)


def test_bcrypt_hashes_use_2a_prefix_like_upstream() -> None:
    assert FAST.hash("abcd1234").startswith("$2a$04$")


def test_argon2_hashes_are_argon2id() -> None:
    assert FAST.hash("abcd1234", "ARGON2").startswith("$argon2id$")


@pytest.mark.parametrize("prefix", [b"2b", b"2y"])
def test_imported_bcrypt_variants_verify(prefix: bytes) -> None:
    h = bcrypt.hashpw(b"abcd1234", bcrypt.gensalt(4, prefix=b"2b")).decode()
    h = "$" + prefix.decode() + h[3:]
    assert FAST.verify("abcd1234", h)


@pytest.mark.parametrize("bad", ["", "plain", "$2a$04$short", "$argon2id$garbage", "$1$md5$hash"])
def test_malformed_hash_never_matches(bad: str) -> None:
    assert not FAST.verify("abcd1234", bad)


def test_dummy_burn_does_not_raise_and_reuses_its_hash() -> None:
    hashing = PasswordHashing(bcrypt_rounds=4)
    hashing.burn_dummy("x")
    first = hashing._dummy
    hashing.burn_dummy("y")
    assert hashing._dummy == first


def test_supported_hash_formats() -> None:
    assert is_supported_hash(FAST.hash("abcd1234"))
    assert is_supported_hash(FAST.hash("abcd1234", "ARGON2"), "ARGON2")
    assert not is_supported_hash(FAST.hash("abcd1234"), "ARGON2")
    assert not is_supported_hash("$2a$10$tooshort")
