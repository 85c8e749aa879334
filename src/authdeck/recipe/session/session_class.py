"""The session object handed to app code; token changes it makes are queued onto its request's response."""

from __future__ import annotations

from typing import Any, TypeVar

from authdeck.framework.request import BaseRequest
from authdeck.recipe.session import _transfer
from authdeck.recipe.session._jwt import parse_jwt_without_signature_verification
from authdeck.recipe.session.claims import SessionClaim, SessionClaimValidator
from authdeck.recipe.session.constants import PROTECTED_PROPS, TokenTransferMethod
from authdeck.recipe.session.exceptions import InvalidClaimsError, ResponseMutator, UnauthorisedError
from authdeck.recipe.session.interfaces import GetSessionTokensDangerouslyDict, ReqResInfo, SessionContainer
from authdeck.types import RecipeUserId

T = TypeVar("T")


def _ctx(user_context: dict[str, Any] | None) -> dict[str, Any]:
    return {} if user_context is None else user_context


class Session(SessionContainer):
    def _queue(self, mutators: list[ResponseMutator], user_context: dict[str, Any]) -> None:
        if self.req_res_info is not None:
            _transfer.queue(self.req_res_info.request, mutators)

    async def attach_to_request_response(
        self, request: BaseRequest, transfer_method: TokenTransferMethod, user_context: dict[str, Any]
    ) -> None:
        self.req_res_info = ReqResInfo(request, transfer_method)
        if self.access_token_updated:
            mutators = _transfer.access_token_mutators(
                self.config, request, user_context, self.access_token, self.front_token, transfer_method
            )
            if self.refresh_token is not None:
                mutators.append(
                    _transfer.refresh_token_mutator(
                        self.config,
                        request,
                        user_context,
                        self.refresh_token.token,
                        self.refresh_token.expiry,
                        transfer_method,
                    )
                )
            if self.anti_csrf_token is not None:
                mutators.append(_transfer.anti_csrf_mutator(self.anti_csrf_token))
            _transfer.queue(request, mutators)
        request.set_session(self)

    async def revoke_session(self, user_context: dict[str, Any] | None = None) -> None:
        ctx = _ctx(user_context)
        await self.recipe_implementation.revoke_session(self.session_handle, ctx)
        if self.req_res_info is not None:
            info = self.req_res_info
            self._queue(_transfer.clear_session_mutators(self.config, info.request, ctx, info.transfer_method), ctx)

    async def _information(self, user_context: dict[str, Any]) -> Any:
        info = await self.recipe_implementation.get_session_information(self.session_handle, user_context)
        if info is None:
            raise UnauthorisedError("Session does not exist anymore.")
        return info

    async def get_session_data_from_database(self, user_context: dict[str, Any] | None = None) -> dict[str, Any]:
        info = await self._information(_ctx(user_context))
        data: dict[str, Any] = info.session_data_in_database
        return data

    async def update_session_data_in_database(
        self, new_session_data: dict[str, Any], user_context: dict[str, Any] | None = None
    ) -> None:
        updated = await self.recipe_implementation.update_session_data_in_database(
            self.session_handle, new_session_data, _ctx(user_context)
        )
        if not updated:
            raise UnauthorisedError("Session does not exist anymore.")

    def get_user_id(self, user_context: dict[str, Any] | None = None) -> str:
        return self.user_id

    def get_recipe_user_id(self, user_context: dict[str, Any] | None = None) -> RecipeUserId:
        return self.recipe_user_id

    def get_tenant_id(self, user_context: dict[str, Any] | None = None) -> str:
        return self.tenant_id

    def get_access_token_payload(self, user_context: dict[str, Any] | None = None) -> dict[str, Any]:
        return self.user_data_in_access_token

    def get_handle(self, user_context: dict[str, Any] | None = None) -> str:
        return self.session_handle

    def get_access_token(self, user_context: dict[str, Any] | None = None) -> str:
        return self.access_token

    def get_all_session_tokens_dangerously(self) -> GetSessionTokensDangerouslyDict:
        return {
            "accessToken": self.access_token,
            "accessAndFrontTokenUpdated": self.access_token_updated,
            "refreshToken": None if self.refresh_token is None else self.refresh_token.token,
            "frontToken": self.front_token,
            "antiCsrfToken": self.anti_csrf_token,
        }

    async def get_time_created(self, user_context: dict[str, Any] | None = None) -> int:
        info = await self._information(_ctx(user_context))
        created: int = info.time_created
        return created

    async def get_expiry(self, user_context: dict[str, Any] | None = None) -> int:
        info = await self._information(_ctx(user_context))
        expiry: int = info.expiry
        return expiry

    async def assert_claims(
        self, claim_validators: list[SessionClaimValidator], user_context: dict[str, Any] | None = None
    ) -> None:
        ctx = _ctx(user_context)
        result = await self.recipe_implementation.validate_claims(
            self.user_id, self.recipe_user_id, self.user_data_in_access_token, claim_validators, ctx
        )
        if result.access_token_payload_update is not None:
            update = {k: v for k, v in result.access_token_payload_update.items() if k not in PROTECTED_PROPS}
            await self.merge_into_access_token_payload(update, ctx)
        if result.invalid_claims:
            raise InvalidClaimsError("INVALID_CLAIMS", result.invalid_claims)

    async def fetch_and_set_claim(self, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None) -> None:
        ctx = _ctx(user_context)
        update = await claim.build(
            self.user_id, self.recipe_user_id, self.tenant_id, self.user_data_in_access_token, ctx
        )
        await self.merge_into_access_token_payload(update, ctx)

    async def set_claim_value(
        self, claim: SessionClaim[T], value: T, user_context: dict[str, Any] | None = None
    ) -> None:
        ctx = _ctx(user_context)
        await self.merge_into_access_token_payload(claim.add_to_payload_({}, value, ctx), ctx)

    async def get_claim_value(self, claim: SessionClaim[T], user_context: dict[str, Any] | None = None) -> T | None:
        return claim.get_value_from_payload(self.user_data_in_access_token, _ctx(user_context))

    async def remove_claim(self, claim: SessionClaim[Any], user_context: dict[str, Any] | None = None) -> None:
        ctx = _ctx(user_context)
        await self.merge_into_access_token_payload(claim.remove_from_payload_by_merge_({}, ctx), ctx)

    async def merge_into_access_token_payload(
        self, access_token_payload_update: dict[str, Any], user_context: dict[str, Any] | None = None
    ) -> None:
        """Merge (a None value deletes the key), then send the re-signed token on this request's response."""
        ctx = _ctx(user_context)
        payload = {k: v for k, v in self.user_data_in_access_token.items() if k not in PROTECTED_PROPS}
        payload.update(access_token_payload_update)
        for key, value in access_token_payload_update.items():
            if value is None:
                payload.pop(key, None)
        result = await self.recipe_implementation.regenerate_access_token(self.access_token, payload, ctx)
        if result is None:
            raise UnauthorisedError("Session does not exist anymore.")
        if result.access_token is None:
            # The token had expired: the core stored the payload but minted nothing new.
            self.user_data_in_access_token = {**self.user_data_in_access_token, **result.session.user_data_in_jwt}
            self._front_token = None
            return
        new_payload = parse_jwt_without_signature_verification(result.access_token.token).payload
        self.user_data_in_access_token = new_payload
        self.access_token = result.access_token.token
        self.access_token_expiry = result.access_token.expiry
        self.front_token = _transfer.build_front_token(self.user_id, result.access_token.expiry, new_payload)
        self.access_token_updated = True
        if self.req_res_info is not None:
            info = self.req_res_info
            self._queue(
                _transfer.access_token_mutators(
                    self.config, info.request, ctx, self.access_token, self.front_token, info.transfer_method
                ),
                ctx,
            )
