"""The user model shared by every recipe, with the JSON shape the core sends and frontends expect."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

RecipeId = Literal["emailpassword", "thirdparty", "passwordless", "webauthn"]


@dataclass(frozen=True)
class RecipeUserId:
    """The id of one login method of a user (equal to the user id when accounts are not linked)."""

    recipe_user_id: str

    def get_as_string(self) -> str:
        return self.recipe_user_id


@dataclass(frozen=True)
class ThirdPartyInfo:
    id: str
    user_id: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "userId": self.user_id}


@dataclass(frozen=True)
class AccountInfo:
    email: str | None = None
    phone_number: str | None = None
    third_party: ThirdPartyInfo | None = None


@dataclass(frozen=True)
class LoginMethod:
    recipe_id: RecipeId
    recipe_user_id: RecipeUserId
    tenant_ids: list[str]
    time_joined: int
    verified: bool
    email: str | None = None
    phone_number: str | None = None
    third_party: ThirdPartyInfo | None = None

    def has_same_email_as(self, email: str | None) -> bool:
        return email is not None and self.email is not None and self.email.strip().lower() == email.strip().lower()

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "recipeId": self.recipe_id,
            "recipeUserId": self.recipe_user_id.get_as_string(),
            "tenantIds": self.tenant_ids,
            "timeJoined": self.time_joined,
            "verified": self.verified,
        }
        if self.email is not None:
            out["email"] = self.email
        if self.phone_number is not None:
            out["phoneNumber"] = self.phone_number
        if self.third_party is not None:
            out["thirdParty"] = self.third_party.to_json()
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LoginMethod:
        tp = data.get("thirdParty")
        return cls(
            recipe_id=data["recipeId"],
            recipe_user_id=RecipeUserId(data["recipeUserId"]),
            tenant_ids=list(data["tenantIds"]),
            time_joined=int(data["timeJoined"]),
            verified=bool(data["verified"]),
            email=data.get("email"),
            phone_number=data.get("phoneNumber"),
            third_party=ThirdPartyInfo(tp["id"], tp["userId"]) if tp else None,
        )


@dataclass(frozen=True)
class User:
    id: str
    is_primary_user: bool
    tenant_ids: list[str]
    emails: list[str]
    phone_numbers: list[str]
    third_party: list[ThirdPartyInfo]
    login_methods: list[LoginMethod]
    time_joined: int
    webauthn_credential_ids: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        """The JSON frontends expect, in the key order upstream emits."""
        return {
            "id": self.id,
            "isPrimaryUser": self.is_primary_user,
            "tenantIds": self.tenant_ids,
            "emails": self.emails,
            "phoneNumbers": self.phone_numbers,
            "thirdParty": [tp.to_json() for tp in self.third_party],
            "webauthn": {"credentialIds": self.webauthn_credential_ids},
            "loginMethods": [lm.to_json() for lm in self.login_methods],
            "timeJoined": self.time_joined,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> User:
        return cls(
            id=data["id"],
            is_primary_user=bool(data["isPrimaryUser"]),
            tenant_ids=list(data["tenantIds"]),
            emails=list(data["emails"]),
            phone_numbers=list(data["phoneNumbers"]),
            third_party=[ThirdPartyInfo(tp["id"], tp["userId"]) for tp in data["thirdParty"]],
            login_methods=[LoginMethod.from_json(lm) for lm in data["loginMethods"]],
            time_joined=int(data["timeJoined"]),
            webauthn_credential_ids=list((data.get("webauthn") or {}).get("credentialIds", [])),
        )
