"""The overridable surfaces of the session recipe (RecipeInterface, APIInterface) and the session object."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypedDict, TypeVar

from authdeck import _sync
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe.session.claims import ClaimValidationResult, JSONObject, SessionClaim, SessionClaimValidator
from authdeck.recipe.session.constants import TokenTransferMethod
from authdeck.recipe.session.exceptions import ClaimValidationError
from authdeck.types import RecipeUserId

if TYPE_CHECKING:
    from authdeck.recipe.session.utils import NormalisedSessionConfig

T = TypeVar("T")

OverrideGlobalClaimValidators = Callable[
    [list[SessionClaimValidator], "SessionContainer", dict[str, Any]],
    "list[SessionClaimValidator] | Awaitable[list[SessionClaimValidator]]",
]


@dataclass
class TokenInfo:
    token: str
    expiry: int
    created_time: int

    def to_json(self) -> dict[str, Any]:
        return {"token": self.token, "expiry": self.expiry, "createdTime": self.created_time}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TokenInfo:
        return cls(data["token"], data["expiry"], data["createdTime"])


AccessTokenObj = TokenInfo


@dataclass
class SessionObj:
    handle: str
    user_id: str
    recipe_user_id: RecipeUserId
    user_data_in_jwt: dict[str, Any]
    tenant_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "handle": self.handle,
            "userId": self.user_id,
            "recipeUserId": self.recipe_user_id.get_as_string(),
            "tenantId": self.tenant_id,
            "userDataInJWT": self.user_data_in_jwt,
        }


@dataclass
class RegenerateAccessTokenOkResult:
    session: SessionObj
    access_token: TokenInfo | None


@dataclass
class SessionInformationResult:
    session_handle: str
    user_id: str
    recipe_user_id: RecipeUserId
    session_data_in_database: dict[str, Any]
    expiry: int
    custom_claims_in_access_token_payload: dict[str, Any]
    time_created: int
    tenant_id: str

    def to_json(self) -> dict[str, Any]:
        return {
            "sessionHandle": self.session_handle,
            "userId": self.user_id,
            "recipeUserId": self.recipe_user_id.get_as_string(),
            "sessionDataInDatabase": self.session_data_in_database,
            "expiry": self.expiry,
            "customClaimsInAccessTokenPayload": self.custom_claims_in_access_token_payload,
            "timeCreated": self.time_created,
            "tenantId": self.tenant_id,
        }


@dataclass
class ReqResInfo:
    request: BaseRequest
    transfer_method: TokenTransferMethod


class SessionDoesNotExistError:
    """Returned (not raised) by handle-based claim functions when the session is gone."""


@dataclass
class GetClaimValueOkResult(Generic[T]):
    value: T | None


class ClaimsValidationResult:
    def __init__(
        self, invalid_claims: list[ClaimValidationError], access_token_payload_update: dict[str, Any] | None = None
    ) -> None:
        self.invalid_claims = invalid_claims
        self.access_token_payload_update = access_token_payload_update

    def to_json(self) -> dict[str, Any]:
        return {
            "status": "OK",
            "invalidClaims": [c.to_json() for c in self.invalid_claims],
            "accessTokenPayloadUpdate": self.access_token_payload_update,
        }


class GetSessionTokensDangerouslyDict(TypedDict):
    accessToken: str
    accessAndFrontTokenUpdated: bool
    refreshToken: str | None
    frontToken: str
    antiCsrfToken: str | None


class SessionContainer(ABC):
    """A verified session. Changes to its tokens are sent on the response of the request it came from."""

    def __init__(
        self,
        recipe_implementation: RecipeInterface,
        config: NormalisedSessionConfig,
        access_token: str,
        front_token: str | None,
        refresh_token: TokenInfo | None,
        anti_csrf_token: str | None,
        session_handle: str,
        user_id: str,
        recipe_user_id: RecipeUserId,
        user_data_in_access_token: dict[str, Any],
        req_res_info: ReqResInfo | None,
        access_token_updated: bool,
        tenant_id: str,
        *,
        access_token_expiry: int | None = None,
    ) -> None:
        self.recipe_implementation = recipe_implementation
        self.config = config
        self.access_token = access_token
        self.access_token_expiry = access_token_expiry
        self._front_token = front_token
        self.refresh_token = refresh_token
        self.anti_csrf_token = anti_csrf_token
        self.session_handle = session_handle
        self.user_id = user_id
        self.recipe_user_id = recipe_user_id
        self.user_data_in_access_token = user_data_in_access_token
        self.req_res_info = req_res_info
        self.access_token_updated = access_token_updated
        self.tenant_id = tenant_id

    @property
    def front_token(self) -> str:
        """Built on first use: most verified requests never send one."""
        if self._front_token is None:
            from authdeck.recipe.session._transfer import build_front_token

            expiry = self.access_token_expiry
            if expiry is None:
                expiry = int(self.user_data_in_access_token.get("exp", 0) * 1000)
            self._front_token = build_front_token(self.user_id, expiry, self.user_data_in_access_token)
        return self._front_token

    @front_token.setter
    def front_token(self, value: str) -> None:
        self._front_token = value

    @abstractmethod
    async def revoke_session(self, user_context: dict[str, Any] | None = None) -> None: ...

    @abstractmethod
    async def get_session_data_from_database(self, user_context: dict[str, Any] | None = None) -> dict[str, Any]: ...

    @abstractmethod
    async def update_session_data_in_database(
        self, new_session_data: dict[str, Any], user_context: dict[str, Any] | None = None
    ) -> None: ...

    @abstractmethod
    async def attach_to_request_response(
        self, request: BaseRequest, transfer_method: TokenTransferMethod, user_context: dict[str, Any]
    ) -> None: ...

    @abstractmethod
    async def merge_into_access_token_payload(
        self, access_token_payload_update: JSONObject, user_context: dict[str, Any] | None = None
    ) -> None: ...

    @abstractmethod
    def get_user_id(self, user_context: dict[str, Any] | None = None) -> str: ...

    @abstractmethod
    def get_recipe_user_id(self, user_context: dict[str, Any] | None = None) -> RecipeUserId: ...

    @abstractmethod
    def get_tenant_id(self, user_context: dict[str, Any] | None = None) -> str: ...

    @abstractmethod
    def get_access_token_payload(self, user_context: dict[str, Any] | None = None) -> dict[str, Any]: ...

    @abstractmethod
    def get_handle(self, user_context: dict[str, Any] | None = None) -> str: ...

    @abstractmethod
    def get_all_session_tokens_dangerously(self) -> GetSessionTokensDangerouslyDict: ...

    @abstractmethod
    def get_access_token(self, user_context: dict[str, Any] | None = None) -> str: ...

    @abstractmethod
    async def get_time_created(self, user_context: dict[str, Any] | None = None) -> int: ...

    @abstractmethod
    async def get_expiry(self, user_context: dict[str, Any] | None = None) -> int: ...

    @abstractmethod
    async def assert_claims(
        self, claim_validators: list[SessionClaimValidator], user_context: dict[str, Any] | None = None
    ) -> None: ...

    @abstractmethod
    async def fetch_and_set_claim(
        self, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None
    ) -> None: ...

    @abstractmethod
    async def set_claim_value(
        self, claim: SessionClaim[T], value: T, user_context: dict[str, Any] | None = None
    ) -> None: ...

    @abstractmethod
    async def get_claim_value(self, claim: SessionClaim[T], user_context: dict[str, Any] | None = None) -> T | None: ...

    @abstractmethod
    async def remove_claim(self, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None) -> None: ...

    # Synchronous twins for Flask and sync Django views; they run the async method on the SDK's loop.

    def sync_get_expiry(self, user_context: dict[str, Any] | None = None) -> int:
        return _sync.run(self.get_expiry(user_context))

    def sync_revoke_session(self, user_context: dict[str, Any] | None = None) -> None:
        return _sync.run(self.revoke_session(user_context))

    def sync_get_session_data_from_database(self, user_context: dict[str, Any] | None = None) -> dict[str, Any]:
        return _sync.run(self.get_session_data_from_database(user_context))

    def sync_get_time_created(self, user_context: dict[str, Any] | None = None) -> int:
        return _sync.run(self.get_time_created(user_context))

    def sync_merge_into_access_token_payload(
        self, access_token_payload_update: dict[str, Any], user_context: dict[str, Any] | None = None
    ) -> None:
        return _sync.run(self.merge_into_access_token_payload(access_token_payload_update, user_context))

    def sync_update_session_data_in_database(
        self, new_session_data: dict[str, Any], user_context: dict[str, Any] | None = None
    ) -> None:
        return _sync.run(self.update_session_data_in_database(new_session_data, user_context))

    def sync_assert_claims(
        self, claim_validators: list[SessionClaimValidator], user_context: dict[str, Any] | None = None
    ) -> None:
        return _sync.run(self.assert_claims(claim_validators, user_context))

    def sync_fetch_and_set_claim(self, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None) -> None:
        return _sync.run(self.fetch_and_set_claim(claim, user_context))

    def sync_set_claim_value(
        self, claim: SessionClaim[T], value: T, user_context: dict[str, Any] | None = None
    ) -> None:
        return _sync.run(self.set_claim_value(claim, value, user_context))

    def sync_get_claim_value(self, claim: SessionClaim[T], user_context: dict[str, Any] | None = None) -> T | None:
        pending = self.get_claim_value(claim, user_context)
        return _sync.run(pending)

    def sync_remove_claim(self, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None) -> None:
        return _sync.run(self.remove_claim(claim, user_context))

    def sync_attach_to_request_response(
        self, request: BaseRequest, transfer_method: TokenTransferMethod, user_context: dict[str, Any]
    ) -> None:
        return _sync.run(self.attach_to_request_response(request, transfer_method, user_context))

    def __getitem__(self, item: str) -> Any:
        return getattr(self, item)


class RecipeInterface(ABC):
    """What the session recipe asks of the core; override any method with ``override.functions``."""

    @abstractmethod
    async def create_new_session(
        self,
        user_id: str,
        recipe_user_id: RecipeUserId,
        access_token_payload: dict[str, Any] | None,
        session_data_in_database: dict[str, Any] | None,
        disable_anti_csrf: bool | None,
        tenant_id: str,
        user_context: dict[str, Any],
    ) -> SessionContainer: ...

    @abstractmethod
    def get_global_claim_validators(
        self,
        tenant_id: str,
        user_id: str,
        recipe_user_id: RecipeUserId,
        claim_validators_added_by_other_recipes: list[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> list[SessionClaimValidator] | Awaitable[list[SessionClaimValidator]]: ...

    @abstractmethod
    async def get_session(
        self,
        access_token: str | None,
        anti_csrf_token: str | None = None,
        anti_csrf_check: bool | None = None,
        session_required: bool | None = None,
        check_database: bool | None = None,
        override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
        user_context: dict[str, Any] | None = None,
    ) -> SessionContainer | None: ...

    @abstractmethod
    async def validate_claims(
        self,
        user_id: str,
        recipe_user_id: RecipeUserId,
        access_token_payload: dict[str, Any],
        claim_validators: list[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> ClaimsValidationResult: ...

    @abstractmethod
    async def refresh_session(
        self, refresh_token: str, anti_csrf_token: str | None, disable_anti_csrf: bool, user_context: dict[str, Any]
    ) -> SessionContainer: ...

    @abstractmethod
    async def revoke_session(self, session_handle: str, user_context: dict[str, Any]) -> bool: ...

    @abstractmethod
    async def revoke_all_sessions_for_user(
        self,
        user_id: str,
        revoke_sessions_for_linked_accounts: bool,
        tenant_id: str,
        revoke_across_all_tenants: bool,
        user_context: dict[str, Any],
    ) -> list[str]: ...

    @abstractmethod
    async def get_all_session_handles_for_user(
        self,
        user_id: str,
        fetch_sessions_for_linked_accounts: bool,
        tenant_id: str,
        fetch_across_all_tenants: bool,
        user_context: dict[str, Any],
    ) -> list[str]: ...

    @abstractmethod
    async def revoke_multiple_sessions(self, session_handles: list[str], user_context: dict[str, Any]) -> list[str]: ...

    @abstractmethod
    async def get_session_information(
        self, session_handle: str, user_context: dict[str, Any]
    ) -> SessionInformationResult | None: ...

    @abstractmethod
    async def update_session_data_in_database(
        self, session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any]
    ) -> bool: ...

    @abstractmethod
    async def merge_into_access_token_payload(
        self, session_handle: str, access_token_payload_update: JSONObject, user_context: dict[str, Any]
    ) -> bool: ...

    @abstractmethod
    async def fetch_and_set_claim(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> bool: ...

    @abstractmethod
    async def set_claim_value(
        self, session_handle: str, claim: SessionClaim[T], value: T, user_context: dict[str, Any]
    ) -> bool: ...

    @abstractmethod
    async def get_claim_value(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> SessionDoesNotExistError | GetClaimValueOkResult[Any]: ...

    @abstractmethod
    async def remove_claim(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> bool: ...

    @abstractmethod
    async def regenerate_access_token(
        self, access_token: str, new_access_token_payload: dict[str, Any] | None, user_context: dict[str, Any]
    ) -> RegenerateAccessTokenOkResult | None: ...


@dataclass
class APIOptions:
    request: BaseRequest
    response: BaseResponse | None
    recipe_id: str
    config: NormalisedSessionConfig
    recipe_implementation: RecipeInterface


class SignOutOkayResponse:
    status = "OK"

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status}


class APIInterface(ABC):
    """The session routes; override with ``override.apis``. Setting ``refresh_post`` or ``signout_post`` to
    None (or ``disable_refresh_post`` / ``disable_signout_post`` to True) removes that route."""

    def __init__(self) -> None:
        self.disable_refresh_post = False
        self.disable_signout_post = False

    @abstractmethod
    async def refresh_post(self, api_options: APIOptions, user_context: dict[str, Any]) -> SessionContainer: ...

    @abstractmethod
    async def signout_post(
        self, session: SessionContainer, api_options: APIOptions, user_context: dict[str, Any]
    ) -> Any:
        """Return an object with ``to_json()`` (SignOutOkayResponse) that becomes the 200 body."""

    @abstractmethod
    async def verify_session(
        self,
        api_options: APIOptions,
        anti_csrf_check: bool | None,
        session_required: bool,
        check_database: bool,
        override_global_claim_validators: OverrideGlobalClaimValidators | None,
        user_context: dict[str, Any],
    ) -> SessionContainer | None: ...


__all__ = [
    "APIInterface",
    "APIOptions",
    "AccessTokenObj",
    "ClaimValidationResult",
    "ClaimsValidationResult",
    "GetClaimValueOkResult",
    "GetSessionTokensDangerouslyDict",
    "JSONObject",
    "OverrideGlobalClaimValidators",
    "RecipeInterface",
    "RegenerateAccessTokenOkResult",
    "ReqResInfo",
    "SessionClaim",
    "SessionClaimValidator",
    "SessionContainer",
    "SessionDoesNotExistError",
    "SessionInformationResult",
    "SessionObj",
    "SignOutOkayResponse",
    "TokenInfo",
]
