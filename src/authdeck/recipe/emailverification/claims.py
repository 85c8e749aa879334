"""The ``st-ev`` claim: whether the session user's email is verified, kept in the access token.

Its ``is_verified`` validator refetches a false value once it is older than ``refetch_time_on_false`` (10 s by
default), so a user who just clicked the link gets through without signing in again.
"""

from __future__ import annotations

from typing import Any

from authdeck.recipe.session.claims import (
    BooleanClaim,
    BooleanClaimValidators,
    ClaimValidationResult,
    JSONObject,
    SessionClaimValidator,
    now_ms,
)
from authdeck.types import RecipeUserId

KEY = "st-ev"


class UnknownUserIdForClaimError(LookupError):
    """The session's recipe user id is not a user any more (deleted, or never an auth user)."""


class IsVerifiedSCV(SessionClaimValidator):
    def __init__(
        self,
        id_: str,
        claim: EmailVerificationClaimClass,
        refetch_time_on_false_in_seconds: int,
        max_age_in_seconds: int | None,
    ) -> None:
        super().__init__(id_)
        self.claim = claim
        self.ev_claim = claim
        self.refetch_time_on_false_in_ms = refetch_time_on_false_in_seconds * 1000
        self.max_age_in_sec = max_age_in_seconds

    async def validate(self, payload: JSONObject, user_context: dict[str, Any]) -> ClaimValidationResult:
        return await self.ev_claim.validators.has_value(True, self.max_age_in_sec).validate(payload, user_context)

    def should_refetch(self, payload: JSONObject, user_context: dict[str, Any]) -> bool:
        value = self.ev_claim.get_value_from_payload(payload, user_context)
        if value is None:
            return True
        fetched = self.ev_claim.get_last_refetch_time(payload, user_context) or 0
        now = now_ms()
        if self.max_age_in_sec is not None and fetched < now - self.max_age_in_sec * 1000:
            return True
        return value is False and fetched < now - self.refetch_time_on_false_in_ms


class EmailVerificationClaimValidators(BooleanClaimValidators):
    def __init__(self, claim: EmailVerificationClaimClass) -> None:
        super().__init__(claim, None)
        self.ev_claim = claim

    def is_verified(
        self,
        refetch_time_on_false_in_seconds: int = 10,
        max_age_in_seconds: int | None = None,
        id_: str | None = None,
    ) -> SessionClaimValidator:
        return IsVerifiedSCV(
            id_ or self.ev_claim.key, self.ev_claim, refetch_time_on_false_in_seconds, max_age_in_seconds
        )


async def _fetch_value(
    user_id: str, recipe_user_id: RecipeUserId, tenant_id: str, payload: JSONObject, user_context: dict[str, Any]
) -> bool:
    from authdeck.recipe.emailverification.interfaces import EmailDoesNotExistError, GetEmailForUserIdOkResult
    from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe

    recipe = EmailVerificationRecipe.get_instance()
    info = await recipe.get_email_for_recipe_user_id(None, recipe_user_id, user_context)
    if isinstance(info, GetEmailForUserIdOkResult):
        return await recipe.recipe_implementation.is_email_verified(recipe_user_id, info.email, user_context)
    if isinstance(info, EmailDoesNotExistError):
        return True  # nothing to verify
    raise UnknownUserIdForClaimError("UNKNOWN_USER_ID")


class EmailVerificationClaimClass(BooleanClaim):
    def __init__(self) -> None:
        super().__init__(KEY, _fetch_value)
        self.validators: EmailVerificationClaimValidators = EmailVerificationClaimValidators(self)


EmailVerificationClaim = EmailVerificationClaimClass()
