"""The public API: each package's ``__all__`` is exactly what it defines, and upstream's documented import
paths work with the package renamed (supertokens_python → authdeck)."""

from __future__ import annotations

import importlib
import pkgutil
import types
import typing

import pytest

import authdeck.recipe


def is_package(name: str) -> bool:
    """A regular package; a folder without ``__init__.py`` (work in progress) does not count."""
    spec = importlib.util.find_spec(name)
    return spec is not None and spec.origin is not None


def recipe_packages() -> list[str]:
    return sorted(
        f"authdeck.recipe.{info.name}"
        for info in pkgutil.iter_modules(authdeck.recipe.__path__)
        if info.ispkg and not info.name.startswith("_") and is_package(f"authdeck.recipe.{info.name}")
    )


def public_packages() -> list[str]:
    found = ["authdeck", "authdeck.asyncio", "authdeck.syncio"]
    found += [f"authdeck.framework.{name}" for name in ("fastapi", "flask", "django")]
    for package in recipe_packages():
        found.append(package)
        for sub in ("asyncio", "syncio"):
            if is_package(f"{package}.{sub}"):
                found.append(f"{package}.{sub}")
    return found


def defined_public_names(module: types.ModuleType) -> set[str]:
    """Public names whose objects the package itself defines (in it or its submodules).

    Names imported from elsewhere only to annotate (``Any``, another recipe's result types) are not offered.
    """
    package = module.__name__
    names = set()
    for name, value in vars(module).items():
        if name.startswith("_") or isinstance(value, types.ModuleType | typing.TypeVar):
            continue
        origin = str(getattr(value, "__module__", ""))
        if origin == package or origin.startswith(package + "."):
            names.add(name)
    return names


def is_foreign(value: object) -> bool:
    """A class or function of another library (``Any``, ``dataclass``): never part of our public API."""
    is_code = isinstance(value, type | types.FunctionType | types.BuiltinFunctionType)
    return is_code and not str(getattr(value, "__module__", "")).startswith("authdeck")


@pytest.mark.parametrize("package", public_packages())
def test_all_is_exactly_what_the_package_offers(package: str) -> None:
    """``__all__`` lists every name the package defines, names that exist only, and no third-party name.

    Names defined elsewhere in authdeck may be listed on purpose (re-exports, as upstream's ``__all__`` does).
    """
    module = importlib.import_module(package)
    declared = getattr(module, "__all__", None)
    assert declared is not None, f"{package} has no __all__"
    assert len(declared) == len(set(declared)), f"{package}.__all__ lists a name twice"
    missing = [name for name in declared if not hasattr(module, name)]
    assert missing == [], f"{package}.__all__ lists names that do not exist: {missing}"
    undeclared = sorted(defined_public_names(module) - set(declared))
    assert undeclared == [], f"{package} defines public names missing from __all__: {undeclared}"
    foreign = [name for name in declared if is_foreign(getattr(module, name))]
    assert foreign == [], f"{package}.__all__ re-exports classes or functions from outside authdeck: {foreign}"


