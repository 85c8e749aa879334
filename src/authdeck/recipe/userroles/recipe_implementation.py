"""The default recipe functions: each one is a single CDI call to the core."""

from __future__ import annotations

from typing import Any

from authdeck._querier import Querier
from authdeck.recipe.userroles.interfaces import (
    AddRoleToUserOkResult,
    CreateNewRoleOrAddPermissionsOkResult,
    DeleteRoleOkResult,
    GetAllRolesOkResult,
    GetPermissionsForRoleOkResult,
    GetRolesForUserOkResult,
    GetRolesThatHavePermissionOkResult,
    GetUsersThatHaveRoleOkResult,
    RecipeInterface,
    RemovePermissionsFromRoleOkResult,
    RemoveUserRoleOkResult,
    UnknownRoleError,
)

RID = "userroles"
UNKNOWN_ROLE = "UNKNOWN_ROLE_ERROR"


class RecipeImplementation(RecipeInterface):
    def __init__(self, querier: Querier) -> None:
        self.querier = querier

    async def add_role_to_user(
        self, user_id: str, role: str, tenant_id: str, user_context: dict[str, Any]
    ) -> AddRoleToUserOkResult | UnknownRoleError:
        reply = await self.querier.put(f"/{tenant_id}/recipe/user/role", {"userId": user_id, "role": role}, rid=RID)
        if reply["status"] == UNKNOWN_ROLE:
            return UnknownRoleError()
        return AddRoleToUserOkResult(did_user_already_have_role=reply["didUserAlreadyHaveRole"])

    async def remove_user_role(
        self, user_id: str, role: str, tenant_id: str, user_context: dict[str, Any]
    ) -> RemoveUserRoleOkResult | UnknownRoleError:
        body = {"userId": user_id, "role": role}
        reply = await self.querier.post(f"/{tenant_id}/recipe/user/role/remove", body, rid=RID)
        if reply["status"] == UNKNOWN_ROLE:
            return UnknownRoleError()
        return RemoveUserRoleOkResult(did_user_have_role=reply["didUserHaveRole"])

    async def get_roles_for_user(
        self, user_id: str, tenant_id: str, user_context: dict[str, Any]
    ) -> GetRolesForUserOkResult:
        reply = await self.querier.get(f"/{tenant_id}/recipe/user/roles", {"userId": user_id}, rid=RID)
        return GetRolesForUserOkResult(roles=reply["roles"])

    async def get_users_that_have_role(
        self, role: str, tenant_id: str, user_context: dict[str, Any]
    ) -> GetUsersThatHaveRoleOkResult | UnknownRoleError:
        reply = await self.querier.get(f"/{tenant_id}/recipe/role/users", {"role": role}, rid=RID)
        if reply["status"] == UNKNOWN_ROLE:
            return UnknownRoleError()
        return GetUsersThatHaveRoleOkResult(users=reply["users"])

    async def create_new_role_or_add_permissions(
        self, role: str, permissions: list[str], user_context: dict[str, Any]
    ) -> CreateNewRoleOrAddPermissionsOkResult:
        reply = await self.querier.put("/recipe/role", {"role": role, "permissions": permissions}, rid=RID)
        return CreateNewRoleOrAddPermissionsOkResult(created_new_role=reply["createdNewRole"])

    async def get_permissions_for_role(
        self, role: str, user_context: dict[str, Any]
    ) -> GetPermissionsForRoleOkResult | UnknownRoleError:
        reply = await self.querier.get("/recipe/role/permissions", {"role": role}, rid=RID)
        if reply["status"] == UNKNOWN_ROLE:
            return UnknownRoleError()
        return GetPermissionsForRoleOkResult(permissions=reply["permissions"])

    async def remove_permissions_from_role(
        self, role: str, permissions: list[str], user_context: dict[str, Any]
    ) -> RemovePermissionsFromRoleOkResult | UnknownRoleError:
        body = {"role": role, "permissions": permissions}
        reply = await self.querier.post("/recipe/role/permissions/remove", body, rid=RID)
        if reply["status"] == UNKNOWN_ROLE:
            return UnknownRoleError()
        return RemovePermissionsFromRoleOkResult()

    async def get_roles_that_have_permission(
        self, permission: str, user_context: dict[str, Any]
    ) -> GetRolesThatHavePermissionOkResult:
        reply = await self.querier.get("/recipe/permission/roles", {"permission": permission}, rid=RID)
        return GetRolesThatHavePermissionOkResult(roles=reply["roles"])

    async def delete_role(self, role: str, user_context: dict[str, Any]) -> DeleteRoleOkResult:
        reply = await self.querier.post("/recipe/role/remove", {"role": role}, rid=RID)
        return DeleteRoleOkResult(did_role_exist=reply["didRoleExist"])

    async def get_all_roles(self, user_context: dict[str, Any]) -> GetAllRolesOkResult:
        reply = await self.querier.get("/recipe/roles", rid=RID)
        return GetAllRolesOkResult(roles=reply["roles"])
