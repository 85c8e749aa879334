"""FastAPI (and any Starlette app): ``app.add_middleware(get_middleware())``."""

from authdeck.framework.fastapi._middleware import get_middleware, wrap_request

__all__ = ["get_middleware", "wrap_request"]
