"""Errors of email verification; the recipe answers them as 200 with their status."""

from __future__ import annotations

from authdeck.exceptions import AuthdeckError


class SuperTokensEmailVerificationError(AuthdeckError):
    """Root of the errors this recipe answers itself."""


class EmailVerificationInvalidTokenError(SuperTokensEmailVerificationError):
    """Answered as ``{"status": "EMAIL_VERIFICATION_INVALID_TOKEN_ERROR"}``."""


class EmailAlreadyVerifiedError(SuperTokensEmailVerificationError):
    """Answered as ``{"status": "EMAIL_ALREADY_VERIFIED_ERROR"}``."""
