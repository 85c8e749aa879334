"""The default APIInterface: the HTML shell of the dashboard UI, configured for this app."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from authdeck.recipe.dashboard._static import render_shell
from authdeck.recipe.dashboard.constants import CSRF_HEADER, CSRF_VALUE, DASHBOARD
from authdeck.recipe.dashboard.interfaces import APIInterface, APIOptions


def _without_userinfo(uri: str) -> str:
    """The URI minus any ``user:password@`` (a proxy's credentials must not reach an unauthenticated page)."""
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


class APIImplementation(APIInterface):
    async def dashboard_get(self, options: APIOptions, user_context: dict[str, Any]) -> str:
        static_base = await options.recipe_implementation.get_dashboard_bundle_location(user_context)
        base = options.app_info.api_base_path
        config = {
            "appName": options.app_info.app_name,
            "dashboardAppPath": base + DASHBOARD,
            "apiBasePath": base,
            "staticBasePath": static_base,
            "authMode": options.config.auth_mode,
            "isSearchEnabled": True,
            "csrfHeader": {"name": CSRF_HEADER, "value": CSRF_VALUE},
            # As upstream: the sign-in page's "Add a new user" help needs the core's address. The first of a
            # fail-over list is enough; the API key is never published.
            "connectionURI": _without_userinfo(options.querier.hosts[0]),
        }
        return render_shell(static_base, config, title=f"{options.app_info.app_name} · User Management Dashboard")
