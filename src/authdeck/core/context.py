"""The request as a handler sees it: app, tenant, parsed input, settings and the request's transaction."""

from __future__ import annotations

import time
from collections.abc import Mapping
from contextlib import ExitStack
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection

from authdeck.core.config import AppSettings
from authdeck.core.state import CoreState
from authdeck.core.storage.engine import transaction

_DEFAULT_APP = AppSettings.model_validate({})  # replaced by the app's own settings before a handler runs


@dataclass
class RequestContext:
    """Handlers run in a worker thread with one of these.

    ``conn`` opens the request's single transaction on first use; the dispatcher commits it when the
    handler returns and rolls it back when it raises. Do slow work (password hashing) before touching it.
    """

    state: CoreState
    app_id: str
    tenant_id: str
    method: str
    query: Mapping[str, str]
    body: dict[str, Any]
    headers: Mapping[str, str]
    client_ip: str | None
    writes: bool
    app: AppSettings = field(default=_DEFAULT_APP)
    _stack: ExitStack = field(default_factory=ExitStack, repr=False)
    _conn: Connection | None = field(default=None, repr=False)

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            self._conn = self._stack.enter_context(transaction(self.state.engine, write=self.writes))
        return self._conn

    @staticmethod
    def now_ms() -> int:
        return time.time_ns() // 1_000_000
