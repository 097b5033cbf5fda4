"""What a signed form says about the record it carries, inside what the signature covers.

The signature's incremental update writes three entries into the PDF's document
information dictionary: the form's document number, the SHA-256 of the sealed record
(the hash printed in the footer and the QR code) and the SHA-256 of the form as it was
sealed (the unsigned bytes the database keeps, ``pdf_sha256``). Being part of the signed
revision, they cannot be changed without breaking the signature; any PDF reader shows
them among the document's properties. ``consult verify FILE`` compares them with what is
printed and with the bytes before the signature, and a clinic can compare them with its
database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import HistoricalResolver

DOCUMENT_NUMBER = "/ConsultDocumentNumber"
RECORD_SHA256 = "/ConsultRecordSHA256"
SEALED_PDF_SHA256 = "/ConsultSealedPDFSHA256"

_SHA256 = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class FormFacts:
    """The record a signed form carries: its number and the two hashes that tie it to
    the sealed record and to the form as sealed."""

    document_number: str
    record_sha256: str
    sealed_pdf_sha256: str

    def __post_init__(self) -> None:
        for name in ("record_sha256", "sealed_pdf_sha256"):
            if not _SHA256.fullmatch(getattr(self, name)):
                raise ValueError(f"{name} must be 64 lowercase hex digits (a SHA-256)")


def write(writer: IncrementalPdfFileWriter, facts: FormFacts) -> None:
    """Put ``facts`` into the revision ``writer`` is about to add."""
    info_ref = writer.trailer.raw_get("/Info") if "/Info" in writer.trailer else None
    if isinstance(info_ref, generic.IndirectObject):
        info = info_ref.get_object()  # type: ignore[no-untyped-call]  # pyHanko's
        assert isinstance(info, generic.DictionaryObject)
    else:
        info = generic.DictionaryObject()  # type: ignore[no-untyped-call]  # pyHanko's
        writer.set_info(writer.add_object(info))
    info[generic.NameObject(DOCUMENT_NUMBER)] = generic.TextStringObject(facts.document_number)
    info[generic.NameObject(RECORD_SHA256)] = generic.TextStringObject(facts.record_sha256)
    info[generic.NameObject(SEALED_PDF_SHA256)] = generic.TextStringObject(facts.sealed_pdf_sha256)
    if isinstance(info_ref, generic.IndirectObject):
        writer.update_container(info)


def read(revision: HistoricalResolver) -> FormFacts | None:
    """The facts in one revision of a file (None: a revision that carries none, or not all).

    Read through that revision's own objects: a later update that rewrites the
    information dictionary does not change what the signed revision says.
    """
    trailer = revision.trailer_view
    if "/Info" not in trailer:
        return None
    reference = trailer.raw_get("/Info")
    if not isinstance(reference, generic.IndirectObject):
        return None
    info = revision.get_object(reference.reference)
    if not isinstance(info, generic.DictionaryObject):
        return None
    values = []
    for key in (DOCUMENT_NUMBER, RECORD_SHA256, SEALED_PDF_SHA256):
        value = info.raw_get(key) if key in info else None
        if not isinstance(value, generic.TextStringObject):
            return None
        values.append(str(value))
    try:
        return FormFacts(*values)
    except ValueError:
        return None
