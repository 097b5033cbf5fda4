"""A service's refusal in the interface language.

The store raises its errors with English messages (the log, the command line and the
tests read them). A message written as an :class:`~consult.store.errors.ErrorText` also
carries its message id (the English with ``%1`` placeholders, marked for lupdate in the
"StoreErrors" context) and its values: the interface says it in the user's language
here, and only here; a :class:`~consult.store.errors.Term` among its values (a status,
a role, a treatment) is named as the rest of the interface names it. A plain message
stays English (the command line's and a few internal ones:
``tests/test_refusals_translated.py`` keeps the list).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from consult.store.errors import ERROR_CONTEXT, ErrorText, StoreError, Term, ValidationError
from consult.ui.widgets.formatting import knowledge_label, treatment_name
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.words import role_text, status_text


def term_words(term: Term) -> str:
    """A name in a refusal as the interface says it elsewhere: a status and a role in the
    interface's words, a treatment, a route or a product's source by the knowledge
    base's name in the interface language."""
    if term.kind == "status":
        return status_text(term.key)
    if term.kind == "role":
        return role_text(term.key)
    if term.kind == "treatment":
        return treatment_name(term.key)
    return knowledge_label(term.kind, term.key)


def _value_words(value: object) -> object:
    if isinstance(value, ErrorText):
        return refusal_words(value)
    if isinstance(value, Term):
        return term_words(value)
    return value


def refusal_words(text: str) -> str:
    """A service's message in the interface language: an :class:`ErrorText` by its
    message id, its values filled in (translated in turn where they are ``ErrorText``
    too, a field's name, or a :class:`~consult.store.errors.Term`); any other message as
    the service wrote it. A message the translator does not have stays the service's
    English word for word (its names as it wrote them, not the knowledge base's)."""
    if not isinstance(text, ErrorText):
        return text
    translated = QCoreApplication.translate(ERROR_CONTEXT, text.source)
    if translated == text.source:  # not translated: the English exactly as written
        return str(text)
    return fill(translated, *(_value_words(value) for value in text.args))


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


__all__ = ["refusal_message", "refusal_text", "refusal_words", "term_words"]
