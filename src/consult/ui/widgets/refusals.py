"""A service's refusal in the interface language.

The store raises its errors with English messages (the log, the command line and the
tests read them). A message written as an :class:`~consult.store.errors.ErrorText` also
carries its message id (the English with ``%1`` placeholders, marked for lupdate in the
"StoreErrors" context) and its values: the interface says it in the user's language
here, and only here. A message not yet written so stays English.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from consult.store.errors import ERROR_CONTEXT, ErrorText, StoreError, ValidationError
from consult.ui.widgets.placeholders import fill


def refusal_words(text: str) -> str:
    """A service's message in the interface language: an :class:`ErrorText` by its
    message id, its values filled in (translated in turn where they are ``ErrorText``
    too: a field's name); any other message as the service wrote it."""
    if not isinstance(text, ErrorText):
        return text
    values = [
        refusal_words(value) if isinstance(value, ErrorText) else value for value in text.args
    ]
    return fill(QCoreApplication.translate(ERROR_CONTEXT, text.source), *values)


def refusal_message(exc: StoreError) -> str:
    """What a service's refusal says, in the interface language: a validation error's
    message (without its field's key), any other error's message."""
    if isinstance(exc, ValidationError):
        return refusal_words(exc.message)
    if len(exc.args) == 1 and isinstance(exc.args[0], str):
        return refusal_words(exc.args[0])
    return str(exc)


def refusal_text(exc: Exception) -> str:
    """``str(exc)`` in the interface language: a validation error as "field: message",
    any other refusal as its message, anything else (a bug) as it is."""
    if isinstance(exc, ValidationError):
        return f"{exc.field}: {refusal_words(exc.message)}"
    if isinstance(exc, StoreError):
        return refusal_message(exc)
    return str(exc)


__all__ = ["refusal_message", "refusal_text", "refusal_words"]
