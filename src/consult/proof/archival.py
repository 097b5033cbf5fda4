"""Signing a PDF/A-3b form so that the signed file is still PDF/A-3b.

The clinic's signature is a revision added after the sealed form
(:mod:`consult.proof.signing`). pyHanko writes two things into that revision that PDF/A-3
does not allow, and this module keeps them out:

- **the PDF version.** For an ECDSA key on a named curve (the clinic's own key is P-256)
  pyHanko declares the document PDF 2.0 (ISO 32002, which brings ECDSA into PDF 2.0).
  PDF/A-3 is PDF 1.7: :class:`ArchivalPdfSigner` registers only ETSI's PAdES extension
  (ESIC), as pyHanko does for any other key, which is how PAdES signs a PDF 1.7 file;
- **metadata out of step.** pyHanko sets the revision's modification time and producer
  in the XMP metadata and in the document information dictionary, reading the clock
  twice and writing its own producer into the XMP but appending it to the dictionary's.
  PDF/A requires the two to agree; :func:`prepare_revision` drops the two entries from
  the dictionary in the signing revision, so pyHanko writes the modification time into
  the XMP alone and its producer as the whole of both.
"""

from __future__ import annotations

from typing import Any

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import signers
from pyhanko.sign.fields import SigSeedSubFilter
from pyhanko.sign.signers import constants

__all__ = ["ArchivalPdfSigner", "prepare_revision"]

_REWRITTEN = ("/ModDate", "/Producer")
"""The information dictionary's entries pyHanko rewrites in a signing revision."""


class ArchivalPdfSigner(signers.PdfSigner):
    """pyHanko's PDF signer, leaving the document a PDF 1.7 one (PDF/A-3)."""

    def register_extensions(self, pdf_out: Any, *, md_algorithm: str) -> None:
        """Declare PAdES's ESIC extension to PDF 1.7, and no move to PDF 2.0."""
        if self.signature_meta.subfilter == SigSeedSubFilter.PADES:
            pdf_out.ensure_output_version(version=(1, 7))
            pdf_out.register_extension(constants.ESIC_EXTENSION_1)


def prepare_revision(writer: IncrementalPdfFileWriter) -> None:
    """Drop from the information dictionary, in the revision ``writer`` adds, the entries
    pyHanko would otherwise make disagree with the XMP metadata (see the module)."""
    if "/Info" not in writer.trailer:
        return
    reference = writer.trailer.raw_get("/Info")
    if not isinstance(reference, generic.IndirectObject):
        return
    info = reference.get_object()  # type: ignore[no-untyped-call]  # pyHanko's
    if not isinstance(info, generic.DictionaryObject):
        return
    changed = False
    for key in _REWRITTEN:
        if key in info:
            del info[key]
            changed = True
    if changed:
        writer.update_container(info)
