"""Phone numbers: read as the desk types them, stored in E.164, shown the clinic's way.

A number is read with the clinic's country as the default region, so "07700 900123"
typed at a clinic in the United Kingdom and "+44 7700 900123" are the same patient's
number, stored once as ``+447700900123``. A clinic in the European Union (several
countries) or in "another" jurisdiction has no default region: its numbers are typed in
international form, starting with ``+`` and the country code.

A number is shown in national form when it belongs to the clinic's country
("07700 900123") and in international form otherwise ("+33 6 12 34 56 78").

Search matches the start of a number typed in either form: :func:`search_prefixes`
turns what was typed into the E.164 digits that a stored number would start with.

Uses the ``phonenumbers`` library (Google's libphonenumber metadata); pure Python.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

import phonenumbers
from phonenumbers import (
    NumberParseException,
    PhoneMetadata,
    PhoneNumber,
    PhoneNumberFormat,
)

JURISDICTION_REGIONS: Final[Mapping[str, str]] = MappingProxyType(
    {"GB": "GB", "US": "US", "JP": "JP", "KR": "KR", "CN": "CN"}
)
"""The default region (ISO 3166 code) for each jurisdiction that is a single country.
``EU`` and ``OTHER`` have none: their numbers are typed in international form."""

MAX_STORED = 40  # the patient table's phone column
_SEARCH_CHARACTERS = re.compile(r"^[0-9+()./\- ]*$")
_MIN_SEARCH_DIGITS = 3

FIELD_LABEL = "Phone number"


class PhoneNumberError(ValueError):
    """A phone number that cannot be stored; ``message`` says why, naming the field."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def region_for_jurisdiction(jurisdiction: str | None) -> str | None:
    """The default region of a clinic's jurisdiction, or None if it has no single country."""
    return JURISDICTION_REGIONS.get(jurisdiction or "")


def _normalised(text: str) -> str:
    # Full-width digits and plus signs (Japanese, Chinese and Korean input methods) and
    # other Unicode digits become ASCII; control characters go.
    folded = unicodedata.normalize("NFKC", text)
    out = []
    for ch in folded:
        if ch.isdigit() and not ch.isascii():
            out.append(str(unicodedata.digit(ch, 0)))
        elif unicodedata.category(ch) != "Cc":
            out.append(ch)
    return "".join(out).strip()


def _ascii_digits(text: str) -> str:
    return "".join(ch for ch in text if "0" <= ch <= "9")


def _acceptable(number: PhoneNumber) -> bool:
    """A number libphonenumber knows as allocated, or one shaped like a mobile number of
    its country (a mobile number's length and the country's leading digits).

    The second rule is there because libphonenumber's lists of allocated blocks lag
    behind the regulators (a newly issued number would be refused at the desk) and leave
    out reserved blocks, such as Ofcom's 07700 900xxx for drama and training.
    """
    if phonenumbers.is_valid_number(number):
        return True
    code = number.country_code
    if code is None:
        return False
    national = phonenumbers.national_significant_number(number)
    for region in phonenumbers.region_codes_for_country_code(code):
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(code, region)
        if metadata is None or metadata.mobile is None or metadata.general_desc is None:
            continue
        pattern = metadata.general_desc.national_number_pattern
        lengths = metadata.mobile.possible_length or ()
        if pattern and len(national) in lengths and re.fullmatch(pattern, national):
            return True
    return False


def _invalid(region: str | None, international: bool) -> PhoneNumberError:
    if region is None and not international:
        return PhoneNumberError(
            f"{FIELD_LABEL}: type it in international form, starting with + and the "
            "country code (for example +33 6 12 34 56 78): this clinic's jurisdiction "
            "has no single country to read a national number in."
        )
    return PhoneNumberError(
        f"{FIELD_LABEL}: this is not a valid phone number. Check the digits, or type it "
        "in international form, starting with + and the country code."
    )


