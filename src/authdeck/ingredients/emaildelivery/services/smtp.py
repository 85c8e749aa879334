"""Sends email over SMTP with the standard library, in a worker thread so the event loop never blocks.

``secure=True`` means TLS from the first byte; otherwise STARTTLS is used whenever the server offers it.
Certificates are verified with the system's trust store.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections.abc import Callable
from email.headerregistry import Address
from email.message import EmailMessage
from typing import Any, Generic, TypeVar

from authdeck.ingredients.emaildelivery.types import (
    EmailContent,
    EmailDeliveryInterface,
    SMTPServiceInterface,
    SMTPSettings,
)

log = logging.getLogger("authdeck.email")

T = TypeVar("T")
TIMEOUT_SECONDS = 30.0


class Transporter:
    """One SMTP connection per email: connect, secure, log in, send, quit."""

    def __init__(self, smtp_settings: SMTPSettings) -> None:
        self.smtp_settings = smtp_settings

    async def send_email(self, content: EmailContent, user_context: dict[str, Any]) -> None:
        message = self._build(content)
        await asyncio.to_thread(self._send, message, content.to_email)

    def _build(self, content: EmailContent) -> EmailMessage:
        sender = self.smtp_settings.from_
        message = EmailMessage()  # its default policy refuses CR/LF in headers, so no header injection
        message["From"] = Address(display_name=sender.name, addr_spec=sender.email)
        message["To"] = content.to_email
        message["Subject"] = content.subject
        message.set_content(content.body, subtype="html" if content.is_html else "plain")
        return message

    def _send(self, message: EmailMessage, to_email: str) -> None:
        settings = self.smtp_settings
        context = ssl.create_default_context()
        smtp: smtplib.SMTP
        if settings.secure:
            smtp = smtplib.SMTP_SSL(settings.host, settings.port, timeout=TIMEOUT_SECONDS, context=context)
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS)
        with smtp:
            smtp.ehlo()
            if not settings.secure and smtp.has_extn("starttls"):
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.password:
                smtp.login(settings.username or settings.from_.email, settings.password)
            smtp.send_message(message, from_addr=settings.from_.email, to_addrs=[to_email])


class ServiceImplementation(SMTPServiceInterface[T]):
    """The default SMTP steps: render with the recipe's template, send with the transporter."""

    def __init__(self, transporter: Transporter, render: Callable[[T], EmailContent]) -> None:
        super().__init__(transporter)
        self._render = render

    async def send_raw_email(self, content: EmailContent, user_context: dict[str, Any]) -> None:
        await self.transporter.send_email(content, user_context)

    async def get_content(self, template_vars: T, user_context: dict[str, Any]) -> EmailContent:
        return self._render(template_vars)


class SMTPServiceBase(EmailDeliveryInterface[T], Generic[T]):
    """An email service over SMTP; each recipe subclasses it with its own template."""

    service_implementation: SMTPServiceInterface[T]

    def __init__(
        self,
        smtp_settings: SMTPSettings,
        override: Callable[[SMTPServiceInterface[T]], SMTPServiceInterface[T]] | None,
        render: Callable[[T], EmailContent],
    ) -> None:
        original = ServiceImplementation(Transporter(smtp_settings), render)
        self.service_implementation = original if override is None else override(original)

    async def send_email(self, template_vars: T, user_context: dict[str, Any]) -> None:
        content = await self.service_implementation.get_content(template_vars, user_context)
        await self.service_implementation.send_raw_email(content, user_context)
