"""Drive an authdeck core through the official supertokens-python SDK; print each step's result as one JSON document.

Run as a separate process (the SDK's init() is process-global):
``python official_sdk_scenarios.py SCENARIO --connection-uri http://127.0.0.1:3567/appid-x`` with the API key in
``--api-key`` or ``AUTHDECK_SDK_API_KEY``. Exit status 0 when every step ran, 1 when one raised (the JSON says which).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import traceback
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any, TypeVar
from urllib.parse import urlsplit

from supertokens_python import InputAppInfo, SupertokensConfig, init
from supertokens_python import asyncio as st
from supertokens_python.querier import Querier
from supertokens_python.recipe import emailpassword, emailverification, session, usermetadata, userroles
from supertokens_python.recipe.emailpassword import asyncio as ep
from supertokens_python.recipe.emailpassword.interfaces import CreateResetPasswordOkResult, SignUpOkResult
from supertokens_python.recipe.emailverification import asyncio as ev
from supertokens_python.recipe.emailverification.interfaces import CreateEmailVerificationTokenOkResult
from supertokens_python.recipe.multitenancy import asyncio as mt
from supertokens_python.recipe.usermetadata import asyncio as meta
from supertokens_python.recipe.userroles import asyncio as roles
from supertokens_python.types import RecipeUserId
from supertokens_python.types.base import AccountInfoInput

T = TypeVar("T")
TENANT = "public"


def jsonable(value: Any) -> Any:
    """SDK result objects as plain JSON: objects become their public attributes plus ``__type__`` (the class name)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, RecipeUserId):
        return value.get_as_string()
    if isinstance(value, type):
        return {"__type__": value.__name__}
    out: dict[str, Any] = {"__type__": type(value).__name__}
    status = getattr(type(value), "status", None)
    if isinstance(status, str):
        out["status"] = status  # several SDK results keep their status as a class attribute only
    for key, attr in vars(value).items():
        if not key.startswith("_"):
            out[key] = jsonable(attr)
    return out


class Recorder:
    """Keeps each step's result and every request the SDK sends to the core (seen through its network interceptor)."""

    def __init__(self) -> None:
        self.steps: dict[str, Any] = {}
        self.requests: list[dict[str, Any]] = []
        self.current = "init"

    async def step(self, name: str, call: Awaitable[T]) -> T:
        self.current = name
        assert name not in self.steps, f"duplicate step name {name}"
        result = await call
        self.steps[name] = jsonable(result)
        return result

    def note(self, name: str, value: Any) -> None:
        assert name not in self.steps, f"duplicate step name {name}"
        self.steps[name] = jsonable(value)

    def intercept(
        self,
        url: str,
        method: str,
        headers: dict[str, Any],
        params: dict[str, Any] | None,
        body: dict[str, Any] | None,
        user_context: dict[str, Any] | None,
    ) -> tuple[str, str, dict[str, Any], dict[str, Any] | None, dict[str, Any] | None]:
        self.requests.append(
            {
                "step": self.current,
                "method": method,
                "path": urlsplit(url).path,
                "params": jsonable(params or {}),
                "body": jsonable(body or {}),
                "cdiVersion": headers.get("cdi-version"),
                "apiKeySent": "api-key" in headers,
            }
        )
        return url, method, headers, params, body


def init_sdk(connection_uri: str, api_key: str | None, recorder: Recorder) -> None:
    init(
        app_info=InputAppInfo(
            app_name="authdeck conformance",
            api_domain="http://localhost:8000",
            website_domain="http://localhost:3000",
        ),
        framework="fastapi",
        supertokens_config=SupertokensConfig(
            connection_uri=connection_uri, api_key=api_key, network_interceptor=recorder.intercept
        ),
        recipe_list=[
            session.init(),
            emailpassword.init(),
            emailverification.init(mode="OPTIONAL"),
            usermetadata.init(),
            userroles.init(),
        ],
        telemetry=False,
    )


async def _sign_up(rec: Recorder, name: str, email: str, password: str) -> str:
    result = await rec.step(name, ep.sign_up(TENANT, email, password))
    if not isinstance(result, SignUpOkResult):
        raise RuntimeError(f"{name}: sign_up did not succeed: {type(result).__name__}")
    return result.user.id


