"""A small FastAPI app on the official supertokens-python SDK (session + emailpassword), served by uvicorn.

Run as its own process (the SDK's init() is process-global)::

    python session_app.py --port 8123 --connection-uri http://127.0.0.1:3567/appid-x --mode cookie

with the core's API key in ``AUTHDECK_SDK_API_KEY``. ``--mode`` picks the token transfer method; cookie mode
uses anti-CSRF ``VIA_TOKEN`` so that the core's anti-CSRF checks are exercised too. Besides the SDK's own
routes under ``/auth`` (signup, signin, session/refresh, signout) it serves:

- ``GET /health``: 200 once the app is up;
- ``POST /create {"userId"}``: a new session for that user (``create_new_session``);
- ``GET /protected``: ``verify_session()``, answering the user, handle and access-token payload;
- ``GET /protected-db``: the same with ``check_database=True``;
- ``POST /merge {...}``: ``merge_into_access_token_payload`` with the body.
"""

from __future__ import annotations

import argparse
import os
from typing import Any

import uvicorn
from fastapi import Depends, FastAPI, Request
from supertokens_python import InputAppInfo, SupertokensConfig, init
from supertokens_python.framework.fastapi import get_middleware
from supertokens_python.recipe import emailpassword, session
from supertokens_python.recipe.session import SessionContainer
from supertokens_python.recipe.session.asyncio import create_new_session
from supertokens_python.recipe.session.framework.fastapi import verify_session
from supertokens_python.types import RecipeUserId


def build(port: int, connection_uri: str, api_key: str | None, mode: str, dynamic_keys: bool) -> FastAPI:
    init(
        app_info=InputAppInfo(
            app_name="authdeck-session-conformance",
            api_domain=f"http://127.0.0.1:{port}",
            website_domain="http://127.0.0.1:3000",
            api_base_path="/auth",
        ),
        supertokens_config=SupertokensConfig(connection_uri=connection_uri, api_key=api_key),
        framework="fastapi",
        mode="asgi",
        recipe_list=[
            session.init(
                get_token_transfer_method=lambda _req, _create, _ctx: "cookie" if mode == "cookie" else "header",
                anti_csrf="VIA_TOKEN" if mode == "cookie" else "NONE",
                use_dynamic_access_token_signing_key=dynamic_keys,
            ),
            emailpassword.init(),
        ],
        telemetry=False,
    )
    app = FastAPI()
    app.add_middleware(get_middleware())

    def describe(s: SessionContainer) -> dict[str, Any]:
        return {
            "userId": s.get_user_id(),
            "handle": s.get_handle(),
            "tenantId": s.get_tenant_id(),
            "payload": s.get_access_token_payload(),
        }

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "up"}

    @app.post("/create")
    async def create(request: Request) -> dict[str, Any]:
        body = await request.json()
        s = await create_new_session(request, "public", RecipeUserId(body["userId"]), {"custom": "claim"})
        return describe(s)

    @app.get("/protected")
    async def protected(s: SessionContainer = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        return describe(s)

    @app.get("/protected-db")
    async def protected_db(
        s: SessionContainer = Depends(verify_session(check_database=True)),  # noqa: B008
    ) -> dict[str, Any]:
        return describe(s)

    @app.post("/merge")
    async def merge(request: Request, s: SessionContainer = Depends(verify_session())) -> dict[str, Any]:  # noqa: B008
        await s.merge_into_access_token_payload(await request.json())
        return describe(s)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connection-uri", required=True)
    parser.add_argument("--mode", choices=["cookie", "header"], required=True)
    parser.add_argument("--static-keys", action="store_true", help="sign access tokens with the static key")
    args = parser.parse_args()
    api_key = os.environ.get("AUTHDECK_SDK_API_KEY") or None
    app = build(args.port, args.connection_uri, api_key, args.mode, not args.static_keys)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
