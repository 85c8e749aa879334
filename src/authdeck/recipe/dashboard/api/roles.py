"""Roles and permissions (app-wide) and the roles of a user (per tenant); all need userroles initialised."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps

from authdeck.exceptions import BadInputError
from authdeck.recipe.dashboard._call import JSON, Call, invalid
from authdeck.recipe.dashboard.api._shared import FEATURE_NOT_ENABLED, recipe_enabled

RID = "userroles"
UNKNOWN_ROLE: JSON = {"status": "UNKNOWN_ROLE_ERROR"}
Handler = Callable[[Call], Awaitable[JSON]]


def needs_userroles(handler: Handler) -> Handler:
    @wraps(handler)
    async def checked(call: Call) -> JSON:
        from authdeck.recipe.userroles.recipe import UserRolesRecipe

        if not recipe_enabled(UserRolesRecipe):
            return FEATURE_NOT_ENABLED
        return await handler(call)

    return checked


async def _role_and_permissions(call: Call) -> tuple[str, list[str]]:
    body = await call.body()
    role, permissions = body.get("role"), body.get("permissions")
    if not isinstance(role, str):
        raise BadInputError(invalid("role"))
    if not isinstance(permissions, list) or not all(isinstance(p, str) for p in permissions):
        raise BadInputError(invalid("permissions"))
    return role, permissions


@needs_userroles
async def roles_list(call: Call) -> JSON:
    reply = await call.querier.get("/recipe/roles", rid=RID)
    return {"status": "OK", "roles": reply["roles"]}


@needs_userroles
async def role_put(call: Call) -> JSON:
    role, permissions = await _role_and_permissions(call)
    existing = await call.querier.get("/recipe/role/permissions", {"role": role}, rid=RID)
    action = "role.create" if existing.get("status") == "UNKNOWN_ROLE_ERROR" else "role.permissions.add"
    audit = call.audit(action, {"permissions": permissions})
    reply = await call.querier.put("/recipe/role", {"role": role, "permissions": permissions, "audit": audit}, rid=RID)
    return {"status": "OK", "createdNewRole": reply["createdNewRole"]}


@needs_userroles
async def role_delete(call: Call) -> JSON:
    role = call.query("role", invalid("role"))
    audit = call.audit("role.delete")
    reply = await call.querier.post("/recipe/role/remove", {"role": role, "audit": audit}, rid=RID)
    return {"status": "OK", "didRoleExist": reply["didRoleExist"]}


@needs_userroles
async def role_permissions_get(call: Call) -> JSON:
    role = call.query("role", "Required parameter 'role' is missing")
    reply = await call.querier.get("/recipe/role/permissions", {"role": role}, rid=RID)
    if reply.get("status") == "UNKNOWN_ROLE_ERROR":
        return UNKNOWN_ROLE
    return {"status": "OK", "permissions": reply["permissions"]}


@needs_userroles
async def role_permissions_put(call: Call) -> JSON:
    """Adds permissions to an existing role (upstream routes this to the read of permissions by mistake)."""
    role, permissions = await _role_and_permissions(call)
    existing = await call.querier.get("/recipe/role/permissions", {"role": role}, rid=RID)
    if existing.get("status") == "UNKNOWN_ROLE_ERROR":
        return UNKNOWN_ROLE
    audit = call.audit("role.permissions.add", {"permissions": permissions})
    await call.querier.put("/recipe/role", {"role": role, "permissions": permissions, "audit": audit}, rid=RID)
    return {"status": "OK"}


@needs_userroles
async def role_permissions_remove(call: Call) -> JSON:
    role, permissions = await _role_and_permissions(call)
    audit = call.audit("role.permissions.remove", {"permissions": permissions})
    body = {"role": role, "permissions": permissions, "audit": audit}
    reply = await call.querier.post("/recipe/role/permissions/remove", body, rid=RID)
    if reply.get("status") == "UNKNOWN_ROLE_ERROR":
        return UNKNOWN_ROLE
    return {"status": "OK"}


@needs_userroles
async def user_roles_get(call: Call) -> JSON:
    user_id = call.query("userId", invalid("userId"))
    reply = await call.querier.get(f"/{call.tenant_id}/recipe/user/roles", {"userId": user_id}, rid=RID)
    return {"status": "OK", "roles": reply["roles"]}


@needs_userroles
async def user_roles_put(call: Call) -> JSON:
    body = await call.body()
    user_id, role = body.get("userId"), body.get("role")
    if not isinstance(role, str):
        raise BadInputError(invalid("role"))
    if not isinstance(user_id, str):
        raise BadInputError(invalid("userId"))
    audit = call.audit("user.roles.add", {"role": role})
    reply = await call.querier.put(
        f"/{call.tenant_id}/recipe/user/role", {"userId": user_id, "role": role, "audit": audit}, rid=RID
    )
    if reply.get("status") == "UNKNOWN_ROLE_ERROR":
        return UNKNOWN_ROLE
    return {"status": "OK", "didUserAlreadyHaveRole": reply["didUserAlreadyHaveRole"]}


@needs_userroles
async def user_roles_delete(call: Call) -> JSON:
    role = call.query("role", invalid("role"))
    user_id = call.query("userId", invalid("userId"))
    audit = call.audit("user.roles.remove", {"role": role})
    reply = await call.querier.post(
        f"/{call.tenant_id}/recipe/user/role/remove", {"userId": user_id, "role": role, "audit": audit}, rid=RID
    )
    if reply.get("status") == "UNKNOWN_ROLE_ERROR":
        return UNKNOWN_ROLE
    return {"status": "OK", "didUserHaveRole": reply["didUserHaveRole"]}
