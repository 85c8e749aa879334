"""The default email service: it sends nothing and logs the link, so development needs no mail server.

Nothing ever leaves the machine by default. The log line carries the link (a secret token), so configure
an SMTP service or your own EmailDeliveryInterface before going to production.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from authdeck.ingredients.emaildelivery.types import EmailDeliveryInterface

log = logging.getLogger("authdeck.email")

T = TypeVar("T")


class ConsoleService(EmailDeliveryInterface[T], Generic[T]):
    """Logs ``<what> for <email>: <link>`` at WARNING on the ``authdeck.email`` logger."""

    def __init__(self, recipe: str, what: str, describe: Callable[[T], tuple[str, str]]) -> None:
        self._recipe = recipe
        self._what = what
        self._describe = describe

    async def send_email(self, template_vars: T, user_context: dict[str, Any]) -> None:
        to_email, link = self._describe(template_vars)
        log.warning(
            "%s for %s: %s\n(authdeck development default: no email was sent. To send emails, pass "
            "email_delivery=EmailDeliveryConfig(service=SMTPService(smtp_settings=SMTPSettings(host=..., port=..., "
            "from_=SMTPSettingsFrom(name=..., email=...)))) to %s.init(), or your own EmailDeliveryInterface.)",
            self._what,
            to_email,
            link,
            self._recipe,
        )
