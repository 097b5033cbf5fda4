"""The interface's words for a photo's area and kind (the values are
:mod:`consult.domain.photos`; marked for translation here, translated where shown)."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from PySide6.QtCore import QCoreApplication

from consult.domain.photos import PhotoArea, PhotoKind
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_CONTEXT: Final = "Photos"

AREA_TEXT: Final[Mapping[str, str]] = MappingProxyType(
    {
        PhotoArea.FULL_FACE: QT_TRANSLATE_NOOP("Photos", "Full face"),
        PhotoArea.FOREHEAD: QT_TRANSLATE_NOOP("Photos", "Forehead"),
        PhotoArea.GLABELLA: QT_TRANSLATE_NOOP("Photos", "Glabella"),
        PhotoArea.PERIORBITAL: QT_TRANSLATE_NOOP("Photos", "Periorbital"),
        PhotoArea.CHEEKS: QT_TRANSLATE_NOOP("Photos", "Cheeks"),
        PhotoArea.NASOLABIAL: QT_TRANSLATE_NOOP("Photos", "Nasolabial"),
        PhotoArea.LIPS: QT_TRANSLATE_NOOP("Photos", "Lips"),
        PhotoArea.CHIN: QT_TRANSLATE_NOOP("Photos", "Chin"),
        PhotoArea.JAWLINE: QT_TRANSLATE_NOOP("Photos", "Jawline"),
        PhotoArea.NECK: QT_TRANSLATE_NOOP("Photos", "Neck"),
        PhotoArea.DECOLLETAGE: QT_TRANSLATE_NOOP("Photos", "Décolletage"),
        PhotoArea.HANDS: QT_TRANSLATE_NOOP("Photos", "Hands"),
        PhotoArea.SCALP: QT_TRANSLATE_NOOP("Photos", "Scalp"),
        PhotoArea.OTHER: QT_TRANSLATE_NOOP("Photos", "Other area"),
    }
)
KIND_TEXT: Final[Mapping[str, str]] = MappingProxyType(
    {
        PhotoKind.BEFORE: QT_TRANSLATE_NOOP("Photos", "Before"),
        PhotoKind.AFTER: QT_TRANSLATE_NOOP("Photos", "After"),
        PhotoKind.PROGRESS: QT_TRANSLATE_NOOP("Photos", "Progress"),
    }
)


def _say(words: Mapping[str, str], value: str) -> str:
    text = words.get(value)
    return QCoreApplication.translate(_CONTEXT, text) if text else value


def area_text(area: str) -> str:
    """The area's name in the interface language."""
    return _say(AREA_TEXT, area)


def kind_text(kind: str) -> str:
    """The kind's name (before, after, progress) in the interface language."""
    return _say(KIND_TEXT, kind)
