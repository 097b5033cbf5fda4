"""The record a form carries inside it, checked against what the form prints.

A sealed form embeds its record, the canonical JSON whose SHA-256 it prints, as a PDF/A-3
associated file (:mod:`consult.documents.pdfa`). Two checks of ``consult verify``:

- **embedded record**: the file carries the record; its SHA-256, recomputed from the
  JSON with the ``rfc8785`` package alone (an independent implementation of RFC 8785,
  the JSON Canonicalization Scheme, not Consult's own), is the one the signature records
  and the pages print. So the machine-readable record is the one sealed, and an auditor
  can do the same with any RFC 8785 library;
- **visible text**: the pages show the record's document number, patient and treatment,
  so the paper and the record are about the same consent.

A form sealed before records were embedded carries none: that is said, not failed,
unless the revision the clinic signed carried one (it was then taken out).
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import rfc8785
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

from consult.proof.report import Check, Outcome
from consult.proof.wording import QT_TRANSLATE_NOOP, Finding

__all__ = ["EMBEDDED_RECORD", "VISIBLE_TEXT", "EmbeddedRecord", "check_record", "read_record"]

_log = logging.getLogger(__name__)

EMBEDDED_RECORD = "embedded record"
VISIBLE_TEXT = "visible text"
_DATA = "/Data"

_FACT_WORDS = {
    "document number": (
        QT_TRANSLATE_NOOP("VerifyFindings", "document number %1"),
        QT_TRANSLATE_NOOP("VerifyFindings", "its document number %1"),
        QT_TRANSLATE_NOOP("VerifyFindings", "no document number"),
    ),
    "patient": (
        QT_TRANSLATE_NOOP("VerifyFindings", "patient %1"),
        QT_TRANSLATE_NOOP("VerifyFindings", "its patient %1"),
        QT_TRANSLATE_NOOP("VerifyFindings", "no patient"),
    ),
    "treatment": (
        QT_TRANSLATE_NOOP("VerifyFindings", "treatment %1"),
        QT_TRANSLATE_NOOP("VerifyFindings", "its treatment %1"),
        QT_TRANSLATE_NOOP("VerifyFindings", "no treatment"),
    ),
}
"""What the pages are checked to show, each as said when shown, when another is shown
and when the record has none ("document number C-1", "its patient 'A'", "no treatment")."""


@dataclass(frozen=True)
class EmbeddedRecord:
    """A record found in a form: the associated file's name and bytes."""

    name: str
    data: bytes


def read_record(reader: PdfReader) -> list[EmbeddedRecord]:
    """The data files associated with the whole document (``/AF`` with relationship
    ``/Data``), as a reader of the file sees them (its latest revision)."""
    root = reader.trailer["/Root"].get_object()
    specs = root.get("/AF") if isinstance(root, DictionaryObject) else None
    specs = specs.get_object() if specs is not None else None
    if not isinstance(specs, ArrayObject):
        return []
    found: list[EmbeddedRecord] = []
    for item in specs:
        spec = item.get_object()
        if not isinstance(spec, DictionaryObject) or spec.get("/AFRelationship") != _DATA:
            continue
        files = spec.get("/EF")
        files = files.get_object() if files is not None else None
        if not isinstance(files, DictionaryObject) or "/F" not in files:
            continue
        stream = files["/F"].get_object()
        if not isinstance(stream, StreamObject):
            continue
        name = str(spec.get("/UF") or spec.get("/F") or "")
        found.append(EmbeddedRecord(name, stream.get_data()))
    return found


def check_record(
    records: Sequence[EmbeddedRecord],
    pages: Sequence[str],
    *,
    expected_sha256: str | None,
    printed: str | None,
    signed_with_record: bool,
) -> list[Check]:
    """The embedded record's checks (see the module). ``expected_sha256`` is the record's
    hash the signature records (None: an unsigned form); ``printed`` the first digits
    the pages print (None: they do not agree on one); ``signed_with_record`` whether the
    signed revision carried a record."""
    if not records:
        if signed_with_record:
            return [
                Check(
                    EMBEDDED_RECORD,
                    Outcome.FAILED,
                    Finding(
                        QT_TRANSLATE_NOOP(
                            "VerifyFindings",
                            "the record the form was signed with has been taken out of the file",
                        )
                    ),
                )
            ]
        return [
            Check(
                EMBEDDED_RECORD,
                Outcome.NOTE,
                Finding(
                    QT_TRANSLATE_NOOP(
                        "VerifyFindings",
                        "none: the form carries no machine-readable record (forms sealed "
                        "before records were embedded); the clinic's database keeps it",
                    )
                ),
            )
        ]
    if len(records) > 1:
        names = ", ".join(record.name for record in records)
        detail = Finding(
            QT_TRANSLATE_NOOP(
                "VerifyFindings", "the file carries %1 records (%2), a sealed form one"
            ),
            len(records),
            names,
        )
        return [Check(EMBEDDED_RECORD, Outcome.FAILED, detail)]
    record = records[0]
    try:
        value = json.loads(record.data)
        digest = hashlib.sha256(rfc8785.dumps(value)).hexdigest()
    except (ValueError, UnicodeDecodeError) as exc:  # rfc8785's errors are ValueErrors
        _log.info("the embedded record is not canonical JSON", exc_info=True)
        detail = Finding(
            QT_TRANSLATE_NOOP(
                "VerifyFindings", "%1 is not a JSON record RFC 8785 can canonicalize (%2)"
            ),
            record.name,
            exc,
        )
        return [Check(EMBEDDED_RECORD, Outcome.FAILED, detail)]
    return [_hash(record, digest, expected_sha256, printed), _visible(value, pages)]


