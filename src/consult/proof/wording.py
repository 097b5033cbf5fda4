"""What a check found, in words the interface can say in the user's language.

``consult verify`` prints its findings in English, and tests and auditors read that
English word for word. The app's Verify a form dialog says the same findings in the
manager's language. A finding is therefore a :class:`Finding`: the English string
itself (what the command line prints), carrying its message id (the English with
``%1``, ``%2``… placeholders, marked for lupdate in the :data:`FINDINGS_CONTEXT`
context where it is written) and the values put in it, so that the interface looks the
id up and fills the values in (:mod:`consult.ui.manager.verify_dialog`). It is the
pattern of :class:`consult.store.errors.ErrorText`, kept here because this package
runs without Qt and without the store.
"""

from __future__ import annotations

import re
from typing import Any, Final

__all__ = ["FINDINGS_CONTEXT", "QT_TRANSLATE_NOOP", "Finding"]

FINDINGS_CONTEXT: Final = "VerifyFindings"
"""The translation context of the findings' words (``resources/translations``)."""

_PLACEHOLDER: Final = re.compile(r"%(\d{1,2})")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate reads
    """Marks ``text`` for translation in ``context`` (this package has no Qt: the
    interface translates it, see :class:`Finding`)."""
    return text


def _filled(source: str, values: tuple[object, ...]) -> str:
    """``source`` with ``%1`` replaced by the first value, ``%2`` by the second… in one
    pass (a value holding ``%2`` stays as it is), as ``QString::arg`` does."""

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 1 <= number <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(value, source)


class Finding(str):
    """A finding's words: the English the command line prints (the string itself), with
    its message id ``source`` and the values ``args`` put in its placeholders (a
    ``Finding`` among them is a phrase translated in turn: "none", "at a time it does
    not say")::

        Finding(QT_TRANSLATE_NOOP("VerifyFindings", "intact (%1), made %2"), mechanism, when)
    """

    source: str
    args: tuple[object, ...]

    def __new__(cls, source: str, *args: object) -> Finding:
        text = super().__new__(cls, _filled(source, args))
        text.source = source
        text.args = args
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (Finding, (self.source, *self.args))
