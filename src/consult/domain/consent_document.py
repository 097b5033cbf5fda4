"""The sealed consent document: everything shown and answered, as canonical JSON.

The document is built once, when the patient and the practitioner have signed; its
SHA-256 is stored with it and printed on the form. Nothing in it is ever changed.

Its ``schema`` says which canonical form its hash is over, and everything that
recomputes the hash (``consult verify``) chooses by it, so a record keeps the form it
was sealed with:

- ``consult.consent/2`` (sealed from now on): RFC 8785, the JSON Canonicalization
  Scheme, which any RFC 8785 library recomputes (docs/verify-a-form.md);
- ``consult.consent/1`` (sealed before): Consult's first form, Python's ``json.dumps``
  with sorted keys (:func:`consult.domain.canonical.canonical_bytes`). The fields are
  the same in both.

Since issue 18 a document also says the ``language`` the patient read it in, and holds
the texts exactly as they read them (docs/translations.md lists the fields); a document
without ``language`` was sealed before and was read in English. The fields are additive:
the canonical form, and so the schema, are unchanged.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from consult.domain.canonical import MAX_SAFE_INTEGER, canonical_bytes, jcs_bytes, sha256_hex
from consult.domain.knowledge_texts import SOURCE_LANGUAGE, KnowledgeTexts, LocalText

SCHEMA = "consult.consent/2"
"""The schema of the documents sealed now: canonical JSON by RFC 8785."""

LANGUAGE_OF_OLD_RECORDS = SOURCE_LANGUAGE
"""The language of a document sealed before documents named theirs."""

LEGACY_SCHEMA = "consult.consent/1"
"""The schema of the documents sealed before RFC 8785: Consult's first canonical form."""

RECONFIRMATION_SCHEMA = "consult.reconfirmation/1"
"""A repeat visit's re-confirmation (issue 21, :mod:`consult.domain.reconfirmation`):
sealed by RFC 8785 like a consent, and carried in its signed PDF the same way, so that
``consult verify`` reads either record."""

_CANONICALIZERS: dict[str, Callable[[Any], bytes]] = {
    SCHEMA: jcs_bytes,
    LEGACY_SCHEMA: canonical_bytes,
    RECONFIRMATION_SCHEMA: jcs_bytes,
}


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


def canonical_form(document: Any) -> bytes:
    """The canonical bytes a sealed document's hash is over, in the form its schema names.

    Raises ValueError for a document that is not an object, names no schema this program
    knows, or holds what its form cannot write (NaN, say).
    """
    schema = document.get("schema") if isinstance(document, Mapping) else None
    canonicalize = _CANONICALIZERS.get(schema) if isinstance(schema, str) else None
    if canonicalize is None:
        raise ValueError(f"not a sealed consent document of a known schema ({schema!r})")
    return canonicalize(document)


def document_sha256(document: Any) -> str:
    """The SHA-256 of a sealed document, recomputed in the form its schema names."""
    return sha256_hex(canonical_form(document))


def seal(document: Mapping[str, Any]) -> SealedDocument:
    """Freeze a document of the current schema: its RFC 8785 JSON and their SHA-256.

    A document is sealed only if its JSON reads back (as any JSON library reads it) as a
    document that canonicalizes to the same bytes, so that ``consult verify`` and an
    auditor recompute the hash: a whole-number float beyond 2**53 - 1, which RFC 8785
    writes as a long integer that reads back as one no double holds exactly, is refused.
    """
    data = dict(document)
    if data.get("schema") != SCHEMA:
        raise ValueError(f"a consent document must declare schema {SCHEMA!r}")
    raw = canonical_form(data)
    try:
        # Read back, the strings, the doubles (RFC 8785 writes the shortest digits that
        # read back as the same double) and the structure are as sealed: only an integer
        # beyond 2**53 - 1 would not canonicalize again.
        json.loads(raw, parse_int=_safe_integer)
    except ValueError as exc:
        raise ValueError(f"this document would not read back as sealed: {exc}") from exc
    return SealedDocument(data, raw, sha256_hex(raw))


def _safe_integer(text: str) -> int:
    number = int(text)
    if abs(number) > MAX_SAFE_INTEGER:
        raise ValueError(f"{text} is beyond ±(2**53 - 1)")
    return number


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


def local_answer_text(question: Any, value: Any, texts: KnowledgeTexts) -> LocalText:
    """An intake answer as the patient read it, in ``texts``'s language: the values' and
    the implicit answers' labels (:meth:`KnowledgeTexts.answer`), untranslated if any
    part is the English standing in. In English, exactly :func:`answer_text`."""
    if texts.language == SOURCE_LANGUAGE:
        return LocalText(answer_text(question, value), True, SOURCE_LANGUAGE)
    kind = getattr(question, "type", "")
    question_id = str(getattr(question, "id", ""))
    parts: list[LocalText] = []
    if value is None:
        parts.append(texts.answer("never") if kind == "date" else LocalText("—", True, ""))
    elif isinstance(value, list | tuple):
        parts.extend(texts.value_label(question_id, str(item)) for item in value)
        if not parts:
            parts.append(texts.answer("none_of_these"))
    elif kind in ("yn", "ynu"):
        parts.append(texts.answer(str(value)))
    elif kind == "one":
        parts.append(texts.value_label(question_id, str(value)))
    else:
        parts.append(LocalText(str(value), True, ""))  # a date or the patient's own words
    separator = "、" if texts.language in ("ja", "zh") else ", "
    return LocalText(
        separator.join(part.text for part in parts),
        all(part.translated for part in parts),
        texts.language,
    )


def document_language(document: Mapping[str, Any]) -> str:
    """The language the patient read a sealed document in (English for one sealed
    before documents named it)."""
    language = document.get("language")
    return language if isinstance(language, str) and language else LANGUAGE_OF_OLD_RECORDS
