"""Checking one signed form on its own: no database, no network, no Consult home needed.

What ``consult verify FILE.pdf`` checks, each a line of the report:

- **signature**: the file carries a PAdES signature whose signed bytes are unchanged and
  whose cryptography holds;
- **signer**: its certificate is one the reader trusts: the clinic's own (the one this
  workstation signs with, or signed with before), or one given to trust (an auditor is
  given the clinic's public certificate). Otherwise the signature may be sound but its
  signer is unknown, and that fails;
- **coverage**: the signed bytes are the whole file, or the file up to a later
  incremental update that changes nothing on the pages (any later update is named);
- **sealed form**: the bytes before the signature are the form as sealed (their SHA-256
  is the one the signature records, the ``pdf_sha256`` the clinic's database keeps);
- **printed hash**: every page prints the document number and the first digits of the
  sealed record's SHA-256 that the signature records (the QR code holds them whole);
- **embedded record** and **visible text**: the record the form carries inside it hashes
  (by RFC 8785, recomputed with another implementation than Consult's) to that SHA-256,
  and the pages show its document number, patient and treatment
  (:mod:`consult.proof.record_check`);
- **timestamp**: a note: whether a timestamp service vouched for the signing time
  (PAdES B-T) or the time is the signing workstation's clock (B-B); a timestamp that
  does not match the signature fails.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
from collections.abc import Sequence

from cryptography import x509
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader
from pyhanko.sign.diff_analysis import ModificationLevel
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.settings import KeyUsageConstraints
from pyhanko.sign.validation.status import PdfSignatureStatus, SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from consult.domain.canonical import sha256_hex
from consult.proof import asn1, form_facts, record_check, signing
from consult.proof.identity import fingerprint, subject_name
from consult.proof.report import Check, FormReport, Outcome
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding

__all__ = ["Check", "FormReport", "Outcome", "quiet_library_loggers", "verify_form"]

_log = logging.getLogger(__name__)

_LIBRARY_LOGGERS = ("pyhanko", "pyhanko_certvalidator")


def quiet_library_loggers() -> None:
    """Keep pyHanko's records of signers it cannot trust off stderr where nothing else
    handles logging (the command line).

    pyHanko logs every signer it cannot trust with a traceback; the report says it in one
    line. A null handler (once per process) stops Python printing those records by
    itself; a program that logs (the app) still keeps them in its log."""
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
            logger.addHandler(logging.NullHandler())


_PRINTED_HASH = re.compile(r"SHA-256 ([0-9a-f]{12})\b")
_EOF = re.compile(rb"%%EOF[ \t\0]*(?:\r\n|\r|\n)?")
_HARMLESS = (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
_CHANGE_WORDS = {
    ModificationLevel.FORM_FILLING: Finding(QT_TRANSLATE_NOOP("VerifyFindings", "form filling")),
    ModificationLevel.ANNOTATIONS: Finding(QT_TRANSLATE_NOOP("VerifyFindings", "annotations")),
    ModificationLevel.OTHER: Finding(QT_TRANSLATE_NOOP("VerifyFindings", "other")),
}
"""What pyHanko found changed after signing, as its level's name reads ("form filling")."""


