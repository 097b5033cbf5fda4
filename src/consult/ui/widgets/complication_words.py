"""The interface's words for a complication's category, severity and outcome (the ids are
:mod:`consult.domain.complications`), shared by the practitioner's form and the
manager's list. Marked for translation here, translated where shown."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from PySide6.QtCore import QCoreApplication

from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_CONTEXT: Final = "ComplicationWords"

CATEGORY_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "bruising": QT_TRANSLATE_NOOP("ComplicationWords", "Bruising"),
        "swelling": QT_TRANSLATE_NOOP("ComplicationWords", "Swelling"),
        "infection": QT_TRANSLATE_NOOP("ComplicationWords", "Infection"),
        "nodule": QT_TRANSLATE_NOOP("ComplicationWords", "Nodule"),
        "vascular_occlusion": QT_TRANSLATE_NOOP("ComplicationWords", "Vascular occlusion"),
        "ptosis": QT_TRANSLATE_NOOP("ComplicationWords", "Ptosis"),
        "allergic_reaction": QT_TRANSLATE_NOOP("ComplicationWords", "Allergic reaction"),
        "burn": QT_TRANSLATE_NOOP("ComplicationWords", "Burn"),
        "pigmentation_change": QT_TRANSLATE_NOOP("ComplicationWords", "Pigmentation change"),
        "other": QT_TRANSLATE_NOOP("ComplicationWords", "Other"),
    }
)
SEVERITY_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "mild": QT_TRANSLATE_NOOP("ComplicationWords", "Mild"),
        "moderate": QT_TRANSLATE_NOOP("ComplicationWords", "Moderate"),
        "severe": QT_TRANSLATE_NOOP("ComplicationWords", "Severe"),
        "serious": QT_TRANSLATE_NOOP("ComplicationWords", "Serious"),
    }
)
OUTCOME_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "ongoing": QT_TRANSLATE_NOOP("ComplicationWords", "Ongoing"),
        "resolved": QT_TRANSLATE_NOOP("ComplicationWords", "Resolved"),
        "resolved_with_sequelae": QT_TRANSLATE_NOOP("ComplicationWords", "Resolved with sequelae"),
        "unknown": QT_TRANSLATE_NOOP("ComplicationWords", "Unknown"),
    }
)
SERIOUS_MEANS: Final = QT_TRANSLATE_NOOP(
    "ComplicationWords",
    "Serious: resulted in death, was life-threatening, needed or prolonged a hospital "
    "stay, caused lasting disability, or is otherwise medically important (for example "
    "a vascular occlusion threatening sight or skin). Report it to the national scheme "
    "at once.",
)
"""What serious means (ICH E2A), under the severity choice."""


def _say(text: str) -> str:
    """``text``, one of the tables' words (marked above), in the interface language."""
    return QCoreApplication.translate(_CONTEXT, text)


def complication_word(value_id: str) -> str:
    """A category, severity or outcome in the interface language (the id if unknown)."""
    for table in (CATEGORY_WORDS, SEVERITY_WORDS, OUTCOME_WORDS):
        if value_id in table:
            return _say(table[value_id])
    return value_id


def serious_means() -> str:
    """What serious means, in the interface language."""
    return _say(SERIOUS_MEANS)


__all__ = [
    "CATEGORY_WORDS",
    "OUTCOME_WORDS",
    "SERIOUS_MEANS",
    "SEVERITY_WORDS",
    "complication_word",
    "serious_means",
]
