"""A small but real SMTP server on 127.0.0.1 for tests: EHLO, STARTTLS, implicit TLS, AUTH PLAIN, one mail
per transaction. It runs its own event loop in a thread and keeps every message it accepted."""

from __future__ import annotations

import asyncio
import base64
import datetime
import ipaddress
import ssl
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID


@dataclass
class Received:
    mail_from: str
    rcpt_to: list[str]
    data: bytes
    tls: bool
    login: str | None


def make_certificate(directory: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost; returns (cert, key) PEM paths."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "authdeck test smtp")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return cert_path, key_path


@dataclass
class SMTPServer:
    tls: ssl.SSLContext | None = None  # offered with STARTTLS, or used from the start with implicit_tls
    implicit_tls: bool = False
    credentials: tuple[str, str] | None = None  # when set, AUTH PLAIN is offered and required
    messages: list[Received] = field(default_factory=list)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None

    def __enter__(self) -> SMTPServer:
        self._thread.start()
        future = asyncio.run_coroutine_threadsafe(self._start(), self._loop)
        self.port = future.result(timeout=10)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _start(self) -> int:
        ssl_context = self.tls if self.implicit_tls else None
        self._server = await asyncio.start_server(self._session, "127.0.0.1", 0, ssl=ssl_context)
        port: int = self._server.sockets[0].getsockname()[1]
        return port

    async def _stop(self) -> None:
        assert self._server is not None
        self._server.close()
        await self._server.wait_closed()

    async def _session(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        tls = self.implicit_tls
        login: str | None = None
        mail_from, rcpt_to = "", []

        async def reply(line: str) -> None:
            writer.write(line.encode() + b"\r\n")
            await writer.drain()

        try:
            await reply("220 127.0.0.1 test ESMTP")
            while line := (await reader.readline()).decode().rstrip("\r\n"):
                verb, _, arg = line.partition(" ")
                verb = verb.upper()
                if verb == "EHLO":
                    features = ["250-127.0.0.1"]
                    if self.tls is not None and not tls:
                        features.append("250-STARTTLS")
                    if self.credentials is not None:
                        features.append("250-AUTH PLAIN")
                    features.append("250 8BITMIME")
                    writer.write(("\r\n".join(features) + "\r\n").encode())
                    await writer.drain()
                elif verb == "STARTTLS" and self.tls is not None and not tls:
                    await reply("220 go ahead")
                    await writer.start_tls(self.tls)
                    tls = True
                elif verb == "AUTH" and self.credentials is not None:
                    mechanism, _, initial = arg.partition(" ")
                    _, user, password = base64.b64decode(initial).decode().split("\0")
                    if mechanism.upper() == "PLAIN" and (user, password) == self.credentials:
                        login = user
                        await reply("235 authenticated")
                    else:
                        await reply("535 bad credentials")
                elif verb == "MAIL":
                    if self.credentials is not None and login is None:
                        await reply("530 authentication required")
                        continue
                    mail_from, rcpt_to = arg.split(":", 1)[1].strip("<> "), []
                    await reply("250 ok")
                elif verb == "RCPT":
                    rcpt_to.append(arg.split(":", 1)[1].strip("<> "))
                    await reply("250 ok")
                elif verb == "DATA":
                    await reply("354 end with .")
                    lines = []
                    while (chunk := await reader.readline()) not in (b".\r\n", b""):
                        lines.append(chunk[1:] if chunk.startswith(b"..") else chunk)
                    self.messages.append(Received(mail_from, rcpt_to, b"".join(lines), tls, login))
                    await reply("250 queued")
                elif verb == "QUIT":
                    await reply("221 bye")
                    break
                else:
                    await reply("250 ok")
        except (ConnectionError, ssl.SSLError, asyncio.IncompleteReadError):
            pass  # the client hung up, e.g. after refusing our certificate
        finally:
            writer.close()
