"""Tenant management and third-party provider routes, answering as upstream does without those features.

Multitenancy and third-party login come with their recipes later; until then the dashboard sees one tenant,
``public``, reads its core config and user count, and refuses changes with upstream's "not enabled" statuses.
"""

from __future__ import annotations

from authdeck.exceptions import BadInputError
from authdeck.recipe.dashboard._call import JSON, Call
from authdeck.recipe.dashboard.api._shared import FEATURE_NOT_ENABLED, recipe_enabled

PUBLIC = "public"
UNKNOWN_TENANT: JSON = {"status": "UNKNOWN_TENANT_ERROR"}
MULTITENANCY_NOT_ENABLED: JSON = {"status": "MULTITENANCY_NOT_ENABLED_IN_CORE_ERROR"}


def first_factors() -> list[str]:
    """The first factors the initialised recipes provide."""
    from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe

    return ["emailpassword"] if recipe_enabled(EmailPasswordRecipe) else []


async def _factor_change(call: Call) -> tuple[str, bool]:
    body = await call.body()
    factor_id, enable = body.get("factorId"), body.get("enable")
    if not isinstance(factor_id, str) or not factor_id:
        raise BadInputError("Missing required parameter 'factorId'")
    if not isinstance(enable, bool):
        raise BadInputError("Missing required parameter 'enable'")
    return factor_id, enable


async def tenants_list(call: Call) -> JSON:
    return {"status": "OK", "tenants": [{"tenantId": PUBLIC, "firstFactors": first_factors()}]}


async def tenant_get(call: Call) -> JSON:
    if call.tenant_id != PUBLIC:
        return UNKNOWN_TENANT
    config = await call.querier.get(f"/{PUBLIC}/recipe/dashboard/tenant/core-config")
    count = await call.querier.get(f"/{PUBLIC}/users/count")
    tenant = {
        "tenantId": PUBLIC,
        "thirdParty": {"providers": []},
        "firstFactors": first_factors(),
        "requiredSecondaryFactors": None,
        "coreConfig": config["config"],
        "userCount": count["count"],
    }
    return {"status": "OK", "tenant": tenant}


async def tenant_create(call: Call) -> JSON:
    tenant_id = (await call.body()).get("tenantId")
    if not isinstance(tenant_id, str) or not tenant_id:
        raise BadInputError("Missing required parameter 'tenantId'")
    return MULTITENANCY_NOT_ENABLED


async def tenant_delete(call: Call) -> JSON:
    if call.tenant_id == PUBLIC:
        return {"status": "CANNOT_DELETE_PUBLIC_TENANT_ERROR"}
    return {"status": "OK", "didExist": False}


async def tenant_first_factor(call: Call) -> JSON:
    factor_id, enable = await _factor_change(call)
    if call.tenant_id != PUBLIC:
        return UNKNOWN_TENANT
    available = first_factors()
    if enable and factor_id not in available:
        return {
            "status": "RECIPE_NOT_CONFIGURED_ON_BACKEND_SDK_ERROR",
            "message": f"Please initialise the recipe that provides {factor_id!r} on the backend "
            f"(available here: {', '.join(available) or 'none'})",
        }
    return MULTITENANCY_NOT_ENABLED


async def tenant_secondary_factor(call: Call) -> JSON:
    await _factor_change(call)
    return {"status": "MFA_NOT_INITIALIZED_ERROR"}


async def tenant_core_config(call: Call) -> JSON:
    body = await call.body()
    if not isinstance(body.get("name"), str) or "value" not in body:
        raise BadInputError("Missing required parameter 'name' or 'value'")
    if call.tenant_id != PUBLIC:
        return UNKNOWN_TENANT
    return MULTITENANCY_NOT_ENABLED


async def thirdparty_config_get(call: Call) -> JSON:
    if call.tenant_id != PUBLIC:
        return UNKNOWN_TENANT
    call.query("thirdPartyId", "Please provide thirdPartyId")
    return FEATURE_NOT_ENABLED


async def thirdparty_config_put(call: Call) -> JSON:
    if not isinstance((await call.body()).get("providerConfig"), dict):
        raise BadInputError("Missing required parameter 'providerConfig'")
    if call.tenant_id != PUBLIC:
        return UNKNOWN_TENANT
    return FEATURE_NOT_ENABLED


async def thirdparty_config_delete(call: Call) -> JSON:
    call.query("thirdPartyId", "Missing required parameter 'tenantId' or 'thirdPartyId'")
    if call.tenant_id != PUBLIC:
        return UNKNOWN_TENANT
    return FEATURE_NOT_ENABLED
