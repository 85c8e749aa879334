"""Typed settings of the core, read from flags, ``AUTHDECK_*`` environment variables and a YAML file.

Precedence, highest first: command-line flags, environment, YAML file, defaults. Everything is validated
when the core starts, so a bad value stops it with a message instead of failing the first request.
"""

from __future__ import annotations

import ipaddress
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator, model_validator

from authdeck.core.errors import ConfigError

ENV_PREFIX = "AUTHDECK_"

_API_KEY_RE = re.compile(r"^[A-Za-z0-9=\-]{20,}$")


class AppSettings(BaseModel):
    """Settings that each app may override through its ``coreConfig`` (PUT /recipe/multitenancy/app/v2)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    access_token_validity: int = Field(3600, ge=1, le=86_400_000, description="Access token lifetime, seconds.")
    refresh_token_validity: int = Field(
        144_000, ge=1, description="Refresh token (session) lifetime, minutes; must exceed the access token's."
    )
    access_token_dynamic_signing_key_update_interval: int = Field(
        168, ge=1, description="Hours between two dynamic signing keys."
    )
    password_reset_token_lifetime: int = Field(3_600_000, gt=0, description="Reset token lifetime, ms.")
    email_verification_token_lifetime: int = Field(
        86_400_000, gt=0, description="Email verification token lifetime, ms."
    )
    password_hashing_alg: Literal["BCRYPT", "ARGON2"] = Field("BCRYPT", description="Hash for new passwords.")
    dashboard_session_idle_timeout: int = Field(
        1800, ge=1, description="Seconds of inactivity after which a dashboard session ends."
    )
    dashboard_session_absolute_lifetime: int = Field(
        43_200, ge=1, description="Seconds after sign-in after which a dashboard session ends regardless."
    )

    @model_validator(mode="after")
    def _refresh_outlives_access(self) -> AppSettings:
        if self.refresh_token_validity * 60 <= self.access_token_validity:
            raise ValueError(
                "refresh_token_validity (minutes) * 60 must be greater than access_token_validity (seconds)"
            )
        return self

    def merged(self, overrides: Mapping[str, Any]) -> AppSettings:
        """These settings with an app's ``coreConfig`` applied; raises ``ConfigError`` naming the bad key."""
        unknown = sorted(set(overrides) - set(type(self).model_fields))
        if unknown:
            allowed = ", ".join(sorted(type(self).model_fields))
            raise ConfigError(f"Unknown coreConfig key(s): {', '.join(unknown)}. Allowed keys: {allowed}")
        try:
            return type(self).model_validate({**self.model_dump(), **overrides})
        except ValidationError as exc:
            raise ConfigError(_describe(exc, "coreConfig")) from exc


class CoreSettings(BaseModel):
    """Everything the core process is configured with."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = Field("127.0.0.1", description="Address to bind. Loopback by default.")
    port: int = Field(3567, ge=0, le=65535, description="Port to listen on (0 picks a free one).")
    database: str = Field("sqlite:///./authdeck.db", description="SQLAlchemy URL of the database.")
    api_keys: tuple[SecretStr, ...] = Field(
        (), description="API keys; a request must carry one. Each is 20+ chars of A-Z a-z 0-9 = -."
    )
    allow_no_api_key: bool = Field(False, description="Allow binding a non-loopback address with no API key.")
    bcrypt_log_rounds: int = Field(11, ge=4, le=31, description="bcrypt cost for new hashes.")
    argon2_iterations: int = Field(1, ge=1, description="Argon2id time cost.")
    argon2_memory_kb: int = Field(87_795, ge=8, description="Argon2id memory cost in KiB.")
    argon2_parallelism: int = Field(2, ge=1, description="Argon2id lanes.")
    password_hashing_pool_size: int = Field(
        2, ge=1, le=64, description="How many password hashes may run at once (each in a worker thread)."
    )
    db_pool_size: int = Field(10, ge=1, le=200, description="Database connection pool size.")
    purge_interval: int = Field(
        3600, ge=1, description="Seconds between two purges of expired sessions, tokens and keys."
    )
    audit_log_retention_days: int = Field(
        365,
        ge=0,
        le=36_500,
        description="Days the dashboard's audit log keeps an entry before the purge deletes it; 0 keeps it forever.",
    )
    log_level: Literal["debug", "info", "warning", "error"] = Field("info", description="Log verbosity.")
    access_log: bool = Field(False, description="Log one line per request (method, path, status).")
    app: AppSettings = Field(default_factory=AppSettings, description="Defaults for every app.")  # type: ignore[arg-type]

    @field_validator("api_keys", mode="before")
    @classmethod
    def _split_keys(cls, value: Any) -> Any:
        if isinstance(value, str):
            return tuple(k.strip() for k in value.split(",") if k.strip())
        return value

    @field_validator("api_keys")
    @classmethod
    def _check_keys(cls, value: tuple[SecretStr, ...]) -> tuple[SecretStr, ...]:
        for i, key in enumerate(value, start=1):
            if not _API_KEY_RE.match(key.get_secret_value()):
                raise ValueError(
                    f"API key #{i} is invalid: use at least 20 characters of A-Z, a-z, 0-9, '=' and '-'"
                )
        return value

    @field_validator("database")
    @classmethod
    def _check_database(cls, value: str) -> str:
        if not value.startswith(("sqlite://", "postgresql://", "postgresql+psycopg://", "postgres://")):
            raise ValueError(
                "database must be an SQLAlchemy URL starting with sqlite:/// or postgresql://"
                " (for example sqlite:///./authdeck.db)"
            )
        if value.startswith("postgres://"):
            value = "postgresql://" + value[len("postgres://") :]
        return value

    @model_validator(mode="after")
    def _loopback_or_key(self) -> CoreSettings:
        if not self.api_keys and not self.allow_no_api_key and not is_loopback(self.host):
            raise ValueError(
                f"refusing to listen on {self.host} without an API key: anyone who can reach it could read "
                "and change every user. Set --api-keys (AUTHDECK_API_KEYS), bind 127.0.0.1, "
                "or pass --allow-no-api-key if a proxy in front enforces access"
            )
        return self


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


_APP_FIELDS = set(AppSettings.model_fields)


def load_settings(
    *,
    config_file: str | Path | None = None,
    environ: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
) -> CoreSettings:
    """Build settings from YAML, environment and explicit overrides (flags); raise ``ConfigError`` if invalid."""
    env = os.environ if environ is None else environ
    raw: dict[str, Any] = {}
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    if path:
        raw.update(_read_yaml(Path(path)))
    for name in (*CoreSettings.model_fields, *_APP_FIELDS):
        value = env.get(ENV_PREFIX + name.upper())
        if value is not None and name != "app":
            raw[name] = value
    for name, value in (overrides or {}).items():
        if value is not None:
            raw[name] = value
    app_raw = dict(raw.pop("app", None) or {})
    for name in _APP_FIELDS & set(raw):
        app_raw[name] = raw.pop(name)
    raw["app"] = app_raw
    try:
        return CoreSettings.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_describe(exc, "setting")) from exc


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"Cannot read config file {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ConfigError(f"Config file {path} is not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"Config file {path} must hold a mapping of setting names to values")
    return {str(k): v for k, v in data.items()}


def _describe(exc: ValidationError, what: str) -> str:
    parts = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if p != "app")
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown {what}"
        parts.append(f"{loc}: {msg}" if loc else msg)
    return f"Invalid {what}: " + "; ".join(parts)
