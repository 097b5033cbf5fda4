"""The jurisdictions a clinic can be in: one vocabulary for the whole app.

The codes and labels are those of the knowledge base's questionnaire
(``context.jurisdictions``); a test keeps the two equal. The first-run page, the clinic
service, the consent templates and the consent PDF all read them from here, so a new
jurisdiction is added in one place.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

JURISDICTION_LABELS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "GB": "United Kingdom",
        "EU": "European Union",
        "US": "United States",
        "JP": "Japan",
        "KR": "South Korea",
        "CN": "China",
        "OTHER": "Other",
    }
)
"""Code -> label, in the order the app offers them (``OTHER`` last)."""

JURISDICTIONS: Final[tuple[str, ...]] = tuple(JURISDICTION_LABELS)
"""The codes, in order."""

REGENERATIVE_MEDICINE_ACTS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "JP": "Act on the Safety of Regenerative Medicine",
        "KR": "Advanced Regenerative Bio Act",
    }
)
"""Where a clinic has a registered plan or approval number for regenerative medicine
(``clinic.regenerative_medicine_plan``), and the law it is given under."""


def jurisdiction_label(code: str) -> str:
    """The label of a jurisdiction code; an unknown code is returned as it is."""
    return JURISDICTION_LABELS.get(code, code)


def has_regenerative_medicine_plan(code: str) -> bool:
    """Whether clinics in this jurisdiction record a regenerative-medicine plan number."""
    return code in REGENERATIVE_MEDICINE_ACTS


__all__ = [
    "JURISDICTIONS",
    "JURISDICTION_LABELS",
    "REGENERATIVE_MEDICINE_ACTS",
    "has_regenerative_medicine_plan",
    "jurisdiction_label",
]
