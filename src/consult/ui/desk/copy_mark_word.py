"""The word a printed copy of a form carries across its pages, as the desk quotes it.

A copy of a voided or withdrawn form is watermarked with a word in the form's own
language (VOID, 無効…: :class:`consult.documents.consent_pdf.CopyMark`), whatever the
interface language is. The desk's buttons quote that word ("Print copy marked 無効…"),
so it is read from the very mark a print draws, never from a list of its own that could
say another word than the paper.
"""

from __future__ import annotations

import datetime as dt

from consult.documents.consent_pdf import CopyMark
from consult.store.dto import FormRow


def copy_mark_word(form: FormRow) -> str | None:
    """The watermark's word on a copy of ``form`` (in the form's language), or None for
    a form in force (its copy says "Copy" and the date, no watermark)."""
    mark = CopyMark(dt.date.today(), form.state, language=form.language)
    return mark.word if mark.marked else None


__all__ = ["copy_mark_word"]
