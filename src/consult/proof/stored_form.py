"""A signed form as the clinic's database keeps it, checked against its sealed record.

The database keeps three things of each consent sealed since forms are signed: the
record (its canonical JSON and SHA-256), the sealed PDF (and its SHA-256) and the signed
PDF, which is the sealed PDF with the clinic's PAdES signature added as an incremental
update. ``consult verify`` (the whole database, :mod:`consult.store.integrity`) asks of
every signed PDF what an auditor would ask of the file, and more, since it knows the
record and what the audit log said at signing:

- the sealed PDF is an exact prefix of the signed one (signing appends, never rewrites);
- the signature is the one :func:`consult.proof.verification.verify_form` accepts:
  intact, covering the sealed form, and made with the certificate the audit log
  recorded at signing (the signer is trusted only if it is that certificate);
- the record the signed PDF carries inside it hashes to the record's SHA-256, and the
  signature names the record's document number.

Nothing here reads the database: the caller hands in the bytes and what was logged.
"""

from __future__ import annotations

import io
import json
import logging

from cryptography import x509
from pyhanko.pdf_utils.reader import PdfFileReader
from pypdf import PdfReader

from consult.domain.consent_document import document_sha256
from consult.proof import asn1, record_check
from consult.proof.identity import fingerprint
from consult.proof.verification import verify_form
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding

__all__ = ["signed_form_problems"]

_log = logging.getLogger(__name__)


def signed_form_problems(
    signed: bytes,
    sealed: bytes,
    *,
    record_sha256: str,
    document_number: str,
    certificate_sha256: str | None,
) -> list[str]:
    """What is wrong with the stored ``signed`` PDF of the record whose sealed PDF is
    ``sealed`` (each a phrase such as "its signed PDF …"; none when it holds).

    ``certificate_sha256`` is the signer's certificate fingerprint the audit log recorded
    at signing (None: the log recorded none, and any signer's certificate is taken as
    the one to check the signature with, its cryptography still checked).
    """
    problems: list[str] = []
    if not signed.startswith(sealed):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "its signed PDF does not start with its sealed PDF"
                )
            )
        )
    trusted: list[x509.Certificate] = []
    try:
        signatures = list(PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures)
        certificate = asn1.to_cryptography(signatures[0].signer_cert) if signatures else None
    except Exception:  # a damaged file: verify_form below names what it cannot read
        _log.info("the stored signed PDF's signature cannot be read", exc_info=True)
        certificate = None
    if certificate is not None:
        found = fingerprint(certificate)
        if certificate_sha256 is not None and found != certificate_sha256:
            problems.append(
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "its signed PDF is signed with certificate %1, not with the clinic's "
                        "certificate logged at signing (%2)",
                    ),
                    found,
                    certificate_sha256,
                )
            )
        else:
            trusted.append(certificate)
    report = verify_form(signed, trusted)
    fails = QT_TRANSLATE_NOOP("VerifyFindings", "its signed PDF fails the %1 check: %2")
    problems.extend(
        Finding(fails, check.name, check.detail)
        for check in report.checks
        if check.name in report.failed and not _said_below(check.name, certificate, trusted)
    )
    if report.document_number not in (None, document_number):
        problems.append(
            Finding(
                QT_TRANSLATE_NOOP("VerifyFindings", "its signed PDF's signature names document %1"),
                report.document_number,
            )
        )
    problems.extend(_embedded_record(signed, record_sha256))
    return problems


def _said_below(
    check: str, certificate: x509.Certificate | None, trusted: list[x509.Certificate]
) -> bool:
    """Whether a failed check of :func:`verify_form` is said better here: a signer other
    than the one logged (named above), and the embedded record, which is checked against
    the record itself, in the canonical form its schema names (a file on its own can only
    be read as RFC 8785)."""
    if check == record_check.EMBEDDED_RECORD:
        return True
    return check == "signer" and certificate is not None and not trusted


def _embedded_record(signed: bytes, record_sha256: str) -> list[str]:
    """The record the signed PDF carries must be this record (its hash recomputed in the
    canonical form its schema names, as the record's own is)."""
    try:
        records = record_check.read_record(PdfReader(io.BytesIO(signed)))
    except Exception as exc:  # a damaged or hostile file: a finding, never a crash
        _log.info("the stored signed PDF's record cannot be read", exc_info=True)
        unreadable = QT_TRANSLATE_NOOP(
            "VerifyFindings", "its signed PDF's embedded record cannot be read (%1)"
        )
        return [Finding(unreadable, exc)]
    if len(records) != 1:
        carries = QT_TRANSLATE_NOOP(
            "VerifyFindings", "its signed PDF carries %1 embedded records, not the record's one"
        )
        return [Finding(carries, len(records))]
    try:
        digest = document_sha256(json.loads(records[0].data))
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        not_json = QT_TRANSLATE_NOOP(
            "VerifyFindings", "its signed PDF's embedded record is not a JSON record (%1)"
        )
        return [Finding(not_json, exc)]
    if digest != record_sha256:
        return [
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "its signed PDF's embedded record has SHA-256 %1, not the record's %2",
                ),
                digest,
                record_sha256,
            )
        ]
    return []
