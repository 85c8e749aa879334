"""Helpers for the session endpoint tests: create, verify, refresh, and reading tokens against the JWKS."""

from __future__ import annotations

import hashlib
from typing import Any

import httpx
import jwt

from tests._harness.core_process import CoreClient


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def create(
    client: CoreClient,
    user_id: str = "user-1",
    *,
    tenant: str = "public",
    payload: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    anti_csrf: bool = False,
    dynamic: bool = True,
) -> dict[str, Any]:
    body = {
        "userId": user_id,
        "userDataInJWT": payload if payload is not None else {},
        "userDataInDatabase": data if data is not None else {},
        "enableAntiCsrf": anti_csrf,
        "useDynamicSigningKey": dynamic,
    }
    return client.ok("POST", f"/{tenant}/recipe/session", json=body)


def verify(
    client: CoreClient,
    access_token: str,
    *,
    check_database: bool = False,
    anti_csrf: str | None = None,
    do_anti_csrf_check: bool = False,
    enable_anti_csrf: bool = False,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "accessToken": access_token,
        "doAntiCsrfCheck": do_anti_csrf_check,
        "enableAntiCsrf": enable_anti_csrf,
        "checkDatabase": check_database,
    }
    if anti_csrf is not None:
        body["antiCsrfToken"] = anti_csrf
    reply = client.post("/recipe/session/verify", json=body)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def refresh(
    client: CoreClient,
    refresh_token: str,
    *,
    anti_csrf: str | None = None,
    enable_anti_csrf: bool = False,
    dynamic: bool = True,
) -> dict[str, Any]:
    body: dict[str, Any] = {
        "refreshToken": refresh_token,
        "enableAntiCsrf": enable_anti_csrf,
        "useDynamicSigningKey": dynamic,
    }
    if anti_csrf is not None:
        body["antiCsrfToken"] = anti_csrf
    reply = client.post("/recipe/session/refresh", json=body)
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def jwks(client: CoreClient) -> dict[str, Any]:
    reply = httpx.get(str(client.base_url).rstrip("/") + "/.well-known/jwks.json")
    assert reply.status_code == 200, reply.text
    result: dict[str, Any] = reply.json()
    return result


def decode(client: CoreClient, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(header, claims)`` of ``token`` after checking it against the app's published keys, as an SDK does."""
    header = jwt.get_unverified_header(token)
    [jwk] = [k for k in jwks(client)["keys"] if k["kid"] == header["kid"]]
    claims = jwt.decode(token, jwt.PyJWK(jwk).key, algorithms=["RS256"])
    return header, claims


def handles(client: CoreClient, user_id: str, tenant: str = "public", **params: str) -> list[str]:
    body = client.ok("GET", f"/{tenant}/recipe/session/user", params={"userId": user_id, **params})
    result: list[str] = body["sessionHandles"]
    return result
