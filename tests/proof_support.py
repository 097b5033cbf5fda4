"""What the signed-form tests share: keys made once, a small sealed-looking PDF, a PKCS#12
file, and a time-stamping authority on this machine (no network is ever reached).

Keys are slow to make only for RSA (the TSA's, which pyHanko's test timestamper needs);
the clinic's are ECDSA P-256, as Consult makes them. Each is made once per test process.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import io
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from asn1crypto import tsp
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.sign.timestamps import DummyTimeStamper
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from consult.proof import asn1
from consult.proof.identity import ClinicIdentity, self_signed

CLINIC = "Harley Regenerative Clinic"
NUMBER = "C-2026-000123-1"
RECORD_SHA256 = "3f9a" + "0123456789abcdef" * 3 + "0123456789ab"


@functools.cache
def clinic_identity() -> ClinicIdentity:
    """The clinic's identity, as Consult makes it at the first signed form."""
    return self_signed(CLINIC)


@functools.cache
def impostor_identity() -> ClinicIdentity:
    """Another key that names the same clinic: what a forger would sign with."""
    return self_signed(CLINIC)


def sealed_pdf(number: str = NUMBER, record_sha256: str = RECORD_SHA256, pages: int = 2) -> bytes:
    """A PDF whose every page has a consent form's footer: the document number and the
    first 12 digits of the record's SHA-256 (what verification reads from the text)."""
    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4, invariant=True)
    for number_of_page in range(1, pages + 1):
        page.drawString(72, 760, f"Consent form {number}: the patient agrees.")
        page.drawString(72, 40, f"{number} · Page {number_of_page} of {pages}")
        page.drawString(400, 40, f"SHA-256 {record_sha256[:12]}")
        page.showPage()
    page.save()
    return out.getvalue()


@functools.cache
def _tsa() -> tuple[rsa.RSAPrivateKey, x509.Certificate]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Time-Stamping Authority")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return key, certificate


def tsa_certificate() -> x509.Certificate:
    """The local TSA's certificate (to trust its timestamps)."""
    return _tsa()[1]


def timestamper() -> DummyTimeStamper:
    """pyHanko's test timestamper, signing as the local TSA."""
    key, certificate = _tsa()
    return DummyTimeStamper(tsa_cert=asn1.certificate(certificate), tsa_key=asn1.private_key(key))


@contextlib.contextmanager
def local_tsa() -> Iterator[tuple[str, list[int]]]:
    """An RFC 3161 service on 127.0.0.1 (answered by :func:`timestamper`): its URL, and
    the list the sizes of the requests it received are added to."""
    stamper = timestamper()
    received: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            received.append(len(body))
            answer = stamper.request_tsa_response(tsp.TimeStampReq.load(body)).dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/tsa", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def pkcs12_file(identity: ClinicIdentity, password: bytes | None) -> bytes:
    """``identity`` as a PKCS#12 file, as a clinic's trust service would hand it over."""
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    return pkcs12.serialize_key_and_certificates(
        b"clinic", identity.key, identity.certificate, list(identity.chain) or None, encryption
    )
