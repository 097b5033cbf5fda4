"""The chart's words: the face diagrams, depths, techniques and units as the screen says
them (the stored values are :mod:`consult.domain.treatment_chart`'s)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from PySide6.QtCore import QCoreApplication

from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_CONTEXT: Final = "TreatmentWords"

VIEW_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "front": QT_TRANSLATE_NOOP("TreatmentWords", "Front"),
        "left": QT_TRANSLATE_NOOP("TreatmentWords", "Left profile"),
        "right": QT_TRANSLATE_NOOP("TreatmentWords", "Right profile"),
    }
)
DEPTH_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "intradermal": QT_TRANSLATE_NOOP("TreatmentWords", "Intradermal"),
        "subcutaneous": QT_TRANSLATE_NOOP("TreatmentWords", "Subcutaneous"),
        "supraperiosteal": QT_TRANSLATE_NOOP("TreatmentWords", "Supraperiosteal"),
        "intramuscular": QT_TRANSLATE_NOOP("TreatmentWords", "Intramuscular"),
    }
)
TECHNIQUE_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "bolus": QT_TRANSLATE_NOOP("TreatmentWords", "Bolus"),
        "linear_threading": QT_TRANSLATE_NOOP("TreatmentWords", "Linear threading"),
        "fanning": QT_TRANSLATE_NOOP("TreatmentWords", "Fanning"),
        "cross_hatching": QT_TRANSLATE_NOOP("TreatmentWords", "Cross-hatching"),
        "microdroplet": QT_TRANSLATE_NOOP("TreatmentWords", "Microdroplet"),
        "cannula": QT_TRANSLATE_NOOP("TreatmentWords", "Cannula"),
    }
)
UNIT_WORDS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "units": QT_TRANSLATE_NOOP("TreatmentWords", "units"),
        "mL": QT_TRANSLATE_NOOP("TreatmentWords", "mL"),
    }
)


def say(words: Mapping[str, str], value: str) -> str:
    """``value`` in the interface's words (itself if it has none)."""
    text = words.get(value)
    return QCoreApplication.translate(_CONTEXT, text) if text else value
