"""Reading every value of a cookie from raw Cookie headers (frameworks keep only one per name)."""

from __future__ import annotations

from urllib.parse import unquote


def cookie_values(headers: list[str], key: str) -> list[str]:
    values = []
    for header in headers:
        for pair in header.split(";"):
            name, sep, value = pair.strip().partition("=")
            if sep and name == key:
                value = value.strip()
                if len(value) >= 2 and value[0] == value[-1] == '"':
                    value = value[1:-1]
                values.append(unquote(value))
    return values
