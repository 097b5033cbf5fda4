"""Small widgets shared by several screens."""

from __future__ import annotations

import re
from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QAbstractButton, QFrame, QLabel, QVBoxLayout, QWidget

from consult.ui.widgets.tones import style_with_tones


class ErrorLabel(QLabel):
    """A message next to the field it is about: icon-like prefix, text and colour.

    Its colour (a style sheet) is given when it is first shown: most error labels are
    never shown, and a form makes many (the consent step one per section), each style
    sheet costing the GUI thread a style of its own.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(self.tr("Error message"))
        self.hide()
        self._coloured = False

    def showEvent(self, event: QShowEvent) -> None:
        """Coloured before it is first painted (and again when the palette changes)."""
        if not self._coloured:
            self._coloured = True
            style_with_tones(self, "color: $error;")
        super().showEvent(event)

    def show_error(self, message: str) -> None:
        """Show ``message`` (an empty message hides the label)."""
        if not message:
            self.clear_error()
            return
        self.setText("⚠ " + message)
        self.show()

    def clear_error(self) -> None:
        """Hide the message."""
        self.clear()
        self.hide()


_MNEMONIC = re.compile(r"&([^&\s])")


def mnemonic(text: str) -> str | None:
    """The letter Alt goes with in a label's text ("Sign and &seal": "s"), if any."""
    match = _MNEMONIC.search(text.replace("&&", ""))
    return match.group(1).lower() if match else None


def first_mnemonics_only(buttons: Iterable[QAbstractButton]) -> None:
    """Repeated buttons ("Record justification" under each finding): the first keeps its
    Alt letter, the others lose it, so that one Alt key never means two buttons."""
    taken: set[str] = set()
    for button in buttons:
        key = mnemonic(button.text())
        if key is None:
            continue
        if key in taken:
            button.setText(button.text().replace("&&", "\0").replace("&", "").replace("\0", "&&"))
        taken.add(key)


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    """A page heading."""
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label


def centred_card(parent: QWidget) -> tuple[QFrame, QVBoxLayout]:
    """A centred panel of fixed width for a short form."""
    outer = QVBoxLayout(parent)
    outer.addStretch(1)
    card = QFrame(parent)
    card.setFrameShape(QFrame.Shape.StyledPanel)
    card.setMaximumWidth(560)
    card.setMinimumWidth(420)
    outer.addWidget(card, 0, Qt.AlignmentFlag.AlignHCenter)
    outer.addStretch(2)
    layout = QVBoxLayout(card)
    layout.setContentsMargins(24, 20, 24, 20)
    return card, layout
