"""usermetadata functions against a real core: get, shallow merge with null deletion, clear, overrides."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authdeck import InputAppInfo, SupertokensConfig, _sync, init
from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from authdeck.recipe import usermetadata
from authdeck.recipe.usermetadata import UserMetadataOverrideConfig
from authdeck.recipe.usermetadata import asyncio as metadata_async
from authdeck.recipe.usermetadata.interfaces import MetadataResult, RecipeInterface
from authdeck.recipe.usermetadata.syncio import clear_user_metadata, get_user_metadata, update_user_metadata
from tests._harness.core_process import API_KEY, CoreClient, CoreProcess


def start_sdk(core: CoreProcess, client: CoreClient, override: UserMetadataOverrideConfig | None = None) -> None:
    Authdeck.reset()
    init(
        app_info=InputAppInfo(app_name="T", api_domain="http://localhost:8000", website_domain="http://localhost:3000"),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri=f"{core.url}/appid-{client.app_id}", api_key=API_KEY),
        recipe_list=[usermetadata.init(override=override)],
    )


def stop_sdk() -> None:
    """Close the querier's connections of the sync loop (unclosed sockets fail the run) and forget init()."""
    if Authdeck._instance is not None:
        _sync.run(Authdeck._instance.querier.aclose())
    Authdeck.reset()


@pytest.fixture
def app(core: CoreProcess) -> Iterator[CoreClient]:
    with core.new_app() as client:
        start_sdk(core, client)
        yield client
    stop_sdk()


def test_metadata_of_a_user_without_any_is_empty(app: CoreClient) -> None:
    assert get_user_metadata("nobody").metadata == {}


def test_update_merges_top_level_keys_and_none_deletes_a_key(app: CoreClient) -> None:
    update_user_metadata("u1", {"first_name": "Ada", "prefs": {"theme": "dark", "lang": "en"}, "n": 1})
    result = update_user_metadata("u1", {"prefs": {"theme": "light"}, "n": None, "last_name": "L"})
    expected = {"first_name": "Ada", "prefs": {"theme": "light"}, "last_name": "L"}
    assert result.metadata == expected
    assert get_user_metadata("u1").metadata == expected
    # The core holds it: the CDI sees the same object.
    assert app.ok("GET", "/recipe/user/metadata", params={"userId": "u1"})["metadata"] == expected


def test_clear_removes_everything_and_leaves_other_users_alone(app: CoreClient) -> None:
    update_user_metadata("u1", {"a": 1})
    update_user_metadata("u2", {"b": 2})
    clear_user_metadata("u1")
    assert get_user_metadata("u1").metadata == {}
    assert get_user_metadata("u2").metadata == {"b": 2}


def test_unicode_and_nested_values_round_trip(app: CoreClient) -> None:
    value: dict[str, Any] = {"name": "Zoë 🙂", "list": [1, "two", None, {"x": [True, False]}], "f": 1.5}
    update_user_metadata("ü-ser", value)
    assert get_user_metadata("ü-ser").metadata == value


@pytest.mark.anyio
async def test_async_functions_share_the_core_with_sync_ones(app: CoreClient) -> None:
    await metadata_async.update_user_metadata("u3", {"k": "v"})
    assert (await metadata_async.get_user_metadata("u3")).metadata == {"k": "v"}
    await metadata_async.clear_user_metadata("u3")
    assert (await metadata_async.get_user_metadata("u3")).metadata == {}
    await Authdeck.get_instance().querier.aclose()


def test_function_override_wraps_the_original(core: CoreProcess) -> None:
    calls: list[str] = []

    def functions(original: RecipeInterface) -> RecipeInterface:
        original_get = original.get_user_metadata

        async def get_user_metadata(user_id: str, user_context: dict[str, Any]) -> MetadataResult:
            calls.append(user_context.get("who", "?"))
            result = await original_get(user_id, user_context)
            return MetadataResult({**result.metadata, "seen": True})

        original.get_user_metadata = get_user_metadata  # type: ignore[method-assign]
        return original

    with core.new_app() as client:
        start_sdk(core, client, UserMetadataOverrideConfig(functions=functions))
        try:
            update_user_metadata("u", {"a": 1})
            assert get_user_metadata("u", {"who": "test"}).metadata == {"a": 1, "seen": True}
        finally:
            stop_sdk()
    assert calls == ["test"]


def test_functions_without_the_recipe_say_how_to_fix_it(core: CoreProcess) -> None:
    Authdeck.reset()
    with pytest.raises(ConfigError, match="init"):
        get_user_metadata("u")


def test_init_refuses_a_wrong_override_type() -> None:
    with pytest.raises(ConfigError, match="UserMetadataOverrideConfig"):
        usermetadata.init(override={"functions": None})  # type: ignore[arg-type]


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
