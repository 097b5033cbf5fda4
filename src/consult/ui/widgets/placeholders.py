"""Qt's ``%1``, ``%2``… placeholders filled in, as ``QString::arg`` does (PySide6 has no
``arg``): the one placeholder idiom of the interface's translatable sentences, so that a
translation may put the values in any order its language needs."""

from __future__ import annotations

import re

_PLACEHOLDER = re.compile(r"%(\d{1,2})")


def fill(text: str, *values: object) -> str:
    """``text`` with ``%1`` replaced by the first value, ``%2`` by the second, and so on,
    in one pass: a value that itself contains ``%2`` (a name, a justification typed by a
    practitioner) is left as it is. A placeholder with no value stays."""

    def value(match: re.Match[str]) -> str:
        number = int(match.group(1))
        return str(values[number - 1]) if 1 <= number <= len(values) else match.group(0)

    return _PLACEHOLDER.sub(value, text)
