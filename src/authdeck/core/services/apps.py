"""Apps and tenants: existence checks, per-app settings, creation, and the default public app."""

from __future__ import annotations

import json
import time
from typing import Any

from sqlalchemy import Connection, insert, select, update

from authdeck.core.config import AppSettings
from authdeck.core.errors import BadRequestError, ConfigError
from authdeck.core.routing import PUBLIC
from authdeck.core.state import CoreState
from authdeck.core.storage.tables import apps, tenants

# Another core process may change an app's coreConfig; ours notices within this many seconds.
APP_CACHE_SECONDS = 5.0
_CACHE_KEY = "apps"


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def resolve(state: CoreState, app_id: str, tenant_id: str) -> AppSettings:
    """The settings of ``app_id``; raises 400 when the app or the tenant does not exist.

    Answered from a short-lived cache, else in a read transaction of its own: the request's transaction must
    not begin here, because handlers hash passwords before they touch the database.
    """
    cache: dict[tuple[str, str], tuple[float, AppSettings]] = state.caches.setdefault(_CACHE_KEY, {})  # type: ignore[assignment]
    key = (app_id, tenant_id)
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < APP_CACHE_SECONDS:
        return hit[1]
    with state.engine.connect() as conn:
        row = conn.execute(
            select(apps.c.core_config)
            .select_from(apps.join(tenants, apps.c.app_id == tenants.c.app_id))
            .where(apps.c.app_id == app_id, tenants.c.tenant_id == tenant_id)
        ).first()
    if row is None:
        raise BadRequestError(
            f"AppId or tenantId not found => app '{app_id}' with tenant '{tenant_id}' does not exist"
        )
    settings = state.settings.app.merged(json.loads(row.core_config))
    cache[key] = (now, settings)
    return settings


def validate_core_config(state: CoreState, core_config: dict[str, Any]) -> None:
    try:
        state.settings.app.merged(core_config)
    except ConfigError as exc:
        raise BadRequestError(str(exc)) from exc


def put_app(state: CoreState, conn: Connection, app_id: str, core_config: dict[str, Any] | None) -> bool:
    """Create ``app_id`` with its public tenant, or update its coreConfig; True when it was created."""
    if core_config is not None:
        validate_core_config(state, core_config)
    exists = conn.execute(select(apps.c.app_id).where(apps.c.app_id == app_id).with_for_update()).first()
    if exists:
        if core_config is not None:
            conn.execute(update(apps).where(apps.c.app_id == app_id).values(core_config=json.dumps(core_config)))
        state.caches.pop(_CACHE_KEY, None)
        return False
    conn.execute(insert(apps).values(app_id=app_id, created_at=_now_ms(), core_config=json.dumps(core_config or {})))
    conn.execute(insert(tenants).values(app_id=app_id, tenant_id=PUBLIC, created_at=_now_ms(), config="{}"))
    return True


def put_tenant(conn: Connection, app_id: str, tenant_id: str, config: dict[str, Any]) -> bool:
    """Create or update a tenant of ``app_id``; True when it was created."""
    exists = conn.execute(
        select(tenants.c.tenant_id).where(tenants.c.app_id == app_id, tenants.c.tenant_id == tenant_id)
    ).first()
    if exists:
        conn.execute(
            update(tenants)
            .where(tenants.c.app_id == app_id, tenants.c.tenant_id == tenant_id)
            .values(config=json.dumps(config))
        )
        return False
    conn.execute(
        insert(tenants).values(app_id=app_id, tenant_id=tenant_id, created_at=_now_ms(), config=json.dumps(config))
    )
    return True


def get_tenant(conn: Connection, app_id: str, tenant_id: str) -> dict[str, Any] | None:
    row = conn.execute(
        select(tenants.c.config).where(tenants.c.app_id == app_id, tenants.c.tenant_id == tenant_id)
    ).first()
    if row is None:
        return None
    config: dict[str, Any] = json.loads(row.config)
    return config
