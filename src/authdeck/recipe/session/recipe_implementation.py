"""The default RecipeInterface: local access-token verification, and the core's session endpoints (cdi.md §2.2)."""

from __future__ import annotations

from typing import Any, TypeVar

from authdeck._appinfo import AppInfo
from authdeck._querier import Querier
from authdeck.exceptions import ConfigError
from authdeck.recipe.session import _jwt
from authdeck.recipe.session._jwks import JWKSCache
from authdeck.recipe.session._verification import validate_claims, verify_locally
from authdeck.recipe.session.claims import SessionClaim, SessionClaimValidator
from authdeck.recipe.session.constants import PROTECTED_PROPS
from authdeck.recipe.session.exceptions import (
    TokenTheftError,
    TryRefreshTokenError,
    UnauthorisedError,
)
from authdeck.recipe.session.interfaces import (
    ClaimsValidationResult,
    GetClaimValueOkResult,
    OverrideGlobalClaimValidators,
    RecipeInterface,
    RegenerateAccessTokenOkResult,
    SessionContainer,
    SessionDoesNotExistError,
    SessionInformationResult,
    SessionObj,
    TokenInfo,
)
from authdeck.recipe.session.session_class import Session
from authdeck.recipe.session.utils import NormalisedSessionConfig
from authdeck.types import RecipeUserId

T = TypeVar("T")
RID = "session"
VIA_CUSTOM_HEADER_MISUSE = (
    "Since the anti-csrf mode is VIA_CUSTOM_HEADER getSession can't check the CSRF token. "
    "Please either use VIA_TOKEN or set anti_csrf_check to false"
)


def _session_obj(data: dict[str, Any]) -> SessionObj:
    return SessionObj(
        handle=data["handle"],
        user_id=data["userId"],
        recipe_user_id=RecipeUserId(data["recipeUserId"]),
        user_data_in_jwt=data.get("userDataInJWT") or {},
        tenant_id=data.get("tenantId") or "public",
    )