async def handshake(rec: Recorder) -> None:
    await rec.step("get_tenant", mt.get_tenant(TENANT))
    rec.note("querier_api_version", Querier.api_version)


async def signup_signin(rec: Recorder) -> None:
    email, password = "ada@alpha.example", "correct-horse-1"
    user_id = await _sign_up(rec, "sign_up", email, password)
    await rec.step("sign_up_duplicate", ep.sign_up(TENANT, email, "another-pass-2"))
    await rec.step("sign_up_duplicate_other_case", ep.sign_up(TENANT, "  ADA@Alpha.Example ", "another-pass-2"))
    await rec.step("sign_in", ep.sign_in(TENANT, email, password))
    await rec.step("sign_in_other_case", ep.sign_in(TENANT, "Ada@ALPHA.example", password))
    await rec.step("sign_in_wrong_password", ep.sign_in(TENANT, email, "wrong-pass-3"))
    await rec.step("sign_in_unknown_email", ep.sign_in(TENANT, "nobody@alpha.example", password))
    await rec.step("verify_credentials", ep.verify_credentials(TENANT, email, password))
    await rec.step("verify_credentials_wrong", ep.verify_credentials(TENANT, email, password + "x"))
    await rec.step("get_user", st.get_user(user_id))
    await rec.step("get_user_unknown", st.get_user(str(uuid.uuid4())))
    await rec.step("by_account_info", st.list_users_by_account_info(TENANT, AccountInfoInput(email=email)))
    await rec.step(
        "by_account_info_unknown", st.list_users_by_account_info(TENANT, AccountInfoInput(email="no@alpha.example"))
    )
    unicode_password = "pässwörd-✓-" + "9" * 80
    await _sign_up(rec, "sign_up_second", "grace@beta.example", unicode_password)
    await rec.step("sign_in_second", ep.sign_in(TENANT, "grace@beta.example", unicode_password))


async def reset_password(rec: Recorder) -> None:
    email = "reset@alpha.example"
    user_id = await _sign_up(rec, "sign_up", email, "old-pass-1")
    await _sign_up(rec, "sign_up_other", "taken@alpha.example", "other-pass-1")
    first = await rec.step("create_token", ep.create_reset_password_token(TENANT, user_id, email))
    second = await rec.step("create_second_token", ep.create_reset_password_token(TENANT, user_id, email))
    await rec.step("create_token_unknown_user", ep.create_reset_password_token(TENANT, str(uuid.uuid4()), email))
    assert isinstance(first, CreateResetPasswordOkResult) and isinstance(second, CreateResetPasswordOkResult)
    await rec.step("consume", ep.consume_password_reset_token(TENANT, first.token))
    await rec.step("consume_again", ep.consume_password_reset_token(TENANT, first.token))
    await rec.step("consume_second_after_first", ep.consume_password_reset_token(TENANT, second.token))
    await rec.step("consume_garbage", ep.consume_password_reset_token(TENANT, "not-a-real-token"))
    await rec.step("update_password", ep.update_email_or_password(RecipeUserId(user_id), password="new-pass-2"))
    await rec.step("sign_in_old_password", ep.sign_in(TENANT, email, "old-pass-1"))
    await rec.step("sign_in_new_password", ep.sign_in(TENANT, email, "new-pass-2"))
    third = await rec.step("create_third_token", ep.create_reset_password_token(TENANT, user_id, email))
    assert isinstance(third, CreateResetPasswordOkResult)
    await rec.step("reset_using_token", ep.reset_password_using_token(TENANT, third.token, "newer-pass-3"))
    await rec.step("sign_in_after_reset", ep.sign_in(TENANT, email, "newer-pass-3"))
    await rec.step("update_email", ep.update_email_or_password(RecipeUserId(user_id), email="renamed@beta.example"))
    await rec.step("sign_in_new_email", ep.sign_in(TENANT, "renamed@beta.example", "newer-pass-3"))
    await rec.step("sign_in_old_email", ep.sign_in(TENANT, email, "newer-pass-3"))
    await rec.step("get_user_after_email_change", st.get_user(user_id))
    await rec.step(
        "update_email_taken", ep.update_email_or_password(RecipeUserId(user_id), email="taken@alpha.example")
    )
    stranger = RecipeUserId(str(uuid.uuid4()))
    await rec.step("update_password_unknown_user", ep.update_email_or_password(stranger, password="x-pass-9"))


