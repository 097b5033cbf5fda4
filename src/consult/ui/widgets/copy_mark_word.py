"""The word a printed copy of a form carries across its pages, as the interface quotes it.

A copy of a voided or withdrawn form is watermarked with a word in the form's own
language (VOID, 無効…: :class:`consult.documents.consent_pdf.CopyMark`), whatever the
interface language is. Every place that quotes that word (the desk's and the
consultation record's print buttons, the desk table's State tooltip: "Print copy
marked 無効…") reads it from the very mark a print draws, never from a list of its own
that could say another word than the paper.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from consult.documents.consent_pdf import CopyMark


class CopiedForm(Protocol):
    """What the mark depends on: a form's state and its language (a reception
    :class:`~consult.store.dto.FormRow` or a :class:`~consult.store.dto.ConsentInfo`)."""

    @property
    def state(self) -> str: ...

    @property
    def language(self) -> str: ...


def copy_mark_word(form: CopiedForm) -> str | None:
    """The watermark's word on a copy of ``form`` (in the form's language), or None for
    a form in force (its copy says "Copy" and the date, no watermark)."""
    mark = CopyMark(dt.date.today(), form.state, language=form.language)
    return mark.word if mark.marked else None


__all__ = ["CopiedForm", "copy_mark_word"]
