"""Flask: ``@verify_session()`` on a view; the session is in ``flask.g.supertokens``.

Session errors propagate to authdeck's Flask ``Middleware``, which answers them; token changes are queued onto
the request (``queue_change``) for the middleware to add to the view's response.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from authdeck import _sync
from authdeck.framework.flask import wrap_request
from authdeck.recipe.session.framework import verify_session_for_request
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
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            from flask import current_app, g

            g.supertokens = _sync.run(
                verify_session_for_request(
                    wrap_request(),
                    anti_csrf_check,
                    session_required,
                    check_database,
                    override_global_claim_validators,
                    user_context,
                )
            )
            # ensure_sync: an ``async def`` view is run the way Flask runs it undecorated.
            return current_app.ensure_sync(view)(*args, **kwargs)

        return cast(F, wrapped)

    return decorator


__all__ = ["verify_session"]
