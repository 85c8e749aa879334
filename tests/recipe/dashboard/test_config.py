"""dashboard.init(): validation, who may write for each ``admins`` setting, API-key mode, and overrides."""

from __future__ import annotations

from typing import Any

import pytest

from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.recipe import dashboard
from authdeck.recipe.dashboard import DashboardConfig, DashboardOverrideConfig, RecipeInterface
from authdeck.recipe.dashboard.constants import SIGNIN_FAILURES_PER_IP
from authdeck.recipe.dashboard.utils import validate_and_normalise_user_input
from tests._harness.core_process import CoreClient, CoreProcess
from tests.recipe.dashboard._app import ADMIN, VIEWER, bearer, serve

pytestmark = pytest.mark.anyio


def test_admins_are_trimmed_and_lower_cased() -> None:
    config = validate_and_normalise_user_input(None, [" Ada@Example.COM ", "ada@example.com", "b@x.io"], None)
    assert config.admins == ["ada@example.com", "b@x.io"]
    assert config.auth_mode == "email-password"


def test_api_key_selects_api_key_mode_and_is_masked() -> None:
    config = validate_and_normalise_user_input("super-secret-key", None, None)
    assert config.auth_mode == "api-key"
    assert "super-secret-key" not in repr(config)
    assert validate_and_normalise_user_input("   ", None, None).auth_mode == "email-password"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"api_key": 123}, "api_key=...\\) must be a string"),
        ({"admins": "a@x.com"}, "must be a list of emails"),
        ({"admins": ["a@x.com", ""]}, "every entry must be a non-empty email"),
        ({"admins": [None]}, "every entry must be a non-empty email"),
        ({"override": {"functions": None}}, "takes a DashboardOverrideConfig"),
    ],
)
def test_bad_settings_are_refused_at_init(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        dashboard.init(**kwargs)


async def write_and_read(core: CoreProcess, client: CoreClient, admins: list[str] | None) -> dict[str, int]:
    async with serve(core, client, dashboard_options={"admins": admins}) as app:
        app.create_dashboard_user(ADMIN)
        http = app.http()
        headers = bearer(await app.sign_in(ADMIN))
        read = await http.get(app.api("/userroles/roles"), headers=headers)
        write = await http.put(app.api("/userroles/role"), json={"role": "r", "permissions": []}, headers=headers)
        return {"read": read.status_code, "write": write.status_code}


async def test_without_admins_every_dashboard_user_may_write(core: CoreProcess, app_client: CoreClient) -> None:
    assert await write_and_read(core, app_client, None) == {"read": 200, "write": 200}


async def test_with_empty_admins_nobody_may_write(core: CoreProcess, app_client: CoreClient) -> None:
    assert await write_and_read(core, app_client, []) == {"read": 200, "write": 403}


async def test_api_key_mode_lets_the_key_holder_do_everything(core: CoreProcess, app_client: CoreClient) -> None:
    key = "a-dashboard-api-key-0123456"
    async with serve(core, app_client, dashboard_options={"api_key": key, "admins": []}) as app:
        http = app.http()
        assert (await http.post(app.api("/key/validate"), headers=bearer(key))).json() == {"status": "OK"}
        wrong = await http.post(app.api("/key/validate"), headers=bearer(key + "x"))
        assert (wrong.status_code, wrong.json()) == (401, {"message": "Unauthorised"})
        me = await http.get(app.api("/me"), headers=bearer(key))
        assert me.json() == {"status": "OK", "email": None, "authMode": "api-key", "isAdmin": True, "canWrite": True}
        write = await http.put(app.api("/userroles/role"), json={"role": "r", "permissions": []}, headers=bearer(key))
        assert write.json() == {"status": "OK", "createdNewRole": True}
        assert (await http.post(app.api("/signout"), headers=bearer(key))).json() == {"status": "OK"}
        [entry] = app.core_client.ok("GET", "/recipe/dashboard/audit")["entries"]
        assert (entry["actor"], entry["action"]) == ("api-key", "role.create")


async def test_wrong_api_keys_from_one_address_are_limited_like_failed_sign_ins(
    core: CoreProcess, app_client: CoreClient
) -> None:
    key = "a-dashboard-api-key-0123456"
    async with serve(core, app_client, dashboard_options={"api_key": key}) as app:
        http = app.http()
        for attempt in range(SIGNIN_FAILURES_PER_IP):
            guess = f"{key}-{attempt}"
            route = "/key/validate" if attempt % 2 else "/users/count"  # guessing through any route counts
            call = http.post if route == "/key/validate" else http.get
            assert (await call(app.api(route), headers=bearer(guess))).status_code == 401
        for locked in (
            await http.post(app.api("/key/validate"), headers=bearer(key)),
            await http.get(app.api("/users/count"), headers=bearer(key)),
        ):
            assert locked.status_code == 429, locked.text
            assert locked.json()["message"].startswith("Too many failed API key attempts from this address.")
            assert int(locked.headers["retry-after"]) > 0


async def test_key_validate_is_refused_in_email_password_mode(core: CoreProcess, app_client: CoreClient) -> None:
    async with serve(core, app_client) as app:
        reply = await app.http().post(app.api("/key/validate"), headers=bearer("anything"))
        assert (reply.status_code, reply.json()) == (401, {"message": "Unauthorised"})


async def test_should_allow_access_can_be_overridden(core: CoreProcess, app_client: CoreClient) -> None:
    """An override may admit by its own rule (here: a header), as upstream's tests do."""

    def functions(original: RecipeInterface) -> RecipeInterface:
        async def should_allow_access(
            request: BaseRequest, config: DashboardConfig, user_context: dict[str, Any]
        ) -> bool:
            if request.get_header("x-team") == "ops":
                return True
            return await original_check(request, config, user_context)

        original_check = original.should_allow_access
        original.should_allow_access = should_allow_access  # type: ignore[method-assign]
        return original

    options = {"override": DashboardOverrideConfig(functions=functions), "admins": [ADMIN]}
    async with serve(core, app_client, dashboard_options=options) as app:
        app.create_dashboard_user(VIEWER)
        http = app.http()
        body = {"role": "r", "permissions": []}
        ops = await http.put(app.api("/userroles/role"), json=body, headers={"x-team": "ops"})
        assert ops.json() == {"status": "OK", "createdNewRole": True}
        viewer = bearer(await app.sign_in(VIEWER))
        refused = await http.put(app.api("/userroles/role"), json={"role": "s", "permissions": []}, headers=viewer)
        assert refused.status_code == 403
        assert (await http.get(app.api("/me"))).status_code == 401
        [entry] = app.core_client.ok("GET", "/recipe/dashboard/audit")["entries"]
        assert entry["actor"] == "unknown"


async def test_the_csrf_header_is_not_offered_to_cors(core: CoreProcess, app_client: CoreClient) -> None:
    """The dashboard UI is served by the API itself, so it never needs CORS; allowing the header cross-origin
    would let script on the app's website (same-site, so the Strict cookie goes along) make dashboard writes."""
    from authdeck import get_all_cors_headers

    async with serve(core, app_client):
        assert "x-authdeck-csrf" not in get_all_cors_headers()
