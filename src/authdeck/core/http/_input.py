"""Reading typed fields out of CDI request bodies and query strings, with the CDI's 400 messages.

"Optional" means the key is omitted: an explicit ``null`` where a value is expected is a 400, as upstream.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, TypeVar

from authdeck.core.errors import BadRequestError

T = TypeVar("T")
_MISSING: Any = object()
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def invalid(name: str) -> BadRequestError:
    return BadRequestError(f"Field name '{name}' is invalid in JSON input")


def _storable(value: str, name: str) -> str:
    # NUL cannot be stored in PostgreSQL text and a lone surrogate (legal in JSON) cannot be encoded for
    # hashing or storage: both are malformed input, not server errors.
    if _UNSTORABLE.search(value):
        raise invalid(name)
    return value


def fits(value: str, name: str, max_length: int) -> str:
    """``value`` unless it is longer than its column allows (PostgreSQL would refuse it with an error)."""
    if len(value) > max_length:
        raise BadRequestError(f"Field name '{name}' is too long: at most {max_length} characters")
    return value


def _get(body: Mapping[str, Any], name: str, kind: type[T] | tuple[type, ...], required: bool) -> Any:
    value = body.get(name, _MISSING)
    if value is _MISSING:
        if required:
            raise invalid(name)
        return None
    # bool is an int in Python; the CDI keeps them apart.
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise invalid(name)
    return value


def string(body: Mapping[str, Any], name: str, *, trim: bool = True, allow_empty: bool = False) -> str:
    value: str = _storable(_get(body, name, str, True), name)
    if trim:
        value = value.strip()
    if not value and not allow_empty:
        raise BadRequestError(f"Field name '{name}' cannot be an empty String")
    return value


def optional_string(
    body: Mapping[str, Any], name: str, *, trim: bool = True, allow_empty: bool = False
) -> str | None:
    if name not in body:
        return None
    return string(body, name, trim=trim, allow_empty=allow_empty)


def boolean(body: Mapping[str, Any], name: str, default: bool | None = None) -> bool:
    value: bool | None = _get(body, name, bool, default is None)
    return default if value is None else value  # type: ignore[return-value]


def integer(body: Mapping[str, Any], name: str, default: int | None = None) -> int:
    value: int | None = _get(body, name, int, default is None)
    return default if value is None else value  # type: ignore[return-value]


def obj(body: Mapping[str, Any], name: str, *, required: bool = True) -> dict[str, Any] | None:
    value: dict[str, Any] | None = _get(body, name, dict, required)
    return value


def string_list(body: Mapping[str, Any], name: str, *, required: bool = True) -> list[str] | None:
    value: list[Any] | None = _get(body, name, list, required)
    if value is None:
        return None
    if not all(isinstance(v, str) for v in value):
        raise invalid(name)
    return [_storable(v, name) for v in value]


def query(params: Mapping[str, str], name: str) -> str:
    value = params.get(name)
    if value is None:
        raise BadRequestError(f"Field name '{name}' is missing in GET request")
    if "\x00" in value:
        raise BadRequestError(f"Field name '{name}' is invalid in GET request")
    return value


def query_nonempty(params: Mapping[str, str], name: str) -> str:
    value = query(params, name).strip()
    if not value:
        raise BadRequestError(f"Field name '{name}' cannot be an empty String")
    return value


def query_bool(params: Mapping[str, str], name: str, default: bool) -> bool:
    """``true``/``false`` (any case); absent or empty gives ``default``."""
    value = params.get(name)
    if value is None or value == "":
        return default
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise BadRequestError(f"Field name '{name}' must be 'true' or 'false'")
    return lowered == "true"
