"""Session errors; the session recipe's error handler turns each into its response::

AuthdeckError
└── SessionError (alias SuperTokensSessionError)
    ├── UnauthorisedError                  401 {"message": "unauthorised"} (clears tokens if clear_tokens)
    ├── TryRefreshTokenError               401 {"message": "try refresh token"}
    ├── TokenTheftError                    401 {"message": "token theft detected"}, clears tokens, revokes
    ├── InvalidClaimsError                 403 {"message": "invalid claim", "claimValidationErrors": [...]}
    └── ClearDuplicateSessionCookiesError  200 {"message": ...}, clears cookies of older_cookie_domain
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from authdeck.exceptions import AuthdeckError
from authdeck.framework.response import BaseResponse
from authdeck.types import RecipeUserId

ResponseMutator = Callable[[BaseResponse], None]


class SessionError(AuthdeckError):
    """Root of the session errors; ``response_mutators`` are applied to the error response."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
        self.response_mutators: list[ResponseMutator] = []


SuperTokensSessionError = SessionError


class UnauthorisedError(SessionError):
    def __init__(self, message: str, clear_tokens: bool = True) -> None:
        super().__init__(message)
        self.clear_tokens = clear_tokens


class TryRefreshTokenError(SessionError):
    pass


class TokenTheftError(SessionError):
    def __init__(self, user_id: str, recipe_user_id: RecipeUserId, session_handle: str) -> None:
        super().__init__("token theft detected")
        self.user_id = user_id
        self.recipe_user_id = recipe_user_id
        self.session_handle = session_handle


class ClaimValidationError:
    """One failed claim validator: its id and why it failed (``reason`` is left out of the JSON when None)."""

    def __init__(self, id_: str, reason: str | dict[str, Any] | None) -> None:
        self.id_ = id_
        self.reason = reason

    def to_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"id": self.id_}
        if self.reason is not None:
            result["reason"] = self.reason
        return result

    def __repr__(self) -> str:
        return f"ClaimValidationError(id_={self.id_!r}, reason={self.reason!r})"


class InvalidClaimsError(SessionError):
    def __init__(self, message: str, payload: list[ClaimValidationError]) -> None:
        super().__init__(message)
        self.payload = payload


class ClearDuplicateSessionCookiesError(SessionError):
    pass


def raise_unauthorised_exception(message: str, clear_tokens: bool = True) -> NoReturn:
    raise UnauthorisedError(message, clear_tokens)


def raise_try_refresh_token_exception(message: str) -> NoReturn:
    raise TryRefreshTokenError(message)


def raise_invalid_claims_exception(message: str, payload: list[ClaimValidationError]) -> NoReturn:
    raise InvalidClaimsError(message, payload)
