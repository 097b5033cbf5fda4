"""Reading JSON that people and other programs hand us, without silent guesses.

``json.loads`` keeps the last of two equal keys and recurses until Python's stack runs
out; this reader refuses both, with a message that says where. It accepts the UTF-8
byte-order mark that Windows editors write.
"""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 64
"""Objects and arrays nested deeper than this are refused."""

MAX_BYTES = 1024 * 1024
"""Documents larger than this (1 MiB) are refused."""

_BOM = "\ufeff"


class StrictJSONError(ValueError):
    """The text is not JSON we accept; the message is one line."""


def _too_deep(text: str) -> int | None:
    """The offset where nesting first goes deeper than MAX_DEPTH, or None."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return offset
        elif char in "]}":
            depth -= 1
    return None


def _position(text: str, offset: int) -> str:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise StrictJSONError(f"the key {json.dumps(key, ensure_ascii=False)} appears twice")
        result[key] = value
    return result


def decode(data: bytes) -> str:
    """Bytes as UTF-8 text (a leading byte-order mark dropped); StrictJSONError otherwise."""
    if len(data) > MAX_BYTES:
        raise StrictJSONError(f"larger than {MAX_BYTES // 1024} KiB (1 MiB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StrictJSONError(f"not UTF-8 text (byte {exc.start + 1})") from None
    return text.removeprefix(_BOM)


def loads(text: str) -> object:
    """Parse JSON text; refuse duplicate keys at any depth and nesting deeper than 64."""
    text = text.removeprefix(_BOM)
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise StrictJSONError(f"larger than {MAX_BYTES // 1024} KiB (1 MiB)")
    where = _too_deep(text)
    if where is not None:
        raise StrictJSONError(
            f"nested more than {MAX_DEPTH} levels deep (at {_position(text, where)})"
        )
    try:
        return json.loads(text, object_pairs_hook=_pairs)
    except json.JSONDecodeError as exc:
        raise StrictJSONError(
            f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
        ) from None
