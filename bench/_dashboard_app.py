"""The FastAPI app bench/dashboard.py measures: session, emailpassword, usermetadata, userroles,
emailverification and the dashboard (no admins list, so every dashboard user may write).

    python -m bench._dashboard_app --port 8123 --connection-uri http://127.0.0.1:3567

The core's API key comes from ``AUTHDECK_BENCH_API_KEY``. Serves one uvicorn worker, as the SDK benchmark does.
"""

from __future__ import annotations

import argparse
import os

from fastapi import FastAPI


def build(port: int, connection_uri: str, api_key: str | None) -> FastAPI:
    import authdeck
    from authdeck.framework.fastapi import get_middleware
    from authdeck.recipe import dashboard, emailpassword, emailverification, session, usermetadata, userroles

    authdeck.init(
        app_info=authdeck.InputAppInfo(
            app_name="dashboard-bench",
            api_domain=f"http://127.0.0.1:{port}",
            website_domain="http://127.0.0.1:3000",
            api_base_path="/auth",
            website_base_path="/auth",
        ),
        supertokens_config=authdeck.SupertokensConfig(connection_uri=connection_uri, api_key=api_key),
        framework="fastapi",
        mode="asgi",
        recipe_list=[
            session.init(),
            emailpassword.init(),
            emailverification.init(mode="OPTIONAL"),
            usermetadata.init(),
            userroles.init(),
            dashboard.init(),
        ],
    )
    app = FastAPI()
    app.add_middleware(get_middleware())

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "up"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connection-uri", required=True)
    args = parser.parse_args()
    import uvicorn

    app = build(args.port, args.connection_uri, os.environ.get("AUTHDECK_BENCH_API_KEY") or None)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning", workers=1)


if __name__ == "__main__":
    main()
