"""session.init() validation and overrides of functions, APIs and error handlers."""

from __future__ import annotations

from typing import Any

import pytest

import authdeck.recipe.session as session_pkg
from authdeck import get_all_cors_headers
from authdeck.exceptions import ConfigError
from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse
from authdeck.recipe import session
from authdeck.recipe.session import InputErrorHandlers, InputOverrideConfig
from authdeck.recipe.session.interfaces import APIInterface, RecipeInterface, SessionContainer
from tests.recipe.session.conftest import MakeApp

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"anti_csrf": "SOMETIMES"}, "must be one of VIA_TOKEN, VIA_CUSTOM_HEADER, NONE"),
        ({"cookie_same_site": "loose"}, 'must be one of "strict", "lax", or "none"'),
        ({"session_expired_status_code": 403}, "cannot be the same (403)"),
        ({"invalid_claim_status_code": 200}, "between 400 and 599"),
        ({"jwks_refresh_interval_sec": 0}, "positive number of seconds"),
        ({"cookie_domain": "http://"}, "is not a domain"),
        ({"error_handlers": object()}, "InputErrorHandlers"),
        ({"override": object()}, "InputOverrideConfig"),
    ],
)
async def test_init_refuses_unusable_values_with_a_hint(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError) as err:
        session.init(**kwargs)
    assert message in str(err.value)


async def test_package_exports_match_upstream_names() -> None:
    assert set(session_pkg.__all__) == {
        "InputErrorHandlers",
        "InputOverrideConfig",
        "SessionContainer",
        "SessionOverrideConfig",
        "SessionRecipe",
        "TokenTransferMethod",
        "init",
    }
    from authdeck.recipe.session import interfaces

    assert interfaces.SessionContainer is session_pkg.SessionContainer


async def test_cors_headers_include_the_session_request_headers(make_app: MakeApp) -> None:
    await make_app()
    assert get_all_cors_headers() == ["anti-csrf", "authorization", "fdi-version", "rid", "st-auth-mode"]


async def test_function_override_can_wrap_the_original(make_app: MakeApp) -> None:
    seen: list[str] = []

    def functions(original: RecipeInterface) -> RecipeInterface:
        create = original.create_new_session

        async def create_new_session(user_id: str, recipe_user_id: Any, payload: Any, *rest: Any) -> SessionContainer:
            seen.append(user_id)
            return await create(user_id, recipe_user_id, {**(payload or {}), "extra": True}, *rest)

        original.create_new_session = create_new_session  # type: ignore[method-assign]
        return original

    app = await make_app(override=InputOverrideConfig(functions=functions))
    created = await app.create("alice")
    assert seen == ["alice"] and created.json()["payload"]["extra"] is True


async def test_api_set_to_none_disables_the_route(make_app: MakeApp) -> None:
    def apis(original: APIInterface) -> APIInterface:
        original.refresh_post = None  # type: ignore[assignment]
        return original

    app = await make_app(override=InputOverrideConfig(apis=apis))
    reply = await app.call("POST", "/auth/session/refresh")
    assert reply.status == 404  # the app's own 404: the SDK no longer serves it


async def test_disable_flag_disables_signout(make_app: MakeApp) -> None:
    def apis(original: APIInterface) -> APIInterface:
        original.disable_signout_post = True
        return original

    app = await make_app(override=InputOverrideConfig(apis=apis))
    assert (await app.call("POST", "/auth/signout")).status == 404


async def test_unauthorised_handler_override_and_status_code(make_app: MakeApp) -> None:
    def on_unauthorised(request: BaseRequest, message: str, response: BaseResponse) -> BaseResponse:
        response.set_status(419)
        response.set_json_content({"why": message})
        return response

    app = await make_app(error_handlers=InputErrorHandlers(on_unauthorised=on_unauthorised))
    reply = await app.call("GET", "/protected")
    assert reply.status == 419 and reply.json()["why"].startswith("Session does not exist")


async def test_session_expired_status_code_applies_to_every_401(make_app: MakeApp) -> None:
    app = await make_app(session_expired_status_code=440)
    assert (await app.call("GET", "/protected")).status == 440
    assert (await app.call("POST", "/auth/session/refresh")).status == 440


async def test_token_transfer_method_function_can_force_cookies(make_app: MakeApp) -> None:
    app = await make_app(get_token_transfer_method=lambda request, for_create, ctx: "cookie")
    created = await app.create("bob")  # no st-auth-mode header
    assert "sAccessToken" in created.cookies and created.header("st-access-token") is None
    header_token = (await app.call("GET", "/protected", bearer=created.cookie_value("sAccessToken"))).status
    assert header_token == 401  # bearer tokens are not read when only cookies are allowed
