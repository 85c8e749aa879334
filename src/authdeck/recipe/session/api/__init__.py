"""The session recipe's FDI routes: POST /session/refresh and POST /signout (fdi.md §3.2)."""

from authdeck.recipe.session.api.refresh import handle_refresh_api
from authdeck.recipe.session.api.signout import handle_signout_api

__all__ = ["handle_refresh_api", "handle_signout_api"]
