"""Email services for the verification email."""

from authdeck.recipe.emailverification.emaildelivery.services import smtp

SMTPService = smtp.SMTPService

__all__ = ["SMTPService"]
