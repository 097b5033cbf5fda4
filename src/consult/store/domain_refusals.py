"""The domain's refusals, in words the interface can translate.

The pure domain says why it refuses something in English: a phone number it cannot
store (:mod:`consult.domain.phones`), a signature too small or empty, an extra signer's
entry missing a field (:mod:`consult.domain.signatures`), a clinic setting typed wrong
(the documents' and the proofs' checks of them). It has no translation
machinery, and the forms show those refusals to the user as they are. Their sentences
are marked here for translation in the refusals' context, word for word, so that a
service raises them as :class:`~consult.store.errors.ErrorText` (:func:`domain_refusal`);
``tests/test_refusals_translated.py`` checks that every refusal the domain can give is
listed (a new one would otherwise stay English on screen).
"""

from __future__ import annotations

from typing import Final

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
"""Why :func:`consult.domain.phones.parse` refuses a number."""

SIGNATURE_REFUSALS: Final[frozenset[str]] = frozenset(
    (
        QT_TRANSLATE_NOOP("StoreErrors", "The signature is empty: please sign in the box."),
        QT_TRANSLATE_NOOP("StoreErrors", "The signature data is damaged: please sign again."),
        QT_TRANSLATE_NOOP(
            "StoreErrors",
            "That is too small to be a signature: please sign your name in the box.",
        ),
        QT_TRANSLATE_NOOP("StoreErrors", "The signer's printed name is required."),
        QT_TRANSLATE_NOOP(
            "StoreErrors",
            "The parent's or guardian's relationship to the patient is required.",
        ),
        QT_TRANSLATE_NOOP(
            "StoreErrors", "The language the interpreter interpreted into is required."
        ),
    )
)
"""Why :func:`consult.domain.signatures.signature_problem` and ``signer_problem`` refuse
a signature or an extra signer's entry (an unknown signer role is the program's, not a
person's, mistake: it stays English)."""

SETTING_REFUSALS: Final[frozenset[str]] = frozenset(
    (
        QT_TRANSLATE_NOOP("StoreErrors", "not a URL"),
        QT_TRANSLATE_NOOP(
            "StoreErrors", "use an http:// or https:// URL naming the timestamp service"
        ),
        QT_TRANSLATE_NOOP(
            "StoreErrors",
            "write the out-of-hours telephone number as digits (+, spaces, dashes)",
        ),
        QT_TRANSLATE_NOOP(
            "StoreErrors", "the out-of-hours telephone number needs at least six digits"
        ),
    )
)
"""Why a clinic setting a manager types is refused (the timestamp service's URL, the
out-of-hours telephone): :func:`consult.proof.timestamp_setting.check_timestamp_url`,
:func:`consult.documents.aftercare_pdf.check_out_of_hours_setting`. The settings chosen
from lists refuse only what no list offers: their words stay English."""

DOMAIN_REFUSALS: Final[frozenset[str]] = PHONE_REFUSALS | SIGNATURE_REFUSALS | SETTING_REFUSALS


def domain_refusal(message: str) -> str:
    """The domain's ``message`` as a service raises it: an :class:`ErrorText` when it is
    listed, the English as it is otherwise."""
    return ErrorText(message) if message in DOMAIN_REFUSALS else message


__all__ = [
    "DOMAIN_REFUSALS",
    "PHONE_REFUSALS",
    "SETTING_REFUSALS",
    "SIGNATURE_REFUSALS",
    "domain_refusal",
]
