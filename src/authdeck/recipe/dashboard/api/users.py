"""Users: list (with search and names from metadata), count, search tags, get, update, delete, create, unlink."""

from __future__ import annotations

from typing import Any

from authdeck.exceptions import BadInputError
from authdeck.recipe.dashboard._call import JSON, Call, invalid
from authdeck.recipe.dashboard.api._shared import (
    FEATURE_NOT_ENABLED,
    USER_NOT_FOUND,
    fetch_user,
    recipe_enabled,
    validate_emailpassword_field,
)
from authdeck.recipe.dashboard.constants import METADATA_BULK_MAX
from authdeck.types import User

_PAGING_PARAMS = ("limit", "timeJoinedOrder", "paginationToken")


def _with_names(user: User, first: Any, last: Any) -> JSON:
    return {**user.to_json(), "firstName": first, "lastName": last}


async def _metadata_of(call: Call, user_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Metadata of a page of users: one bulk request per 500 users, never one per user."""
    found: dict[str, dict[str, Any]] = {}
    unique = list(dict.fromkeys(user_ids))
    for start in range(0, len(unique), METADATA_BULK_MAX):
        batch = unique[start : start + METADATA_BULK_MAX]
        reply = await call.querier.post("/recipe/user/metadata/bulk", {"userIds": batch})
        for entry in reply["users"]:
            found[entry["userId"]] = entry.get("metadata") or {}
    return found


async def users_list(call: Call) -> JSON:
    raw_limit = call.query("limit")
    if not raw_limit.isascii() or not raw_limit.isdigit() or int(raw_limit) < 1:
        raise BadInputError("Invalid value received for 'limit'")
    order = call.request.get_query_param("timeJoinedOrder") or "DESC"
    if order not in ("ASC", "DESC"):
        raise BadInputError("Invalid value received for 'timeJoinedOrder'")
    params: dict[str, Any] = {"timeJoinedOrder": order, "limit": int(raw_limit)}
    token = call.request.get_query_param("paginationToken")
    if token:
        params["paginationToken"] = token
    # Every other query key is a search filter (email, phone, provider, ...), passed to the core as given.
    params.update({k: v for k, v in call.request.get_query_params().items() if k not in _PAGING_PARAMS})
    reply = await call.querier.get(f"/{call.tenant_id}/users", params)
    users = [User.from_json(u) for u in reply["users"]]
    metadata = await _metadata_of(call, [u.id for u in users]) if users else {}
    return {
        "status": "OK",
        "users": [
            _with_names(u, metadata.get(u.id, {}).get("first_name"), metadata.get(u.id, {}).get("last_name"))
            for u in users
        ],
        "nextPaginationToken": reply.get("nextPaginationToken"),
    }


async def users_count(call: Call) -> JSON:
    reply = await call.querier.get(f"/{call.tenant_id}/users/count")
    return {"status": "OK", "count": reply["count"]}


async def search_tags(call: Call) -> JSON:
    reply = await call.querier.get("/user/search/tags")
    return {"status": "OK", "tags": reply["tags"]}


async def user_get(call: Call) -> JSON:
    user_id = call.query("userId")
    user = await fetch_user(call, user_id)
    if user is None:
        return {"status": "NO_USER_FOUND_ERROR"}
    metadata = (await call.querier.get("/recipe/user/metadata", {"userId": user.id}))["metadata"]
    return {"status": "OK", "user": _with_names(user, metadata.get("first_name", ""), metadata.get("last_name", ""))}


async def user_delete(call: Call) -> JSON:
    user_id = call.query("userId")
    raw = call.request.get_query_param("removeAllLinkedAccounts")
    remove_linked = raw is None or raw.strip().lower() == "true"
    audit = call.audit("user.delete", {"removeAllLinkedAccounts": remove_linked})
    body = {"userId": user_id, "removeAllLinkedAccounts": remove_linked, "audit": audit}
    await call.querier.post("/user/remove", body)
    return {"status": "OK"}


async def user_put(call: Call) -> JSON:
    body = await call.body()
    fields: dict[str, str] = {}
    for name in ("recipeUserId", "recipeId", "firstName", "lastName", "email", "phone"):
        value = body.get(name)
        if not isinstance(value, str):
            raise BadInputError(invalid(name))
        fields[name] = value
    recipe_user_id, recipe_id = fields["recipeUserId"], fields["recipeId"]
    user = await fetch_user(call, recipe_user_id)
    method = None
    if user is not None:
        method = next(
            (
                m
                for m in user.login_methods
                if m.recipe_id == recipe_id and m.recipe_user_id.get_as_string() == recipe_user_id
            ),
            None,
        )
    if user is None or method is None:
        raise BadInputError(USER_NOT_FOUND)
    # Refusals come before any write, so that a refused request changes nothing.
    if fields["phone"].strip():
        return {
            "status": "PHONE_NUMBER_CHANGE_NOT_ALLOWED_ERROR",
            "error": "Phone numbers belong to passwordless login methods, and passwordless is not enabled",
        }
    new_email = fields["email"].strip()
    if new_email and recipe_id != "emailpassword":
        return {
            "status": "EMAIL_CHANGE_NOT_ALLOWED_ERROR",
            "error": f"The email of a {recipe_id} login method cannot be changed from the dashboard",
        }
    if new_email:
        from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe

        if not recipe_enabled(EmailPasswordRecipe):
            return {"status": "EMAIL_CHANGE_NOT_ALLOWED_ERROR", "error": "The emailpassword recipe is not initialised"}
        error = await validate_emailpassword_field("email", new_email, call.tenant_id)
        if error is not None:
            return {"status": "INVALID_EMAIL_ERROR", "error": error}
    given = (("first_name", fields["firstName"]), ("last_name", fields["lastName"]))
    names = {key: value.strip() for key, value in given if value.strip()}
    changed = {("firstName" if key == "first_name" else "lastName"): value for key, value in names.items()}
    if new_email:
        changed["email"] = new_email
    if not changed:
        return {"status": "OK"}
    # The audit record goes with the last write, which runs only once the earlier one succeeded.
    audit = call.audit("user.update", changed, target_type="user", target_id=user.id)
    if new_email:
        body_email: JSON = {"recipeUserId": recipe_user_id, "email": new_email}
        if not names:
            body_email["audit"] = audit
        reply = await call.querier.put("/recipe/user", body_email, rid="emailpassword")
        status = reply.get("status")
        if status == "EMAIL_ALREADY_EXISTS_ERROR":
            return {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
        if status == "EMAIL_CHANGE_NOT_ALLOWED_ERROR":
            return {"status": "EMAIL_CHANGE_NOT_ALLOWED_ERROR", "error": reply.get("reason", "")}
        if status != "OK":
            raise BadInputError(USER_NOT_FOUND)
    if names:
        await call.querier.put("/recipe/user/metadata", {"userId": user.id, "metadataUpdate": names, "audit": audit})
    return {"status": "OK"}


async def create_emailpassword_user(call: Call) -> JSON:
    from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe

    if not recipe_enabled(EmailPasswordRecipe):
        return FEATURE_NOT_ENABLED
    email = await call.body_string("email")
    password = await call.body_string("password")
    error = await validate_emailpassword_field("email", email, call.tenant_id)
    if error is not None:
        return {"status": "EMAIL_VALIDATION_ERROR", "message": error}
    error = await validate_emailpassword_field("password", password, call.tenant_id)
    if error is not None:
        return {"status": "PASSWORD_VALIDATION_ERROR", "message": error}
    audit = call.audit("user.create", {"email": email.strip(), "recipeId": "emailpassword"})
    reply = await call.querier.post(
        f"/{call.tenant_id}/recipe/signup", {"email": email, "password": password, "audit": audit}, rid="emailpassword"
    )
    if reply.get("status") == "EMAIL_ALREADY_EXISTS_ERROR":
        return {"status": "EMAIL_ALREADY_EXISTS_ERROR"}
    user = User.from_json(reply["user"])
    return {"status": "OK", "user": user.to_json(), "recipeUserId": reply["recipeUserId"]}


async def create_passwordless_user(call: Call) -> JSON:
    return FEATURE_NOT_ENABLED  # passwordless arrives with its recipe


async def user_unlink(call: Call) -> JSON:
    """authdeck links no accounts, so there is never anything to unlink; the request is still checked."""
    call.query("recipeUserId", "Required field recipeUserId is missing")
    return {"status": "OK"}

