"""Treated areas as FHIR ``bodySite`` concepts: the practitioner's words, and a SNOMED CT
body structure where the words name one unambiguously.

The chart's areas and a point's area are free words ("forehead", "crow's feet"); a
photo's area is one of :class:`consult.domain.photos.PhotoArea`. Each becomes a
CodeableConcept whose ``text`` is the words as written. A SNOMED CT code is added only
for the few areas whose body structure is plain and whose concept id Consult is sure of
(:data:`SNOMED_AREAS`, listed in docs/fhir.md); a receiver reads the rest by their text.
A wrong code would be worse than none: a glabella or a nasolabial fold is left uncoded
rather than approximated by a neighbouring structure.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

from consult.documents.fhir_base import coding

SNOMED: Final = "http://snomed.info/sct"

SNOMED_AREAS: Final[Mapping[str, tuple[str, str]]] = MappingProxyType(
    {
        # words (casefolded, spaces and underscores alike) -> (concept id, preferred term)
        "face": ("89545001", "Face structure"),
        "full face": ("89545001", "Face structure"),
        "forehead": ("52795006", "Forehead structure"),
        "cheek": ("60819002", "Buccal region of face"),
        "cheeks": ("60819002", "Buccal region of face"),
        "lip": ("48477009", "Lip structure"),
        "lips": ("48477009", "Lip structure"),
        "chin": ("30291003", "Chin structure"),
        "neck": ("45048000", "Neck structure"),
        "scalp": ("41695006", "Scalp structure"),
        "hand": ("85562004", "Hand structure"),
        "hands": ("85562004", "Hand structure"),
    }
)
"""The areas coded in SNOMED CT, each a body structure concept (its fully specified name
is the preferred term followed by "(body structure)")."""


def _key(words: str) -> str:
    return " ".join(words.replace("_", " ").casefold().split())


def body_site(words: str) -> dict[str, Any] | None:
    """The concept for an area as written (None for no words)."""
    text = " ".join(words.replace("_", " ").split())
    if not text:
        return None
    known = SNOMED_AREAS.get(_key(words))
    if known is None:
        return {"text": text}
    return {"coding": [coding(SNOMED, known[0], known[1])], "text": text}
