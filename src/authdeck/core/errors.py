"""Errors of the core, in one hierarchy::

    CoreError
    ├── ConfigError              bad setting at start-up; the message names the setting and the fix
    ├── HttpError                answered with its status code and a plain-text message
    │   ├── BadRequestError          400 malformed input, unknown app or tenant
    │   ├── InvalidApiKeyError       401
    │   ├── ForbiddenError           403
    │   ├── NotFoundError            404
    │   └── MethodNotAllowedError    405
    └── StatusError              a business outcome: HTTP 200 with {"status": <STATUS>, ...fields}

Each recipe defines its ``StatusError`` subclasses next to its service. The HTTP layer turns these classes
into responses in one place (``authdeck.core.app``) and never parses message text. Raising any of them
rolls back the request's transaction, so an error never leaves a half-written record.
"""

from __future__ import annotations

from typing import Any, ClassVar


class CoreError(Exception):
    """Root of every error the core raises on purpose."""


class ConfigError(CoreError):
    """A setting is invalid; the message says which and how to fix it."""


class HttpError(CoreError):
    status_code: ClassVar[int] = 500

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class BadRequestError(HttpError):
    status_code = 400


class InvalidApiKeyError(HttpError):
    status_code = 401

    def __init__(self, message: str = "Invalid API key") -> None:
        super().__init__(message)


class ForbiddenError(HttpError):
    status_code = 403


class NotFoundError(HttpError):
    status_code = 404

    def __init__(self, message: str = "Not found") -> None:
        super().__init__(message)


class MethodNotAllowedError(HttpError):
    status_code = 405

    def __init__(self, message: str = "Method not supported") -> None:
        super().__init__(message)


class StatusError(CoreError):
    """A business error, answered as HTTP 200 ``{"status": status, **fields}``."""

    status: ClassVar[str] = "GENERAL_ERROR"

    def __init__(self, **fields: Any) -> None:
        super().__init__(self.status)
        self.fields = fields

    def body(self) -> dict[str, Any]:
        return {"status": self.status, **self.fields}
