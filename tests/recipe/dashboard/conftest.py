"""Fixtures: the dashboard on a fresh core app, with an admin and a read-only dashboard user."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.dashboard._app import ADMIN, VIEWER, DashboardApp, serve


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
async def dash(core: CoreProcess, app_client: CoreClient) -> AsyncIterator[DashboardApp]:
    """admins=[ADMIN]: ADMIN may write, VIEWER may only read."""
    async with serve(core, app_client, dashboard_options={"admins": [f"  {ADMIN.upper()} "]}) as app:
        app.create_dashboard_user(ADMIN)
        app.create_dashboard_user(VIEWER)
        yield app
