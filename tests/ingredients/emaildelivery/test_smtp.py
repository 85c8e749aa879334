"""SMTP delivery against a real SMTP server on 127.0.0.1: plain, STARTTLS, implicit TLS, login, and the
password reset and verification emails sent through the recipes end to end."""

from __future__ import annotations

import email
import email.policy
import html
import re
import smtplib
import ssl
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from authdeck.ingredients.emaildelivery.services.smtp import Transporter
from authdeck.ingredients.emaildelivery.types import (
    EmailContent,
    EmailDeliveryConfig,
    SMTPServiceInterface,
    SMTPSettings,
    SMTPSettingsFrom,
)
from authdeck.recipe import emailpassword, emailverification
from authdeck.recipe.emailpassword.emaildelivery.services import SMTPService as PasswordResetSMTPService
from authdeck.recipe.emailverification.emaildelivery.services import SMTPService as VerificationSMTPService
from tests._harness.core_process import CoreClient, CoreProcess
from tests._harness.ports import free_port
from tests.ingredients.emaildelivery._smtp_server import SMTPServer, make_certificate
from tests.recipe.emailpassword._app import bearer, form, serve

SENDER = SMTPSettingsFrom(name="Authdeck Test", email="noreply@example.com")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    return make_certificate(tmp_path)


@pytest.fixture
def server_tls(certificate: tuple[Path, Path]) -> ssl.SSLContext:
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(*certificate)
    return context


