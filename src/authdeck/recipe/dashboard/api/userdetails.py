"""One user's details: email verification, password, metadata and sessions."""

from __future__ import annotations

import asyncio
import json
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
from authdeck.types import RecipeUserId, User

OK: JSON = {"status": "OK"}
SUMMARY_HANDLES = 50  # the audit summary names this many revoked sessions at most


async def _email_of(call: Call, user: User | None, recipe_user_id: str) -> str | None:
    """The login method's email as email verification sees it (the app's own lookup first)."""
    from authdeck.recipe.emailverification.interfaces import EmailDoesNotExistError, GetEmailForUserIdOkResult
    from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe

    recipe = EmailVerificationRecipe.get_instance()
    found = await recipe.get_email_for_recipe_user_id(user, RecipeUserId(recipe_user_id), call.user_context)
    if isinstance(found, GetEmailForUserIdOkResult):
        return found.email
    if isinstance(found, EmailDoesNotExistError):
        return None
    raise BadInputError(USER_NOT_FOUND)


def _ev_enabled() -> bool:
    from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe

    return recipe_enabled(EmailVerificationRecipe)


async def email_verify_get(call: Call) -> JSON:
    recipe_user_id = call.query("recipeUserId")
    if not _ev_enabled():
        return FEATURE_NOT_ENABLED
    email = await _email_of(call, None, recipe_user_id)
    if email is None:
        return {"status": "OK", "isVerified": True}  # nothing to verify counts as verified, as upstream
    reply = await call.querier.get("/recipe/user/email/verify", {"userId": recipe_user_id, "email": email})
    return {"status": "OK", "isVerified": bool(reply["isVerified"])}


async def email_verify_put(call: Call) -> JSON:
    body = await call.body()
    recipe_user_id, verified = body.get("recipeUserId"), body.get("verified")
    if not isinstance(recipe_user_id, str):
        raise BadInputError(invalid("recipeUserId"))
    if not isinstance(verified, bool):
        raise BadInputError(invalid("verified"))
    if not _ev_enabled():
        return FEATURE_NOT_ENABLED
    email = await _email_of(call, None, recipe_user_id)
    if email is None:
        return OK
    ids = {"userId": recipe_user_id, "email": email}
    if not verified:
        audit = call.audit("user.email.unverify", {"email": email})
        await call.querier.post("/recipe/user/email/verify/remove", {**ids, "audit": audit}, rid="emailverification")
        return OK
    created = await call.querier.post(
        f"/{call.tenant_id}/recipe/user/email/verify/token", ids, rid="emailverification"
    )
    if created.get("status") == "EMAIL_ALREADY_VERIFIED_ERROR":
        return OK
    audit = call.audit("user.email.verify", {"email": email})
    body_verify = {"method": "token", "token": created["token"], "audit": audit}
    reply = await call.querier.post(f"/{call.tenant_id}/recipe/user/email/verify", body_verify, rid="emailverification")
    if reply.get("status") != "OK":
        raise RuntimeError(f"the core refused the verification token it had just made: {reply.get('status')}")
    return OK


async def email_verify_token_post(call: Call) -> JSON:
    from authdeck.recipe.emailverification.recipe import EmailVerificationRecipe
    from authdeck.recipe.emailverification.types import VerificationEmailTemplateVars, VerificationEmailTemplateVarsUser
    from authdeck.recipe.emailverification.utils import get_email_verify_link

    recipe_user_id = await call.body_string("recipeUserId")
    if not _ev_enabled():
        return FEATURE_NOT_ENABLED
    user = await fetch_user(call, recipe_user_id)
    if user is None:
        raise BadInputError(USER_NOT_FOUND)
    email = await _email_of(call, user, recipe_user_id)
    already: JSON = {"status": "EMAIL_ALREADY_VERIFIED_ERROR"}
    if email is None:
        return already
    created = await call.querier.post(
        f"/{call.tenant_id}/recipe/user/email/verify/token",
        {"userId": recipe_user_id, "email": email},
        rid="emailverification",
    )
    if created.get("status") == "EMAIL_ALREADY_VERIFIED_ERROR":
        return already
    recipe = EmailVerificationRecipe.get_instance()
    info = call.recipe.app_info
    link = get_email_verify_link(info, created["token"], call.tenant_id, call.request, call.user_context)
    template = VerificationEmailTemplateVars(
        VerificationEmailTemplateVarsUser(user.id, RecipeUserId(recipe_user_id), email), link, call.tenant_id
    )
    await recipe.email_delivery.ingredient_interface_impl.send_email(template, call.user_context)
    # Recorded once the email is out: the action is "sent", and that took more than the core's write.
    entry = call.audit("user.email.verification-sent", {"email": email}, target_type="user", target_id=recipe_user_id)
    await call.record(entry)
    return OK


