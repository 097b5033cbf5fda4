"""How the consultation's pages show things the same way: a severity or a status by icon,
words and tone together (never colour alone), the time of a decision, a product's
source, and a page body that scrolls.

The wizard's screening and summary steps and a finished consultation's record all use
these, so that one finding or one status looks the same wherever it is shown.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStyle,
    QWidget,
)

from consult.domain.knowledge_model import KnowledgeBase
from consult.ui.shell.language import current_language
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.tones import style_with_tones
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

# Severity and status are shown by icon, words and colour together, never colour alone;
# the colour is a tone (consult.ui.widgets.tones), lighter on a dark palette.
SEVERITY_STYLE: Mapping[str, tuple[QStyle.StandardPixmap, str, str]] = {
    "absolute": (
        QStyle.StandardPixmap.SP_MessageBoxCritical,
        QT_TRANSLATE_NOOP("Styles", "Absolute contraindication"),
        "error",
    ),
    "relative": (
        QStyle.StandardPixmap.SP_MessageBoxWarning,
        QT_TRANSLATE_NOOP("Styles", "Relative contraindication"),
        "warning",
    ),
    "caution": (
        QStyle.StandardPixmap.SP_MessageBoxInformation,
        QT_TRANSLATE_NOOP("Styles", "Caution"),
        "info",
    ),
}
STATUS_STYLE: Mapping[str, tuple[QStyle.StandardPixmap, str, str]] = {
    "blocked": (
        QStyle.StandardPixmap.SP_MessageBoxCritical,
        QT_TRANSLATE_NOOP("Styles", "Blocked: cannot go on to consent in this consultation"),
        "error",
    ),
    "clarify": (
        QStyle.StandardPixmap.SP_MessageBoxQuestion,
        QT_TRANSLATE_NOOP("Styles", "Needs clarifying: answers are missing or unsure"),
        "question",
    ),
    "needs_decision": (
        QStyle.StandardPixmap.SP_MessageBoxWarning,
        QT_TRANSLATE_NOOP("Styles", "Needs your decision on the findings below"),
        "warning",
    ),
    "ready": (
        QStyle.StandardPixmap.SP_DialogApplyButton,
        QT_TRANSLATE_NOOP("Styles", "Ready for consent"),
        "ok",
    ),
}
CLEAR: Final = QT_TRANSLATE_NOOP("Styles", "Clear: no contraindication found. Ready for consent")
"""A treatment ready for consent with nothing found (said instead of "Ready for consent")."""


def said(words: str) -> str:
    """The words of a style (marked above, in the "Styles" context) in the interface
    language."""
    return QCoreApplication.translate("Styles", words)


def icon_text(
    pixmap: QStyle.StandardPixmap, text: str, colour: str, parent: QWidget, bold: bool = True
) -> QWidget:
    """An icon followed by words in the tone ``colour`` (the words carry the meaning)."""
    box = QWidget(parent)
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    icon = QLabel(box)
    icon.setPixmap(QApplication.style().standardIcon(pixmap).pixmap(20, 20))
    icon.setAccessibleName(text)
    label = QLabel(text, box)
    label.setWordWrap(True)
    style_with_tones(label, f"color: ${colour};" + (" font-weight: bold;" if bold else ""))
    label.setAccessibleName(text)
    row.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, 1)
    box.setObjectName("icon_text")
    box.setProperty("text", text)
    return box


def decided_at(stamp: str) -> str:
    """When a decision was recorded (a stored ISO time stamp), on this workstation's clock;
    the stamp as stored if it cannot be read."""
    try:
        return local_time(dt.datetime.fromisoformat(stamp))
    except ValueError:
        return stamp


def product_source(kb: KnowledgeBase, source: str | None) -> str:
    """A product's source by the knowledge base's name ("not applicable" for none)."""
    if source is None:
        return QCoreApplication.translate("Styles", "not applicable")
    return kb.texts(current_language()).label("product_source", source).text


def scrolled(content: QWidget, parent: QWidget) -> QScrollArea:
    """``content`` in a frameless scroll area that resizes it to its width."""
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(content)
    return area
