"""Finding patients as their name, date of birth or phone is typed, and starting to
register, edit or open one (the form is :mod:`.patient_dialog`)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.domain import phones
from consult.store.dto import PatientInfo
from consult.store.services import patients as patient_service
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.patients.patient_table import PatientTableModel
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import heading
from consult.ui.widgets.phone_format import phone_region
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly


def _with_phones(rows: Sequence[PatientInfo], region: str | None) -> Sequence[PatientInfo]:
    """``rows``, their phone numbers formatted for the table meanwhile (on the pool
    thread: :func:`~consult.domain.phones.display` remembers them), so that laying the
    table out on the GUI thread does not parse a hundred numbers (about 30 ms)."""
    for row in rows:
        phones.display(row.phone, region)
    return rows


class PatientsPage(QWidget):
    """Search as you type, the results, and the buttons to act on a patient."""

    patient_chosen = Signal(object)  # PatientInfo
    DEBOUNCE_MS = 30  # keystroke to list well within 100 ms; stale queries are dropped

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Patients"), self))
        row = QHBoxLayout()
        label = QLabel(self.tr("Fi&nd:"), self)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(
            self.tr("Name, date of birth (YYYY-MM-DD or DD/MM/YYYY) or phone")
        )
        self.search.setAccessibleName(self.tr("Find a patient"))
        self.search.setClearButtonEnabled(True)
        label.setBuddy(self.search)
        row.addWidget(label)
        row.addWidget(self.search, 1)
        self.new_button = QPushButton(self.tr("Regi&ster patient…"), self)
        self.edit_button = QPushButton(self.tr("&Edit…"), self)
        self.open_button = QPushButton(self.tr("&Open"), self)
        for button in (self.new_button, self.edit_button, self.open_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        layout.addLayout(row)
        self.model = PatientTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Patients found"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PatientTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Search status"))
        layout.addWidget(self.status)
        self.runner = LatestOnly(self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.new_button.clicked.connect(self.register_patient)
        self.edit_button.clicked.connect(self.edit_patient)
        self.open_button.clicked.connect(self.open_patient)
        self.table.doubleClicked.connect(lambda _index: self.open_patient())
        self.table.activated.connect(lambda _index: self.open_patient())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.current() is not None
        self.edit_button.setEnabled(chosen)
        self.open_button.setEnabled(chosen)

    def _enter(self) -> None:
        self._timer.stop()
        self.run_search()
        self.table.setFocus()

    def current(self) -> PatientInfo | None:
        """The selected patient."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.patient(rows[0].row()) if rows else None

    def run_search(self) -> None:
        """Query the database off the GUI thread; only the newest query's result is shown."""
        text = self.search.text()
        ctx = self.session.ctx
        region = phone_region(self.session)
        self.status.setText(self.tr("Searching…"))
        if text.strip():
            self.runner.submit(
                lambda: _with_phones(patient_service.search(ctx, text), region),
                self._show,
                self._fail,
            )
        else:
            self.runner.submit(
                lambda: _with_phones(patient_service.recent(ctx), region), self._show, self._fail
            )

    def _show(self, rows: list[PatientInfo]) -> None:
        self.model.phone_region = phone_region(self.session)
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        if not self.search.text().strip():
            self.status.setText(self.tr("Recently registered or edited patients"))
        elif len(rows) >= patient_service.SEARCH_LIMIT:
            self.status.setText(
                self.tr("First %n patients found: type more to narrow it down", "", len(rows))
            )
        else:
            self.status.setText(self.tr("%n patient(s) found", "", len(rows)))
        self._update_buttons()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(self.tr("Search failed: ") + refusal_text(exc))

    def reset(self) -> None:
        """Forget the search and what it found (the user signed out)."""
        self._timer.stop()
        self.runner.wait()
        # A newer, empty query: the answer of one still on its way is dropped.
        self.runner.submit(lambda: None, lambda _result: None, lambda _exc: None)
        self.search.blockSignals(True)
        self.search.clear()
        self.search.blockSignals(False)
        self.model.set_rows([])
        self.status.clear()
        self._update_buttons()

    def register_patient(self) -> None:
        """Open the registration form."""
        dialog = PatientDialog(self.session, None, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_patient:
                self.search.setText(dialog.result_patient.family_name)
                self.run_search()
        finally:
            dialog.deleteLater()

    def edit_patient(self) -> None:
        """Edit the selected patient."""
        patient = self.current()
        if patient is None:
            return
        dialog = PatientDialog(self.session, patient, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self.run_search()
        finally:
            dialog.deleteLater()

    def open_patient(self) -> None:
        """Tell the window to open the selected patient's page."""
        patient = self.current()
        if patient is not None:
            self.patient_chosen.emit(patient)
