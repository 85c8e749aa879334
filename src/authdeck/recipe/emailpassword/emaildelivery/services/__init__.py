"""Email services for the password reset email."""

from authdeck.recipe.emailpassword.emaildelivery.services import smtp

SMTPService = smtp.SMTPService

__all__ = ["SMTPService"]
