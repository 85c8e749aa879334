"""Every dashboard API route in one table: path, method, handler, and what the guard must enforce.

``writes`` marks operations that change data, whatever their HTTP method (``GET /api/user/unlink`` writes):
read-only dashboard users get 403 for them. ``public`` routes (sign-in, key validation) skip authentication.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from authdeck.recipe.dashboard._call import JSON, Call
from authdeck.recipe.dashboard.api import audit, auth, roles, tenants, userdetails, users
from authdeck.recipe.dashboard.constants import API

Handler = Callable[[Call], Awaitable[JSON | None]]


@dataclass(frozen=True)
class DashboardRoute:
    api_id: str
    method: str
    path: str
    handler: Handler
    writes: bool = False
    public: bool = False

    @property
    def needs_csrf(self) -> bool:
        """Whether a cookie-authenticated call needs the CSRF header: anything that changes state."""
        return self.writes or self.method != "get"


def _r(
    api_id: str, method: str, path: str, handler: Handler, *, writes: bool = False, public: bool = False
) -> DashboardRoute:
    return DashboardRoute(api_id, method, API + path, handler, writes, public)


ROUTES: tuple[DashboardRoute, ...] = (
    _r("signin", "post", "/signin", auth.sign_in, public=True),
    _r("validate_key", "post", "/key/validate", auth.validate_key, public=True),
    _r("signout", "post", "/signout", auth.sign_out),
    _r("analytics", "post", "/analytics", auth.analytics),
    _r("me", "get", "/me", auth.me),
    _r("search_tags", "get", "/search/tags", users.search_tags),
    _r("users_list", "get", "/users", users.users_list),
    _r("users_count", "get", "/users/count", users.users_count),
    _r("user_get", "get", "/user", users.user_get),
    _r("user_put", "put", "/user", users.user_put, writes=True),
    _r("user_delete", "delete", "/user", users.user_delete, writes=True),
    _r("user_email_verify_get", "get", "/user/email/verify", userdetails.email_verify_get),
    _r("user_email_verify_put", "put", "/user/email/verify", userdetails.email_verify_put, writes=True),
    _r("user_email_verify_token", "post", "/user/email/verify/token", userdetails.email_verify_token_post, writes=True),
    _r("user_password_put", "put", "/user/password", userdetails.password_put, writes=True),
    _r("user_metadata_get", "get", "/user/metadata", userdetails.metadata_get),
    _r("user_metadata_put", "put", "/user/metadata", userdetails.metadata_put, writes=True),
    _r("user_sessions_get", "get", "/user/sessions", userdetails.sessions_get),
    _r("user_sessions_revoke", "post", "/user/sessions", userdetails.sessions_post, writes=True),
    _r("user_unlink", "get", "/user/unlink", users.user_unlink, writes=True),
    _r("create_emailpassword_user", "post", "/user/emailpassword", users.create_emailpassword_user, writes=True),
    _r("create_passwordless_user", "post", "/user/passwordless", users.create_passwordless_user, writes=True),
    _r("roles_list", "get", "/userroles/roles", roles.roles_list),
    _r("role_get", "get", "/userroles/role", roles.roles_list),
    _r("role_put", "put", "/userroles/role", roles.role_put, writes=True),
    _r("role_delete", "delete", "/userroles/role", roles.role_delete, writes=True),
    _r("role_permissions_get", "get", "/userroles/role/permissions", roles.role_permissions_get),
    _r("role_permissions_put", "put", "/userroles/role/permissions", roles.role_permissions_put, writes=True),
    _r(
        "role_permissions_remove", "put", "/userroles/role/permissions/remove", roles.role_permissions_remove,
        writes=True,
    ),
    _r("user_roles_get", "get", "/userroles/user/roles", roles.user_roles_get),
    _r("user_roles_put", "put", "/userroles/user/roles", roles.user_roles_put, writes=True),
    _r("user_roles_delete", "delete", "/userroles/user/roles", roles.user_roles_delete, writes=True),
    _r("tenants_list", "get", "/tenants", tenants.tenants_list),
    _r("tenant_create", "post", "/tenant", tenants.tenant_create, writes=True),
    _r("tenant_get", "get", "/tenant", tenants.tenant_get),
    _r("tenant_delete", "delete", "/tenant", tenants.tenant_delete, writes=True),
    _r("tenant_first_factor", "put", "/tenant/first-factor", tenants.tenant_first_factor, writes=True),
    _r(
        "tenant_secondary_factor", "put", "/tenant/required-secondary-factor", tenants.tenant_secondary_factor,
        writes=True,
    ),
    _r("tenant_core_config", "put", "/tenant/core-config", tenants.tenant_core_config, writes=True),
    _r("thirdparty_config_get", "get", "/thirdparty/config", tenants.thirdparty_config_get),
    _r("thirdparty_config_put", "put", "/thirdparty/config", tenants.thirdparty_config_put, writes=True),
    _r("thirdparty_config_delete", "delete", "/thirdparty/config", tenants.thirdparty_config_delete, writes=True),
    _r("audit_list", "get", "/audit", audit.audit_list),
)

BY_ID: dict[str, DashboardRoute] = {route.api_id: route for route in ROUTES}
