"""The consent register's filter bar: signing dates, practitioner, treatment, screening
outcome, overrides and state. It only says what is chosen; the register page decides
when to ask the database (typing a date changes it several times)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QPushButton,
    QWidget,
)

from consult.store.dto import RegisterFilters
from consult.ui.widgets.forms import to_date
from consult.ui.widgets.words import OUTCOME_LABELS, STATE_LABELS, outcome_text, state_text


class RegisterFilterBar(QWidget):
    """The filters over the register; :attr:`changed` whenever one of them changes."""

    changed = Signal()

    def __init__(self, treatment_names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.from_check = QCheckBox(self.tr("Fro&m"), self)
        self.to_check = QCheckBox(self.tr("&To"), self)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addMonths(-1), self)
        self.date_to = QDateEdit(today, self)
        for check, edit, name in (
            (self.from_check, self.date_from, self.tr("Signed from")),
            (self.to_check, self.date_to, self.tr("Signed until")),
        ):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            edit.setAccessibleName(name)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.changed.emit())
            edit.dateChanged.connect(lambda _d: self.changed.emit())
        self.practitioner = QComboBox(self)
        self.practitioner.addItem(self.tr("Any practitioner"), None)
        self.treatment = QComboBox(self)
        self.treatment.addItem(self.tr("Any treatment"), None)
        for tid, name in sorted(treatment_names.items(), key=lambda item: item[1].casefold()):
            self.treatment.addItem(name, tid)
        self.outcome = QComboBox(self)
        self.outcome.addItem(self.tr("Any outcome"), None)
        for key in OUTCOME_LABELS:
            self.outcome.addItem(outcome_text(key), key)
        self.overrides = QComboBox(self)
        self.overrides.addItem(self.tr("With or without overrides"), None)
        self.overrides.addItem(self.tr("With overrides"), True)
        self.overrides.addItem(self.tr("Without overrides"), False)
        self.state = QComboBox(self)
        self.state.addItem(self.tr("Any state"), None)
        for key in STATE_LABELS:
            self.state.addItem(state_text(key), key)
        for combo, name in (
            (self.practitioner, self.tr("Practitioner")),
            (self.treatment, self.tr("Treatment")),
            (self.outcome, self.tr("Outcome")),
            (self.overrides, self.tr("Overrides")),
            (self.state, self.tr("State")),
        ):
            combo.setAccessibleName(name)
            combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.reset_button = QPushButton(self.tr("Reset filt&ers"), self)
        self.reset_button.setAccessibleName(self.tr("Reset filters"))
        grid.addWidget(self.from_check, 0, 0)
        grid.addWidget(self.date_from, 0, 1)
        grid.addWidget(self.to_check, 0, 2)
        grid.addWidget(self.date_to, 0, 3)
        grid.addWidget(self.practitioner, 0, 4)
        grid.addWidget(self.treatment, 0, 5)
        grid.addWidget(self.outcome, 1, 0, 1, 2)
        grid.addWidget(self.overrides, 1, 2, 1, 2)
        grid.addWidget(self.state, 1, 4)
        grid.addWidget(self.reset_button, 1, 5, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(4, 1)
        grid.setColumnStretch(5, 1)

    def _combos(self) -> tuple[QComboBox, ...]:
        return (self.practitioner, self.treatment, self.outcome, self.overrides, self.state)

    def filters(self) -> RegisterFilters:
        """What the bar asks for, in the default sort order (the page sorts)."""

        def day(check: QCheckBox, edit: QDateEdit) -> dt.date | None:
            return to_date(edit.date()) if check.isChecked() else None

        return RegisterFilters(
            date_from=day(self.from_check, self.date_from),
            date_to=day(self.to_check, self.date_to),
            practitioner_id=self.practitioner.currentData(),
            treatment_id=self.treatment.currentData(),
            outcome=self.outcome.currentData(),
            has_overrides=self.overrides.currentData(),
            state=self.state.currentData(),
        )

    def clear(self) -> None:
        """Back to no filter at all, without a :attr:`changed` for each widget."""
        for check in (self.from_check, self.to_check):
            check.blockSignals(True)
            check.setChecked(False)
            check.blockSignals(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        for combo in self._combos():
            combo.blockSignals(True)
            combo.setCurrentIndex(0)
            combo.blockSignals(False)

    def set_practitioners(self, people: Iterable[tuple[int, str]]) -> None:
        """Offer these practitioners (id, name), keeping the one chosen if still there."""
        chosen = self.practitioner.currentData()
        self.practitioner.blockSignals(True)
        self.practitioner.clear()
        self.practitioner.addItem(self.tr("Any practitioner"), None)
        for uid, name in people:
            self.practitioner.addItem(name, uid)
        self.practitioner.setCurrentIndex(max(0, self.practitioner.findData(chosen)))
        self.practitioner.blockSignals(False)
