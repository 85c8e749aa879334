"""Checks on a verified request that need no core call: the token's signature, key type and anti-CSRF token,
and the claim validators (which may refetch claim values first)."""

from __future__ import annotations

import json
from typing import Any

from authdeck._sync import call_maybe_async
from authdeck.recipe.session import _jwt
from authdeck.recipe.session._jwks import JWKSCache
from authdeck.recipe.session.claims import SessionClaimValidator
from authdeck.recipe.session.exceptions import ClaimValidationError, TryRefreshTokenError
from authdeck.recipe.session.interfaces import ClaimsValidationResult
from authdeck.recipe.session.utils import NormalisedSessionConfig
from authdeck.types import RecipeUserId


async def verify_locally(
    jwks: JWKSCache,
    config: NormalisedSessionConfig,
    parsed: _jwt.ParsedJWT,
    anti_csrf_token: str | None,
    do_anti_csrf_check: bool,
) -> None:
    """Signature, expiry, key type and (VIA_TOKEN) anti-CSRF; failures mean "try refresh token"."""
    key = await jwks.get_key(parsed.kid)
    _jwt.verify_signature_and_expiry(parsed, key)
    if parsed.kid.startswith("d-") != config.use_dynamic_access_token_signing_key:
        raise TryRefreshTokenError("The access token doesn't match the use_dynamic_access_token_signing_key setting")
    if do_anti_csrf_check and config.anti_csrf == "VIA_TOKEN":
        expected = _jwt.sanitize_string(parsed.payload.get("antiCsrfToken"))
        if expected is None:
            raise TryRefreshTokenError("Access token does not contain the anti-csrf token")
        if anti_csrf_token is None:
            raise TryRefreshTokenError(
                "Provided antiCsrfToken is undefined. If you do not want anti-csrf check for this API, "
                "please set doAntiCsrfCheck to false for this API"
            )
        if anti_csrf_token != expected:
            raise TryRefreshTokenError("anti-csrf check failed")


async def validate_claims(
    user_id: str,
    recipe_user_id: RecipeUserId,
    access_token_payload: dict[str, Any],
    claim_validators: list[SessionClaimValidator],
    user_context: dict[str, Any],
) -> ClaimsValidationResult:
    """Refetch the claims that validators ask for, then run every validator on the (updated) payload."""
    if not claim_validators:
        return ClaimsValidationResult([], None)
    original = json.dumps(access_token_payload, sort_keys=True)
    payload = dict(access_token_payload)
    for validator in claim_validators:
        claim = validator.claim
        if claim is None:
            continue
        refetch = validator.should_refetch(payload, user_context)
        if not isinstance(refetch, bool):
            refetch = await refetch
        if not refetch:
            continue
        value = await call_maybe_async(
            claim.fetch_value, user_id, recipe_user_id, payload.get("tId", "public"), payload, user_context
        )
        if value is not None:
            payload = claim.add_to_payload_(payload, value, user_context)
    update = payload if json.dumps(payload, sort_keys=True) != original else None
    errors: list[ClaimValidationError] = []
    for validator in claim_validators:
        result = await validator.validate(payload, user_context)
        if not result.is_valid:
            errors.append(ClaimValidationError(validator.id, result.reason))
    return ClaimsValidationResult(errors, update)
