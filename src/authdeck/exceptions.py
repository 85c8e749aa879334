"""Errors of the SDK, in one hierarchy::

    AuthdeckError (alias SuperTokensError)
    ├── ConfigError              init() was given something unusable; the message says what to change
    ├── CoreError                the core could not answer as expected
    │   ├── CoreUnavailableError     no core answered (every host of connection_uri was tried)
    │   ├── CoreRequestError         the core answered 4xx/5xx; carries method, path, status and message
    │   └── IncompatibleCoreError    the core does not speak CDI 5.4
    ├── BadInputError            a frontend request is malformed: HTTP 400 {"message": ...}
    └── GeneralError             raised by overrides to answer {"status": "GENERAL_ERROR", "message": ...}

Session errors (unauthorised, try refresh token, token theft, invalid claims) live in
``authdeck.recipe.session.exceptions`` and derive from ``AuthdeckError`` too.
"""

from __future__ import annotations


class AuthdeckError(Exception):
    """Root of every error the SDK raises on purpose."""


SuperTokensError = AuthdeckError  # the name supertokens_python apps catch


class ConfigError(AuthdeckError):
    """A setting passed to init() is invalid."""


class CoreError(AuthdeckError):
    """The core could not answer as expected."""


class CoreUnavailableError(CoreError):
    def __init__(self, hosts: list[str], reason: str) -> None:
        super().__init__(
            f"No authdeck core answered at {', '.join(hosts)} ({reason}). "
            "Check that the core is running and that connection_uri points at it."
        )
        self.hosts = hosts


class CoreRequestError(CoreError):
    def __init__(self, method: str, path: str, status: int, message: str) -> None:
        super().__init__(f"The core answered {method} {path} with HTTP {status}: {message}")
        self.method = method
        self.path = path
        self.status = status
        self.message = message


class IncompatibleCoreError(CoreError):
    pass


class BadInputError(AuthdeckError):
    """Answered as HTTP 400 with ``{"message": message}``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class GeneralError(AuthdeckError):
    """Answered as HTTP 200 ``{"status": "GENERAL_ERROR", "message": message}``."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
