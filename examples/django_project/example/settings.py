"""Django settings for the example: no database of its own (users live in the authdeck core)."""

from __future__ import annotations

import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")  # noqa: S105 - set it in production
DEBUG = False
ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
ROOT_URLCONF = "example.urls"
INSTALLED_APPS = ["example.apps.ExampleConfig"]
MIDDLEWARE = ["authdeck.framework.django.django_middleware.middleware"]
DATABASES: dict[str, object] = {}
USE_TZ = True
