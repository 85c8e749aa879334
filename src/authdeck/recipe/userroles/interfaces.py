"""The overridable surfaces of the userroles recipe and the results its functions return.

Business outcomes are results, not exceptions, as upstream: a function that needs an existing role answers
``UnknownRoleError()`` when the role does not exist.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any


class AddRoleToUserOkResult:
    def __init__(self, did_user_already_have_role: bool) -> None:
        self.did_user_already_have_role = did_user_already_have_role


class UnknownRoleError:
    """The role was never created (or was deleted)."""


class RemoveUserRoleOkResult:
    def __init__(self, did_user_have_role: bool) -> None:
        self.did_user_have_role = did_user_have_role


class GetRolesForUserOkResult:
    def __init__(self, roles: list[str]) -> None:
        self.roles = roles


class GetUsersThatHaveRoleOkResult:
    def __init__(self, users: list[str]) -> None:
        self.users = users


class CreateNewRoleOrAddPermissionsOkResult:
    def __init__(self, created_new_role: bool) -> None:
        self.created_new_role = created_new_role


class GetPermissionsForRoleOkResult:
    def __init__(self, permissions: list[str]) -> None:
        self.permissions = permissions


class RemovePermissionsFromRoleOkResult:
    pass


class GetRolesThatHavePermissionOkResult:
    def __init__(self, roles: list[str]) -> None:
        self.roles = roles


class DeleteRoleOkResult:
    def __init__(self, did_role_exist: bool) -> None:
        self.did_role_exist = did_role_exist


class GetAllRolesOkResult:
    def __init__(self, roles: list[str]) -> None:
        self.roles = roles


class RecipeInterface(ABC):
    """The recipe functions; override them with ``init(override=UserRolesOverrideConfig(functions=...))``.

    Roles and permissions belong to the app; which user has which role is kept per tenant.
    """

    @abstractmethod
    async def add_role_to_user(
        self, user_id: str, role: str, tenant_id: str, user_context: dict[str, Any]
    ) -> AddRoleToUserOkResult | UnknownRoleError: ...

    @abstractmethod
    async def remove_user_role(
        self, user_id: str, role: str, tenant_id: str, user_context: dict[str, Any]
    ) -> RemoveUserRoleOkResult | UnknownRoleError: ...

    @abstractmethod
    async def get_roles_for_user(
        self, user_id: str, tenant_id: str, user_context: dict[str, Any]
    ) -> GetRolesForUserOkResult: ...

    @abstractmethod
    async def get_users_that_have_role(
        self, role: str, tenant_id: str, user_context: dict[str, Any]
    ) -> GetUsersThatHaveRoleOkResult | UnknownRoleError: ...

    @abstractmethod
    async def create_new_role_or_add_permissions(
        self, role: str, permissions: list[str], user_context: dict[str, Any]
    ) -> CreateNewRoleOrAddPermissionsOkResult: ...

    @abstractmethod
    async def get_permissions_for_role(
        self, role: str, user_context: dict[str, Any]
    ) -> GetPermissionsForRoleOkResult | UnknownRoleError: ...

    @abstractmethod
    async def remove_permissions_from_role(
        self, role: str, permissions: list[str], user_context: dict[str, Any]
    ) -> RemovePermissionsFromRoleOkResult | UnknownRoleError: ...

    @abstractmethod
    async def get_roles_that_have_permission(
        self, permission: str, user_context: dict[str, Any]
    ) -> GetRolesThatHavePermissionOkResult: ...

    @abstractmethod
    async def delete_role(self, role: str, user_context: dict[str, Any]) -> DeleteRoleOkResult: ...

    @abstractmethod
    async def get_all_roles(self, user_context: dict[str, Any]) -> GetAllRolesOkResult: ...


class APIInterface:
    """The recipe serves no routes; the class exists so overrides look the same for every recipe."""
