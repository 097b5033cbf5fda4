"""A printed copy of a sealed form: its pages marked, and still an archival PDF.

A copy is what leaves the clinic on paper or to a patient (a print, a preview, ``consult
consent pdf`` without ``--sealed``): the sealed form with a mark on every page, "Copy"
and the date, or a VOID or WITHDRAWN watermark with the date and reason
(:func:`consult.documents.consent_pdf.stamp_copy` draws it). The copy is read years later
like the original, so it stays PDF/A-3b like the original (the XMP's identification, the
sRGB output intent, the embedded record where the form has one), and its metadata says
it is a copy, which mark it carries and when it was printed, so that a reader, a
document system or an archive never takes it for the signed original
(:func:`consult.documents.pdfa.restate_as_copy`).
"""

from __future__ import annotations

import datetime as dt
from datetime import tzinfo

from consult.documents import pdfa
from consult.documents.consent_pdf import CopyMark, stamp_copy

__all__ = ["marked_copy", "which_copy"]


def which_copy(mark: CopyMark) -> str:
    """Which copy ``mark`` makes, as its title says it: "copy printed 2026-12-01", or
    "VOID copy printed …" / "WITHDRAWN copy printed …"."""
    kind = "copy" if mark.word == "COPY" else f"{mark.word} copy"
    return f"{kind} printed {mark.printed_on.isoformat()}"


def marked_copy(
    pdf: bytes,
    mark: CopyMark,
    *,
    zone: tzinfo | None = None,
    printed_at: dt.datetime | None = None,
) -> bytes:
    """A copy of the sealed form ``pdf`` with ``mark`` on every page, its metadata naming
    it the copy printed ``printed_at``; ``pdf`` itself is only read. Raises ValueError if
    ``pdf`` is not a readable sealed form.

    By default a copy is dated by its day, as its mark and title are (the start of
    ``mark.printed_on`` in ``zone``, or the form's own creation if that is later): two
    prints of one day are the same file, whatever second each was made in."""
    stamped = stamp_copy(pdf, mark, zone=zone)
    if printed_at is not None:
        return pdfa.restate_as_copy(stamped, copy=which_copy(mark), printed_at=printed_at)
    day = mark.printed_on
    start = dt.datetime(day.year, day.month, day.day, tzinfo=zone or dt.UTC)
    return pdfa.restate_as_copy(
        stamped, copy=which_copy(mark), printed_at=start, not_before_creation=True
    )
