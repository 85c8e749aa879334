"""Session claims: values kept in the access-token payload as ``{"v": value, "t": fetched_at_ms}``, and the
validators that check them on every verified request (a failure answers 403 ``invalid claim``).

``PrimitiveClaim`` holds one JSON value (``has_value``), ``BooleanClaim`` a bool (``is_true`` / ``is_false``),
``PrimitiveArrayClaim`` a list (``includes``, ``excludes``, ``includes_all``, ``includes_any``, ``excludes_all``).
Every validator takes an optional max age: older values are refetched with the claim's ``fetch_value`` first.
"""

from __future__ import annotations

import time
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Literal, TypeVar

from authdeck._sync import call_maybe_async
from authdeck.types import RecipeUserId

T = TypeVar("T")
L = TypeVar("L", bound="list[Any]")
JSONObject = dict[str, Any]
FetchValue = Callable[[str, RecipeUserId, str, JSONObject, dict[str, Any]], T | None | Awaitable[T | None]]


def now_ms() -> int:
    return int(time.time() * 1000)


class SessionClaim(ABC, Generic[T]):
    """A named value of the session; ``fetch_value(user_id, recipe_user_id, tenant_id, payload, user_context)``
    returns its current value, or None to leave it out of the payload."""

    def __init__(self, key: str, fetch_value: FetchValue[T]) -> None:
        self.key = key
        self.fetch_value = fetch_value

    @abstractmethod
    def add_to_payload_(self, payload: JSONObject, value: T, user_context: dict[str, Any] | None = None) -> JSONObject:
        """Set ``value`` in ``payload`` (in place) and return it."""

    @abstractmethod
    def remove_from_payload_by_merge_(
        self, payload: JSONObject, user_context: dict[str, Any] | None = None
    ) -> JSONObject:
        """Mark the claim for removal (None) so that merge_into_access_token_payload deletes it."""

    @abstractmethod
    def remove_from_payload(self, payload: JSONObject, user_context: dict[str, Any] | None = None) -> JSONObject:
        """Delete the claim from ``payload`` (in place) and return it."""

    @abstractmethod
    def get_value_from_payload(self, payload: JSONObject, user_context: dict[str, Any] | None = None) -> T | None:
        """The claim's value in ``payload``, or None."""

    async def build(
        self,
        user_id: str,
        recipe_user_id: RecipeUserId,
        tenant_id: str,
        current_payload: JSONObject,
        user_context: dict[str, Any],
    ) -> JSONObject:
        """The payload update that sets the freshly fetched value ({} when fetch_value gives None)."""
        value: T | None = await call_maybe_async(
            self.fetch_value, user_id, recipe_user_id, tenant_id, current_payload, user_context
        )
        if value is None:
            return {}
        return self.add_to_payload_({}, value, user_context)


class ClaimValidationResult:
    def __init__(self, is_valid: bool, reason: dict[str, Any] | None = None) -> None:
        self.is_valid = is_valid
        self.reason = {} if is_valid else reason


class SessionClaimValidator(ABC):
    """Checks a session's payload; ``claim`` (if set) is refetched first when ``should_refetch`` says so."""

    def __init__(self, id_: str) -> None:
        self.id = id_
        self.claim: SessionClaim[Any] | None = None

    @abstractmethod
    async def validate(self, payload: JSONObject, user_context: dict[str, Any]) -> ClaimValidationResult: ...

    def should_refetch(self, payload: JSONObject, user_context: dict[str, Any]) -> bool | Awaitable[bool]:
        return False


class _StoredValueClaim(SessionClaim[T]):
    """Stores ``{"v": value, "t": ms}`` under the claim's key."""

    def add_to_payload_(self, payload: JSONObject, value: T, user_context: dict[str, Any] | None = None) -> JSONObject:
        payload[self.key] = {"v": value, "t": now_ms()}
        return payload

    def remove_from_payload_by_merge_(
        self, payload: JSONObject, user_context: dict[str, Any] | None = None
    ) -> JSONObject:
        payload[self.key] = None
        return payload

    def remove_from_payload(self, payload: JSONObject, user_context: dict[str, Any] | None = None) -> JSONObject:
        payload.pop(self.key, None)
        return payload

    def get_value_from_payload(self, payload: JSONObject, user_context: dict[str, Any] | None = None) -> T | None:
        entry = payload.get(self.key)
        if not isinstance(entry, dict):
            return None
        value: T | None = entry.get("v")
        return value

    def get_last_refetch_time(self, payload: JSONObject, user_context: dict[str, Any] | None = None) -> int | None:
        entry = payload.get(self.key)
        if not isinstance(entry, dict):
            return None
        fetched: int | None = entry.get("t")
        return fetched


