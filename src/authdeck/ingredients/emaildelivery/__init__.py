"""Email delivery shared by the recipes that send emails: the interface, its config and the ingredient."""

from __future__ import annotations

from typing import Generic, TypeVar

from authdeck.ingredients.emaildelivery.types import EmailDeliveryConfigWithService, EmailDeliveryInterface

T = TypeVar("T")


class EmailDeliveryIngredient(Generic[T]):
    """The service a recipe sends its emails through, after the user's ``override`` was applied."""

    ingredient_interface_impl: EmailDeliveryInterface[T]

    def __init__(self, config: EmailDeliveryConfigWithService[T]) -> None:
        service = config.service
        self.ingredient_interface_impl = service if config.override is None else config.override(service)


__all__ = ["EmailDeliveryIngredient"]
