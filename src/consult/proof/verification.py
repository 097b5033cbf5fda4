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


def verify_form(
    data: bytes, trusted: Sequence[x509.Certificate], *, now: dt.datetime | None = None
) -> FormReport:
    """Check the form ``data`` against the certificates in ``trusted`` (see the module)."""
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
    except Exception as exc:  # any file at all: whatever the parser trips on, it is no form
        _log.info("not a readable PDF", exc_info=True)
        return FormReport(None, (Check("file", Outcome.FAILED, f"not a readable PDF ({exc})"),))
    try:
        signatures = list(reader.embedded_signatures)
    except Exception as exc:  # a signature damaged or altered so that it cannot be parsed
        _log.info("the signature cannot be read", exc_info=True)
        detail = f"the file holds a signature that cannot be read: changed or damaged ({exc})"
        return FormReport(None, (Check("signature", Outcome.FAILED, detail),))
    if not signatures:
        detail = (
            "the file holds a signature that cannot be read: changed or damaged"
            if b"/ByteRange" in data
            else "not signed: the file carries no digital signature (a form sealed before "
            "forms were signed is checked against the clinic's database instead)"
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
        detail = f"the signature cannot be read ({exc})"
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
        checks.append(Check("file", Outcome.FAILED, f"its structure cannot be read ({exc})"))
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
        return "at a time it does not say"
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _signature(status: PdfSignatureStatus) -> Check:
    if not status.intact:
        return Check(
            "signature",
            Outcome.FAILED,
            "the file was changed after signing: the signed bytes no longer match the signature",
        )
    if not status.valid:
        return Check(
            "signature",
            Outcome.FAILED,
            "the signature does not verify with its certificate's key",
        )
    mechanism = status.pkcs7_signature_mechanism.replace("_", " ").upper()
    return Check(
        "signature",
        Outcome.OK,
        f"intact ({mechanism}), made {_when(status.signer_reported_dt)}",
    )


def _signer(status: PdfSignatureStatus, trusted: Sequence[x509.Certificate]) -> Check:
    certificate = asn1.to_cryptography(status.signing_cert)
    who = f"{subject_name(certificate)} (certificate SHA-256 {fingerprint(certificate)})"
    if status.trusted:
        return Check("signer", Outcome.OK, f"{who}: a certificate you trust")
    known = {fingerprint(cert) for cert in trusted}
    if fingerprint(certificate) in known:
        problem = status.trust_problem_indic
        why = "not trusted" if problem is None else str(problem.standard_name)
        why = why.replace("_", " ").lower()
        return Check(
            "signer", Outcome.FAILED, f"{who}: a certificate you trust, but not here: {why}"
        )
    return Check(
        "signer",
        Outcome.FAILED,
        f"valid signature, unknown signer: {who} is not the clinic's certificate "
        "(an auditor gives the clinic's public certificate with --trust FILE)",
    )


def _coverage(
    reader: PdfFileReader,
    embedded: EmbeddedPdfSignature,
    status: PdfSignatureStatus,
    size: int,
) -> Check:
    coverage = status.coverage
    if coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return Check("coverage", Outcome.OK, f"the signature covers the whole file ({size} bytes)")
    if coverage != SignatureCoverageLevel.ENTIRE_REVISION:
        return Check("coverage", Outcome.FAILED, "the signature covers only part of its revision")
    later = reader.xrefs.total_revisions - 1 - embedded.signed_revision
    _, _, start, length = embedded.byte_range
    updates = f"{later} incremental update{'s' if later != 1 else ''} after byte {start + length}"
    level = status.modification_level
    if level in _HARMLESS:
        return Check(
            "coverage",
            Outcome.OK,
            f"the signature covers the file up to byte {start + length}; {updates} "
            "change nothing on the pages (document properties or validation data only)",
        )
    what = level.name.replace("_", " ").lower() if level is not None else "unknown changes"
    return Check("coverage", Outcome.FAILED, f"changed after signing: {updates} ({what})")


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
            "the signature records no Consult form (document number and hashes)",
        )
    end = _revision_end(data, reader, embedded.signed_revision - 1)
    if end is None:
        return Check(
            "sealed form", Outcome.FAILED, "the form was signed as it was made, not sealed"
        )
    digest = sha256_hex(data[:end])
    if digest != facts.sealed_pdf_sha256:
        return Check(
            "sealed form",
            Outcome.FAILED,
            f"the bytes before the signature (0 to {end}) have SHA-256 {digest}, not the "
            f"{facts.sealed_pdf_sha256} the signature records",
        )
    return Check(
        "sealed form",
        Outcome.OK,
        f"bytes 0 to {end} are the form as sealed (SHA-256 {digest}, as the signature records)",
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
        return [Check("printed hash", Outcome.FAILED, f"the pages' text cannot be read ({exc})")]
    checks = _printed(pages, facts)
    try:
        records = record_check.read_record(reader)
    except Exception as exc:  # a damaged or hostile file: a finding, never a crash
        _log.info("the embedded record cannot be read", exc_info=True)
        detail = f"the file's associated files cannot be read ({exc})"
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
            f"the pages print SHA-256 {', '.join(seen)}; with no signed record to compare "
            "them with, only the clinic's database can tell"
            if seen
            else "no page prints a SHA-256"
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
                f"page {', '.join(wrong) or 'none'} of {len(pages)} does not print "
                f"{facts.document_number} and SHA-256 {short}, the record the signature names",
            )
        ]
    return [
        Check(
            "printed hash",
            Outcome.OK,
            f"all {len(pages)} pages print {facts.document_number} and SHA-256 {short}, the "
            f"first digits of the sealed record's SHA-256 {facts.record_sha256}",
        )
    ]


def _timestamp(status: PdfSignatureStatus) -> Check:
    stamp = status.timestamp_validity
    if stamp is None:
        return Check(
            "timestamp",
            Outcome.NOTE,
            "none (PAdES B-B): the signing time is the signing workstation's clock",
        )
    if not (stamp.intact and stamp.valid):
        return Check("timestamp", Outcome.FAILED, "the timestamp does not match the signature")
    tsa = asn1.to_cryptography(stamp.signing_cert)
    trust = "a service you trust" if stamp.trusted else "a service not among those you trust"
    return Check(
        "timestamp",
        Outcome.OK if stamp.trusted else Outcome.NOTE,
        f"{_when(stamp.timestamp)} by {subject_name(tsa)}, {trust} (PAdES B-T)",
    )
