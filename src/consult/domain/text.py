"""Folding text for search: case- and accent-insensitive ("zoe" finds "Zoë")."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower-case ``text`` and strip accents; other scripts (Greek, CJK …) keep their letters."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def words(text: str) -> list[str]:
    """The folded words of ``text``, in order, without duplicates."""
    seen: dict[str, None] = {}
    for word in _WORD.findall(fold(text)):
        seen.setdefault(word, None)
    return list(seen)


def digits(text: str) -> str:
    """Only the digits of ``text`` (a phone number as it is searched)."""
    return "".join(ch for ch in text if ch.isdigit())
