"""The page, its script and the protected page; authdeck's middleware serves /auth/... itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import FileResponse, HttpRequest, JsonResponse
from django.urls import path

from authdeck.recipe.session.framework.django.syncio import verify_session

STATIC = Path(__file__).resolve().parents[2] / "static"


def index(request: HttpRequest) -> FileResponse:
    return FileResponse(open(STATIC / "index.html", "rb"), content_type="text/html; charset=utf-8")


def script(request: HttpRequest) -> FileResponse:
    return FileResponse(open(STATIC / "app.js", "rb"), content_type="text/javascript")


@verify_session()
def session_info(request: Any) -> JsonResponse:
    s = request.supertokens
    return JsonResponse(
        {"userId": s.get_user_id(), "sessionHandle": s.get_handle(), "accessTokenPayload": s.get_access_token_payload()}
    )


urlpatterns = [path("", index), path("static/app.js", script), path("session-info", session_info)]
