"""The managers' list of open complications (ongoing, or outcome unknown): the most
severe and oldest first, with the product and lot each followed, to edit as the event
evolves and to report to the national pharmacovigilance scheme."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from consult.domain.complications import EventReport
from consult.store.services import complications as complication_service
from consult.store.services.complications import ComplicationInfo
from consult.ui.consultation.complication_dialog import ComplicationDialog
from consult.ui.manager.complication_report import ComplicationReportDialog
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.complication_words import complication_word
from consult.ui.widgets.formatting import treatment_name, treatment_names
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.table_model import RowsTableModel, emphasised, read_only_table
from consult.ui.widgets.tasks import LatestOnly, run_write, wait_for_writes
from consult.ui.widgets.words import QT_TRANSLATE_NOOP


class ComplicationTableModel(RowsTableModel[ComplicationInfo]):
    """Open events: patient, treatment, product and lot, what, severity, dates, outcome."""

    (
        COL_PATIENT,
        COL_TREATMENT,
        COL_PRODUCT,
        COL_LOT,
        COL_WHAT,
        COL_SEVERITY,
        COL_NOTICED,
        COL_FOLLOW_UP,
        COL_OUTCOME,
        COL_BY,
    ) = range(10)
    HEADERS = (
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Patient"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Treatment"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Product"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Lot"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "What happened"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Severity"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Noticed"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Follow-up"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Outcome"),
        QT_TRANSLATE_NOOP("ComplicationTableModel", "Recorded by"),
    )

    def text(self, row: ComplicationInfo, column: int) -> str:
        values = (
            row.patient_name,
            treatment_name(row.treatment_id),
            row.product_name or "—",
            row.lot_number or "—",
            complication_word(row.category),
            complication_word(row.severity),
            row.noticed_on.isoformat(),
            row.follow_up_on.isoformat() if row.follow_up_on else "—",
            complication_word(row.outcome),
            row.recorded_by,
        )
        return values[column]

    def extra(self, row: ComplicationInfo, column: int, role: int) -> Any:
        grave = row.severity in ("severe", "serious")
        if column != self.COL_SEVERITY or not grave:
            return None
        return emphasised(role)


class ComplicationsPage(QWidget):
    """Open complications, to follow up, edit and report.

    Signals:
        loaded: the list was (re)loaded.
    """

    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = LatestOnly(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Open complications"), self))
        about = QLabel(
            self.tr(
                "Adverse events still ongoing or with an unknown outcome, the most severe "
                "first. Practitioners record them from the patient's consultation record."
            ),
            self,
        )
        about.setWordWrap(True)
        layout.addWidget(about)
        self.model = ComplicationTableModel(self)
        self.table = read_only_table(
            self, self.model, self.tr("Open complications"), ComplicationTableModel.COL_WHAT
        )
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.report_button = QPushButton(self.tr("Report for the national sche&me…"), self)
        for button in (self.edit_button, self.report_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Complications status"))
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.edit_button.clicked.connect(self.edit)
        self.report_button.clicked.connect(self.report)
        self.table.activated.connect(lambda _index: self.edit())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def refresh(self) -> None:
        """Read the open complications (off the GUI thread; the listing is logged)."""
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(
            lambda: complication_service.open_complications(ctx), self._show, self._fail
        )

    def _show(self, rows: list[ComplicationInfo]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        self.status.setText(self.tr("%n open complication(s)", "", len(rows)))
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.error.show_error(refusal_text(exc))

    def current(self) -> ComplicationInfo | None:
        """The selected event."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.item(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.report_button.setEnabled(chosen)

    def edit(self) -> None:
        """Edit the selected event (its outcome above all); the list is read again."""
        event = self.current()
        if event is None:
            return
        saved = ComplicationDialog.ask(
            self.session,
            self,
            consultation_id=event.consultation_id,
            treatment_ids=[event.treatment_id],
            existing=event,
        )
        if saved is not None:
            self.refresh()

    def report(self) -> None:
        """Make the selected event's report (audited, off the GUI thread) and show it."""
        event = self.current()
        if event is None:
            return
        ctx = self.session.ctx
        run_write(
            lambda: complication_service.report(ctx, event.id),
            lambda made: self.show_report(event.id, made),
            self._fail,
            busy=self.report_button,
        )

    def show_report(self, complication_id: int, made: EventReport) -> None:
        """Show a report made (tests replace this)."""
        names = treatment_names()
        dialog = ComplicationReportDialog(
            self.session,
            complication_id,
            made.scheme.name,
            complication_service.report_text(made, names),
            names,
            self,
        )
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    def leave(self) -> None:
        """Wait for background work (sign-out, quit)."""
        self.runner.wait()
        wait_for_writes()


__all__ = ["ComplicationTableModel", "ComplicationsPage"]