class _AgedValidator(SessionClaimValidator, Generic[T]):
    """Shared parts of the built-in validators: the expected value, max age, and refetch decision."""

    def __init__(self, id_: str, claim: _StoredValueClaim[Any], val: T, max_age_in_sec: int | None) -> None:
        super().__init__(id_)
        self.claim = claim
        self.stored_claim = claim
        self.val = val
        self.max_age_in_sec = max_age_in_sec

    def should_refetch(self, payload: JSONObject, user_context: dict[str, Any]) -> bool:
        if self.stored_claim.get_value_from_payload(payload, user_context) is None:
            return True
        if self.max_age_in_sec is None:
            return False
        fetched = self.stored_claim.get_last_refetch_time(payload, user_context) or 0
        return fetched < now_ms() - self.max_age_in_sec * 1000

    def _expired_reason(self, payload: JSONObject, user_context: dict[str, Any]) -> dict[str, Any] | None:
        if self.max_age_in_sec is None:
            return None
        fetched = self.stored_claim.get_last_refetch_time(payload, user_context) or 0
        age_in_sec = (now_ms() - fetched) / 1000
        if age_in_sec > self.max_age_in_sec:
            return {"message": "expired", "ageInSeconds": age_in_sec, "maxAgeInSeconds": self.max_age_in_sec}
        return None


class HasValueSCV(_AgedValidator[Any]):
    async def validate(self, payload: JSONObject, user_context: dict[str, Any]) -> ClaimValidationResult:
        actual = self.stored_claim.get_value_from_payload(payload, user_context)
        if actual is None:
            reason = {"message": "value does not exist", "expectedValue": self.val, "actualValue": None}
            return ClaimValidationResult(False, reason)
        expired = self._expired_reason(payload, user_context)
        if expired is not None:
            return ClaimValidationResult(False, expired)
        if actual != self.val:
            reason = {"message": "wrong value", "expectedValue": self.val, "actualValue": actual}
            return ClaimValidationResult(False, reason)
        return ClaimValidationResult(True)


class PrimitiveClaimValidators(Generic[T]):
    def __init__(self, claim: _StoredValueClaim[T], default_max_age_in_sec: int | None) -> None:
        self.claim = claim
        self.default_max_age_in_sec = default_max_age_in_sec

    def has_value(self, val: T, max_age_in_sec: int | None = None, id_: str | None = None) -> SessionClaimValidator:
        return HasValueSCV(id_ or self.claim.key, self.claim, val, max_age_in_sec or self.default_max_age_in_sec)


class PrimitiveClaim(_StoredValueClaim[T]):
    """A claim holding one JSON value (string, number, bool, object)."""

    def __init__(self, key: str, fetch_value: FetchValue[T], default_max_age_in_sec: int | None = None) -> None:
        super().__init__(key, fetch_value)
        self.validators = PrimitiveClaimValidators(self, default_max_age_in_sec)


class BooleanClaimValidators(PrimitiveClaimValidators[bool]):
    def is_true(self, max_age: int | None = None, id_: str | None = None) -> SessionClaimValidator:
        return self.has_value(True, max_age, id_)

    def is_false(self, max_age: int | None = None, id_: str | None = None) -> SessionClaimValidator:
        return self.has_value(False, max_age, id_)


class BooleanClaim(PrimitiveClaim[bool]):
    def __init__(self, key: str, fetch_value: FetchValue[bool], default_max_age_in_sec: int | None = None) -> None:
        super().__init__(key, fetch_value, default_max_age_in_sec)
        self.validators: BooleanClaimValidators = BooleanClaimValidators(self, default_max_age_in_sec)


