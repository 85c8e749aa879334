"""POST /session/refresh: new tokens in the transfer method the refresh token came in; body ``{}``."""

from __future__ import annotations

from typing import Any

from authdeck.framework.response import BaseResponse
from authdeck.recipe.session import _transfer
from authdeck.recipe.session.interfaces import APIInterface, APIOptions


async def handle_refresh_api(
    api: APIInterface, options: APIOptions, user_context: dict[str, Any]
) -> BaseResponse | None:
    if api.disable_refresh_post or getattr(api, "refresh_post", None) is None or options.response is None:
        return None
    await api.refresh_post(options, user_context)
    response = options.response
    response.set_status(200)
    response.set_json_content({})
    _transfer.apply_queued(options.request, response)
    return response
