"""The app's identity (domains and base paths) and the core's address, validated once at init()."""

from __future__ import annotations

import ipaddress
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from authdeck.exceptions import ConfigError

if TYPE_CHECKING:
    from authdeck.framework.request import BaseRequest

OriginFn = Callable[["BaseRequest | None", dict[str, Any]], str]


@dataclass(kw_only=True)
class InputAppInfo:
    """What init() is told about the app, as in supertokens_python."""

    app_name: str
    api_domain: str
    website_domain: str | None = None
    origin: str | OriginFn | None = None
    api_base_path: str = "/auth"
    website_base_path: str = "/auth"
    api_gateway_path: str = ""


@dataclass(kw_only=True)
class SupertokensConfig:
    """Where the core is: ``connection_uri`` may list several cores separated by ';' (fail-over)."""

    connection_uri: str
    api_key: str | None = None

    def __repr__(self) -> str:
        key = "None" if self.api_key is None else "'***'"
        return f"SupertokensConfig(connection_uri={self.connection_uri!r}, api_key={key})"


def normalise_domain(value: str, field: str) -> str:
    """``scheme://host[:port]`` without a path; a bare host gets http (local) or https (anything else)."""
    raw = value.strip()
    if not raw:
        raise ConfigError(f"{field} is empty; give a URL such as https://api.example.com")
    if "://" not in raw:
        host = raw.split("/")[0].split(":")[0]
        raw = ("http://" if _is_local(host) else "https://") + raw
    parts = urlsplit(raw)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{field} {value!r} is not a URL such as https://api.example.com")
    if parts.path not in ("", "/") or parts.query or parts.fragment:
        raise ConfigError(
            f"{field} {value!r} must not contain a path; put paths in api_base_path / website_base_path"
        )
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"{field} {value!r} has an invalid port") from exc
    host = parts.hostname
    if ":" in host:
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + (f":{port}" if port else "")


def normalise_path(value: str, field: str) -> str:
    """A path that starts with '/' and has no trailing '/'; '' for the root."""
    raw = value.strip()
    if "://" in raw:
        raise ConfigError(f"{field} {value!r} must be a path such as /auth, not a URL")
    if "?" in raw or "#" in raw:
        raise ConfigError(f"{field} {value!r} must be a plain path such as /auth")
    raw = "/" + raw.strip("/")
    return "" if raw == "/" else raw


def _is_local(host: str) -> bool:
    if host.startswith("localhost"):
        return True
    try:
        ipaddress.ip_address(host.strip("[]"))
        return True
    except ValueError:
        return False


@lru_cache(maxsize=256)
def top_level_domain(url_or_host: str) -> str:
    """The registrable domain (eTLD+1) of a URL, or 'localhost' for local hosts and IP addresses.

    Uses the public-suffix list bundled with tldextract; it never fetches one over the network.
    """
    import tldextract

    host = urlsplit(url_or_host).hostname if "://" in url_or_host else url_or_host.split(":")[0]
    host = host or url_or_host
    if _is_local(host):
        return "localhost"
    extract = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None, include_psl_private_domains=True)
    parts = extract(host)
    if not parts.suffix:
        return host
    return f"{parts.domain}.{parts.suffix}" if parts.domain else parts.suffix


@dataclass(frozen=True)
class AppInfo:
    """InputAppInfo after validation and normalisation."""

    app_name: str
    api_domain: str
    website_domain: str | None
    origin: str | OriginFn | None
    api_base_path: str  # includes api_gateway_path: the path prefix of every SDK route
    api_gateway_path: str
    website_base_path: str
    framework: str
    mode: str

    @classmethod
    def build(cls, info: InputAppInfo, framework: str, mode: str) -> AppInfo:
        if not info.app_name or not info.app_name.strip():
            raise ConfigError("app_info.app_name is empty; give your app's name (it appears in emails)")
        if info.website_domain is None and info.origin is None:
            raise ConfigError("app_info needs website_domain (or origin): the URL your frontend is served from")
        origin = info.origin
        if isinstance(origin, str):
            origin = normalise_domain(origin, "app_info.origin")
        gateway = normalise_path(info.api_gateway_path, "app_info.api_gateway_path")
        return cls(
            app_name=info.app_name.strip(),
            api_domain=normalise_domain(info.api_domain, "app_info.api_domain"),
            website_domain=(
                normalise_domain(info.website_domain, "app_info.website_domain") if info.website_domain else None
            ),
            origin=origin,
            api_base_path=gateway + normalise_path(info.api_base_path, "app_info.api_base_path"),
            api_gateway_path=gateway,
            website_base_path=normalise_path(info.website_base_path, "app_info.website_base_path"),
            framework=framework,
            mode=mode,
        )

    def get_origin(self, request: BaseRequest | None, user_context: dict[str, Any]) -> str:
        """The website origin for links and cookie decisions (``origin`` wins over ``website_domain``)."""
        if callable(self.origin):
            return normalise_domain(self.origin(request, user_context), "app_info.origin")
        if self.origin:
            return self.origin
        if self.website_domain is None:  # build() refuses this; kept for type narrowing
            raise ConfigError("app_info needs website_domain (or origin)")
        return self.website_domain
