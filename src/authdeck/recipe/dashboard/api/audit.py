"""The audit log of dashboard writes, kept by the core: paged, filtered by actor, target and action."""

from __future__ import annotations

from authdeck.recipe.dashboard._call import JSON, Call

_FILTERS = ("limit", "paginationToken", "actor", "targetId", "action")


async def audit_list(call: Call) -> JSON:
    params = {name: value for name in _FILTERS if (value := call.request.get_query_param(name))}
    if "targetId" not in params and (target := call.request.get_query_param("target")):
        params["targetId"] = target
    return await call.querier.get("/recipe/dashboard/audit", params)
