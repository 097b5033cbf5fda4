"""Why a phone number is refused, in words the interface can translate.

:mod:`consult.domain.phones` says why a number cannot be stored in English (the domain
has no translation machinery); the patient form shows that refusal to the desk. Its
sentences are marked here for translation in the refusals' context, so that the
service raises them as :class:`~consult.store.errors.ErrorText`;
``tests/test_refusals_translated.py`` checks that every refusal the domain can give is
listed (a new one would otherwise stay English on screen).
"""

from __future__ import annotations

from typing import Final

from consult.domain import phones
from consult.store.errors import QT_TRANSLATE_NOOP, ErrorText

PHONE_REFUSALS: Final[frozenset[str]] = frozenset(
    (
        QT_TRANSLATE_NOOP(
            "StoreErrors",
            "Phone number: this is not a valid phone number. Check the digits, or type it "
            "in international form, starting with + and the country code.",
        ),
        QT_TRANSLATE_NOOP(
            "StoreErrors",
            "Phone number: type it in international form, starting with + and the country "
            "code (for example +33 6 12 34 56 78): this clinic's jurisdiction has no "
            "single country to read a national number in.",
        ),
        QT_TRANSLATE_NOOP(
            "StoreErrors",
            "Phone number: an extension is not stored; type the number only and put the "
            "extension in the address or a note.",
        ),
    )
)
"""The domain's phone refusals, word for word."""


def phone_refusal(exc: phones.PhoneNumberError) -> str:
    """The refusal's message as a service raises it: an :class:`ErrorText` when it is
    listed, the domain's English as it is otherwise."""
    return ErrorText(exc.message) if exc.message in PHONE_REFUSALS else exc.message


__all__ = ["PHONE_REFUSALS", "phone_refusal"]
