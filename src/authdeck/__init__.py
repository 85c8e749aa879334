"""authdeck: self-hosted authentication for Python apps, built around a user management dashboard.

The SDK's front door mirrors supertokens_python: ``init(app_info=..., framework=..., supertokens_config=...,
recipe_list=[...])``.
"""

from authdeck._appinfo import InputAppInfo, SupertokensConfig
from authdeck._supertokens import get_all_cors_headers, init

__all__ = ["InputAppInfo", "SupertokensConfig", "get_all_cors_headers", "init"]
