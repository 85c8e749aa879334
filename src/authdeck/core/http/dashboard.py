"""dashboard endpoints of the CDI."""

from __future__ import annotations

from authdeck.core.routing import Route

ROUTES: list[Route] = []
