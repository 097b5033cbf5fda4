"""The practitioner's day at a glance: today's consultations, the start page.

Each consultation with its time, patient, where it stands and its treatments: drafts to
continue, screened ones waiting for decisions or consent, consented and closed ones.
Return or a double-click opens one: a draft or a screened one in the wizard where it was
left, a finished one read-only with its signed forms to reprint.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.domain.states import ConsultationStatus
from consult.store.services import consultation_overview as overview
from consult.store.services.consultation_overview import ConsultationRow
from consult.store.services.consultations import OPEN_STATUSES
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import consultation_treatments
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.table_model import RowsTableModel, read_only_table
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.words import QT_TRANSLATE_NOOP, status_text, step_text


def local_clock(stamp: dt.datetime | None) -> str:
    """A stored UTC time as this computer's local hours and minutes."""
    if stamp is None:
        return ""
    if stamp.tzinfo is None:
        stamp = stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone().strftime("%H:%M")


class TodayTableModel(RowsTableModel[ConsultationRow]):
    """Today's consultations: started, patient, born, status, step, treatments, forms."""

    (
        COL_TIME,
        COL_PATIENT,
        COL_BORN,
        COL_STATUS,
        COL_STEP,
        COL_TREATMENTS,
        COL_FORMS,
    ) = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("TodayTableModel", "Started"),
        QT_TRANSLATE_NOOP("TodayTableModel", "Patient"),
        QT_TRANSLATE_NOOP("TodayTableModel", "Born"),
        QT_TRANSLATE_NOOP("TodayTableModel", "Status"),
        QT_TRANSLATE_NOOP("TodayTableModel", "Where it is"),
        QT_TRANSLATE_NOOP("TodayTableModel", "Treatments"),
        QT_TRANSLATE_NOOP("TodayTableModel", "Forms signed"),
    )

    def text(self, row: ConsultationRow, column: int) -> str:
        info = row.consultation
        if column == self.COL_TIME:
            return local_clock(row.started_at)
        if column == self.COL_PATIENT:
            return row.patient.full_name
        if column == self.COL_BORN:
            return row.patient.date_of_birth.isoformat()
        if column == self.COL_STATUS:
            return status_text(info.status)
        if column == self.COL_STEP:
            if info.status not in OPEN_STATUSES:
                return self.tr("Finished")
            return step_text(info.step)
        if column == self.COL_TREATMENTS:
            return consultation_treatments(info)
        return str(row.forms_signed)  # COL_FORMS

    def extra(self, row: ConsultationRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.UserRole:
            return row.consultation.id
        if (
            role == Qt.ItemDataRole.FontRole
            and column == self.COL_STATUS
            and row.consultation.status in OPEN_STATUSES
        ):
            font = QFont()
            font.setBold(True)  # still to do: stands out by weight, not by colour alone
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (self.COL_TIME, self.COL_FORMS):
            return int(Qt.AlignmentFlag.AlignCenter)
        return None


class TodayPage(QWidget):
    """The signed-in practitioner's consultations of today."""

    open_requested = Signal(object)  # ConsultationRow
    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        self.title = heading(self.tr("Today"), self)
        layout.addWidget(self.title)
        intro = QLabel(
            self.tr(
                "Your consultations today. Return or a double-click opens one: a draft to "
                "continue where it was left, a finished one to read and to print its forms "
                "again. Start a new consultation from a patient's record."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = TodayTableModel(self)
        self.table = read_only_table(
            self, self.model, self.tr("Today's consultations"), TodayTableModel.COL_TREATMENTS
        )
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.open_button = QPushButton(self.tr("&Open"), self)
        self.open_button.setAccessibleName(self.tr("Open the consultation"))
        self.refresh_button = QPushButton(self.tr("R&efresh"), self)
        self.refresh_button.setAccessibleName(self.tr("Refresh the list"))
        row.addWidget(self.open_button)
        row.addWidget(self.refresh_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Today's list status"))
        self.status.setWordWrap(True)
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.runner = LatestOnly(self)
        self.open_button.clicked.connect(self.open_selected)
        self.refresh_button.clicked.connect(self.refresh)
        # Return and a double-click both arrive as activated.
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.open_button.setEnabled(self.current() is not None)

    def _show_date(self, day: dt.date) -> None:
        # In the workstation's words, e.g. "Tuesday, 1 December 2026".
        words = self.locale().toString(
            QDate(day.year, day.month, day.day), QLocale.FormatType.LongFormat
        )
        self.title.setText(self.tr("Today, %1").replace("%1", words))
        self.title.setAccessibleName(self.title.text())

    def refresh(self) -> None:
        """Reload today's consultations off the GUI thread."""
        user = self.session.user
        self._show_date(dt.date.today())
        if user is None or not user.has(Role.PRACTITIONER):
            self.model.set_rows([])
            self._update()
            return
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(lambda: overview.today(ctx), self._show, self._fail)

    def _show(self, rows: list[ConsultationRow]) -> None:
        chosen = self.current()
        self.model.set_rows(rows)
        self.error.clear_error()
        if rows:
            # Keep the one chosen; else the first still to finish; else the first.
            index = -1
            if chosen is not None:
                index = self.model.row_of(lambda r: r.consultation.id == chosen.consultation.id)
            if index < 0:
                index = self.model.row_of(lambda r: r.consultation.status in OPEN_STATUSES)
            self.table.selectRow(max(index, 0))
        self.status.setText(self.summary(rows))
        self._update()
        self.loaded.emit()

    def summary(self, rows: list[ConsultationRow]) -> str:
        """The day in one line: how many, and how many are still to finish."""
        if not rows:
            return self.tr("No consultation yet today.")
        open_count = sum(r.consultation.status in OPEN_STATUSES for r in rows)
        consented = sum(r.consultation.status == ConsultationStatus.CONSENTED for r in rows)
        return fill(
            self.tr("%1: %2, %3."),
            self.tr("%n consultation(s) today", "", len(rows)),
            self.tr("%n to continue", "", open_count),
            self.tr("%n consented", "", consented),
        )

    def _fail(self, exc: Exception) -> None:
        self.status.setText("")
        self.error.show_error(
            self.tr("Today's consultations could not be loaded: ") + refusal_text(exc)
        )
        self.loaded.emit()

    def current(self) -> ConsultationRow | None:
        """The selected consultation."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def open_selected(self) -> None:
        """Ask to open the selected consultation."""
        row = self.current()
        if row is not None:
            self.open_requested.emit(row)

    def reset(self) -> None:
        """Forget the list (the user signed out)."""
        self.runner.wait()
        # A newer, empty query: an answer still on its way is dropped.
        self.runner.submit(lambda: None, lambda _result: None, lambda _exc: None)
        self.runner.wait()
        self.model.set_rows([])
        self.status.clear()
        self.error.clear_error()
        self._update()


__all__ = ["TodayPage", "TodayTableModel", "local_clock"]
