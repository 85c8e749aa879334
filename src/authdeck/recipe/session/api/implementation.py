"""The default APIInterface: refresh, sign-out, and the session check behind verify_session()."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from authdeck.exceptions import ConfigError
from authdeck.recipe.session._request_flows import get_session_from_request, refresh_session_in_request
from authdeck.recipe.session.interfaces import (
    APIInterface,
    APIOptions,
    OverrideGlobalClaimValidators,
    SessionContainer,
    SignOutOkayResponse,
)

if TYPE_CHECKING:
    from authdeck.recipe.session.recipe import SessionRecipe


def _recipe() -> SessionRecipe:
    from authdeck.recipe.session.recipe import SessionRecipe

    return SessionRecipe.get_instance()


class APIImplementation(APIInterface):
    async def refresh_post(self, api_options: APIOptions, user_context: dict[str, Any]) -> SessionContainer:
        return await refresh_session_in_request(_recipe(), api_options.request, user_context)

    async def signout_post(
        self, session: SessionContainer, api_options: APIOptions, user_context: dict[str, Any]
    ) -> SignOutOkayResponse:
        await session.revoke_session(user_context)
        return SignOutOkayResponse()

    async def verify_session(
        self,
        api_options: APIOptions,
        anti_csrf_check: bool | None,
        session_required: bool,
        check_database: bool,
        override_global_claim_validators: OverrideGlobalClaimValidators | None,
        user_context: dict[str, Any],
    ) -> SessionContainer | None:
        request = api_options.request
        method = request.method().lower()
        if method in ("options", "trace"):
            if session_required:
                raise ConfigError(f"verify_session cannot be used with {method} method")
            return None
        recipe = _recipe()
        if method == "post" and request.get_path() == api_options.config.refresh_token_path:
            return await refresh_session_in_request(recipe, request, user_context)
        return await get_session_from_request(
            recipe,
            request,
            session_required=session_required,
            anti_csrf_check=anti_csrf_check,
            check_database=check_database,
            override_global_claim_validators=override_global_claim_validators,
            user_context=user_context,
        )
