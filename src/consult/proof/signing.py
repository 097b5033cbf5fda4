"""PAdES signing of a sealed form, as an incremental update of the sealed PDF.

The sealed PDF (the bytes the database keeps, whose SHA-256 is ``pdf_sha256``) is left
as it is: the signature is appended after it, with the form's facts
(:mod:`consult.proof.form_facts`). So the sealed bytes stay a prefix of the signed file
and their hash still verifies, and the signature covers both.

The signature is PAdES B-B (``ETSI.CAdES.detached``, SHA-256) by the clinic's identity
(:mod:`consult.proof.identity`), its reason "Consent recorded", the clinic as the
signer's name and the document number in the signature field's name. With a timestamper
(the clinic named a timestamp service) it is PAdES B-T; if the service does not answer,
the form is signed without the timestamp and the failure is logged, so a consent is
never lost to a network outage.

A sealed form is PDF/A-3b (:mod:`consult.documents.pdfa`), and the signed one stays so:
the signature keeps the file PDF 1.7 and its metadata in step
(:mod:`consult.proof.archival`).
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

import aiohttp
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.general import SigningError
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper, TimestampRequestError
from pyhanko_certvalidator.registry import SimpleCertificateStore

from consult.domain.canonical import sha256_hex
from consult.proof import archival, asn1, form_facts
from consult.proof.identity import ClinicIdentity

_log = logging.getLogger(__name__)

REASON = "Consent recorded"
FIELD_PREFIX = "Consent "
KEY_USAGE = frozenset({"non_repudiation", "digital_signature"})
"""The signer's certificate must allow one of these (the verifier asks the same)."""
TIMESTAMP_TIMEOUT_S = 10
CMS_ROOM = 2048
"""Bytes kept for a signature besides its certificates: its signed attributes, the
signature value (512 bytes for RSA-4096) and the CMS structure, with room to spare."""
_DER = serialization.Encoding.DER


@dataclass(frozen=True)
class SignedForm:
    """A signed form: its bytes, who signed it and whether a TSA timestamped it."""

    data: bytes
    certificate_sha256: str
    timestamped: bool


def field_name(document_number: str) -> str:
    """The signature field's name: "Consent " and the document number (a field name
    may not hold a period)."""
    return FIELD_PREFIX + document_number.replace(".", "-")


def timestamp_service(url: str) -> TimeStamper:
    """The RFC 3161 client for the clinic's timestamp service."""
    return HTTPTimeStamper(url, timeout=TIMESTAMP_TIMEOUT_S)


def sign_form(
    pdf: bytes,
    *,
    document_number: str,
    record_sha256: str,
    identity: ClinicIdentity,
    signer_name: str,
    location: str | None = None,
    contact: str | None = None,
    timestamper: TimeStamper | None = None,
) -> SignedForm:
    """Sign the sealed ``pdf`` of record ``document_number`` (whose sealed document's
    SHA-256 is ``record_sha256``) as ``identity``; the result starts with ``pdf``."""
    facts = form_facts.FormFacts(document_number, record_sha256, sha256_hex(pdf))
    parts = _Parts(identity, signer_name, location, contact)
    if timestamper is not None:
        try:
            return SignedForm(_sign(pdf, facts, parts, timestamper), identity.fingerprint, True)
        except (TimeoutError, TimestampRequestError, SigningError, aiohttp.ClientError, OSError):
            _log.warning(
                "the timestamp service did not give a timestamp: %s is signed without one",
                document_number,
                exc_info=True,
            )
    return SignedForm(_sign(pdf, facts, parts, None), identity.fingerprint, False)


@dataclass(frozen=True)
class _Parts:
    identity: ClinicIdentity
    signer_name: str
    location: str | None
    contact: str | None


def _sign(
    pdf: bytes, facts: form_facts.FormFacts, parts: _Parts, timestamper: TimeStamper | None
) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    form_facts.write(writer, facts)
    archival.prepare_revision(writer)
    meta = signers.PdfSignatureMetadata(
        field_name=field_name(facts.document_number),
        md_algorithm="sha256",
        reason=REASON,
        location=parts.location or None,
        contact_info=parts.contact or None,
        name=parts.signer_name,
        subfilter=SigSeedSubFilter.PADES,
        signer_key_usage=set(KEY_USAGE),
    )
    identity = parts.identity
    chain = SimpleCertificateStore()  # type: ignore[no-untyped-call]  # pyHanko's
    for certificate in identity.chain:
        chain.register(asn1.certificate(certificate))
    signer = signers.SimpleSigner(
        signing_cert=asn1.certificate(identity.certificate),
        signing_key=asn1.private_key(identity.key),
        cert_registry=chain,
    )
    output = archival.ArchivalPdfSigner(meta, signer, timestamper=timestamper).sign_pdf(
        writer, bytes_reserved=_room(identity) if timestamper is None else None
    )
    signed: bytes = output.getvalue()
    if not signed.startswith(pdf):  # pragma: no cover - pyHanko's incremental writer
        raise SigningError("the signature did not keep the sealed form as its prefix")
    return signed


def _room(identity: ClinicIdentity) -> int:
    """Bytes to keep for the signature when no timestamp is added: its certificates, the
    signature value and the CMS structure around them, with room to spare. (Without it,
    pyHanko signs twice, once to measure; a timestamp's size is not known in advance.)"""
    certificates = (identity.certificate, *identity.chain)
    needed = CMS_ROOM + sum(len(cert.public_bytes(_DER)) for cert in certificates)
    return 2 * needed  # pyHanko counts the placeholder's hex digits, two per byte
