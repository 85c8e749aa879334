"""The default APIInterface: the HTML shell of the dashboard UI, configured for this app."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit, urlunsplit

from authdeck.recipe.dashboard._static import render_shell
from authdeck.recipe.dashboard.constants import COOKIE_NAME, CSRF_HEADER, CSRF_VALUE, DASHBOARD
from authdeck.recipe.dashboard.interfaces import APIInterface, APIOptions


def _without_userinfo(uri: str) -> str:
    """The URI minus any ``user:password@`` (a proxy's credentials must not reach an unauthenticated page)."""
    parts = urlsplit(uri)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _modules_for(options: APIOptions, page_path: str) -> tuple[str, ...]:
    """The UI modules the page at ``page_path`` (below the dashboard's path) will import on its first load."""
    shared = ("api.js", "dom.js")
    signed_out = options.config.auth_mode == "email-password" and options.request.get_cookie(COOKIE_NAME) is None
    if signed_out:
        return (*shared, "login.js")
    request = options.request
    if page_path.startswith("/users/") or request.get_query_param("userid") or request.get_query_param("userId"):
        return (*shared, "users.js", "user.js")  # user.js imports users.js
    if page_path.rstrip("/") == "/roles":
        return (*shared, "roles.js")
    if page_path.startswith("/activity"):
        return (*shared, "activity.js")
    return (*shared, "users.js")


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
        path = options.request.get_path()
        page_path = path[len(base) :].partition(DASHBOARD)[2] if path.startswith(base) else ""  # past any tenant
        return render_shell(
            static_base,
            config,
            title=f"{options.app_info.app_name} · User Management Dashboard",
            preload=_modules_for(options, page_path),
        )