async def token_expiry(rec: Recorder) -> None:
    """Run against an app whose token lifetimes are a few milliseconds."""
    email = "late@alpha.example"
    user_id = await _sign_up(rec, "sign_up", email, "late-pass-1")
    reset = await rec.step("create_reset_token", ep.create_reset_password_token(TENANT, user_id, email))
    verify = await rec.step(
        "create_verification_token", ev.create_email_verification_token(TENANT, RecipeUserId(user_id))
    )
    await asyncio.sleep(0.2)
    assert isinstance(reset, CreateResetPasswordOkResult)
    assert isinstance(verify, CreateEmailVerificationTokenOkResult)
    await rec.step("consume_expired_reset_token", ep.consume_password_reset_token(TENANT, reset.token))
    await rec.step("verify_with_expired_token", ev.verify_email_using_token(TENANT, verify.token))
    await rec.step("is_verified_after_expired_token", ev.is_email_verified(RecipeUserId(user_id)))


async def metadata(rec: Recorder) -> None:
    user_id = await _sign_up(rec, "sign_up", "meta@alpha.example", "meta-pass-1")
    await rec.step("get_empty", meta.get_user_metadata(user_id))
    first = {"first_name": "Ada", "nested": {"x": 1, "y": [1, 2]}, "gone": "soon", "ünï": "✓"}
    await rec.step("update_first", meta.update_user_metadata(user_id, first))
    second = {"gone": None, "nested": {"z": True}, "count": 3}
    await rec.step("update_second", meta.update_user_metadata(user_id, second))
    await rec.step("get_after_updates", meta.get_user_metadata(user_id))
    await rec.step("update_empty", meta.update_user_metadata(user_id, {}))
    await rec.step("clear", meta.clear_user_metadata(user_id))
    await rec.step("get_after_clear", meta.get_user_metadata(user_id))
    await rec.step("clear_again", meta.clear_user_metadata(user_id))


async def user_roles(rec: Recorder) -> None:
    user_id = await _sign_up(rec, "sign_up", "roles@alpha.example", "roles-pass-1")
    await rec.step("create_admin", roles.create_new_role_or_add_permissions("admin", ["read", "write"]))
    await rec.step("add_permission_to_admin", roles.create_new_role_or_add_permissions("admin", ["delete", "read"]))
    await rec.step("create_viewer", roles.create_new_role_or_add_permissions("viewer", ["read"]))
    await rec.step("create_empty_role", roles.create_new_role_or_add_permissions("empty", []))
    await rec.step("permissions_of_admin", roles.get_permissions_for_role("admin"))
    await rec.step("permissions_of_empty", roles.get_permissions_for_role("empty"))
    await rec.step("permissions_of_unknown", roles.get_permissions_for_role("no-such-role"))
    await rec.step("roles_with_read", roles.get_roles_that_have_permission("read"))
    await rec.step("roles_with_unknown_permission", roles.get_roles_that_have_permission("fly"))
    await rec.step("all_roles", roles.get_all_roles())
    await rec.step("add_admin_to_user", roles.add_role_to_user(TENANT, user_id, "admin"))
    await rec.step("add_admin_to_user_again", roles.add_role_to_user(TENANT, user_id, "admin"))
    await rec.step("add_viewer_to_user", roles.add_role_to_user(TENANT, user_id, "viewer"))
    await rec.step("add_unknown_role_to_user", roles.add_role_to_user(TENANT, user_id, "no-such-role"))
    await rec.step("roles_of_user", roles.get_roles_for_user(TENANT, user_id))
    await rec.step("users_with_admin", roles.get_users_that_have_role(TENANT, "admin"))
    await rec.step("users_with_unknown_role", roles.get_users_that_have_role(TENANT, "no-such-role"))
    await rec.step("remove_delete_permission", roles.remove_permissions_from_role("admin", ["delete"]))
    await rec.step("permissions_after_remove", roles.get_permissions_for_role("admin"))
    await rec.step("remove_permission_unknown_role", roles.remove_permissions_from_role("no-such-role", ["read"]))
    await rec.step("remove_admin_from_user", roles.remove_user_role(TENANT, user_id, "admin"))
    await rec.step("remove_admin_from_user_again", roles.remove_user_role(TENANT, user_id, "admin"))
    await rec.step("remove_unknown_role_from_user", roles.remove_user_role(TENANT, user_id, "no-such-role"))
    await rec.step("delete_viewer", roles.delete_role("viewer"))
    await rec.step("delete_viewer_again", roles.delete_role("viewer"))
    await rec.step("roles_of_user_after_deletes", roles.get_roles_for_user(TENANT, user_id))
    await rec.step("all_roles_after_delete", roles.get_all_roles())