async def password_put(call: Call) -> JSON:
    from authdeck.recipe.emailpassword.recipe import EmailPasswordRecipe

    body = await call.body()
    recipe_user_id, new_password = body.get("recipeUserId"), body.get("newPassword")
    if not isinstance(recipe_user_id, str):
        raise BadInputError("Missing required parameter 'recipeUserId'")
    if not isinstance(new_password, str):
        raise BadInputError("Missing required parameter 'newPassword'")
    if not recipe_enabled(EmailPasswordRecipe):
        return FEATURE_NOT_ENABLED
    error = await validate_emailpassword_field("password", new_password, call.tenant_id)
    if error is not None:
        return {"status": "INVALID_PASSWORD_ERROR", "error": error}
    audit = call.audit("user.password.change")  # what changed is said by the action; never the value
    reply = await call.querier.put(
        "/recipe/user", {"recipeUserId": recipe_user_id, "password": new_password, "audit": audit}, rid="emailpassword"
    )
    if reply.get("status") != "OK":
        raise BadInputError(USER_NOT_FOUND)
    return OK


async def metadata_get(call: Call) -> JSON:
    user_id = call.query("userId")
    reply = await call.querier.get("/recipe/user/metadata", {"userId": user_id})
    return {"status": "OK", "data": reply["metadata"]}


async def metadata_put(call: Call) -> JSON:
    body = await call.body()
    user_id, data = body.get("userId"), body.get("data")
    if not isinstance(user_id, str):
        raise BadInputError(invalid("userId"))
    if not isinstance(data, str):
        raise BadInputError(invalid("data"))
    try:
        parsed: Any = json.loads(data)
    except ValueError:
        parsed = None
    if not isinstance(parsed, dict):
        raise BadInputError("'data' must be a valid JSON body")
    # One merge that also deletes the keys left out: the stored metadata becomes exactly ``parsed``, in a
    # single core write (upstream clears, then sets: two writes, with a moment of empty metadata between).
    current = (await call.querier.get("/recipe/user/metadata", {"userId": user_id}))["metadata"]
    update: JSON = {key: None for key in current if key not in parsed}
    update.update(parsed)
    # Key names only: values may be anything, and large.
    summary = {"keys": sorted(parsed), "removedKeys": sorted(k for k in current if k not in parsed)}
    audit = call.audit("user.metadata.update", summary)
    await call.querier.put("/recipe/user/metadata", {"userId": user_id, "metadataUpdate": update, "audit": audit})
    return OK


async def sessions_get(call: Call) -> JSON:
    user_id = call.query("userId")
    params = {"userId": user_id, "fetchAcrossAllTenants": True, "fetchSessionsForAllLinkedAccounts": True}
    handles: list[str] = (await call.querier.get("/recipe/session/user", params, rid="session"))["sessionHandles"]
    replies = await asyncio.gather(
        *(call.querier.get("/recipe/session", {"sessionHandle": h}, rid="session") for h in handles)
    )
    sessions = [
        {
            "accessTokenPayload": r["userDataInJWT"],
            "expiry": r["expiry"],
            "sessionDataInDatabase": r["userDataInDatabase"],
            "timeCreated": r["timeCreated"],
            "userId": r["userId"],
            "sessionHandle": r["sessionHandle"],
        }
        for r in replies
        if r.get("status") == "OK"  # ended between the two calls
    ]
    return {"status": "OK", "sessions": sessions}


async def sessions_post(call: Call) -> JSON:
    handles = (await call.body()).get("sessionHandles")
    if not isinstance(handles, list) or not all(isinstance(h, str) for h in handles):
        raise BadInputError(invalid("sessionHandles"))
    if not handles:
        return OK
    # The audit names the user (the UI revokes one user's sessions); a handle that has ended names nobody.
    first = await call.querier.get("/recipe/session", {"sessionHandle": handles[0]}, rid="session")
    owner = first["userId"] if first.get("status") == "OK" else None
    summary = {"count": len(handles), "sessionHandles": handles[:SUMMARY_HANDLES]}
    audit = call.audit("user.sessions.revoke", summary, target_type="user", target_id=owner)
    await call.querier.post("/recipe/session/remove", {"sessionHandles": handles, "audit": audit}, rid="session")
    return OK
