"""Lot recall: every patient who received a product lot, where and how much (from the
treatment chart, else the planned lot, which the row says), with contact details; CSV
export. Withdrawn and voided consents are left out and counted under the table."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.documents.exports import ExportCancelled
from consult.store.dto import RecallCriteria, RecallResult, RecallRow
from consult.store.errors import StoreError, ValidationError
from consult.store.services import recall as recall_service
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.export_panel import Cancelled, ExportPanel, Progress, ask_save_path
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.forms import to_date
from consult.ui.widgets.refusals import refusal_text, refusal_words
from consult.ui.widgets.table_model import RowsTableModel, read_only_table
from consult.ui.widgets.tasks import LatestOnly, wait_for_writes
from consult.ui.widgets.words import QT_TRANSLATE_NOOP, state_text


class RecallTableModel(RowsTableModel[RecallRow]):
    """Patients who received the lots found: where and how much first (what a recall
    asks), then how to reach them."""

    COL_PATIENT, COL_BORN, COL_PHONE, COL_PRODUCT, COL_LOT, COL_TREATED = range(6)
    COL_AREAS, COL_DOSE, COL_SOURCE, COL_EXPIRY, COL_EMAIL = range(6, 11)
    COL_PRACTITIONER, COL_CONSENT = 11, 12
    HEADERS = (
        QT_TRANSLATE_NOOP("RecallTableModel", "Patient"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Born"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Phone"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Product"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Lot"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Treated"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Areas"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Dose"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Lot from"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Expiry"),
        QT_TRANSLATE_NOOP("RecallTableModel", "E-mail"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Practitioner"),
        QT_TRANSLATE_NOOP("RecallTableModel", "Consent"),
    )

    def text(self, row: RecallRow, column: int) -> str:
        values = (
            row.patient_name,
            row.date_of_birth.isoformat(),
            row.phone,
            row.product_name,
            row.lot_number,
            row.treated_on.isoformat() if row.treated_on else local_time(row.treated_at),
            ", ".join(row.areas) or "—",
            " + ".join(f"{amount} {unit}" for amount, unit in row.doses) or "—",
            self.tr("Chart") if row.charted else self.tr("Planned (not charted)"),
            row.expiry_date.isoformat(),
            row.email,
            row.practitioner_name,
            f"{row.document_number} ({state_text(row.consent_state)})"
            if row.document_number
            else "",
        )
        return values[column]

    def extra(self, row: RecallRow, column: int, role: int) -> Any:
        if column == self.COL_SOURCE and role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("The lot recorded on the practitioner's treatment chart")
                if row.charted
                else self.tr("No treatment was charted: the lot planned at consent")
            )
        return None


class RecallPage(QWidget):
    """Search by lot and product, or by an expiry window; export the list."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.runner = LatestOnly(self)
        self.rows: list[RecallRow] = []
        self.criteria = RecallCriteria()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Lot recall"), self))
        grid = QGridLayout()
        lot_label = QLabel(self.tr("Lot &number:"), self)
        self.lot = QLineEdit(self)
        self.lot.setAccessibleName(self.tr("Lot number"))
        self.lot.setPlaceholderText(self.tr("e.g. RX-118 (any case)"))
        lot_label.setBuddy(self.lot)
        product_label = QLabel(self.tr("Pr&oduct:"), self)
        self.product = QLineEdit(self)
        self.product.setAccessibleName(self.tr("Product name"))
        self.product.setPlaceholderText(self.tr("Name or part of it"))
        product_label.setBuddy(self.product)
        self.expiry_check = QCheckBox(self.tr("&Expiring between"), self)
        today = QDate.currentDate()
        self.expiry_from = QDateEdit(today, self)
        self.expiry_to = QDateEdit(today.addMonths(3), self)
        self.expiry_from.setAccessibleName(self.tr("Expiring from"))
        self.expiry_to.setAccessibleName(self.tr("Expiring until"))
        for edit in (self.expiry_from, self.expiry_to):
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setCalendarPopup(True)
            edit.setEnabled(False)
            self.expiry_check.toggled.connect(edit.setEnabled)
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.search_button.setAccessibleName(self.tr("Search"))
        self.search_button.setDefault(True)
        grid.addWidget(lot_label, 0, 0)
        grid.addWidget(self.lot, 0, 1)
        grid.addWidget(product_label, 0, 2)
        grid.addWidget(self.product, 0, 3)
        grid.addWidget(self.expiry_check, 1, 0)
        grid.addWidget(self.expiry_from, 1, 1)
        grid.addWidget(QLabel(self.tr("and"), self), 1, 2, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(self.expiry_to, 1, 3)
        grid.addWidget(self.search_button, 0, 4)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        layout.addLayout(grid)
        self.model = RecallTableModel(self)
        # Who, which lot, when, where and how much come first, in sight on a 1024-pixel
        # screen; the contact details and the consent follow (and are in the CSV).
        self.table = read_only_table(
            self, self.model, self.tr("Patients to contact"), RecallTableModel.COL_CONSENT
        )
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self.tr("Search by lot, product or expiry."), self)
        self.status.setAccessibleName(self.tr("Recall status"))
        bottom.addWidget(self.status, 1)
        self.export_button = QPushButton(self.tr("Export &CSV…"), self)
        self.export_button.setAccessibleName(self.tr("Export CSV"))
        bottom.addWidget(self.export_button)
        layout.addLayout(bottom)
        self.exporting = ExportPanel(self)
        layout.addWidget(self.exporting)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.search_button.clicked.connect(self.search)
        self.lot.returnPressed.connect(self.search)
        self.product.returnPressed.connect(self.search)
        self.export_button.clicked.connect(self.export)
        self._update_buttons()

    def refresh(self) -> None:
        """Nothing to load until the manager searches."""
        self.lot.setFocus()

    def current_criteria(self) -> RecallCriteria:
        """What the form asks for."""

        expiry = self.expiry_check.isChecked()
        return RecallCriteria(
            lot=self.lot.text(),
            product=self.product.text(),
            expiry_from=to_date(self.expiry_from.date()) if expiry else None,
            expiry_to=to_date(self.expiry_to.date()) if expiry else None,
        )

    def search(self) -> None:
        """Find the patients (off the GUI thread); the search is logged."""
        criteria = self.current_criteria()
        try:
            criteria.check()
        except ValidationError as exc:
            self.error.show_error(refusal_words(exc.message))
            return
        self.error.clear_error()
        self.status.setText(self.tr("Searching…"))
        ctx = self.session.ctx
        self.runner.submit(
            lambda: recall_service.search(ctx, criteria),
            lambda result: self._show(criteria, result),
            lambda exc: self.error.show_error(refusal_text(exc)),
        )

    def _show(self, criteria: RecallCriteria, result: RecallResult) -> None:
        self.criteria = criteria
        self.rows = list(result.rows)
        self.model.set_rows(self.rows)
        patients = len({r.patient_id for r in self.rows})
        text = (
            self.tr("%n patient(s) to contact", "", patients)
            + " — "
            + self.tr("%n treatment(s) with these lots", "", len(self.rows))
        )
        if result.left_out:
            text += " — " + self.tr(
                "%n treatment(s) left out: consent withdrawn or voided", "", len(result.left_out)
            )
        self.status.setText(text)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.export_button.setEnabled(bool(self.rows) and not self.exporting.running)

    def export(self) -> None:
        """Write the list as CSV (off the GUI thread; logged)."""
        if not self.rows or self.exporting.running:
            return
        name = (self.criteria.lot or self.criteria.product or "expiry").strip().replace(" ", "-")
        path = ask_save_path(
            self,
            self.tr("Export the recall list"),
            f"recall-{name}.csv",
            self.tr("CSV files (*.csv)"),
        )
        if path is None:
            return
        ctx, criteria, rows = self.session.ctx, self.criteria, list(self.rows)

        def work(progress: Progress, cancelled: Cancelled) -> int:
            return recall_service.export_recall(
                ctx, criteria, rows, path, progress=progress, cancelled=cancelled
            )

        def done(count: int) -> None:
            self._update_buttons()
            self.status.setText(self.tr("Wrote %n line(s) to ", "", count) + str(path))

        def failed(exc: Exception) -> None:
            self._update_buttons()
            if isinstance(exc, ExportCancelled):
                self.status.setText(self.tr("Export cancelled; no file was written."))
            else:
                self.error.show_error(
                    refusal_text(exc) if isinstance(exc, StoreError | OSError) else repr(exc)
                )

        self.exporting.start(
            self.tr("Exporting to %1…").replace("%1", path.name), work, done, failed
        )
        self._update_buttons()

    def leave(self) -> None:
        """Stop the export and wait for background work (sign-out, quit)."""
        if self.exporting.running:
            self.exporting.cancel()
        self.runner.wait()
        wait_for_writes()
