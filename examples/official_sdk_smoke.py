"""Smoke test: the official supertokens-python SDK takes one user through its whole life on an authdeck core.

Usage, with `authdeck core --port 3567` running: python examples/official_sdk_smoke.py [--core URL] [--api-key KEY]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import uuid
from typing import Any, TypeVar

from supertokens_python import InputAppInfo, SupertokensConfig, init
from supertokens_python import asyncio as st
from supertokens_python.querier import Querier
from supertokens_python.recipe import emailpassword, emailverification, session, usermetadata, userroles
from supertokens_python.recipe.emailpassword import asyncio as ep
from supertokens_python.recipe.emailpassword.interfaces import (
    ConsumePasswordResetTokenOkResult,
    CreateResetPasswordOkResult,
    SignInOkResult,
    SignUpOkResult,
    UpdateEmailOrPasswordOkResult,
    WrongCredentialsError,
)
from supertokens_python.recipe.emailverification import asyncio as ev
from supertokens_python.recipe.emailverification.interfaces import (
    CreateEmailVerificationTokenOkResult,
    VerifyEmailUsingTokenOkResult,
)
from supertokens_python.recipe.usermetadata import asyncio as meta
from supertokens_python.recipe.userroles import asyncio as roles
from supertokens_python.types import RecipeUserId

TENANT = "public"
T = TypeVar("T")


def check(ok: bool, what: str, got: Any = None) -> None:
    if not ok:
        sys.exit(f"FAILED: {what}" + ("" if got is None else f" (got {got!r})"))
    print(f"ok  {what}")


def expect(value: object, kind: type[T], what: str) -> T:
    """``value`` if the SDK returned a ``kind``; otherwise stop with what it returned instead."""
    if not isinstance(value, kind):
        sys.exit(f"FAILED: {what} (got {value!r})")
    print(f"ok  {what}")
    return value


async def smoke() -> None:
    tag = uuid.uuid4().hex[:10]
    email, password, new_password = f"smoke-{tag}@example.com", f"smoke-{tag}-1", f"smoke-{tag}-2"

    await st.get_user_count()
    check(Querier.api_version == "5.4", "version handshake picked CDI 5.4", Querier.api_version)

    up = expect(await ep.sign_up(TENANT, email, password), SignUpOkResult, f"sign up {email}")
    user_id = up.user.id
    check(up.user.emails == [email], "user has that email", up.user.emails)
    expect(await ep.sign_in(TENANT, email, password), SignInOkResult, "sign in")
    expect(await ep.sign_in(TENANT, email, new_password), WrongCredentialsError, "wrong password refused")

    page = await st.get_users_newest_first(TENANT, limit=5)
    check(bool(page.users) and page.users[0].id == user_id, "newest-first list starts with the new user")
    found = await st.get_users_newest_first(TENANT, query={"email": f"smoke-{tag}"})
    check([u.id for u in found.users] == [user_id], "search by email prefix finds exactly that user")
    count = await st.get_user_count()
    check(count >= 1, f"count is {count}")

    merged = await meta.update_user_metadata(user_id, {"first_name": "Smoke", "plan": "free"})
    check(merged.metadata == {"first_name": "Smoke", "plan": "free"}, "metadata set", merged.metadata)
    await roles.create_new_role_or_add_permissions("smoke-tester", ["read"])
    await roles.add_role_to_user(TENANT, user_id, "smoke-tester")
    user_roles = (await roles.get_roles_for_user(TENANT, user_id)).roles
    check(user_roles == ["smoke-tester"], "role assigned", user_roles)

    token = expect(
        await ev.create_email_verification_token(TENANT, RecipeUserId(user_id)),
        CreateEmailVerificationTokenOkResult,
        "email verification token created",
    )
    verified = await ev.verify_email_using_token(TENANT, token.token)
    expect(verified, VerifyEmailUsingTokenOkResult, "email verified with the token")
    check(await ev.is_email_verified(RecipeUserId(user_id)) is True, "email reads as verified")

    reset = expect(
        await ep.create_reset_password_token(TENANT, user_id, email),
        CreateResetPasswordOkResult,
        "password reset token created",
    )
    consumed = await ep.consume_password_reset_token(TENANT, reset.token)
    expect(consumed, ConsumePasswordResetTokenOkResult, "reset token consumed")
    updated = await ep.update_email_or_password(RecipeUserId(user_id), password=new_password)
    expect(updated, UpdateEmailOrPasswordOkResult, "password updated")
    expect(await ep.sign_in(TENANT, email, new_password), SignInOkResult, "sign in with the new password")

    await st.delete_user(user_id)
    check(await st.get_user(user_id) is None, "user deleted")
    check((await meta.get_user_metadata(user_id)).metadata == {}, "its metadata is gone")
    check((await roles.get_roles_for_user(TENANT, user_id)).roles == [], "its roles are gone")
    print("all good")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--core", default="http://127.0.0.1:3567", help="connection URI of the core")
    parser.add_argument("--api-key", default=os.environ.get("AUTHDECK_SDK_API_KEY"), help="one of the core's keys")
    args = parser.parse_args()
    init(
        app_info=InputAppInfo(
            app_name="authdeck smoke", api_domain="http://localhost:8000", website_domain="http://localhost:3000"
        ),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri=args.core, api_key=args.api_key),
        recipe_list=[
            session.init(),
            emailpassword.init(),
            emailverification.init(mode="OPTIONAL"),
            usermetadata.init(),
            userroles.init(),
        ],
        telemetry=False,
    )
    asyncio.run(smoke())


if __name__ == "__main__":
    main()
