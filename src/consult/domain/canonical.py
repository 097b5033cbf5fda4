"""Canonical JSON and the hashes computed over it.

Two canonical forms, each giving the same bytes for two equal documents:

- **RFC 8785, the JSON Canonicalization Scheme** (:func:`jcs_bytes`): what consent
  documents are sealed with from schema ``consult.consent/2`` on, so that anyone can
  recompute a form's printed SHA-256 with any RFC 8785 library (docs/verify-a-form.md).
  Object members sorted by their names' UTF-16 code units, no whitespace, strings with
  only the mandatory escapes, numbers written as ECMAScript writes a double (``88.0`` is
  ``88``, ``1e21`` is ``1e+21``), UTF-8.
- **Consult's first form** (:func:`canonical_bytes`): Python's ``json.dumps`` with sorted
  keys, no whitespace and UTF-8 (a whole-number float keeps its ``.0``). Consent documents
  of schema ``consult.consent/1`` were sealed with it and are verified with it, and the
  audit chain, the backups' manifests and the rule-set version still hash it: changing it
  would change every hash already stored.

Neither accepts NaN or infinity.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1
"""The largest integer every IEEE 754 double, and so every RFC 8785 library, holds exactly."""

# RFC 8785 3.2.2.2: the two-character escapes, and \u00XX (lowercase) for the other
# control characters; everything else, U+007F and beyond included, is written as it is.
_ESCAPES: dict[int, str] = {code: f"\\u{code:04x}" for code in range(0x20)}
_ESCAPES.update(
    {
        ord("\b"): "\\b",
        ord("\t"): "\\t",
        ord("\n"): "\\n",
        ord("\f"): "\\f",
        ord("\r"): "\\r",
        ord('"'): '\\"',
        ord("\\"): "\\\\",
    }
)

# What a string may not hold as it is: a character to escape, or a surrogate.
_SPECIAL = re.compile(r'[\x00-\x1f"\\\ud800-\udfff]')


def canonical_json(value: Any) -> str:
    """Consult's first canonical JSON text of a JSON-compatible value (see the module)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def canonical_bytes(value: Any) -> bytes:
    """Consult's first canonical JSON of a value, encoded as UTF-8."""
    return canonical_json(value).encode("utf-8")


def jcs_number(value: float) -> str:
    """A number as RFC 8785 writes it: ECMAScript's ``Number.prototype.toString``.

    The shortest digits that read back as the same double (Python's ``repr`` finds
    them), laid out as ECMAScript does: plain up to 21 integer digits, ``0.000001``
    down to six zeros after the point, an exponent with its sign beyond.
    """
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise ValueError(f"{value} is beyond ±(2**53 - 1): no IEEE 754 double holds it exactly")
        return str(value)
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{value!r} is not a JSON number")
    if value == 0:
        return "0"  # and -0 too
    shortest = repr(value)
    if "e" not in shortest:
        # Python writes the digits without an exponent from 1e-4 up to 1e16, laid out as
        # ECMAScript does, but for a whole number's ".0".
        return shortest.removesuffix(".0")
    sign = "-" if value < 0 else ""
    mantissa, _, exponent = shortest.lstrip("-").partition("e")
    whole, _, fraction = mantissa.partition(".")
    digits = (whole + fraction).lstrip("0")
    # The value is 0.DIGITS x 10**point, with point <= -4 or point > 16 here.
    point = len(digits) - len(fraction) + int(exponent)
    digits = digits.rstrip("0")
    if 0 < point <= 21:
        # Beyond 1e16 every double is a whole number: all its digits come before the point.
        return sign + digits + "0" * (point - len(digits))
    if -6 < point <= 0:
        return sign + "0." + "0" * -point + digits
    rest = "." + digits[1:] if len(digits) > 1 else ""
    return f"{sign}{digits[0]}{rest}e{point - 1:+d}"


def _jcs_string(text: str) -> str:
    if _SPECIAL.search(text) is None:
        return '"' + text + '"'
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ValueError(f"{text!r} is not valid Unicode (a lone surrogate)") from exc
    return '"' + text.translate(_ESCAPES) + '"'


def _utf16(name: str) -> bytes:
    # Big-endian UTF-16: comparing the bytes compares the code units (RFC 8785 3.2.3).
    return name.encode("utf-16-be", "surrogatepass")


def _jcs(value: Any, out: list[str]) -> None:
    if isinstance(value, str):
        out.append(_jcs_string(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int | float):
        out.append(jcs_number(value))
    elif isinstance(value, Mapping):
        for name in value:
            if not isinstance(name, str):
                raise TypeError(f"an object's member name must be a string, not {name!r}")
        out.append("{")
        for position, name in enumerate(sorted(value, key=_utf16)):
            out.append("," if position else "")
            out.append(_jcs_string(name))
            out.append(":")
            _jcs(value[name], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for position, item in enumerate(value):
            out.append("," if position else "")
            _jcs(item, out)
        out.append("]")
    else:
        raise TypeError(f"{type(value).__name__} is not a JSON value")


def jcs_json(value: Any) -> str:
    """The RFC 8785 canonical JSON text of a JSON-compatible value.

    Raises ValueError for NaN, infinity, an integer beyond ±(2**53 - 1) and a string
    that is not valid Unicode; TypeError for anything JSON has no type for.
    """
    out: list[str] = []
    _jcs(value, out)
    return "".join(out)


def jcs_bytes(value: Any) -> bytes:
    """The RFC 8785 canonical JSON of a value, encoded as UTF-8."""
    return jcs_json(value).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """The SHA-256 of some bytes, as lowercase hex."""
    return hashlib.sha256(data).hexdigest()