def _hash(record: EmbeddedRecord, digest: str, expected: str | None, printed: str | None) -> Check:
    size = Finding(
        QT_TRANSLATE_NOOP("VerifyFindings", "%1 (%2 bytes)"), record.name, len(record.data)
    )
    if expected is not None and digest != expected:
        return Check(
            EMBEDDED_RECORD,
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings",
                    "%1 has the RFC 8785 SHA-256 %2, not the %3 the signature records: it is "
                    "not the record sealed",
                ),
                size,
                digest,
                expected,
            ),
        )
    if printed is None or not digest.startswith(printed):
        return Check(
            EMBEDDED_RECORD,
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "%1 has the RFC 8785 SHA-256 %2, which the pages do not print"
                ),
                size,
                digest,
            ),
        )
    found = (
        QT_TRANSLATE_NOOP(
            "VerifyFindings",
            "%1: its SHA-256, recomputed by RFC 8785 with the rfc8785 package, is %2, the one "
            "the signature records and the pages print",
        )
        if expected is not None
        else QT_TRANSLATE_NOOP(
            "VerifyFindings",
            "%1: its SHA-256, recomputed by RFC 8785 with the rfc8785 package, is %2, the one "
            "the pages print",
        )
    )
    return Check(EMBEDDED_RECORD, Outcome.OK, Finding(found, size, digest))


def _squash(text: str) -> str:
    """The text as compared: without whitespace, because extraction breaks lines where
    the page does (and a Japanese form breaks them between any two characters, with
    no space to lose), and in Unicode's compatibility form (NFKC), because a CJK font
    may draw one glyph for a full-width and a plain character (「（」 and "(") and the
    extracted text then names either."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _visible(value: Any, pages: Sequence[str]) -> Check:
    record = value if isinstance(value, Mapping) else {}
    patient = record.get("patient")
    treatment = record.get("treatment")
    facts = (
        ("document number", record.get("document_number")),
        ("patient", patient.get("full_name") if isinstance(patient, Mapping) else None),
        ("treatment", treatment.get("name") if isinstance(treatment, Mapping) else None),
    )
    text = _squash("\n".join(pages))
    missing = [
        Finding(_FACT_WORDS[what][1], repr(shown))
        if isinstance(shown, str) and _squash(shown)
        else Finding(_FACT_WORDS[what][2])
        for what, shown in facts
        if not (isinstance(shown, str) and _squash(shown) and _squash(shown) in text)
    ]
    if missing:
        return Check(
            VISIBLE_TEXT,
            Outcome.FAILED,
            Finding(
                QT_TRANSLATE_NOOP(
                    "VerifyFindings", "the pages do not show what the embedded record says (%1)"
                ),
                _joined(missing, QT_TRANSLATE_NOOP("VerifyFindings", "%1; %2")),
            ),
        )
    shown = _joined(
        [Finding(_FACT_WORDS[what][0], fact) for what, fact in facts],
        QT_TRANSLATE_NOOP("VerifyFindings", "%1, %2"),
    )
    return Check(
        VISIBLE_TEXT,
        Outcome.OK,
        Finding(QT_TRANSLATE_NOOP("VerifyFindings", "the pages show the record's %1"), shown),
    )


def _joined(phrases: Sequence[str], separator: str) -> str:
    """``phrases`` one after the other, ``separator`` ("%1; %2") between each two: a
    :class:`Finding` of the list, its separator translatable too."""
    said = phrases[0]
    for phrase in phrases[1:]:
        said = Finding(separator, said, phrase)
    return said