# Import paths that SuperTokens' documentation and apps use, as (module, name) in supertokens_python.
UPSTREAM_PATHS: list[tuple[str, str]] = [
    ("supertokens_python", "init"),
    ("supertokens_python", "InputAppInfo"),
    ("supertokens_python", "SupertokensConfig"),
    ("supertokens_python", "get_all_cors_headers"),
    ("supertokens_python.exceptions", "SuperTokensError"),
    ("supertokens_python.types", "User"),
    ("supertokens_python.types", "RecipeUserId"),
    ("supertokens_python.framework.fastapi", "get_middleware"),
    ("supertokens_python.framework.flask", "Middleware"),
    ("supertokens_python.framework.django.django_middleware", "middleware"),
    ("supertokens_python.asyncio", "get_user"),
    ("supertokens_python.asyncio", "get_users_oldest_first"),
    ("supertokens_python.asyncio", "get_users_newest_first"),
    ("supertokens_python.asyncio", "get_user_count"),
    ("supertokens_python.asyncio", "delete_user"),
    ("supertokens_python.asyncio", "list_users_by_account_info"),
    ("supertokens_python.syncio", "get_user"),
    ("supertokens_python.syncio", "get_users_oldest_first"),
    ("supertokens_python.syncio", "get_users_newest_first"),
    ("supertokens_python.syncio", "get_user_count"),
    ("supertokens_python.syncio", "delete_user"),
    ("supertokens_python.syncio", "list_users_by_account_info"),
    ("supertokens_python.recipe.session", "init"),
    ("supertokens_python.recipe.session", "SessionContainer"),
    ("supertokens_python.recipe.session", "SessionRecipe"),
    ("supertokens_python.recipe.session.interfaces", "SessionContainer"),
    ("supertokens_python.recipe.session.interfaces", "SessionClaimValidator"),
    ("supertokens_python.recipe.session.exceptions", "UnauthorisedError"),
    ("supertokens_python.recipe.session.exceptions", "TryRefreshTokenError"),
    ("supertokens_python.recipe.session.exceptions", "TokenTheftError"),
    ("supertokens_python.recipe.session.exceptions", "InvalidClaimsError"),
    ("supertokens_python.recipe.session.framework.fastapi", "verify_session"),
    ("supertokens_python.recipe.session.framework.flask", "verify_session"),
    ("supertokens_python.recipe.session.framework.django.asyncio", "verify_session"),
    ("supertokens_python.recipe.session.framework.django.syncio", "verify_session"),
    ("supertokens_python.recipe.session.asyncio", "create_new_session"),
    ("supertokens_python.recipe.session.asyncio", "get_session"),
    ("supertokens_python.recipe.session.asyncio", "refresh_session"),
    ("supertokens_python.recipe.session.asyncio", "revoke_session"),
    ("supertokens_python.recipe.session.asyncio", "revoke_all_sessions_for_user"),
    ("supertokens_python.recipe.session.asyncio", "get_all_session_handles_for_user"),
    ("supertokens_python.recipe.session.asyncio", "get_session_information"),
    ("supertokens_python.recipe.session.asyncio", "update_session_data_in_database"),
    ("supertokens_python.recipe.session.asyncio", "merge_into_access_token_payload"),
    ("supertokens_python.recipe.session.syncio", "create_new_session"),
    ("supertokens_python.recipe.session.syncio", "get_session"),
    ("supertokens_python.recipe.session.syncio", "revoke_session"),
    ("supertokens_python.recipe.session.syncio", "revoke_all_sessions_for_user"),
    ("supertokens_python.recipe.session.syncio", "get_session_information"),
    ("supertokens_python.recipe.session.syncio", "merge_into_access_token_payload"),
    ("supertokens_python.recipe.emailpassword", "init"),
    ("supertokens_python.recipe.emailpassword", "InputFormField"),
    ("supertokens_python.recipe.emailpassword.interfaces", "APIInterface"),
    ("supertokens_python.recipe.emailpassword.interfaces", "RecipeInterface"),
    ("supertokens_python.recipe.emailpassword.asyncio", "sign_up"),
    ("supertokens_python.recipe.emailpassword.asyncio", "sign_in"),
    ("supertokens_python.recipe.emailpassword.asyncio", "update_email_or_password"),
    ("supertokens_python.recipe.emailpassword.asyncio", "create_reset_password_token"),
    ("supertokens_python.recipe.emailpassword.asyncio", "create_reset_password_link"),
    ("supertokens_python.recipe.emailpassword.syncio", "sign_up"),
    ("supertokens_python.recipe.emailpassword.syncio", "sign_in"),
    ("supertokens_python.recipe.emailverification", "init"),
    ("supertokens_python.recipe.emailverification", "EmailVerificationClaim"),
    ("supertokens_python.recipe.emailverification.asyncio", "create_email_verification_token"),
    ("supertokens_python.recipe.emailverification.asyncio", "verify_email_using_token"),
    ("supertokens_python.recipe.emailverification.asyncio", "is_email_verified"),
    ("supertokens_python.recipe.emailverification.asyncio", "unverify_email"),
    ("supertokens_python.recipe.emailverification.asyncio", "revoke_email_verification_tokens"),
    ("supertokens_python.recipe.dashboard", "init"),
    ("supertokens_python.recipe.usermetadata", "init"),
    ("supertokens_python.recipe.usermetadata", "UserMetadataOverrideConfig"),
    ("supertokens_python.recipe.usermetadata.asyncio", "get_user_metadata"),
    ("supertokens_python.recipe.usermetadata.asyncio", "update_user_metadata"),
    ("supertokens_python.recipe.usermetadata.asyncio", "clear_user_metadata"),
    ("supertokens_python.recipe.usermetadata.syncio", "get_user_metadata"),
    ("supertokens_python.recipe.usermetadata.syncio", "update_user_metadata"),
    ("supertokens_python.recipe.usermetadata.syncio", "clear_user_metadata"),
    ("supertokens_python.recipe.usermetadata.interfaces", "MetadataResult"),
    ("supertokens_python.recipe.userroles", "init"),
    ("supertokens_python.recipe.userroles", "UserRoleClaim"),
    ("supertokens_python.recipe.userroles", "PermissionClaim"),
    ("supertokens_python.recipe.userroles", "UserRolesOverrideConfig"),
    ("supertokens_python.recipe.userroles.interfaces", "UnknownRoleError"),
    ("supertokens_python.recipe.userroles.asyncio", "create_new_role_or_add_permissions"),
    ("supertokens_python.recipe.userroles.asyncio", "add_role_to_user"),
    ("supertokens_python.recipe.userroles.asyncio", "remove_user_role"),
    ("supertokens_python.recipe.userroles.asyncio", "get_roles_for_user"),
    ("supertokens_python.recipe.userroles.asyncio", "get_users_that_have_role"),
    ("supertokens_python.recipe.userroles.asyncio", "get_permissions_for_role"),
    ("supertokens_python.recipe.userroles.asyncio", "remove_permissions_from_role"),
    ("supertokens_python.recipe.userroles.asyncio", "get_roles_that_have_permission"),
    ("supertokens_python.recipe.userroles.asyncio", "delete_role"),
    ("supertokens_python.recipe.userroles.asyncio", "get_all_roles"),
    ("supertokens_python.recipe.userroles.syncio", "add_role_to_user"),
    ("supertokens_python.recipe.userroles.syncio", "get_roles_for_user"),
    ("supertokens_python.recipe.userroles.syncio", "create_new_role_or_add_permissions"),
]


def test_the_upstream_paths_exist_upstream() -> None:
    """Keeps the list honest: every entry is a real supertokens_python 0.31.4 import."""
    for module, name in UPSTREAM_PATHS:
        assert hasattr(importlib.import_module(module), name), f"{module}.{name}"


@pytest.mark.parametrize(("module", "name"), UPSTREAM_PATHS, ids=[f"{m}.{n}" for m, n in UPSTREAM_PATHS])
def test_upstream_import_path_works_with_the_package_renamed(module: str, name: str) -> None:
    ours = "authdeck" + module.removeprefix("supertokens_python")
    parts = ours.split(".")
    if parts[:2] == ["authdeck", "recipe"] and not is_package(".".join(parts[:3])):
        pytest.skip(f"recipe {parts[2]!r} is not in the tree yet")
    assert hasattr(importlib.import_module(ours), name), f"from {ours} import {name}"
