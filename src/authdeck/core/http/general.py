"""Endpoints that belong to no recipe: health, version negotiation, telemetry, apps and tenants."""

from __future__ import annotations

import re

from starlette.responses import PlainTextResponse

from authdeck.core.context import RequestContext
from authdeck.core.errors import BadRequestError
from authdeck.core.http import _input
from authdeck.core.routing import PUBLIC, Reply, Route
from authdeck.core.services import apps

SUPPORTED_CDI_VERSIONS = ("5.4",)
_ID_RE = re.compile(r"^[a-z0-9-]{1,64}$")


def hello(ctx: RequestContext) -> Reply:
    ctx.conn.exec_driver_sql("SELECT 1")
    return PlainTextResponse("Hello")


def api_version(ctx: RequestContext) -> Reply:
    return {"versions": list(SUPPORTED_CDI_VERSIONS)}


def telemetry(ctx: RequestContext) -> Reply:
    # authdeck never phones home; this answers the dashboard's question and nothing else.
    return {"exists": False}


def _valid_id(value: str, field: str) -> str:
    value = value.strip().lower()
    if not _ID_RE.match(value) or value.startswith("appid-"):
        raise BadRequestError(
            f"Field name '{field}' is invalid: use 1-64 characters of a-z, 0-9 and '-', not starting with 'appid-'"
        )
    return value


def put_app(ctx: RequestContext) -> Reply:
    if ctx.app_id != PUBLIC:
        raise BadRequestError("Apps can only be created or updated through the public app")
    app_id = _valid_id(_input.string(ctx.body, "appId"), "appId")
    core_config = _input.obj(ctx.body, "coreConfig", required=False)
    created = apps.put_app(ctx.state, ctx.conn, app_id, core_config)
    return {"status": "OK", "createdNew": created}


def put_tenant(ctx: RequestContext) -> Reply:
    tenant_id = _valid_id(_input.string(ctx.body, "tenantId"), "tenantId")
    if tenant_id in ("recipe", "config", "users", "hello", "user"):
        raise BadRequestError(f"Field name 'tenantId' is invalid: '{tenant_id}' is reserved")
    core_config = _input.obj(ctx.body, "coreConfig", required=False) or {}
    if core_config:
        apps.validate_core_config(ctx.state, core_config)
    created = apps.put_tenant(ctx.conn, ctx.app_id, tenant_id, {"coreConfig": core_config})
    return {"status": "OK", "createdNew": created}


def get_tenant(ctx: RequestContext) -> Reply:
    config = apps.get_tenant(ctx.conn, ctx.app_id, ctx.tenant_id)
    if config is None:
        return {"status": "TENANT_NOT_FOUND_ERROR"}
    return {
        "status": "OK",
        "tenantId": ctx.tenant_id,
        "thirdParty": {"providers": []},
        "coreConfig": config.get("coreConfig", {}),
    }


ROUTES = [
    Route("GET", "/hello", hello, public=True),
    Route("POST", "/hello", hello, public=True, write=False),
    Route("GET", "/apiversion", api_version, scope="tenant", public=False),
    Route("GET", "/telemetry", telemetry),
    Route("PUT", "/recipe/multitenancy/app/v2", put_app),
    Route("PUT", "/recipe/multitenancy/tenant/v2", put_tenant),
    Route("GET", "/recipe/multitenancy/tenant/v2", get_tenant, scope="tenant"),
]
