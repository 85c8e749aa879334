"""Settings: precedence of flags, environment and YAML, and refusals that say what to fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from authdeck.core.config import load_settings
from authdeck.core.errors import ConfigError

KEY = "k" * 24


def test_defaults_are_loopback_sqlite_and_port_3567() -> None:
    s = load_settings(environ={})
    assert (s.host, s.port, s.database) == ("127.0.0.1", 3567, "sqlite:///./authdeck.db")
    assert s.app.access_token_validity == 3600


def test_non_loopback_without_api_key_is_refused_with_the_fix() -> None:
    with pytest.raises(ConfigError) as err:
        load_settings(environ={}, overrides={"host": "0.0.0.0"})
    assert "refusing to listen on 0.0.0.0 without an API key" in str(err.value)
    assert "--api-keys" in str(err.value)


def test_non_loopback_with_api_key_or_explicit_opt_out_is_allowed() -> None:
    assert load_settings(environ={}, overrides={"host": "0.0.0.0", "api_keys": KEY}).api_keys
    assert load_settings(environ={}, overrides={"host": "0.0.0.0", "allow_no_api_key": True}).host == "0.0.0.0"


def test_ipv6_loopback_and_localhost_count_as_loopback() -> None:
    assert load_settings(environ={}, overrides={"host": "::1"}).host == "::1"
    assert load_settings(environ={}, overrides={"host": "localhost"}).host == "localhost"


def test_short_api_key_is_refused() -> None:
    with pytest.raises(ConfigError, match="API key #2 is invalid: use at least 20 characters"):
        load_settings(environ={}, overrides={"api_keys": f"{KEY},short"})


def test_api_keys_are_masked_in_repr() -> None:
    s = load_settings(environ={}, overrides={"api_keys": KEY})
    assert KEY not in repr(s)
    assert KEY not in str(s.model_dump())


def test_flags_beat_environment_which_beats_yaml(tmp_path: Path) -> None:
    cfg = tmp_path / "core.yaml"
    cfg.write_text("port: 4000\nhost: 127.0.0.2\naccess_token_validity: 10\n")
    env = {"AUTHDECK_PORT": "5000", "AUTHDECK_ACCESS_TOKEN_VALIDITY": "20"}
    s = load_settings(config_file=cfg, environ=env, overrides={"port": 6000})
    assert (s.port, s.host, s.app.access_token_validity) == (6000, "127.0.0.2", 20)


def test_config_path_may_come_from_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "core.yaml"
    cfg.write_text("port: 4001\n")
    assert load_settings(environ={"AUTHDECK_CONFIG": str(cfg)}).port == 4001


def test_unknown_yaml_key_is_named(tmp_path: Path) -> None:
    cfg = tmp_path / "core.yaml"
    cfg.write_text("prot: 1\n")
    with pytest.raises(ConfigError, match="prot: unknown setting"):
        load_settings(config_file=cfg, environ={})


def test_yaml_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "core.yaml"
    cfg.write_text("- a\n- b\n")
    with pytest.raises(ConfigError, match="must hold a mapping"):
        load_settings(config_file=cfg, environ={})


def test_missing_config_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="Cannot read config file"):
        load_settings(config_file=tmp_path / "nope.yaml", environ={})


def test_bad_database_url_says_what_is_expected() -> None:
    with pytest.raises(ConfigError, match="database must be an SQLAlchemy URL"):
        load_settings(environ={}, overrides={"database": "mysql://x"})


def test_refresh_validity_must_outlive_access_validity() -> None:
    with pytest.raises(ConfigError, match="refresh_token_validity"):
        load_settings(environ={}, overrides={"access_token_validity": 7200, "refresh_token_validity": 1})


def test_port_out_of_range_is_refused() -> None:
    with pytest.raises(ConfigError, match="port"):
        load_settings(environ={"AUTHDECK_PORT": "70000"})


def test_app_overrides_are_validated_and_named() -> None:
    base = load_settings(environ={}).app
    assert base.merged({"access_token_validity": 5}).access_token_validity == 5
    with pytest.raises(ConfigError, match="Unknown coreConfig key"):
        base.merged({"port": 1})
    with pytest.raises(ConfigError, match="password_hashing_alg"):
        base.merged({"password_hashing_alg": "MD5"})
