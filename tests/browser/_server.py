"""A demo FastAPI app with the dashboard and every recipe it uses, run by uvicorn for the browser tests.

Configured through the environment: AUTHDECK_TEST_CORE (connection URI), AUTHDECK_TEST_PORT and, optionally,
AUTHDECK_TEST_APP_NAME and AUTHDECK_TEST_DASHBOARD_API_KEY (the dashboard's API-key mode).
"""

from __future__ import annotations

import os

import uvicorn
from fastapi import FastAPI

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck.framework.fastapi import get_middleware
from authdeck.recipe import dashboard, emailpassword, emailverification, session, usermetadata, userroles
from tests._harness.core_process import API_KEY


def build() -> FastAPI:
    port = os.environ["AUTHDECK_TEST_PORT"]
    init(
        app_info=InputAppInfo(
            app_name=os.environ.get("AUTHDECK_TEST_APP_NAME", "Browser Test App"),
            api_domain=f"http://127.0.0.1:{port}",
            website_domain=f"http://127.0.0.1:{port}",
        ),
        framework="fastapi",
        supertokens_config=SupertokensConfig(connection_uri=os.environ["AUTHDECK_TEST_CORE"], api_key=API_KEY),
        recipe_list=[
            session.init(),
            emailpassword.init(),
            emailverification.init(mode="OPTIONAL"),
            usermetadata.init(),
            userroles.init(),
            dashboard.init(admins=["admin@example.com"], api_key=os.environ.get("AUTHDECK_TEST_DASHBOARD_API_KEY")),
        ],
    )
    app = FastAPI()
    app.add_middleware(get_middleware())
    return app


if __name__ == "__main__":
    uvicorn.run(build(), host="127.0.0.1", port=int(os.environ["AUTHDECK_TEST_PORT"]), log_level="warning")
