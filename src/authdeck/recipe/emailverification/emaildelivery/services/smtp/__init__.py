"""Sends the verification email over SMTP with authdeck's built-in template."""

from __future__ import annotations

from collections.abc import Callable

from authdeck.ingredients.emaildelivery.services.smtp import SMTPServiceBase
from authdeck.ingredients.emaildelivery.types import SMTPServiceInterface, SMTPSettings
from authdeck.recipe.emailverification.emaildelivery.services.smtp.email_verify import get_email_verify_email_content
from authdeck.recipe.emailverification.types import EmailTemplateVars


class SMTPService(SMTPServiceBase[EmailTemplateVars]):
    """``EmailDeliveryConfig(service=SMTPService(smtp_settings=SMTPSettings(...)))`` for email verification.

    ``override`` receives the default implementation (``get_content``, ``send_raw_email``) and returns yours.
    """

    def __init__(
        self,
        smtp_settings: SMTPSettings,
        override: Callable[[SMTPServiceInterface[EmailTemplateVars]], SMTPServiceInterface[EmailTemplateVars]]
        | None = None,
    ) -> None:
        super().__init__(smtp_settings, override, get_email_verify_email_content)


__all__ = ["SMTPService"]