def parse(text: str, region: str | None) -> str:
    """``text`` as an E.164 number ("+447700900123"); "" for a blank field.

    ``region`` is the clinic's default region (None: only international numbers).
    Raises :class:`PhoneNumberError` naming the field and saying what is wrong.
    """
    typed = _normalised(text)
    if not typed:
        return ""
    international = typed.startswith("+")
    try:
        number = phonenumbers.parse(typed, region)
    except NumberParseException as exc:
        raise _invalid(region, international) from exc
    if number.extension:
        raise PhoneNumberError(
            f"{FIELD_LABEL}: an extension is not stored; type the number only and put "
            "the extension in the address or a note."
        )
    if not _acceptable(number):
        raise _invalid(region, international)
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _parsed(stored: str) -> PhoneNumber | None:
    if not stored.startswith("+"):
        return None
    try:
        return phonenumbers.parse(stored, None)
    except NumberParseException:
        return None


@functools.lru_cache(maxsize=4096)
def display(stored: str, region: str | None) -> str:
    """How a stored number is shown: national form for the clinic's own country,
    international form otherwise; a number stored before numbers were checked (not in
    E.164) is shown as it was typed.

    Remembered (it depends on its arguments only): a table asks for every cell's text
    each time it is laid out or painted, and parsing and formatting a number takes
    about a third of a millisecond, 50 ms for the patient search's first showing.
    """
    number = _parsed(stored)
    if number is None:
        return stored
    national = region is not None and number.country_code == (
        phonenumbers.country_code_for_region(region)
    )
    style = PhoneNumberFormat.NATIONAL if national else PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(number, style)


def example(region: str) -> tuple[str, str] | None:
    """A sample mobile number of ``region``, in national and international form."""
    number = phonenumbers.example_number_for_type(
        region, phonenumbers.PhoneNumberType.MOBILE
    ) or phonenumbers.example_number(region)
    if number is None:
        return None
    return (
        phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
        phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
    )


def is_e164(stored: str) -> bool:
    """Whether ``stored`` is a number read and checked by :func:`parse`."""
    return _parsed(stored) is not None and stored == "+" + _ascii_digits(stored)


def stored_digits(stored: str) -> str:
    """The digits that search matches against: the E.164 number without its "+" (or the
    digits of a number stored before numbers were checked)."""
    return _ascii_digits(_normalised(stored))[:MAX_STORED]


def search_prefixes(text: str, region: str | None) -> list[str] | None:
    """The digit prefixes a stored number would start with if ``text`` is (the start of)
    a phone number; None if ``text`` does not look like one.

    "+44 7505" is international; without "+", the digits are read every way the desk
    may have meant them: as typed (international digits without the "+", or a number
    stored before numbers were checked), in national form with the trunk prefix
    ("07505 605832" → 447505605832), without it ("7505605832") and after the
    international call prefix ("0044 7505 …").
    """
    typed = _normalised(text)
    if not _SEARCH_CHARACTERS.match(typed):
        return None
    digits = _ascii_digits(typed)
    if len(digits) < _MIN_SEARCH_DIGITS:
        return None
    found: dict[str, None] = {digits: None}
    if not typed.startswith("+") and region is not None:
        metadata = PhoneMetadata.metadata_for_region(region)
        code = str(phonenumbers.country_code_for_region(region))
        trunk = metadata.national_prefix if metadata is not None else None
        if trunk and digits.startswith(trunk):
            national = digits[len(trunk) :]
            if not national.startswith(trunk):  # "00…" is a call abroad, not national
                found[code + national] = None
        else:
            found[code + digits] = None
        call_out = metadata.international_prefix if metadata is not None else None
        if call_out:
            match = re.match(call_out, digits)
            if match and match.end() < len(digits):
                found[digits[match.end() :]] = None
    return [prefix[:MAX_STORED] for prefix in found]


__all__ = [
    "JURISDICTION_REGIONS",
    "PhoneNumberError",
    "display",
    "example",
    "is_e164",
    "parse",
    "region_for_jurisdiction",
    "search_prefixes",
    "stored_digits",
]
