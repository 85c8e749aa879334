"""One FastAPI app with the dashboard recipe, built on the auth package named at start, served by uvicorn.

    python compat_app.py --package supertokens_python --port 8123 --connection-uri http://127.0.0.1:3567/appid-x

The core's API key comes from ``DASH_CORE_API_KEY`` and the dashboard admins (comma-separated) from
``DASH_ADMINS``. Recipes: session, emailpassword, emailverification (OPTIONAL; emails are kept, never sent),
usermetadata, userroles and dashboard. Only loopback may be reached (see tests/differential/app_template.py).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[4]))  # the repository, for tests.differential

from tests.differential.app_template import refuse_internet  # noqa: E402


def build(package: str, port: int, connection_uri: str, api_key: str | None, admins: list[str]) -> Any:
    import uvicorn  # noqa: F401 (fail early when missing)
    from fastapi import FastAPI

    def load(name: str = "") -> Any:
        return importlib.import_module(f"{package}.{name}" if name else package)

    top = load()
    delivery = load("ingredients.emaildelivery.types")

    class Keep(delivery.EmailDeliveryInterface):  # type: ignore[misc, name-defined]
        async def send_email(self, template_vars: Any, user_context: dict[str, Any]) -> None:
            return None

    top.init(
        app_info=top.InputAppInfo(
            app_name="dashboard-compat",
            api_domain=f"http://127.0.0.1:{port}",
            website_domain="http://127.0.0.1:3000",
            api_base_path="/auth",
        ),
        supertokens_config=top.SupertokensConfig(connection_uri=connection_uri, api_key=api_key),
        framework="fastapi",
        mode="asgi",
        recipe_list=[
            load("recipe.session").init(),
            load("recipe.emailpassword").init(),
            load("recipe.emailverification").init(
                mode="OPTIONAL", email_delivery=delivery.EmailDeliveryConfig(service=Keep())
            ),
            load("recipe.usermetadata").init(),
            load("recipe.userroles").init(),
            load("recipe.dashboard").init(admins=admins),
        ],
        telemetry=False,
    )
    app = FastAPI()
    app.add_middleware(load("framework.fastapi").get_middleware())

    @app.get("/health")
    async def health() -> dict[str, str]:
        return {"status": "up"}

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--package", choices=["authdeck", "supertokens_python"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--connection-uri", required=True)
    args = parser.parse_args()
    refuse_internet()
    import uvicorn

    admins = [a for a in os.environ.get("DASH_ADMINS", "").split(",") if a]
    app = build(args.package, args.port, args.connection_uri, os.environ.get("DASH_CORE_API_KEY") or None, admins)
    uvicorn.run(app, host="127.0.0.1", port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
