"""What ``consult verify`` found, said in the interface language.

The checks (:mod:`consult.proof`, :mod:`consult.store.integrity`) write their findings
in English, for the command line and for auditors, each as a
:class:`~consult.proof.wording.Finding` carrying its message id and values. The
manager's Verify a form dialog and the audit page's integrity check say them here in
the manager's language; a finding the translator does not have stays as it was written
(its phrases translated where they can be).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from consult.proof.wording import FINDINGS_CONTEXT, Finding
from consult.ui.widgets.placeholders import fill

__all__ = ["finding_words"]


def finding_words(text: str) -> str:
    """``text`` in the interface language: a :class:`Finding` by its message id, its
    values filled in (phrases among them translated in turn); any other text as it is.
    Untranslated, it is the English ``consult verify`` prints, word for word."""
    if not isinstance(text, Finding):
        return text
    translated = QCoreApplication.translate(FINDINGS_CONTEXT, text.source)
    return fill(
        translated,
        *(finding_words(value) if isinstance(value, Finding) else value for value in text.args),
    )
