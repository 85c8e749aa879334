"""Types of email delivery: the service interface, its config, SMTP settings and an email's content."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from authdeck.exceptions import ConfigError

if TYPE_CHECKING:
    from authdeck.ingredients.emaildelivery.services.smtp import Transporter

T = TypeVar("T")


class EmailDeliveryInterface(ABC, Generic[T]):
    """Sends one kind of email; implement ``send_email`` to deliver through your own provider."""

    @abstractmethod
    async def send_email(self, template_vars: T, user_context: dict[str, Any]) -> None: ...


class EmailDeliveryConfig(Generic[T]):
    """``email_delivery=`` of a recipe: the service to use (default: log the link) and an optional override."""

    def __init__(
        self,
        service: EmailDeliveryInterface[T] | None = None,
        override: Callable[[EmailDeliveryInterface[T]], EmailDeliveryInterface[T]] | None = None,
    ) -> None:
        if service is not None and not isinstance(service, EmailDeliveryInterface):
            raise ConfigError(
                "email_delivery.service must implement EmailDeliveryInterface (an async send_email method), "
                f"not {type(service).__name__}"
            )
        if override is not None and not callable(override):
            raise ConfigError("email_delivery.override must be a function that takes and returns the service")
        self.service = service
        self.override = override


class EmailDeliveryConfigWithService(Generic[T]):
    """EmailDeliveryConfig after the recipe filled in its default service."""

    def __init__(
        self,
        service: EmailDeliveryInterface[T],
        override: Callable[[EmailDeliveryInterface[T]], EmailDeliveryInterface[T]] | None = None,
    ) -> None:
        self.service = service
        self.override = override


@dataclass
class SMTPSettingsFrom:
    """The sender shown in emails: ``"name <email>"``."""

    name: str
    email: str

    def __post_init__(self) -> None:
        if not isinstance(self.email, str) or "@" not in self.email:
            raise ConfigError(f"SMTPSettingsFrom.email {self.email!r} is not an email address such as app@example.com")
        if not isinstance(self.name, str):
            raise ConfigError("SMTPSettingsFrom.name must be a string (the sender's display name)")


@dataclass
class SMTPSettings:
    """Where and how to send email.

    ``secure=True`` connects with TLS from the start (usually port 465); otherwise the connection is upgraded
    with STARTTLS when the server offers it (port 587 or 25). The login uses ``username`` (default: the
    sender's email) and happens only when ``password`` is set.
    """

    host: str
    port: int
    from_: SMTPSettingsFrom
    password: str | None = field(default=None, repr=False)
    secure: bool | None = None
    username: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.host, str) or not self.host.strip():
            raise ConfigError("SMTPSettings.host is empty; give your SMTP server's host name, e.g. smtp.example.com")
        if isinstance(self.port, bool) or not isinstance(self.port, int) or not 0 < self.port < 65536:
            raise ConfigError(f"SMTPSettings.port {self.port!r} must be a port number such as 465 or 587")
        if not isinstance(self.from_, SMTPSettingsFrom):
            raise ConfigError("SMTPSettings.from_ must be SMTPSettingsFrom(name=..., email=...)")


@dataclass
class EmailContent:
    """One email ready to send."""

    body: str
    subject: str
    to_email: str
    is_html: bool


class SMTPServiceInterface(ABC, Generic[T]):
    """What an SMTP service does, in two overridable steps: build the content, then send it."""

    def __init__(self, transporter: Transporter) -> None:
        self.transporter = transporter

    @abstractmethod
    async def send_raw_email(self, content: EmailContent, user_context: dict[str, Any]) -> None: ...

    @abstractmethod
    async def get_content(self, template_vars: T, user_context: dict[str, Any]) -> EmailContent: ...
