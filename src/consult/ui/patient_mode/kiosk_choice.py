"""Where the patient answers: on this workstation, or on a kiosk station that waits.

Asked by "Hand to patient…" only when the clinic runs on its PostgreSQL server and at
least one kiosk station is waiting (``kiosk.waiting_stations``); otherwise patient mode
opens here at once, as it always did.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.store.services.kiosk import StationInfo
from consult.ui.widgets.basics import heading


class KioskChoice(QDialog):
    """ "This workstation" or one of the waiting stations: :attr:`station` is the one
    chosen (None: this workstation) once the dialog is accepted."""

    def __init__(self, stations: Sequence[StationInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hand to patient"))
        self.station: StationInfo | None = None
        column = QVBoxLayout(self)
        column.setContentsMargins(24, 20, 24, 20)
        column.setSpacing(10)
        column.addWidget(heading(self.tr("Where will the patient answer?"), self))
        note = QLabel(
            self.tr(
                "A kiosk station shows the patient this intake only; you take it back here "
                "with your password."
            ),
            self,
        )
        note.setWordWrap(True)
        column.addWidget(note)
        self.here_button = QPushButton(self.tr("On this workstation"), self)
        self.here_button.setMinimumHeight(44)
        self.here_button.clicked.connect(self.accept)
        column.addWidget(self.here_button)
        self.station_buttons: list[QPushButton] = []
        for station in stations:
            button = QPushButton(self.tr("On kiosk station %1").replace("%1", station.name), self)
            button.setMinimumHeight(44)
            button.clicked.connect(lambda _checked=False, s=station: self._choose(s))
            column.addWidget(button)
            self.station_buttons.append(button)
        cancel = QPushButton(self.tr("Cancel"), self)
        cancel.clicked.connect(self.reject)
        column.addWidget(cancel, 0, Qt.AlignmentFlag.AlignRight)
        self.here_button.setDefault(True)
        self.here_button.setFocus()

    def _choose(self, station: StationInfo) -> None:
        self.station = station
        self.accept()
