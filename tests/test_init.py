"""init() validates everything up front and says what to change."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from authdeck import InputAppInfo, SupertokensConfig, get_all_cors_headers, init
from authdeck._supertokens import Authdeck
from authdeck.exceptions import ConfigError
from tests.framework.test_fastapi import EchoRecipe


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    Authdeck.reset()
    yield
    Authdeck.reset()


def _init(**overrides: Any) -> None:
    args: dict[str, Any] = {
        "app_info": InputAppInfo(app_name="Demo", api_domain="http://localhost:8000", website_domain="localhost:3000"),
        "framework": "fastapi",
        "supertokens_config": SupertokensConfig(connection_uri="http://localhost:3567"),
        "recipe_list": [EchoRecipe.init()],
    }
    args.update(overrides)
    init(**args)


def test_init_twice_says_to_call_it_once() -> None:
    _init()
    with pytest.raises(ConfigError, match="already called"):
        _init()


def test_unknown_framework_lists_the_supported_ones() -> None:
    with pytest.raises(ConfigError, match="framework 'bottle' is not supported; use one of: fastapi, flask, django"):
        _init(framework="bottle")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("api_domain", "http://localhost:8000/auth", "must not contain a path"),
        ("api_domain", "ftp://x.com", "is not a URL"),
        ("api_domain", "", "is empty"),
        ("website_domain", "http://x.com:notaport", "invalid port"),
        ("api_base_path", "http://x.com/auth", "must be a path"),
    ],
)
def test_malformed_app_info_is_refused_with_the_field(field: str, value: str, message: str) -> None:
    info: dict[str, Any] = {"app_name": "Demo", "api_domain": "http://localhost:8000", "website_domain": "localhost"}
    info[field] = value
    with pytest.raises(ConfigError, match=message):
        _init(app_info=InputAppInfo(**info))
    assert Authdeck._instance is None


def test_bad_connection_uri_is_refused() -> None:
    with pytest.raises(ConfigError, match="must start with http:// or https://"):
        _init(supertokens_config=SupertokensConfig(connection_uri="localhost:3567"))


def test_domains_are_normalised() -> None:
    _init(app_info=InputAppInfo(app_name="D", api_domain="api.example.com", website_domain="localhost:3000",
                                api_base_path="auth/", api_gateway_path="/gw"))
    info = Authdeck.get_instance().app_info
    assert info.api_domain == "https://api.example.com"
    assert info.website_domain == "http://localhost:3000"
    assert info.api_base_path == "/gw/auth"


def test_cors_headers_include_rid_and_fdi_version() -> None:
    _init()
    assert {"rid", "fdi-version"} <= set(get_all_cors_headers())


def test_api_key_is_masked_in_repr() -> None:
    assert "secret-key" not in repr(SupertokensConfig(connection_uri="http://x", api_key="secret-key"))
