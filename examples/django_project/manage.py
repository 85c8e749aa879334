"""The smallest complete authdeck integration in Django: sign-up/sign-in page, a protected page, the dashboard.

Start (with `authdeck core` running): AUTHDECK_API_KEY=<key> python examples/django_project/manage.py runserver 8000
Settings from the environment: AUTHDECK_CORE_URL (default http://localhost:3567), AUTHDECK_API_KEY,
AUTHDECK_API_DOMAIN / AUTHDECK_WEBSITE_DOMAIN (default http://localhost:8000), AUTHDECK_DEMO_ADMINS (comma list).
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
