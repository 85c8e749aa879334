"""Initialises authdeck once, when Django has loaded its settings."""

from __future__ import annotations

import os

from django.apps import AppConfig


class ExampleConfig(AppConfig):
    name = "example"

    def ready(self) -> None:
        from authdeck import InputAppInfo, SupertokensConfig, init
        from authdeck.recipe import dashboard, emailpassword, emailverification, session, usermetadata, userroles

        domain = os.environ.get("AUTHDECK_API_DOMAIN", "http://localhost:8000")
        admins = os.environ.get("AUTHDECK_DEMO_ADMINS", "admin@example.com").split(",")
        init(
            app_info=InputAppInfo(
                app_name="authdeck example",
                api_domain=domain,
                website_domain=os.environ.get("AUTHDECK_WEBSITE_DOMAIN", domain),
            ),
            framework="django",
            mode="wsgi",
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
                dashboard.init(admins=[a.strip() for a in admins if a.strip()]),  # the others are read-only
            ],
        )
