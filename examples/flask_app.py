"""The smallest complete authdeck integration in Flask: sign-up/sign-in page, a protected page, the dashboard.

Start (with `authdeck core` running): AUTHDECK_API_KEY=<key> flask --app examples/flask_app.py run --port 8000
Settings from the environment: AUTHDECK_CORE_URL (default http://localhost:3567), AUTHDECK_API_KEY,
AUTHDECK_API_DOMAIN / AUTHDECK_WEBSITE_DOMAIN (default http://localhost:8000), AUTHDECK_DEMO_ADMINS (comma list).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from flask import Flask, g, send_from_directory
from flask.typing import ResponseReturnValue

from authdeck import InputAppInfo, SupertokensConfig, init
from authdeck.framework.flask import Middleware
from authdeck.recipe import dashboard, emailpassword, emailverification, session, usermetadata, userroles
from authdeck.recipe.session.framework.flask import verify_session

STATIC = Path(__file__).parent / "static"
DOMAIN = os.environ.get("AUTHDECK_API_DOMAIN", "http://localhost:8000")
ADMINS = [a.strip() for a in os.environ.get("AUTHDECK_DEMO_ADMINS", "admin@example.com").split(",") if a.strip()]

init(
    app_info=InputAppInfo(
        app_name="authdeck example",
        api_domain=DOMAIN,
        website_domain=os.environ.get("AUTHDECK_WEBSITE_DOMAIN", DOMAIN),
    ),
    framework="flask",
    supertokens_config=SupertokensConfig(
        connection_uri=os.environ.get("AUTHDECK_CORE_URL", "http://localhost:3567"),
        api_key=os.environ.get("AUTHDECK_API_KEY") or None,
    ),
    recipe_list=[
        emailpassword.init(),
        session.init(),
        emailverification.init(mode="OPTIONAL"),
        usermetadata.init(),
        userroles.init(),
        dashboard.init(admins=ADMINS),  # every other dashboard user is read-only
    ],
)

app = Flask(__name__, static_folder=None)
Middleware(app)


@app.get("/")
def index() -> ResponseReturnValue:
    return send_from_directory(STATIC, "index.html")


@app.get("/static/app.js")
def script() -> ResponseReturnValue:
    return send_from_directory(STATIC, "app.js", mimetype="text/javascript")


@app.get("/session-info")
@verify_session()
def session_info() -> dict[str, Any]:
    s = g.supertokens
    return {
        "userId": s.get_user_id(),
        "sessionHandle": s.get_handle(),
        "accessTokenPayload": s.get_access_token_payload(),
    }