class RecipeImplementation(RecipeInterface):
    def __init__(self, querier: Querier, config: NormalisedSessionConfig, app_info: AppInfo, jwks: JWKSCache) -> None:
        self.querier = querier
        self.config = config
        self.app_info = app_info
        self.jwks = jwks

    def _session(
        self,
        *,
        access_token: str,
        access_token_expiry: int,
        payload: dict[str, Any],
        session: SessionObj,
        refresh_token: TokenInfo | None,
        anti_csrf_token: str | None,
        updated: bool,
    ) -> Session:
        return Session(
            self,
            self.config,
            access_token,
            None,  # built from the expiry and payload when first needed
            refresh_token,
            anti_csrf_token,
            session.handle,
            session.user_id,
            session.recipe_user_id,
            payload,
            None,
            updated,
            session.tenant_id,
            access_token_expiry=access_token_expiry,
        )

    async def create_new_session(
        self,
        user_id: str,
        recipe_user_id: RecipeUserId,
        access_token_payload: dict[str, Any] | None,
        session_data_in_database: dict[str, Any] | None,
        disable_anti_csrf: bool | None,
        tenant_id: str,
        user_context: dict[str, Any],
    ) -> SessionContainer:
        enable_anti_csrf = disable_anti_csrf is not True and self.config.anti_csrf == "VIA_TOKEN"
        reply = await self.querier.post(
            f"/{tenant_id}/recipe/session",
            {
                "userId": recipe_user_id.get_as_string(),
                "userDataInJWT": access_token_payload or {},
                "userDataInDatabase": session_data_in_database or {},
                "useDynamicSigningKey": self.config.use_dynamic_access_token_signing_key,
                "enableAntiCsrf": enable_anti_csrf,
            },
            rid=RID,
        )
        access = TokenInfo.from_json(reply["accessToken"])
        return self._session(
            access_token=access.token,
            access_token_expiry=access.expiry,
            payload=_jwt.parse_jwt_without_signature_verification(access.token).payload,
            session=_session_obj(reply["session"]),
            refresh_token=TokenInfo.from_json(reply["refreshToken"]),
            anti_csrf_token=reply.get("antiCsrfToken"),
            updated=True,
        )

    def get_global_claim_validators(
        self,
        tenant_id: str,
        user_id: str,
        recipe_user_id: RecipeUserId,
        claim_validators_added_by_other_recipes: list[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> list[SessionClaimValidator]:
        return claim_validators_added_by_other_recipes

    async def get_session(
        self,
        access_token: str | None,
        anti_csrf_token: str | None = None,
        anti_csrf_check: bool | None = None,
        session_required: bool | None = None,
        check_database: bool | None = None,
        override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
        user_context: dict[str, Any] | None = None,
    ) -> SessionContainer | None:
        if anti_csrf_check is not False and self.config.anti_csrf == "VIA_CUSTOM_HEADER":
            raise ConfigError(VIA_CUSTOM_HEADER_MISUSE)
        if access_token is None:
            if session_required is False:
                return None
            raise UnauthorisedError(
                "Session does not exist. Are you sending the session tokens in the request with the appropriate "
                "token transfer method?",
                clear_tokens=False,
            )
        try:
            parsed = _jwt.parse_remembered(user_context, access_token)
        except _jwt.TokenStructureError as exc:
            if session_required is False:
                return None
            raise UnauthorisedError("Token parsing failed", clear_tokens=False) from exc
        do_anti_csrf_check = anti_csrf_check is not False
        await verify_locally(self.jwks, self.config, parsed, anti_csrf_token, do_anti_csrf_check)
        payload = parsed.payload
        if check_database is not True and payload.get("parentRefreshTokenHash1") is None:
            return self._session(
                access_token=access_token,
                access_token_expiry=int(payload["exp"] * 1000),
                payload=payload,
                session=SessionObj(
                    handle=payload["sessionHandle"],
                    user_id=payload["sub"],
                    recipe_user_id=RecipeUserId(payload.get("rsub", payload["sub"])),
                    user_data_in_jwt=payload,
                    tenant_id=payload.get("tId", "public") if parsed.version >= 4 else "public",
                ),
                refresh_token=None,
                anti_csrf_token=anti_csrf_token,
                updated=False,
            )
        return await self._verify_with_core(parsed, anti_csrf_token, do_anti_csrf_check, check_database is True)

    async def _verify_with_core(
        self, parsed: _jwt.ParsedJWT, anti_csrf_token: str | None, do_check: bool, check_database: bool
    ) -> SessionContainer:
        body: dict[str, Any] = {
            "accessToken": parsed.raw_token_string,
            "doAntiCsrfCheck": do_check,
            "enableAntiCsrf": self.config.anti_csrf == "VIA_TOKEN",
            "checkDatabase": check_database,
        }
        if anti_csrf_token is not None:
            body["antiCsrfToken"] = anti_csrf_token
        reply = await self.querier.post("/recipe/session/verify", body, rid=RID)
        if reply.get("status") == "UNAUTHORISED":
            raise UnauthorisedError(str(reply.get("message", "unauthorised")))
        if reply.get("status") != "OK":
            raise TryRefreshTokenError(str(reply.get("message", "try refresh token")))
        session = _session_obj(reply["session"])
        if "accessToken" in reply:
            new = TokenInfo.from_json(reply["accessToken"])
            return self._session(
                access_token=new.token,
                access_token_expiry=new.expiry,
                payload=_jwt.parse_jwt_without_signature_verification(new.token).payload,
                session=session,
                refresh_token=None,
                anti_csrf_token=anti_csrf_token,
                updated=True,
            )
        return self._session(
            access_token=parsed.raw_token_string,
            access_token_expiry=int(parsed.payload["exp"] * 1000),
            payload=parsed.payload,
            session=session,
            refresh_token=None,
            anti_csrf_token=anti_csrf_token,
            updated=False,
        )

    async def validate_claims(
        self,
        user_id: str,
        recipe_user_id: RecipeUserId,
        access_token_payload: dict[str, Any],
        claim_validators: list[SessionClaimValidator],
        user_context: dict[str, Any],
    ) -> ClaimsValidationResult:
        return await validate_claims(user_id, recipe_user_id, access_token_payload, claim_validators, user_context)

    async def refresh_session(
        self, refresh_token: str, anti_csrf_token: str | None, disable_anti_csrf: bool, user_context: dict[str, Any]
    ) -> SessionContainer:
        if disable_anti_csrf is not True and self.config.anti_csrf == "VIA_CUSTOM_HEADER":
            raise ConfigError(VIA_CUSTOM_HEADER_MISUSE)
        body: dict[str, Any] = {
            "refreshToken": refresh_token,
            "enableAntiCsrf": not disable_anti_csrf and self.config.anti_csrf == "VIA_TOKEN",
            "useDynamicSigningKey": self.config.use_dynamic_access_token_signing_key,
        }
        if anti_csrf_token is not None:
            body["antiCsrfToken"] = anti_csrf_token
        reply = await self.querier.post("/recipe/session/refresh", body, rid=RID)
        status = reply.get("status")
        if status == "UNAUTHORISED":
            raise UnauthorisedError(str(reply.get("message", "unauthorised")))
        if status == "TOKEN_THEFT_DETECTED":
            stolen = reply["session"]
            raise TokenTheftError(stolen["userId"], RecipeUserId(stolen["recipeUserId"]), stolen["handle"])
        access = TokenInfo.from_json(reply["accessToken"])
        payload = _jwt.parse_jwt_without_signature_verification(access.token).payload
        session = _session_obj(reply["session"])
        session.tenant_id = payload.get("tId", session.tenant_id)
        return self._session(
            access_token=access.token,
            access_token_expiry=access.expiry,
            payload=payload,
            session=session,
            refresh_token=TokenInfo.from_json(reply["refreshToken"]),
            anti_csrf_token=reply.get("antiCsrfToken"),
            updated=True,
        )

    async def revoke_session(self, session_handle: str, user_context: dict[str, Any]) -> bool:
        return len(await self.revoke_multiple_sessions([session_handle], user_context)) == 1

    async def revoke_all_sessions_for_user(
        self,
        user_id: str,
        revoke_sessions_for_linked_accounts: bool,
        tenant_id: str,
        revoke_across_all_tenants: bool,
        user_context: dict[str, Any],
    ) -> list[str]:
        path = "/recipe/session/remove" if revoke_across_all_tenants else f"/{tenant_id}/recipe/session/remove"
        body = {
            "userId": user_id,
            "revokeAcrossAllTenants": revoke_across_all_tenants,
            "revokeSessionsForLinkedAccounts": revoke_sessions_for_linked_accounts,
        }
        reply = await self.querier.post(path, body, rid=RID)
        return list(reply["sessionHandlesRevoked"])

    async def get_all_session_handles_for_user(
        self,
        user_id: str,
        fetch_sessions_for_linked_accounts: bool,
        tenant_id: str,
        fetch_across_all_tenants: bool,
        user_context: dict[str, Any],
    ) -> list[str]:
        path = "/recipe/session/user" if fetch_across_all_tenants else f"/{tenant_id}/recipe/session/user"
        params = {
            "userId": user_id,
            "fetchAcrossAllTenants": fetch_across_all_tenants,
            "fetchSessionsForAllLinkedAccounts": fetch_sessions_for_linked_accounts,
        }
        reply = await self.querier.get(path, params, rid=RID)
        return list(reply["sessionHandles"])

    async def revoke_multiple_sessions(self, session_handles: list[str], user_context: dict[str, Any]) -> list[str]:
        reply = await self.querier.post("/recipe/session/remove", {"sessionHandles": session_handles}, rid=RID)
        return list(reply["sessionHandlesRevoked"])

    async def get_session_information(
        self, session_handle: str, user_context: dict[str, Any]
    ) -> SessionInformationResult | None:
        reply = await self.querier.get("/recipe/session", {"sessionHandle": session_handle}, rid=RID)
        if reply.get("status") != "OK":
            return None
        return SessionInformationResult(
            session_handle=reply["sessionHandle"],
            user_id=reply["userId"],
            recipe_user_id=RecipeUserId(reply["recipeUserId"]),
            session_data_in_database=reply["userDataInDatabase"],
            expiry=reply["expiry"],
            custom_claims_in_access_token_payload=reply["userDataInJWT"],
            time_created=reply["timeCreated"],
            tenant_id=reply["tenantId"],
        )

    async def update_session_data_in_database(
        self, session_handle: str, new_session_data: dict[str, Any], user_context: dict[str, Any]
    ) -> bool:
        body = {"sessionHandle": session_handle, "userDataInDatabase": new_session_data}
        reply = await self.querier.put("/recipe/session/data", body, rid=RID)
        return reply.get("status") == "OK"

    async def merge_into_access_token_payload(
        self, session_handle: str, access_token_payload_update: dict[str, Any], user_context: dict[str, Any]
    ) -> bool:
        """Changes the stored payload only: sessions pick it up on their next refresh."""
        info = await self.get_session_information(session_handle, user_context)
        if info is None:
            return False
        payload = {k: v for k, v in info.custom_claims_in_access_token_payload.items() if k not in PROTECTED_PROPS}
        payload.update(access_token_payload_update)
        for key, value in access_token_payload_update.items():
            if value is None:
                payload.pop(key, None)
        reply = await self.querier.put(
            "/recipe/jwt/data", {"sessionHandle": session_handle, "userDataInJWT": payload}, rid=RID
        )
        return reply.get("status") == "OK"

    async def fetch_and_set_claim(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> bool:
        info = await self.get_session_information(session_handle, user_context)
        if info is None:
            return False
        update = await claim.build(
            info.user_id, info.recipe_user_id, info.tenant_id, info.custom_claims_in_access_token_payload, user_context
        )
        return await self.merge_into_access_token_payload(session_handle, update, user_context)

    async def set_claim_value(
        self, session_handle: str, claim: SessionClaim[T], value: T, user_context: dict[str, Any]
    ) -> bool:
        update = claim.add_to_payload_({}, value, user_context)
        return await self.merge_into_access_token_payload(session_handle, update, user_context)

    async def get_claim_value(
        self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]
    ) -> SessionDoesNotExistError | GetClaimValueOkResult[Any]:
        info = await self.get_session_information(session_handle, user_context)
        if info is None:
            return SessionDoesNotExistError()
        return GetClaimValueOkResult(claim.get_value_from_payload(info.custom_claims_in_access_token_payload))

    async def remove_claim(self, session_handle: str, claim: SessionClaim[Any], user_context: dict[str, Any]) -> bool:
        update = claim.remove_from_payload_by_merge_({}, user_context)
        return await self.merge_into_access_token_payload(session_handle, update, user_context)

    async def regenerate_access_token(
        self, access_token: str, new_access_token_payload: dict[str, Any] | None, user_context: dict[str, Any]
    ) -> RegenerateAccessTokenOkResult | None:
        body = {"accessToken": access_token, "userDataInJWT": new_access_token_payload or {}}
        reply = await self.querier.post("/recipe/session/regenerate", body, rid=RID)
        if reply.get("status") == "UNAUTHORISED":
            return None
        new = TokenInfo.from_json(reply["accessToken"]) if "accessToken" in reply else None
        return RegenerateAccessTokenOkResult(_session_obj(reply["session"]), new)
