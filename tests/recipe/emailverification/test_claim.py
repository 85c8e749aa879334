"""The st-ev claim's is_verified validator: when it refetches and how it judges (no core needed)."""

from __future__ import annotations

from typing import Any

import pytest

from authdeck.recipe.emailverification import EmailVerificationClaim
from authdeck.recipe.session.claims import now_ms

pytestmark = pytest.mark.anyio


def payload(value: bool | None, age_ms: int) -> dict[str, Any]:
    return {} if value is None else {"st-ev": {"v": value, "t": now_ms() - age_ms}}


@pytest.mark.parametrize(
    ("value", "age_ms", "refetch"),
    [
        (None, 0, True),  # missing: fetch it
        (False, 1_000, False),  # false but fresh
        (False, 11_000, True),  # false and older than 10 s
        (True, 10**9, False),  # true never expires without max_age
    ],
)
def test_is_verified_refetches_a_false_value_after_ten_seconds(value: bool | None, age_ms: int, refetch: bool) -> None:
    validator = EmailVerificationClaim.validators.is_verified()
    assert validator.id == "st-ev"
    assert validator.should_refetch(payload(value, age_ms), {}) is refetch


def test_is_verified_with_max_age_refetches_old_true_values() -> None:
    validator = EmailVerificationClaim.validators.is_verified(refetch_time_on_false_in_seconds=1, max_age_in_seconds=5)
    assert validator.should_refetch(payload(True, 6_000), {}) is True
    assert validator.should_refetch(payload(True, 1_000), {}) is False
    assert validator.should_refetch(payload(False, 2_000), {}) is True


async def test_is_verified_accepts_true_and_explains_false() -> None:
    validator = EmailVerificationClaim.validators.is_verified()
    assert (await validator.validate(payload(True, 0), {})).is_valid
    result = await validator.validate(payload(False, 0), {})
    assert not result.is_valid
    assert result.reason == {"message": "wrong value", "expectedValue": True, "actualValue": False}
    missing = await validator.validate({}, {})
    assert missing.reason == {"message": "value does not exist", "expectedValue": True, "actualValue": None}


def test_the_claim_key_and_payload_shape() -> None:
    assert EmailVerificationClaim.key == "st-ev"
    built = EmailVerificationClaim.add_to_payload_({}, True)
    assert built["st-ev"]["v"] is True and isinstance(built["st-ev"]["t"], int)
    assert EmailVerificationClaim.get_value_from_payload(built) is True


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
