"""CDI path matching: ``[/appid-<app>][/<tenant>]/<api path>`` to a route, an app id and a tenant id."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from starlette.responses import Response

from authdeck.core.errors import ForbiddenError, MethodNotAllowedError, NotFoundError

if TYPE_CHECKING:
    from authdeck.core.context import RequestContext

Reply = dict[str, Any] | Response
Handler = Callable[["RequestContext"], Reply]

PUBLIC = "public"
_ID_RE = re.compile(r"^[a-z0-9-]+$")
# Segments that are the start of an API path, so never a tenant id.
_NOT_TENANTS = frozenset({"recipe", "config", "users", "hello", "user", "apiversion", "telemetry", ".well-known"})


@dataclass(frozen=True)
class Route:
    """One CDI endpoint.

    ``scope`` is ``"tenant"`` for tenant-specific APIs, which take a ``/<tenantId>`` prefix, and ``"app"``
    for app-specific ones, which only the public tenant may call. ``public`` routes need no API key and
    no ``cdi-version``. ``write`` says whether the handler writes (default: any method but GET).
    """

    method: Literal["GET", "POST", "PUT", "DELETE"]
    path: str
    handler: Handler
    scope: Literal["tenant", "app"] = "app"
    public: bool = False
    write: bool | None = None

    @property
    def writes(self) -> bool:
        return self.method != "GET" if self.write is None else self.write


@dataclass(frozen=True)
class Match:
    route: Route
    app_id: str
    tenant_id: str


class Router:
    def __init__(self, routes: Iterable[Route]) -> None:
        self._by_path: dict[str, dict[str, Route]] = {}
        for route in routes:
            methods = self._by_path.setdefault(route.path.lower(), {})
            if route.method in methods:
                raise ValueError(f"duplicate route {route.method} {route.path}")
            methods[route.method] = route

    def match(self, method: str, raw_path: str) -> Match:
        """The route for ``method`` and ``raw_path``; raises 404, 405 or 403 as the CDI does."""
        path = raw_path.lower()
        if len(path) > 1:
            path = path.rstrip("/")
        app_id = PUBLIC
        tenant_id = PUBLIC
        tenant_given = False
        if path.startswith("/appid-"):
            first, _, rest = path[1:].partition("/")
            app_id = first[len("appid-") :] or PUBLIC
            if not _ID_RE.match(app_id):
                raise NotFoundError()
            path = "/" + rest
        methods = self._by_path.get(path)
        if methods is None:
            first, sep, rest = path[1:].partition("/")
            if sep and first not in _NOT_TENANTS and _ID_RE.match(first) and not first.startswith("appid-"):
                methods = self._by_path.get("/" + rest)
                tenant_id = first
                tenant_given = first != PUBLIC
        if methods is None:
            raise NotFoundError()
        route = methods.get(method)
        if route is None:
            raise MethodNotAllowedError()
        if route.scope == "app" and tenant_given:
            raise ForbiddenError("Only public tenantId can call this app specific API")
        return Match(route, app_id, tenant_id)
