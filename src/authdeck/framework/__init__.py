"""Framework adapters: translate FastAPI/Starlette, Flask and Django requests and responses, nothing more."""

from authdeck.framework.request import BaseRequest
from authdeck.framework.response import BaseResponse

__all__ = ["BaseRequest", "BaseResponse"]