async def email_verification(rec: Recorder) -> None:
    email = "verify@alpha.example"
    user_id = await _sign_up(rec, "sign_up", email, "verify-pass-1")
    rid = RecipeUserId(user_id)
    await rec.step("is_verified_before", ev.is_email_verified(rid))
    first = await rec.step("create_token", ev.create_email_verification_token(TENANT, rid))
    second = await rec.step("create_second_token", ev.create_email_verification_token(TENANT, rid, email))
    assert isinstance(first, CreateEmailVerificationTokenOkResult)
    assert isinstance(second, CreateEmailVerificationTokenOkResult)
    await rec.step("verify", ev.verify_email_using_token(TENANT, first.token))
    await rec.step("is_verified_after", ev.is_email_verified(rid))
    await rec.step("is_verified_other_email", ev.is_email_verified(rid, "someone-else@alpha.example"))
    await rec.step("get_user_after_verify", st.get_user(user_id))
    await rec.step("verify_second_after_first", ev.verify_email_using_token(TENANT, second.token))
    await rec.step("verify_again", ev.verify_email_using_token(TENANT, first.token))
    await rec.step("create_token_when_verified", ev.create_email_verification_token(TENANT, rid))
    await rec.step("unverify", ev.unverify_email(rid))
    await rec.step("is_verified_after_unverify", ev.is_email_verified(rid))
    third = await rec.step("create_third_token", ev.create_email_verification_token(TENANT, rid))
    assert isinstance(third, CreateEmailVerificationTokenOkResult)
    await rec.step("revoke_tokens", ev.revoke_email_verification_tokens(TENANT, rid))
    await rec.step("verify_revoked_token", ev.verify_email_using_token(TENANT, third.token))
    await rec.step("verify_garbage_token", ev.verify_email_using_token(TENANT, "not-a-real-token"))
    await rec.step("is_verified_at_end", ev.is_email_verified(rid))


LIST_EMAILS = (
    "ada@alpha.example",
    "alan@alpha.example",
    "bob@beta.example",
    "bea@beta.example",
    "carl@gamma.example",
    "alphafan@gamma.example",
    "dora@delta.example",
)
SEARCHES = {
    "search_al": "al",
    "search_exact_local_part": "alan",
    "search_domain": "beta.example",
    "search_domain_prefix": "gam",
    "search_upper_case": "BOB",
    "search_two_terms": "ada;dora",
    "search_nothing": "zzz",
}


async def _pages(rec: Recorder, name: str, newest_first: bool, limit: int) -> None:
    fetch = st.get_users_newest_first if newest_first else st.get_users_oldest_first
    token: str | None = None
    for page in range(1, len(LIST_EMAILS) + 2):
        result = await rec.step(f"{name}_page{page}", fetch(TENANT, limit=limit, pagination_token=token))
        token = result.next_pagination_token
        if token is None:
            return
    raise RuntimeError(f"{name}: pagination did not end")


async def list_search_count(rec: Recorder) -> None:
    ids = []
    for i, email in enumerate(LIST_EMAILS):
        ids.append(await _sign_up(rec, f"sign_up_{i}", email, f"list-pass-{i}"))
        # Distinct time_joined values make the expected order independent of the tie-break rule.
        await asyncio.sleep(0.003)
    rec.note("signed_up_ids", ids)
    await rec.step("oldest_first_all", st.get_users_oldest_first(TENANT))
    await rec.step("newest_first_all", st.get_users_newest_first(TENANT))
    await _pages(rec, "oldest_first", newest_first=False, limit=3)
    await _pages(rec, "newest_first", newest_first=True, limit=3)
    await rec.step("limit_equal_to_total", st.get_users_oldest_first(TENANT, limit=len(LIST_EMAILS)))
    await rec.step("limit_one_less", st.get_users_newest_first(TENANT, limit=len(LIST_EMAILS) - 1))
    await rec.step("only_emailpassword", st.get_users_oldest_first(TENANT, include_recipe_ids=["emailpassword"]))
    await rec.step("only_thirdparty", st.get_users_oldest_first(TENANT, include_recipe_ids=["thirdparty"]))
    for name, term in SEARCHES.items():
        await rec.step(name, st.get_users_newest_first(TENANT, query={"email": term}))
    await rec.step("search_oldest_first", st.get_users_oldest_first(TENANT, query={"email": "al"}))
    await rec.step("count_all_tenants", st.get_user_count())
    await rec.step("count_public", st.get_user_count(tenant_id=TENANT))
    await rec.step("count_emailpassword", st.get_user_count(include_recipe_ids=["emailpassword"]))
    await rec.step(
        "by_account_info_other_case", st.list_users_by_account_info(TENANT, AccountInfoInput(email="BOB@Beta.example"))
    )


