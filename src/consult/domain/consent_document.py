"""The sealed consent document: everything shown and answered, as canonical JSON.

The document is built once, when the patient and the practitioner have signed; its
SHA-256 is stored with it and printed on the form. Nothing in it is ever changed.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from consult.domain.canonical import canonical_bytes, sha256_hex

SCHEMA = "consult.consent/1"


@dataclass(frozen=True)
class SealedDocument:
    """A consent document with its canonical bytes and their hash."""

    document: dict[str, Any]
    canonical: bytes
    sha256: str

    @property
    def short_hash(self) -> str:
        """The first 12 hex digits, as printed in the form's footer."""
        return self.sha256[:12]


def document_number(year: int, consultation_id: int, position: int) -> str:
    """A human-readable, unique number: year, consultation, and the treatment's position."""
    return f"C-{year}-{consultation_id:06d}-{position}"


def seal(document: Mapping[str, Any]) -> SealedDocument:
    """Freeze a document: canonical JSON and its SHA-256."""
    data = dict(document)
    if data.get("schema") != SCHEMA:
        raise ValueError(f"a consent document must declare schema {SCHEMA!r}")
    raw = canonical_bytes(data)
    return SealedDocument(data, raw, sha256_hex(raw))


def check_sections_initialled(sections: Sequence[Mapping[str, Any]]) -> str | None:
    """None if every section carries the patient's initials, else the first heading without."""
    for section in sections:
        if not str(section.get("initials", "")).strip():
            return str(section.get("heading") or section.get("id"))
    return None


def answer_text(question: Any, value: Any) -> str:
    """An intake answer as the form prints it: labels, not ids."""
    labels = {choice.id: choice.label for choice in getattr(question, "values", ())}
    if getattr(question, "type", "") in ("yn", "ynu"):
        labels = {"yes": "Yes", "no": "No", "unsure": "Not sure"}
    if value is None:
        return "never" if getattr(question, "type", "") == "date" else "—"
    if isinstance(value, list | tuple):
        return ", ".join(labels.get(str(item), str(item)) for item in value) or "none"
    text = str(value)
    return str(labels.get(text, text))
