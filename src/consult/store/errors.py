"""Errors the store and its services raise; the UI and the CLI turn them into messages.

A message is English; one written as an :class:`ErrorText` also carries its message id
and arguments, so that the interface says it in the user's language."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, Final, Literal


class StoreError(Exception):
    """Base class of every error a service raises on purpose."""


class DatabaseInUseError(StoreError):
    """Another Consult process already has this home's embedded database open."""


class DatabaseVersionError(StoreError):
    """The database schema is newer than this program, or older and must be upgraded."""


class BadDatabaseURLError(StoreError):
    """The database URL cannot be used."""


class ConflictError(StoreError):
    """Someone else saved the record after it was read: nothing was overwritten."""


class NotFoundError(StoreError):
    """The record asked for does not exist."""


class ValidationError(StoreError):
    """Input was rejected; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class PermissionDeniedError(StoreError):
    """The signed-in user's roles do not allow this action."""


class AccountChangedError(PermissionDeniedError):
    """The signed-in user's account changed since sign-in (deactivated, roles taken away,
    or a new password required): the app signs them out with this message."""


class AuthenticationError(StoreError):
    """The username or password is wrong, or the account cannot sign in now."""


class SealedRecordError(StoreError):
    """A signed consent record cannot be changed."""


# --- what a refusal says, in the interface's language ------------------------------------

ERROR_CONTEXT: Final = "StoreErrors"
"""The translation context of the refusals' words (``resources/translations``)."""

_PLACEHOLDER: Final = re.compile(r"%(\d{1,2})")


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # the name lupdate reads
    """Marks ``text`` for translation in ``context`` (the store has no Qt: the interface
    translates it, see :class:`ErrorText`)."""
    return text


class ErrorText(str):
    """A refusal's words: the English a log, the command line and the tests read (the
    string itself), with what the interface needs to say it in the user's language.

    ``source`` is the English with ``%1``, ``%2``… placeholders, marked for lupdate in the
    :data:`ERROR_CONTEXT` context where it is written; ``args`` are the values put in them
    (an ``ErrorText`` among them is translated too: a field's name). The interface looks
    ``source`` up with ``QCoreApplication.translate`` and fills the arguments in
    (:func:`consult.ui.widgets.refusals.refusal_words`); a service raises, say::

        raise ValidationError(
            "given_name",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1 is required."), label),
        )

    A plain ``str`` message stays English everywhere; ``tests/test_refusals_translated.py``
    keeps a service from raising one where the interface shows it.
    """

    source: str
    args: tuple[object, ...]

    def __new__(cls, source: str, *args: object) -> ErrorText:
        text = super().__new__(cls, fill_placeholders(source, *args))
        text.source = source
        text.args = args
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return (ErrorText, (self.source, *self.args))


TermKind = Literal["status", "role", "treatment", "route", "product_source"]
"""What a :class:`Term` names: a consultation's status, a user's role, or a name from the
knowledge base (the kinds of :meth:`consult.domain.knowledge_model.KnowledgeBase.label`)."""


class Term(str):
    """A name inside a refusal (a consultation's status, a role, a treatment): the English
    the message has always said, with its kind and id, so that the interface names it in
    its own words instead (a Japanese sentence around an English status reads badly).

    An argument of an :class:`ErrorText`; ``english`` defaults to the id (a status, a
    role and a treatment id are written as their id in the English messages)."""

    kind: TermKind
    key: str

    def __new__(cls, kind: TermKind, key: str, english: str | None = None) -> Term:
        term = super().__new__(cls, key if english is None else english)
        term.kind = kind
        term.key = key
        return term

    def __reduce__(self) -> tuple[Any, ...]:
        return (Term, (self.kind, self.key, str(self)))


def either(words: Sequence[str]) -> str:
    """``words`` as "a or b or c", the "or" translatable: what a permission refusal says
    of the roles an action needs (one word stays as it is)."""
    if not words:
        return ""
    said: str = words[0]
    for word in words[1:]:
        said = ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1 or %2"), said, word)
    return said


def listed(words: Sequence[str]) -> str:
    """``words`` as "a, b, c", the separator translatable (one word stays as it is)."""
    if not words:
        return ""
    said: str = words[0]
    for word in words[1:]:
        said = ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "%1, %2"), said, word)
    return said


def fill_placeholders(text: str, *values: object) -> str:
    """``text`` with ``%1`` replaced by the first value, ``%2`` by the second… in one pass
    (a value holding ``%2`` stays as it is), as ``QString::arg`` does."""

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 1 <= number <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(value, text)
