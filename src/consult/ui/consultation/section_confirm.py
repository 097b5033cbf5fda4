"""A repeat visit's question for each section of the intake: unchanged, or update?

At a repeat visit within a consent's validity (docs/repeat-visits.md) the intake starts
from the patient's last one: each section asks whether its answers are unchanged since
that visit (one click copies them, and they stay as they were) or are to be updated
(they are copied to be changed). Nothing from the last visit is taken over until its
section is confirmed one way or the other.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from consult.domain.reconfirmation import Confirmed
from consult.ui.widgets.tones import style_with_tones

__all__ = ["Confirmed", "SectionConfirmBar"]


class SectionConfirmBar(QWidget):
    """The bar at the top of one section: "Unchanged since …?" with its two buttons."""

    chosen = Signal(str)  # a Confirmed value

    def __init__(self, title: str, since: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.since = since
        self.state: Confirmed | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        row.addWidget(self.label, 1)
        self.unchanged_button = QPushButton(self.tr("Unchanged"), self)
        self.unchanged_button.setAccessibleName(
            self.tr("%1: unchanged since the last visit").replace("%1", title)
        )
        self.update_button = QPushButton(self.tr("Update"), self)
        self.update_button.setAccessibleName(self.tr("%1: update the answers").replace("%1", title))
        row.addWidget(self.unchanged_button)
        row.addWidget(self.update_button)
        self.unchanged_button.clicked.connect(lambda: self.chosen.emit(Confirmed.UNCHANGED))
        self.update_button.clicked.connect(lambda: self.chosen.emit(Confirmed.UPDATE))
        style_with_tones(self, "QLabel { color: $info; }")
        self.set_state(None)

    def set_state(self, state: Confirmed | None) -> None:
        """Say how the section was confirmed (None: not yet)."""
        self.state = state
        day = self.since.isoformat()
        if state is None:
            text = self.tr("As at the last visit (%1)? Confirm unchanged, or update.")
        elif state == Confirmed.UNCHANGED:
            text = self.tr("✓ Unchanged since the last visit (%1).")
        else:
            text = self.tr("Updated: the answers of the last visit (%1), to change.")
        self.label.setText(text.replace("%1", day))
        self.unchanged_button.setVisible(state != Confirmed.UNCHANGED)
        self.update_button.setVisible(state != Confirmed.UPDATE)
