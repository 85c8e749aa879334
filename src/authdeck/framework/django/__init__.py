"""Django: add ``"authdeck.framework.django.django_middleware.middleware"`` to MIDDLEWARE."""

from authdeck.framework.django._request import DjangoRequest, wrap_request
from authdeck.framework.django.django_middleware import middleware

__all__ = ["DjangoRequest", "middleware", "wrap_request"]
