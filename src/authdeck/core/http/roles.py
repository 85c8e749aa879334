"""User roles endpoints of the CDI (spec §2.6): roles and permissions per app, user↔role per tenant."""

from __future__ import annotations

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import Reply, Route
from authdeck.core.services import audit, roles


def _role(ctx: RequestContext) -> str:
    return _input.fits(_input.string(ctx.body, "role"), "role", roles.ROLE_MAX_LENGTH)


def _role_query(ctx: RequestContext) -> str:
    return _input.fits(_input.query_nonempty(ctx.query, "role"), "role", roles.ROLE_MAX_LENGTH)


def _permissions(ctx: RequestContext) -> list[str] | None:
    """The trimmed ``permissions``, or None when the key is omitted."""
    given = _input.string_list(ctx.body, "permissions", required=False)
    if given is None:
        return None
    trimmed = [p.strip() for p in given]
    if not all(trimmed):
        raise BadRequestError("Field name 'permissions' cannot contain an empty string")
    return [_input.fits(p, "permissions", roles.PERMISSION_MAX_LENGTH) for p in trimmed]


def _user_id(ctx: RequestContext) -> str:
    # User ids are kept verbatim, as upstream does; only an empty one is refused.
    return _input.fits(_input.string(ctx.body, "userId", trim=False), "userId", roles.USER_ID_MAX_LENGTH)


def _user_id_query(ctx: RequestContext) -> str:
    user_id = _input.query(ctx.query, "userId")
    if not user_id:
        raise BadRequestError("Field name 'userId' cannot be an empty String")
    return _input.fits(user_id, "userId", roles.USER_ID_MAX_LENGTH)


def put_role(ctx: RequestContext) -> Reply:
    role = _role(ctx)
    permissions = _permissions(ctx) or []
    created = roles.put_role(ctx.conn, ctx.app_id, role, permissions)
    audit.record_if_asked(ctx, ("role", role))
    return {"status": "OK", "createdNewRole": created}


def get_roles(ctx: RequestContext) -> Reply:
    return {"status": "OK", "roles": roles.all_roles(ctx.conn, ctx.app_id)}


def remove_role(ctx: RequestContext) -> Reply:
    role = _role(ctx)
    existed = roles.remove_role(ctx.conn, ctx.app_id, role)
    audit.record_if_asked(ctx, ("role", role))
    return {"status": "OK", "didRoleExist": existed}


def get_role_permissions(ctx: RequestContext) -> Reply:
    role = _role_query(ctx)
    return {"status": "OK", "permissions": roles.permissions_of(ctx.conn, ctx.app_id, role)}


def remove_role_permissions(ctx: RequestContext) -> Reply:
    role = _role(ctx)
    roles.remove_permissions(ctx.conn, ctx.app_id, role, _permissions(ctx))
    audit.record_if_asked(ctx, ("role", role))
    return {"status": "OK"}


def get_permission_roles(ctx: RequestContext) -> Reply:
    permission = _input.fits(_input.query_nonempty(ctx.query, "permission"), "permission", roles.PERMISSION_MAX_LENGTH)
    return {"status": "OK", "roles": roles.roles_with_permission(ctx.conn, ctx.app_id, permission)}


def add_user_role(ctx: RequestContext) -> Reply:
    user_id, role = _user_id(ctx), _role(ctx)
    had = roles.add_user_role(ctx.conn, ctx.app_id, ctx.tenant_id, user_id, role)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK", "didUserAlreadyHaveRole": had}


def remove_user_role(ctx: RequestContext) -> Reply:
    user_id, role = _user_id(ctx), _role(ctx)
    had = roles.remove_user_role(ctx.conn, ctx.app_id, ctx.tenant_id, user_id, role)
    audit.record_if_asked(ctx, ("user", user_id))
    return {"status": "OK", "didUserHaveRole": had}


def get_user_roles(ctx: RequestContext) -> Reply:
    user_id = _user_id_query(ctx)
    return {"status": "OK", "roles": roles.roles_of_user(ctx.conn, ctx.app_id, ctx.tenant_id, user_id)}


def get_role_users(ctx: RequestContext) -> Reply:
    role = _role_query(ctx)
    return {"status": "OK", "users": roles.users_with_role(ctx.conn, ctx.app_id, ctx.tenant_id, role)}


ROUTES = [
    Route("PUT", "/recipe/role", put_role),
    Route("GET", "/recipe/roles", get_roles),
    Route("POST", "/recipe/role/remove", remove_role),
    Route("GET", "/recipe/role/permissions", get_role_permissions),
    Route("POST", "/recipe/role/permissions/remove", remove_role_permissions),
    Route("GET", "/recipe/permission/roles", get_permission_roles),
    Route("PUT", "/recipe/user/role", add_user_role, scope="tenant"),
    Route("POST", "/recipe/user/role/remove", remove_user_role, scope="tenant"),
    Route("GET", "/recipe/user/roles", get_user_roles, scope="tenant"),
    Route("GET", "/recipe/role/users", get_role_users, scope="tenant"),
]