async def delete_user(rec: Recorder) -> None:
    email, password = "doomed@alpha.example", "doomed-pass-1"
    doomed = await _sign_up(rec, "sign_up_doomed", email, password)
    kept = await _sign_up(rec, "sign_up_kept", "kept@alpha.example", "kept-pass-1")
    rec.note("ids", {"doomed": doomed, "kept": kept})
    await rec.step("create_role", roles.create_new_role_or_add_permissions("member", ["read"]))
    for who, user_id in (("doomed", doomed), ("kept", kept)):
        await rec.step(f"set_metadata_{who}", meta.update_user_metadata(user_id, {"plan": "pro"}))
        await rec.step(f"add_role_{who}", roles.add_role_to_user(TENANT, user_id, "member"))
    token = await rec.step("verification_token", ev.create_email_verification_token(TENANT, RecipeUserId(doomed)))
    assert isinstance(token, CreateEmailVerificationTokenOkResult)
    await rec.step("verify_doomed", ev.verify_email_using_token(TENANT, token.token))
    await rec.step("count_before", st.get_user_count())
    await rec.step("delete", st.delete_user(doomed))
    await rec.step("get_user_deleted", st.get_user(doomed))
    await rec.step("metadata_deleted", meta.get_user_metadata(doomed))
    await rec.step("roles_deleted", roles.get_roles_for_user(TENANT, doomed))
    await rec.step("role_users_after_delete", roles.get_users_that_have_role(TENANT, "member"))
    await rec.step("is_verified_deleted", ev.is_email_verified(RecipeUserId(doomed), email))
    await rec.step("sign_in_deleted", ep.sign_in(TENANT, email, password))
    await rec.step("by_account_info_deleted", st.list_users_by_account_info(TENANT, AccountInfoInput(email=email)))
    await rec.step("count_after", st.get_user_count())
    await rec.step("list_after", st.get_users_oldest_first(TENANT))
    await rec.step("metadata_kept", meta.get_user_metadata(kept))
    await rec.step("roles_kept", roles.get_roles_for_user(TENANT, kept))
    await rec.step("delete_unknown", st.delete_user(str(uuid.uuid4())))
    await rec.step("delete_again", st.delete_user(doomed))
    await rec.step("sign_up_same_email_again", ep.sign_up(TENANT, email, password))