@pytest.fixture
def trust_certificate(certificate: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the client trust our self-signed certificate, as a company CA would be trusted."""
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))


@pytest.fixture
def plain_server() -> Iterator[SMTPServer]:
    with SMTPServer() as server:
        yield server


def parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    return message


def content(to: str = "user@example.com") -> EmailContent:
    return EmailContent(body="<p>Hello <b>there</b></p>", subject="Greetings", to_email=to, is_html=True)


@pytest.mark.anyio
async def test_plain_smtp_delivers_the_message(plain_server: SMTPServer) -> None:
    transporter = Transporter(SMTPSettings("127.0.0.1", plain_server.port, SENDER))
    await transporter.send_email(content(), {})
    [received] = plain_server.messages
    assert (received.mail_from, received.rcpt_to, received.tls, received.login) == (
        "noreply@example.com",
        ["user@example.com"],
        False,
        None,
    )
    message = parse(received.data)
    assert message["From"] == "Authdeck Test <noreply@example.com>"
    assert (message["To"], message["Subject"]) == ("user@example.com", "Greetings")
    assert message.get_content_type() == "text/html"
    assert message.get_content().strip() == "<p>Hello <b>there</b></p>"


@pytest.mark.anyio
async def test_starttls_is_used_when_offered_and_login_follows(
    server_tls: ssl.SSLContext, trust_certificate: None
) -> None:
    with SMTPServer(tls=server_tls, credentials=("mailer", "s3cret")) as server:
        settings = SMTPSettings("127.0.0.1", server.port, SENDER, password="s3cret", username="mailer")
        await Transporter(settings).send_email(content(), {})
    [received] = server.messages
    assert received.tls is True and received.login == "mailer"


@pytest.mark.anyio
async def test_login_defaults_to_the_sender_address(server_tls: ssl.SSLContext, trust_certificate: None) -> None:
    with SMTPServer(tls=server_tls, credentials=("noreply@example.com", "pw")) as server:
        await Transporter(SMTPSettings("127.0.0.1", server.port, SENDER, password="pw")).send_email(content(), {})
    assert server.messages[0].login == "noreply@example.com"


@pytest.mark.anyio
async def test_secure_true_uses_tls_from_the_first_byte(server_tls: ssl.SSLContext, trust_certificate: None) -> None:
    with SMTPServer(tls=server_tls, implicit_tls=True) as server:
        await Transporter(SMTPSettings("127.0.0.1", server.port, SENDER, secure=True)).send_email(content(), {})
    assert server.messages[0].tls is True


@pytest.mark.anyio
async def test_an_untrusted_certificate_is_refused_and_nothing_is_sent(server_tls: ssl.SSLContext) -> None:
    with SMTPServer(tls=server_tls) as server:
        with pytest.raises(ssl.SSLCertVerificationError):
            await Transporter(SMTPSettings("127.0.0.1", server.port, SENDER)).send_email(content(), {})
    assert server.messages == []


@pytest.mark.anyio
async def test_wrong_credentials_raise(server_tls: ssl.SSLContext, trust_certificate: None) -> None:
    with SMTPServer(tls=server_tls, credentials=("mailer", "right")) as server:
        settings = SMTPSettings("127.0.0.1", server.port, SENDER, password="wrong", username="mailer")
        with pytest.raises(smtplib.SMTPAuthenticationError):
            await Transporter(settings).send_email(content(), {})
    assert server.messages == []


@pytest.mark.anyio
async def test_a_recipient_with_a_line_break_cannot_inject_headers(plain_server: SMTPServer) -> None:
    transporter = Transporter(SMTPSettings("127.0.0.1", plain_server.port, SENDER))
    with pytest.raises(ValueError):
        await transporter.send_email(content("a@example.com\r\nBcc: victim@example.com"), {})
    assert plain_server.messages == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"host": "", "port": 25}, "host is empty"),
        ({"host": "smtp.example.com", "port": 0}, "port"),
        ({"host": "smtp.example.com", "port": "587"}, "port"),
        ({"host": "smtp.example.com", "port": True}, "port"),
    ],
)
def test_smtp_settings_are_checked(kwargs: dict[str, Any], message: str) -> None:
    from authdeck.exceptions import ConfigError

    with pytest.raises(ConfigError, match=message):
        SMTPSettings(from_=SENDER, **kwargs)


def test_smtp_password_is_not_in_repr() -> None:
    assert "hunter2" not in repr(SMTPSettings("smtp.example.com", 587, SENDER, password="hunter2"))


def test_sender_needs_an_email_address() -> None:
    from authdeck.exceptions import ConfigError

    with pytest.raises(ConfigError, match="not an email address"):
        SMTPSettingsFrom(name="x", email="nobody")


# --- through the recipes, with a real core ------------------------------------------------------------------


def link_in(message: EmailMessage, kind: str) -> str:
    body = html.unescape(message.get_content())
    found = re.search(rf"http://localhost:3000/auth/{kind}\?token=[A-Za-z0-9_\-]+&tenantId=public", body)
    assert found is not None, body
    return found.group(0)


@pytest.mark.anyio
async def test_password_reset_email_arrives_over_smtp_and_its_link_works(
    core: CoreProcess, app_client: CoreClient, plain_server: SMTPServer
) -> None:
    smtp = PasswordResetSMTPService(smtp_settings=SMTPSettings("127.0.0.1", plain_server.port, SENDER))
    recipes = [emailpassword.init(email_delivery=EmailDeliveryConfig(service=smtp))]
    async with serve(core, app_client, recipes) as http:
        await http.post("/auth/signup", json=form(email="mail@example.com", password="abcd1234"))
        reply = await http.post("/auth/user/password/reset/token", json=form(email="mail@example.com"))
        assert reply.json() == {"status": "OK"}
        [received] = plain_server.messages
        assert received.rcpt_to == ["mail@example.com"]
        message = parse(received.data)
        assert message["Subject"] == "Password reset instructions"
        assert "Test App" in message.get_content()
        token = link_in(message, "reset-password").split("token=")[1].split("&")[0]
        reset = await http.post("/auth/user/password/reset", json={"token": token, **form(password="viaSMTP123")})
        assert reset.json() == {"status": "OK"}
        signin = await http.post("/auth/signin", json=form(email="mail@example.com", password="viaSMTP123"))
        assert signin.json()["status"] == "OK"


@pytest.mark.anyio
async def test_verification_email_arrives_over_smtp_with_an_overridden_subject(
    core: CoreProcess, app_client: CoreClient, plain_server: SMTPServer
) -> None:
    def override(original: SMTPServiceInterface[Any]) -> SMTPServiceInterface[Any]:
        get_content = original.get_content

        async def branded(template_vars: Any, user_context: dict[str, Any]) -> EmailContent:
            result = await get_content(template_vars, user_context)
            result.subject = "Please confirm your address"
            return result

        original.get_content = branded  # type: ignore[method-assign]
        return original

    smtp = VerificationSMTPService(SMTPSettings("127.0.0.1", plain_server.port, SENDER), override=override)
    recipes = [
        emailpassword.init(),
        emailverification.init("REQUIRED", email_delivery=EmailDeliveryConfig(service=smtp)),
    ]
    async with serve(core, app_client, recipes) as http:
        signed_up = await http.post("/auth/signup", json=form(email="ev@example.com", password="abcd1234"))
        reply = await http.post("/auth/user/email/verify/token", headers=bearer(signed_up))
        assert reply.json() == {"status": "OK"}
        message = parse(plain_server.messages[-1].data)
        assert message["Subject"] == "Please confirm your address"
        token = link_in(message, "verify-email").split("token=")[1].split("&")[0]
        verified = await http.post("/auth/user/email/verify", json={"token": token}, headers=bearer(signed_up))
        assert verified.json() == {"status": "OK"}
        assert (await http.get("/protected", headers=bearer(verified))).status_code == 200


@pytest.mark.anyio
async def test_an_smtp_failure_is_an_error_not_a_silent_success(core: CoreProcess, app_client: CoreClient) -> None:
    smtp = PasswordResetSMTPService(SMTPSettings("127.0.0.1", free_port(), SENDER))  # nothing listens there
    async with serve(core, app_client, [emailpassword.init(email_delivery=EmailDeliveryConfig(service=smtp))]) as http:
        await http.post("/auth/signup", json=form(email="down@example.com", password="abcd1234"))
        with pytest.raises(ConnectionRefusedError):
            await http.post("/auth/user/password/reset/token", json=form(email="down@example.com"))
