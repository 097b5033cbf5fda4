"""The jurisdictions a clinic can be in: their codes, and where a regenerative-medicine
plan number is recorded.

The knowledge base's questionnaire (``context.jurisdictions``) is the home of the codes
and their names: :meth:`KnowledgeBase.label` names a jurisdiction everywhere the
knowledge base is loaded (the consent form, the screens). The codes are repeated here
for what runs without it: the clinic service's check and the consent templates, which
are loaded on their own. :data:`JURISDICTION_LABELS` is for the first-run page alone,
which is on screen before the app loads the knowledge base (it loads once the window is
shown). ``tests/test_jurisdictions.py`` keeps both equal to the knowledge base's.
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
"""Code -> label, in the order the first-run page offers them (``OTHER`` last)."""

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


def has_regenerative_medicine_plan(code: str) -> bool:
    """Whether clinics in this jurisdiction record a regenerative-medicine plan number."""
    return code in REGENERATIVE_MEDICINE_ACTS


__all__ = [
    "JURISDICTIONS",
    "JURISDICTION_LABELS",
    "REGENERATIVE_MEDICINE_ACTS",
    "has_regenerative_medicine_plan",
]
