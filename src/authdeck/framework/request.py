"""The request as the SDK sees it, whatever the framework; each adapter implements this."""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from typing import Any

from authdeck.exceptions import BadInputError

MAX_BODY_BYTES = 1024 * 1024


class BaseRequest(ABC):
    """A framework request. ``state`` holds per-request SDK data (the session, pending response changes)."""

    def __init__(self) -> None:
        self.state: dict[str, Any] = {}
        self._json: Any = None
        self._json_read = False

    @abstractmethod
    def method(self) -> str: ...

    @abstractmethod
    def get_path(self) -> str: ...

    @abstractmethod
    def get_query_param(self, key: str, default: str | None = None) -> str | None: ...

    @abstractmethod
    def get_query_params(self) -> dict[str, str]: ...

    @abstractmethod
    def get_header(self, key: str) -> str | None: ...

    @abstractmethod
    def get_cookie(self, key: str) -> str | None: ...

    @abstractmethod
    def get_cookie_values(self, key: str) -> list[str]:
        """Every value sent for cookie ``key`` (duplicates matter for session cookies)."""

    @abstractmethod
    async def body(self) -> bytes: ...

    @abstractmethod
    def client_ip(self) -> str | None: ...

    @abstractmethod
    def get_original_request(self) -> Any: ...

    async def json(self) -> Any:
        """The body parsed as JSON; an empty body is ``{}``; malformed JSON raises BadInputError (400)."""
        if not self._json_read:
            raw = await self.body()
            if len(raw) > MAX_BODY_BYTES:
                raise BadInputError("The request body is larger than 1 MiB; send a smaller body")
            if not raw.strip():
                self._json = {}
            else:
                try:
                    self._json = json.loads(raw)
                except (ValueError, UnicodeDecodeError) as exc:
                    raise BadInputError("The request body is not valid JSON") from exc
            self._json_read = True
        return self._json

    async def json_object(self) -> dict[str, Any]:
        data = await self.json()
        if not isinstance(data, dict):
            raise BadInputError("The request body must be a JSON object")
        return data

    def set_session(self, session: Any) -> None:
        self.state["session"] = session

    def get_session(self) -> Any:
        return self.state.get("session")
