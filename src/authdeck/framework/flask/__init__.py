"""Flask: ``Middleware(app)`` after ``authdeck.init(framework="flask", ...)``."""

from authdeck.framework.flask._middleware import Middleware
from authdeck.framework.flask._request import FlaskRequest, wrap_request

__all__ = ["FlaskRequest", "Middleware", "wrap_request"]
