"""Starts the template app (app_template.py) on one auth package as a real uvicorn server on a free port."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests._harness import served
from tests._harness.ports import free_port

TEMPLATE = Path(__file__).parent / "app_template.py"
PACKAGES = ("authdeck", "supertokens_python")
# Keeps supertokens_python off the internet: tldextract uses its bundled suffix list, and the hosted mailer
# is skipped (the template also installs its own email service and refuses non-loopback connections).
OFFLINE_ENV = {"SUPERTOKENS_TLDEXTRACT_DISABLE_HTTP": "1", "SUPERTOKENS_ENV": "testing"}


@dataclass
class RunningApp:
    package: str
    url: str
    proc: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def stop(self) -> None:
        served.stop(self.proc)


def small_trust_store(directory: Path) -> Path:
    """A CA file holding one throwaway self-signed certificate.

    supertokens_python opens a new httpx client for every core call, and loading certifi's bundle into it costs
    ~60 ms of CPU, most of a sign-in. Every connection here is plain HTTP on loopback, so what the trust store
    holds changes no behaviour; pointing SSL_CERT_FILE at a one-certificate file keeps the suite fast.
    """
    path = directory / "trust-store.pem"
    if not path.exists():
        key = ec.generate_private_key(ec.SECP256R1())
        name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "authdeck differential test")])
        now = dt.datetime.now(dt.UTC)
        cert = (
            x509.CertificateBuilder()
            .subject_name(name)
            .issuer_name(name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now)
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256())
        )
        path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return path


def start_app(
    package: str, connection_uri: str, api_key: str | None, log_dir: Path, *, fast_tls_setup: bool = False
) -> RunningApp:
    """The template app on ``package``, answering on 127.0.0.1 once this returns.

    ``fast_tls_setup`` points SSL_CERT_FILE at small_trust_store() (tests only: benchmarks run as shipped).
    """
    port = free_port()
    log_path = log_dir / f"{package}-{port}.log"
    cmd = [sys.executable, str(TEMPLATE), "--package", package, "--port", str(port)]
    cmd += ["--connection-uri", connection_uri]
    env = {**os.environ, **OFFLINE_ENV, "DIFF_API_KEY": api_key or ""}
    if fast_tls_setup:
        env["SSL_CERT_FILE"] = str(small_trust_store(log_dir))
    url = f"http://127.0.0.1:{port}"
    proc = served.launch(cmd, log_path, url + "/health", what=f"{package} app", env=env)
    return RunningApp(package, url, proc, log_path)
