"""Seeded app data for the dashboard's routes to act on, and a snapshot of everything they could change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tests._harness.core_process import CoreClient


@dataclass(frozen=True)
class World:
    user_id: str  # seed@example.com: metadata, role "editor", one session
    doomed_user_id: str  # deleted by the admin's DELETE /api/user
    session_handle: str


def seed(core: CoreClient) -> World:
    user_id = core.ok("POST", "/public/recipe/signup", json={"email": "seed@example.com", "password": "abcd1234"})[
        "user"
    ]["id"]
    doomed = core.ok("POST", "/public/recipe/signup", json={"email": "doomed@example.com", "password": "abcd1234"})[
        "user"
    ]["id"]
    core.ok("PUT", "/recipe/user/metadata", json={"userId": user_id, "metadataUpdate": {"first_name": "Seed"}})
    core.ok("PUT", "/recipe/role", json={"role": "editor", "permissions": ["read"]})
    core.ok("PUT", "/recipe/role", json={"role": "doomed-role", "permissions": []})
    core.ok("PUT", "/public/recipe/user/role", json={"userId": user_id, "role": "editor"})
    created = core.ok(
        "POST",
        "/public/recipe/session",
        json={"userId": user_id, "userDataInJWT": {}, "userDataInDatabase": {}, "enableAntiCsrf": False},
    )
    return World(user_id=user_id, doomed_user_id=doomed, session_handle=created["session"]["handle"])


def snapshot(core: CoreClient, world: World) -> dict[str, Any]:
    """Everything a dashboard write could touch, read straight from the core."""
    users = core.ok("GET", "/public/users", params={"limit": 100})["users"]
    roles = core.ok("GET", "/recipe/roles")["roles"]
    state: dict[str, Any] = {
        "users": users,
        "roles": {r: core.ok("GET", "/recipe/role/permissions", params={"role": r})["permissions"] for r in roles},
        "audit": core.ok("GET", "/recipe/dashboard/audit")["entries"],
        "seed password": core.post(
            "/public/recipe/signin", json={"email": "seed@example.com", "password": "abcd1234"}
        ).json()["status"],
    }
    for user in users:
        uid = user["id"]
        email = user["emails"][0]
        state[uid] = {
            "metadata": core.ok("GET", "/recipe/user/metadata", params={"userId": uid})["metadata"],
            "roles": core.ok("GET", "/public/recipe/user/roles", params={"userId": uid})["roles"],
            "sessions": core.ok("GET", "/public/recipe/session/user", params={"userId": uid})["sessionHandles"],
            "verified": core.ok("GET", "/recipe/user/email/verify", params={"userId": uid, "email": email})[
                "isVerified"
            ],
        }
    return state