def verify_form(
    data: bytes, trusted: Sequence[x509.Certificate], *, now: dt.datetime | None = None
) -> FormReport:
    """Check the form ``data`` against the certificates in ``trusted`` (see the module)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # any file at all: whatever the parser trips on, it is no form
        _log.info("not a readable PDF", exc_info=True)
        detail = Finding(QT_TRANSLATE_NOOP("VerifyFindings", "not a readable PDF (%1)"), exc)
        return FormReport(None, (Check("file", Outcome.FAILED, detail),))
    try:
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # a signature damaged or altered so that it cannot be parsed
        _log.info("the signature cannot be read", exc_info=True)
        detail = Finding(
            QT_TRANSLATE_NOOP(
                "VerifyFindings",
                "the file holds a signature that cannot be read: changed or damaged (%1)",
            ),
            exc,
        )
        return FormReport(None, (Check("signature", Outcome.FAILED, detail),))
    if not signatures:
        detail = (
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the file holds a signature that cannot be read: changed or damaged",
                )
            )
            if b"/ByteRange" in data
            else Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "not signed: the file carries no digital signature (a form sealed before "
                    "forms were signed is checked against the clinic's database instead)",
                )
            )
        )
        checks = [Check("signature", Outcome.FAILED, detail)]
        return FormReport(None, (*checks, *_contents(data, None, signed_with_record=False)))
    embedded = signatures[0]  # the earliest: the clinic's, when the form was sealed
    try:
        status = validate_pdf_signature(
            embedded,
            signer_validation_context=_context(trusted, embedded, now),
            key_usage_settings=KeyUsageConstraints(key_usage=set(signing.KEY_USAGE)),
        )
    except Exception as exc:  # a signature dictionary malformed on purpose is a failure too
        _log.info("the signature cannot be validated", exc_info=True)
        detail = Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "the signature cannot be read (%1)"), exc
        )
        return FormReport(None, (Check("signature", Outcome.FAILED, detail),))
    checks = [_signature(status)]
    signer = (
        subject_name(asn1.to_cryptography(status.signing_cert))
        if status.intact and status.valid
        else None
    )
    try:
        revision = reader.get_historical_resolver(embedded.signed_revision)
        facts = form_facts.read(revision)
        if status.intact and status.valid:
            checks.append(_signer(status, trusted))
        checks.append(_coverage(reader, embedded, status, len(data)))
        checks.append(_sealed_form(data, reader, embedded, facts))
        checks.extend(_contents(data, facts, signed_with_record=_carries_record(revision)))
        checks.append(_timestamp(status))
    except Exception as exc:  # a file built to trip the reader: a failure, never a crash
        _log.info("the signed file's structure cannot be read", exc_info=True)
        detail = Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "its structure cannot be read (%1)"), exc
        )
        checks.append(Check("file", Outcome.FAILED, detail))
        return FormReport(None, tuple(checks), signer)
    return FormReport(facts.document_number if facts else None, tuple(checks), signer)


def _context(
    trusted: Sequence[x509.Certificate], embedded: EmbeddedPdfSignature, now: dt.datetime | None
) -> ValidationContext:
    # The certificate is judged at the time the signature says it was made: a form signed
    # with a certificate that has expired since is still the form it signed.
    moment = embedded.self_reported_timestamp or now or dt.datetime.now(dt.UTC)
    return ValidationContext(
        trust_roots=[asn1.certificate(cert) for cert in trusted],
        moment=moment,
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _when(moment: dt.datetime | None) -> str:
    if moment is None:
        return Finding(QT_TRANSLATE_NOOP("VerifyFindings", "at a time it does not say"))
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _signature(status: PdfSignatureStatus) -> Check:
    if not status.intact:
        return Check(
            "signature",
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the file was changed after signing: the signed bytes no longer match the "
                    "signature",
                )
            ),
        )
    if not status.valid:
        return Check(
            "signature",
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "the signature does not verify with its certificate's key"
                )
            ),
        )
    mechanism = status.pkcs7_signature_mechanism.replace("_", " ").upper()
    return Check(
        "signature",
        Outcome.OK,
        Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "intact (%1), made %2"),
            mechanism,
            _when(status.signer_reported_dt),
        ),
    )


def _signer(status: PdfSignatureStatus, trusted: Sequence[x509.Certificate]) -> Check:
    certificate = asn1.to_cryptography(status.signing_cert)
    who = Finding(
        QT_TRANSLATE_NOOP("VerifyFindings", "%1 (certificate SHA-256 %2)"),
        subject_name(certificate),
        fingerprint(certificate),
    )
    if status.trusted:
        trusted_one = QT_TRANSLATE_NOOP("VerifyFindings", "%1: a certificate you trust")
        return Check("signer", Outcome.OK, Finding(trusted_one, who))
    known = {fingerprint(cert) for cert in trusted}
    if fingerprint(certificate) in known:
        problem = status.trust_problem_indic
        why: str = (
            Finding(QT_TRANSLATE_NOOP("VerifyFindings", "not trusted"))
            if problem is None
            else str(problem.standard_name).replace("_", " ").lower()
        )
        not_here = QT_TRANSLATE_NOOP(
            "VerifyFindings", "%1: a certificate you trust, but not here: %2"
        )
        return Check("signer", Outcome.FAILED, Finding(not_here, who, why))
    return Check(
        "signer",
        Outcome.FAILED,
        Finding(
            QT_TRANSLATE_NOOP(
                "VerifyFindings",
                "valid signature, unknown signer: %1 is not the clinic's certificate "
                "(an auditor gives the clinic's public certificate with --trust FILE)",
            ),
            who,
        ),
    )


def _coverage(
    reader: PdfFileReader,
    embedded: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    size: int,
) -> Check:
    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        whole = QT_TRANSLATE_NOOP(
            "VerifyFindings", "the signature covers the whole file (%1 bytes)"
        )
        return Check("coverage", Outcome.OK, Finding(whole, size))
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        part = QT_TRANSLATE_NOOP("VerifyFindings", "the signature covers only part of its revision")
        return Check("coverage", Outcome.FAILED, Finding(part))
    later = reader.xrefs.total_revisions - 1 - embedded.signed_revision
    _, _, start, length = embedded.byte_range
    updates = Finding(
        QT_TRANSLATE_NOOP("VerifyFindings", "%1 incremental update after byte %2")
        if later == 1
        else QT_TRANSLATE_NOOP("VerifyFindings", "%1 incremental updates after byte %2"),
        later,
        start + length,
    )
    level = status.modification_level
    if level in _HARMLESS:
        return Check(
            "coverage",
            Outcome.OK,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the signature covers the file up to byte %1; %2 change nothing on the "
                    "pages (document properties or validation data only)",
                ),
                start + length,
                updates,
            ),
        )
    what: str = (
        _CHANGE_WORDS.get(level, level.name.replace("_", " ").lower())
        if level is not None
        else Finding(QT_TRANSLATE_NOOP("VerifyFindings", "unknown changes"))
    )
    changed = QT_TRANSLATE_NOOP("VerifyFindings", "changed after signing: %1 (%2)")
    return Check("coverage", Outcome.FAILED, Finding(changed, updates, what))


def _sealed_form(
    data: bytes,
    reader: PdfFileReader,
    embedded: EmbeddedPdfSignature,
    facts: form_facts.FormFacts | None,
) -> Check:
    if facts is None:
        return Check(
            "sealed form",
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the signature records no Consult form (document number and hashes)",
                )
            ),
        )
    end = _revision_end(data, reader, embedded.signed_revision - 1)
    if end is None:
        unsealed = QT_TRANSLATE_NOOP(
            "VerifyFindings", "the form was signed as it was made, not sealed"
        )
        return Check("sealed form", Outcome.FAILED, Finding(unsealed))
    digest = sha256_hex(data[:end])
    if digest != facts.sealed_pdf_sha256:
        return Check(
            "sealed form",
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the bytes before the signature (0 to %1) have SHA-256 %2, not the %3 the "
                    "signature records",
                ),
                end,
                digest,
                facts.sealed_pdf_sha256,
            ),
        )
    return Check(
        "sealed form",
        Outcome.OK,
        Finding(
            QT_TRANSLATE_NOOP(
                "VerifyFindings",
                "bytes 0 to %1 are the form as sealed (SHA-256 %2, as the signature records)",
            ),
            end,
            digest,
        ),
    )


def _revision_end(data: bytes, reader: PdfFileReader, revision: int) -> int | None:
    """Where revision ``revision`` ends: after its ``%%EOF`` line (None: no such revision)."""
    if revision < 0:
        return None
    info = reader.xrefs.get_xref_container_info(revision)
    found = _EOF.search(data, info.end_location)
    return found.end() if found is not None else None


def _carries_record(revision: HistoricalResolver) -> bool:
    """Whether the catalog of ``revision`` (the one the clinic signed) names associated
    files: the sealed record went into the signed form."""
    reference = revision.trailer_view.raw_get("/Root")
    if not isinstance(reference, generic.IndirectObject):
        return False
    root = revision.get_object(reference.reference)
    return isinstance(root, generic.DictionaryObject) and "/AF" in root


def _contents(
    data: bytes, facts: form_facts.FormFacts | None, *, signed_with_record: bool
) -> list[Check]:
    """What the pages print and the record the file carries, as any reader sees them."""
    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception as exc:  # an arbitrary file: any failure to read text is a finding
        _log.info("the pages' text cannot be read", exc_info=True)
        unread = QT_TRANSLATE_NOOP("VerifyFindings", "the pages' text cannot be read (%1)")
        return [Check("printed hash", Outcome.FAILED, Finding(unread, exc))]
    checks = _printed(pages, facts)
    try:
        records = record_check.read_record(reader)
    except Exception as exc:  # a damaged or hostile file: a finding, never a crash
        _log.info("the embedded record cannot be read", exc_info=True)
        detail = Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "the file's associated files cannot be read (%1)"),
            exc,
        )
        return [*checks, Check(record_check.EMBEDDED_RECORD, Outcome.FAILED, detail)]
    seen = set().union(*(_PRINTED_HASH.findall(text) for text in pages)) if pages else set()
    return [
        *checks,
        *record_check.check_record(
            records,
            pages,
            expected_sha256=facts.record_sha256 if facts is not None else None,
            printed=next(iter(seen)) if len(seen) == 1 else None,
            signed_with_record=signed_with_record,
        ),
    ]


def _printed(pages: list[str], facts: form_facts.FormFacts | None) -> list[Check]:
    printed = [set(_PRINTED_HASH.findall(text)) for text in pages]
    if facts is None:
        seen = sorted(set().union(*printed))
        detail = (
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "the pages print SHA-256 %1; with no signed record to compare them with, "
                    "only the clinic's database can tell",
                ),
                ", ".join(seen),
            )
            if seen
            else Finding(QT_TRANSLATE_NOOP("VerifyFindings", "no page prints a SHA-256"))
        )
        return [Check("printed hash", Outcome.NOTE, detail)]
    short = facts.record_sha256[:12]
    wrong = [
        str(number)
        for number, (found, text) in enumerate(zip(printed, pages, strict=True), start=1)
        if found != {short} or facts.document_number not in text
    ]
    if wrong or not pages:
        return [
            Check(
                "printed hash",
                Outcome.FAILED,
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "page %1 of %2 does not print %3 and SHA-256 %4, the record the "
                        "signature names",
                    ),
                    ", ".join(wrong) or Finding(QT_TRANSLATE_NOOP("VerifyFindings", "none")),
                    len(pages),
                    facts.document_number,
                    short,
                ),
            )
        ]
    return [
        Check(
            "printed hash",
            Outcome.OK,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "all %1 pages print %2 and SHA-256 %3, the first digits of the sealed "
                    "record's SHA-256 %4",
                ),
                len(pages),
                facts.document_number,
                short,
                facts.record_sha256,
            ),
        )
    ]


def _timestamp(status: PdfSignatureStatus) -> Check:
    stamp = status.timestamp_validity
    if stamp is None:
        return Check(
            "timestamp",
            Outcome.NOTE,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "none (PAdES B-B): the signing time is the signing workstation's clock",
                )
            ),
        )
    if not (stamp.intact and stamp.valid):
        mismatch = QT_TRANSLATE_NOOP("VerifyFindings", "the timestamp does not match the signature")
        return Check("timestamp", Outcome.FAILED, Finding(mismatch))
    tsa = asn1.to_cryptography(stamp.signing_cert)
    trust = Finding(
        QT_TRANSLATE_NOOP("VerifyFindings", "a service you trust")
        if stamp.trusted
        else QT_TRANSLATE_NOOP("VerifyFindings", "a service not among those you trust")
    )
    return Check(
        "timestamp",
        Outcome.OK if stamp.trusted else Outcome.NOTE,
        Finding(
            QT_TRANSLATE_NOOP("VerifyFindings", "%1 by %2, %3 (PAdES B-T)"),
            _when(stamp.timestamp),
            subject_name(tsa),
            trust,
        ),
    )
