"""Errors of the dashboard recipe.

``should_allow_access`` raises DashboardOperationNotAllowedError to refuse a write to a read-only dashboard user;
the guard answers it with 403 ``{"message": "You are not permitted to perform this operation"}``.
"""

from __future__ import annotations

from authdeck.exceptions import AuthdeckError


class DashboardError(AuthdeckError):
    """Root of the dashboard recipe's errors."""


class DashboardOperationNotAllowedError(DashboardError):
    """The signed-in dashboard user may read but not change data."""


class TooManySignInAttemptsError(DashboardError):
    """Sign-in is locked (for this email by the core, or for this client IP by the SDK): HTTP 429."""

    def __init__(self, message: str, retry_after_seconds: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after_seconds = retry_after_seconds
