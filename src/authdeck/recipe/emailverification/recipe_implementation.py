"""The default RecipeInterface of email verification: each function is one CDI call (cdi.md §2.4)."""

from __future__ import annotations

from typing import Any

from authdeck._querier import Querier
from authdeck.recipe.emailverification.interfaces import (
    CreateEmailVerificationTokenEmailAlreadyVerifiedError,
    CreateEmailVerificationTokenOkResult,
    RecipeInterface,
    RevokeEmailVerificationTokensOkResult,
    UnverifyEmailOkResult,
    VerifyEmailUsingTokenInvalidTokenError,
    VerifyEmailUsingTokenOkResult,
)
from authdeck.recipe.emailverification.types import EmailVerificationUser
from authdeck.types import RecipeUserId

RID = "emailverification"


class RecipeImplementation(RecipeInterface):
    def __init__(self, querier: Querier) -> None:
        self.querier = querier

    async def create_email_verification_token(
        self, recipe_user_id: RecipeUserId, email: str, tenant_id: str, user_context: dict[str, Any]
    ) -> CreateEmailVerificationTokenOkResult | CreateEmailVerificationTokenEmailAlreadyVerifiedError:
        reply = await self.querier.post(
            f"/{tenant_id}/recipe/user/email/verify/token",
            {"userId": recipe_user_id.get_as_string(), "email": email},
            rid=RID,
        )
        if reply.get("status") == "OK":
            return CreateEmailVerificationTokenOkResult(reply["token"])
        return CreateEmailVerificationTokenEmailAlreadyVerifiedError()

    async def verify_email_using_token(
        self, token: str, tenant_id: str, attempt_account_linking: bool, user_context: dict[str, Any]
    ) -> VerifyEmailUsingTokenOkResult | VerifyEmailUsingTokenInvalidTokenError:
        # Account linking is not supported, so there is nothing to link after verifying.
        reply = await self.querier.post(
            f"/{tenant_id}/recipe/user/email/verify", {"method": "token", "token": token}, rid=RID
        )
        if reply.get("status") == "OK":
            return VerifyEmailUsingTokenOkResult(EmailVerificationUser(RecipeUserId(reply["userId"]), reply["email"]))
        return VerifyEmailUsingTokenInvalidTokenError()

    async def is_email_verified(self, recipe_user_id: RecipeUserId, email: str, user_context: dict[str, Any]) -> bool:
        reply = await self.querier.get(
            "/recipe/user/email/verify", {"userId": recipe_user_id.get_as_string(), "email": email}, rid=RID
        )
        return bool(reply.get("isVerified"))

    async def revoke_email_verification_tokens(
        self, recipe_user_id: RecipeUserId, email: str, tenant_id: str, user_context: dict[str, Any]
    ) -> RevokeEmailVerificationTokensOkResult:
        await self.querier.post(
            f"/{tenant_id}/recipe/user/email/verify/token/remove",
            {"userId": recipe_user_id.get_as_string(), "email": email},
            rid=RID,
        )
        return RevokeEmailVerificationTokensOkResult()

    async def unverify_email(
        self, recipe_user_id: RecipeUserId, email: str, user_context: dict[str, Any]
    ) -> UnverifyEmailOkResult:
        await self.querier.post(
            "/recipe/user/email/verify/remove", {"userId": recipe_user_id.get_as_string(), "email": email}, rid=RID
        )
        return UnverifyEmailOkResult()
