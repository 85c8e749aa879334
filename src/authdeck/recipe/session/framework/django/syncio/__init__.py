"""Django sync views: ``@verify_session()``; the session is in ``request.supertokens``.

Session errors propagate to authdeck's Django middleware, which answers them and adds queued token changes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from authdeck import _sync
from authdeck.recipe.session.framework import as_base_request, verify_session_for_request
from authdeck.recipe.session.interfaces import OverrideGlobalClaimValidators

F = TypeVar("F", bound=Callable[..., Any])


def verify_session(
    anti_csrf_check: bool | None = None,
    session_required: bool = True,
    check_database: bool = False,
    override_global_claim_validators: OverrideGlobalClaimValidators | None = None,
    user_context: dict[str, Any] | None = None,
) -> Callable[[F], F]:
    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(request: Any, *args: Any, **kwargs: Any) -> Any:
            session = _sync.run(
                verify_session_for_request(
                    as_base_request(request),
                    anti_csrf_check,
                    session_required,
                    check_database,
                    override_global_claim_validators,
                    user_context,
                )
            )
            request.supertokens = session
            return view(request, *args, **kwargs)

        return cast(F, wrapped)

    return decorator


__all__ = ["verify_session"]
