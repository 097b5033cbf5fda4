"""The reception desk: today's consultations and signed forms, a patient's forms, printing
and reprinting the stored form, and handing it to the patient."""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.store.dto import PatientInfo
from consult.store.errors import StoreError
from consult.store.services import consents
from consult.store.services import patients as patient_service
from consult.store.services import register as register_service
from consult.store.services.register import DeskConsultation, FormRow
from consult.ui.patients import PatientTableModel
from consult.ui.register_page import STATE_LABELS, local_time, treatment_names
from consult.ui.session import AppSession
from consult.ui.table_model import RowsTableModel, RowT
from consult.ui.tasks import LatestOnly
from consult.ui.widgets import ErrorLabel, heading


class _NamedRowsModel(RowsTableModel[RowT]):
    """Rows that name treatments by their id."""

    def __init__(self, names: Mapping[str, str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = dict(names)


class FormTableModel(_NamedRowsModel[FormRow]):
    """Signed forms: document, patient, treatment, signed, state, printed, handed over."""

    HEADERS = (
        "Document",
        "Patient",
        "Born",
        "Treatment",
        "Practitioner",
        "Signed",
        "State",
        "Printed",
        "Handed over",
    )

    def text(self, row: FormRow, column: int) -> str:
        values = (
            row.document_number,
            row.patient_name,
            row.date_of_birth.isoformat() if row.date_of_birth else "",
            self._names.get(row.treatment_id, row.treatment_id),
            row.practitioner_name,
            local_time(row.signed_at),
            self.tr(STATE_LABELS.get(row.state, row.state)),
            self.tr("%n time(s)", "", row.prints) if row.prints else self.tr("Not yet"),
            local_time(row.handed_over_at) if row.handed_over_at else "",
        )
        return values[column]


class DeskConsultationModel(_NamedRowsModel[DeskConsultation]):
    """The day's consultations: patient, practitioner, treatments, status, forms signed."""

    HEADERS = ("Patient", "Born", "Practitioner", "Treatments", "Status", "Forms signed")

    def text(self, row: DeskConsultation, column: int) -> str:
        values = (
            row.patient_name,
            row.date_of_birth.isoformat(),
            row.practitioner_name,
            ", ".join(self._names.get(t, t) for t in row.treatments),
            self.tr(row.status.capitalize()),
            str(row.forms_signed),
        )
        return values[column]


def _table(parent: QWidget, model: QAbstractTableModel, name: str, stretch: int) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setAccessibleName(name)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class ReceptionPage(QWidget):
    """What the reception desk needs, and nothing of the intake."""

    DEBOUNCE_MS = 200

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        names = treatment_names()
        self.runner = LatestOnly(self)
        self.search_runner = LatestOnly(self)
        self.forms_runner = LatestOnly(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Reception"), self))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        top = QWidget(splitter)
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel(self.tr("<b>Today's consultations</b>"), top))
        self.visits = DeskConsultationModel(names, self)
        self.visits_table = _table(top, self.visits, self.tr("Today's consultations"), 3)
        top_layout.addWidget(self.visits_table)
        bottom = QWidget(splitter)
        bottom_layout = QHBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        finder = QWidget(bottom)
        finder_layout = QVBoxLayout(finder)
        finder_layout.setContentsMargins(0, 0, 0, 0)
        find_label = QLabel(self.tr("&Find a patient's forms:"), finder)
        self.search = QLineEdit(finder)
        self.search.setPlaceholderText(self.tr("Name, date of birth or phone"))
        self.search.setAccessibleName(self.tr("Find a patient"))
        self.search.setClearButtonEnabled(True)
        find_label.setBuddy(self.search)
        finder_layout.addWidget(find_label)
        finder_layout.addWidget(self.search)
        self.found = PatientTableModel(self)
        self.found_table = _table(finder, self.found, self.tr("Patients found"), 0)
        finder_layout.addWidget(self.found_table, 1)
        self.today_button = QPushButton(self.tr("Today's &signed forms"), finder)
        self.today_button.setAccessibleName(self.tr("Today's signed forms"))
        finder_layout.addWidget(self.today_button)
        finder.setMinimumWidth(300)
        finder.setMaximumWidth(380)
        bottom_layout.addWidget(finder)
        forms = QWidget(bottom)
        forms_layout = QVBoxLayout(forms)
        forms_layout.setContentsMargins(0, 0, 0, 0)
        self.forms_title = QLabel(forms)
        forms_layout.addWidget(self.forms_title)
        self.forms = FormTableModel(names, self)
        self.forms_table = _table(forms, self.forms, self.tr("Signed forms"), 1)
        forms_layout.addWidget(self.forms_table, 1)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("&Print…"), forms)
        self.preview_button = QPushButton(self.tr("Print pre&view…"), forms)
        self.open_button = QPushButton(self.tr("&Open PDF"), forms)
        self.handed_button = QPushButton(self.tr("&Handed to patient"), forms)
        for button in (
            self.print_button,
            self.preview_button,
            self.open_button,
            self.handed_button,
        ):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        forms_layout.addLayout(buttons)
        bottom_layout.addWidget(forms, 1)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([260, 440])
        layout.addWidget(splitter, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Reception status"))
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.find_patients)
        self.search.textChanged.connect(lambda _t: self._timer.start())
        self.found_table.selectionModel().selectionChanged.connect(self._patient_chosen)
        self.visits_table.doubleClicked.connect(self._visit_chosen)
        self.visits_table.activated.connect(self._visit_chosen)
        self.today_button.clicked.connect(self.show_today)
        self.forms_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.forms.modelReset.connect(self._update_buttons)
        self.print_button.clicked.connect(self.print_form)
        self.preview_button.clicked.connect(self.preview_form)
        self.open_button.clicked.connect(self.open_form)
        self.handed_button.clicked.connect(self.hand_over)
        self._patient: PatientInfo | None = None
        self._update_buttons()

    # --- loading ----------------------------------------------------------------------

    def refresh(self) -> None:
        """Load today's consultations and the forms shown."""
        ctx = self.session.ctx
        self.runner.submit(
            lambda: register_service.consultations_on(ctx), self.visits.set_rows, self._fail
        )
        if self._patient is None:
            self.show_today()
        else:
            self._load_patient_forms(self._patient.id, self._patient.full_name)

    def show_today(self) -> None:
        """Show the forms signed today."""
        self._patient = None
        self.forms_title.setText(self.tr("<b>Forms signed today</b>"))
        ctx = self.session.ctx
        self.forms_runner.submit(
            lambda: register_service.forms_signed_on(ctx), self._show_forms, self._fail
        )

    def _load_patient_forms(self, patient_id: int, name: str) -> None:
        self.forms_title.setText(self.tr("<b>Signed forms of %1</b>").replace("%1", name))
        ctx = self.session.ctx
        self.forms_runner.submit(
            lambda: register_service.patient_forms(ctx, patient_id), self._show_forms, self._fail
        )

    def _show_forms(self, rows: list[FormRow]) -> None:
        self.forms.set_rows(rows)
        if rows:
            self.forms_table.selectRow(0)
        self.status.setText(self.tr("%n signed form(s)", "", len(rows)))

    def _fail(self, exc: Exception) -> None:
        self.error.show_error(str(exc))

    def find_patients(self) -> None:
        """Search patients as the name is typed."""
        self._timer.stop()
        text = self.search.text()
        if not text.strip():
            self.found.set_rows([])
            return
        ctx = self.session.ctx
        self.search_runner.submit(
            lambda: patient_service.search(ctx, text, limit=50), self.found.set_rows, self._fail
        )

    def _patient_chosen(self) -> None:
        rows = self.found_table.selectionModel().selectedRows()
        if not rows:
            return
        patient = self.found.patient(rows[0].row())
        self._patient = patient
        self._load_patient_forms(patient.id, patient.full_name)

    def _visit_chosen(self, index: QModelIndex) -> None:
        visit: DeskConsultation = self.visits.item(index.row())
        self._patient = None
        self._load_patient_forms(visit.patient_id, visit.patient_name)

    # --- acting on a form -------------------------------------------------------------

    def current(self) -> FormRow | None:
        """The selected form."""
        rows = self.forms_table.selectionModel().selectedRows()
        return self.forms.item(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        form = self.current()
        for button in (self.print_button, self.preview_button, self.open_button):
            button.setEnabled(form is not None)
        self.handed_button.setEnabled(form is not None and form.state != "voided")

    def _reload_current(self) -> None:
        rows = self.forms_table.selectionModel().selectedRows()
        if not rows:
            return
        index = rows[0].row()
        try:
            fresh = register_service.form(self.session.ctx, self.forms.item(index).consent_id)
        except StoreError as exc:
            self._fail(exc)
            return
        self.forms.replace_row(index, fresh)
        self._update_buttons()

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """Ask which printer to use (tests replace this)."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, parent)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            return printer
        return None

    @classmethod
    def run_preview(cls, dialog: QPrintPreviewDialog) -> bool:
        """Show the preview; True if the user printed from it (tests replace this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_form(self) -> None:
        """Print (or reprint) the stored form; every print is logged."""
        from consult.ui.pdf_pages import paint_pdf

        form = self.current()
        if form is None:
            return
        printer = self.choose_printer(self)
        if printer is None:
            return
        try:
            pdf = consents.pdf(self.session.ctx, form.consent_id, purpose="printed")
            pages = paint_pdf(pdf, printer)
        except (StoreError, OSError) as exc:
            self._fail(exc)
            return
        self.error.clear_error()
        self.status.setText(
            self.tr("Printed %1 (%n page(s))", "", pages).replace("%1", form.document_number)
        )
        self._reload_current()

    def preview_form(self) -> None:
        """Show the form as it will print; printing from the preview is logged."""
        from consult.ui.pdf_pages import paint_pdf

        form = self.current()
        if form is None:
            return
        try:
            pdf = consents.pdf(self.session.ctx, form.consent_id, purpose="viewed")
        except StoreError as exc:
            self._fail(exc)
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print preview — %1").replace("%1", form.document_number))
        dialog.paintRequested.connect(lambda target: paint_pdf(pdf, target))
        if self.run_preview(dialog):
            try:
                consents.pdf(self.session.ctx, form.consent_id, purpose="printed")
            except StoreError as exc:
                self._fail(exc)
                return
            self.status.setText(self.tr("Printed %1").replace("%1", form.document_number))
            self._reload_current()

    def open_form(self) -> None:
        """Open the stored form in the system's PDF viewer (logged as viewed)."""
        from consult.ui.pdf_pages import open_externally

        form = self.current()
        if form is None:
            return
        try:
            pdf = consents.pdf(self.session.ctx, form.consent_id, purpose="viewed")
        except StoreError as exc:
            self._fail(exc)
            return
        open_externally(pdf, form.document_number)

    def hand_over(self) -> None:
        """Record that the printed form was handed to the patient."""
        form = self.current()
        if form is None:
            return
        try:
            register_service.hand_over(self.session.ctx, form.consent_id)
        except StoreError as exc:
            self._fail(exc)
            return
        self.error.clear_error()
        self.status.setText(
            self.tr("%1 handed to %2")
            .replace("%1", form.document_number)
            .replace("%2", form.patient_name)
        )
        self._reload_current()

    def leave(self) -> None:
        """Wait for background queries (sign-out, quit)."""
        for runner in (self.runner, self.search_runner, self.forms_runner):
            runner.wait()