ArrayMode = Literal["includes", "excludes", "includes_any"]
_EXPECTED_KEY: dict[ArrayMode, str] = {
    "includes": "expectedToInclude",
    "excludes": "expectedToNotInclude",
    "includes_any": "expectedToIncludeAtLeastOneOf",
}


class ArrayClaimSCV(_AgedValidator[Any]):
    """``includes``/``includes_all`` need every expected item, ``excludes``/``excludes_all`` none of them,
    ``includes_any`` at least one. A single expected item is treated as a list of one."""

    def __init__(
        self, id_: str, claim: _StoredValueClaim[Any], val: Any, max_age_in_sec: int | None, mode: ArrayMode
    ) -> None:
        super().__init__(id_, claim, val, max_age_in_sec)
        self.mode: ArrayMode = mode

    async def validate(self, payload: JSONObject, user_context: dict[str, Any]) -> ClaimValidationResult:
        expected_key = _EXPECTED_KEY[self.mode]
        actual = self.stored_claim.get_value_from_payload(payload, user_context)
        if actual is None:
            reason = {"message": "value does not exist", expected_key: self.val, "actualValue": None}
            return ClaimValidationResult(False, reason)
        expired = self._expired_reason(payload, user_context)
        if expired is not None:
            return ClaimValidationResult(False, expired)
        wanted = self.val if isinstance(self.val, list) else [self.val]
        present = [item in actual for item in wanted]
        if self.mode == "includes":
            ok = all(present)
        elif self.mode == "excludes":
            ok = not any(present)
        else:
            ok = any(present)
        if ok:
            return ClaimValidationResult(True)
        return ClaimValidationResult(False, {"message": "wrong value", expected_key: self.val, "actualValue": actual})


class PrimitiveArrayClaimValidators(Generic[L]):
    def __init__(self, claim: _StoredValueClaim[L], default_max_age_in_sec: int | None = None) -> None:
        self.claim = claim
        self.default_max_age_in_sec = default_max_age_in_sec

    def _make(self, val: Any, max_age: int | None, id_: str | None, mode: ArrayMode) -> SessionClaimValidator:
        return ArrayClaimSCV(id_ or self.claim.key, self.claim, val, max_age or self.default_max_age_in_sec, mode)

    def includes(
        self, val: Any, max_age_in_seconds: int | None = None, id_: str | None = None
    ) -> SessionClaimValidator:
        return self._make(val, max_age_in_seconds, id_, "includes")

    def excludes(
        self, val: Any, max_age_in_seconds: int | None = None, id_: str | None = None
    ) -> SessionClaimValidator:
        return self._make(val, max_age_in_seconds, id_, "excludes")

    def includes_all(
        self, val: L, max_age_in_seconds: int | None = None, id_: str | None = None
    ) -> SessionClaimValidator:
        return self._make(val, max_age_in_seconds, id_, "includes")

    def includes_any(
        self, val: L, max_age_in_seconds: int | None = None, id_: str | None = None
    ) -> SessionClaimValidator:
        return self._make(val, max_age_in_seconds, id_, "includes_any")

    def excludes_all(
        self, val: L, max_age_in_seconds: int | None = None, id_: str | None = None
    ) -> SessionClaimValidator:
        return self._make(val, max_age_in_seconds, id_, "excludes")


class PrimitiveArrayClaim(_StoredValueClaim[L]):
    """A claim holding a JSON array (roles, permissions, ...)."""

    def __init__(self, key: str, fetch_value: FetchValue[L], default_max_age_in_sec: int | None = None) -> None:
        super().__init__(key, fetch_value)
        self.validators = PrimitiveArrayClaimValidators(self, default_max_age_in_sec)


__all__ = [
    "BooleanClaim",
    "BooleanClaimValidators",
    "ClaimValidationResult",
    "PrimitiveArrayClaim",
    "PrimitiveArrayClaimValidators",
    "PrimitiveClaim",
    "PrimitiveClaimValidators",
    "SessionClaim",
    "SessionClaimValidator",
]