async def tenants(rec: Recorder) -> None:
    """Users, their emails, lists, counts and user-role mappings belong to a tenant; roles belong to the app."""
    email = "shared@alpha.example"
    await rec.step("create_tenant", mt.create_or_update_tenant("shop", None))
    await rec.step("create_tenant_again", mt.create_or_update_tenant("shop", None))
    await rec.step("get_tenant", mt.get_tenant("shop"))
    public_id = await _sign_up(rec, "sign_up_public", email, "public-pass-1")
    shop_up = await rec.step("sign_up_shop", ep.sign_up("shop", email, "shop-pass-1"))
    assert isinstance(shop_up, SignUpOkResult)
    shop_id = shop_up.user.id
    rec.note("ids", {"public": public_id, "shop": shop_id})
    await rec.step("sign_up_shop_duplicate", ep.sign_up("shop", email, "shop-pass-2"))
    await rec.step("sign_in_shop", ep.sign_in("shop", email, "shop-pass-1"))
    await rec.step("sign_in_shop_with_public_password", ep.sign_in("shop", email, "public-pass-1"))
    await rec.step("list_shop", st.get_users_oldest_first("shop"))
    await rec.step("list_public", st.get_users_oldest_first(TENANT))
    await rec.step("search_shop", st.get_users_newest_first("shop", query={"email": "shared"}))
    await rec.step("count_shop", st.get_user_count(tenant_id="shop"))
    await rec.step("count_public", st.get_user_count(tenant_id=TENANT))
    await rec.step("count_all_tenants", st.get_user_count())
    await rec.step("by_account_info_shop", st.list_users_by_account_info("shop", AccountInfoInput(email=email)))
    await rec.step("create_role", roles.create_new_role_or_add_permissions("staff", ["sell"]))
    await rec.step("add_role_in_shop", roles.add_role_to_user("shop", shop_id, "staff"))
    await rec.step("roles_in_shop", roles.get_roles_for_user("shop", shop_id))
    await rec.step("roles_in_public", roles.get_roles_for_user(TENANT, shop_id))
    await rec.step("role_users_in_shop", roles.get_users_that_have_role("shop", "staff"))
    await rec.step("role_users_in_public", roles.get_users_that_have_role(TENANT, "staff"))
    await rec.step("delete_shop_user", st.delete_user(shop_id))
    await rec.step("count_shop_after_delete", st.get_user_count(tenant_id="shop"))
    await rec.step("get_public_user_after_delete", st.get_user(public_id))


async def concurrency(rec: Recorder) -> None:
    """Many SDK calls at once: the core must answer each exactly once, with no lost writes and no 500s."""
    same = await rec.step(
        "sign_up_same_email_at_once",
        asyncio.gather(*(ep.sign_up(TENANT, "race@alpha.example", f"race-pass-{i}") for i in range(8))),
    )
    winner = next(r for r in same if isinstance(r, SignUpOkResult))
    await rec.step(
        "sign_up_distinct_at_once",
        asyncio.gather(*(ep.sign_up(TENANT, f"crowd{i}@beta.example", f"crowd-pass-{i}") for i in range(12))),
    )
    await rec.step("count", st.get_user_count())
    await rec.step(
        "create_role_at_once",
        asyncio.gather(*(roles.create_new_role_or_add_permissions("racer", [f"p{i}"]) for i in range(6))),
    )
    await rec.step("permissions_after_race", roles.get_permissions_for_role("racer"))
    await rec.step(
        "add_role_at_once", asyncio.gather(*(roles.add_role_to_user(TENANT, winner.user.id, "racer") for _ in range(6)))
    )
    await rec.step(
        "metadata_at_once",
        asyncio.gather(*(meta.update_user_metadata(winner.user.id, {f"k{i}": i}) for i in range(10))),
    )
    await rec.step("metadata_after_race", meta.get_user_metadata(winner.user.id))


SCENARIOS: dict[str, Callable[[Recorder], Coroutine[Any, Any, None]]] = {
    "handshake": handshake,
    "signup_signin": signup_signin,
    "reset_password": reset_password,
    "token_expiry": token_expiry,
    "metadata": metadata,
    "roles": user_roles,
    "email_verification": email_verification,
    "list_search_count": list_search_count,
    "delete_user": delete_user,
    "tenants": tenants,
    "concurrency": concurrency,
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("scenario", choices=sorted(SCENARIOS))
    parser.add_argument("--connection-uri", default=os.environ.get("AUTHDECK_SDK_CONNECTION_URI"))
    parser.add_argument("--api-key", default=os.environ.get("AUTHDECK_SDK_API_KEY"))
    args = parser.parse_args(argv)
    if not args.connection_uri:
        parser.error("give --connection-uri or AUTHDECK_SDK_CONNECTION_URI")
    rec = Recorder()
    error: dict[str, Any] | None = None
    try:
        init_sdk(args.connection_uri, args.api_key, rec)
        asyncio.run(SCENARIOS[args.scenario](rec))
    except Exception as exc:  # reported in the JSON so the test can say which step and which core call failed
        error = {
            "step": rec.current,
            "type": type(exc).__name__,
            "message": str(exc),
            "traceback": traceback.format_exc(limit=-6),
        }
    json.dump({"scenario": args.scenario, "steps": rec.steps, "requests": rec.requests, "error": error}, sys.stdout)
    sys.stdout.write("\n")
    return 1 if error else 0


if __name__ == "__main__":
    sys.exit(main())
