"""The reception desk: today's consultations and signed forms, a patient's forms, printing
and reprinting the stored form, and handing it to the patient; beside the forms, the
follow-up reviews to call (:mod:`.reviews_panel`).

Reception sees each form's state before printing (the State column, a line under the
table, and buttons that say what they will print: "Print copy marked VOID…", quoting
the watermark's word in the form's language, as the paper will carry it). A print
goes straight to the printer dialog and is a marked copy of the stored form (see
``consents.pdf``). The preview shows reception only the identity and signature pages;
the whole form on screen (Open PDF) is for practitioners and managers.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QModelIndex, Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.states import ConsentState
from consult.store.dto import DeskConsultation, FormRow, PatientInfo
from consult.store.errors import StoreError
from consult.store.services import consents, reception
from consult.store.services import patients as patient_service
from consult.ui.desk.desk_tables import DeskConsultationModel, FormTableModel
from consult.ui.desk.reviews_panel import ReviewsPanel
from consult.ui.patients.patient_table import PatientTableModel
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.copy_mark_word import copy_mark_word
from consult.ui.widgets.form_copies import FormCopyPrinting
from consult.ui.widgets.formatting import treatment_names
from consult.ui.widgets.pdf_pages import OpenCopies, open_externally
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.table_model import read_only_table
from consult.ui.widgets.tasks import LatestOnly, run_write
from consult.ui.widgets.tones import tone
from consult.ui.widgets.words import state_text


class ReceptionPage(FormCopyPrinting, QWidget):
    """What the reception desk needs, and nothing of the intake."""

    DEBOUNCE_MS = 200

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        names = treatment_names()
        self.runner = LatestOnly(self)
        self.search_runner = LatestOnly(self)
        self.forms_runner = LatestOnly(self)
        self.row_runner = LatestOnly(self)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Reception"), self))
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        # Top: today's consultations beside the finder; below, the forms at full width,
        # so every column (the state above all) is in sight on a 1024-pixel screen.
        top = QWidget(splitter)
        top_layout = QHBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        visits = QWidget(top)
        visits_layout = QVBoxLayout(visits)
        visits_layout.setContentsMargins(0, 0, 0, 0)
        visits_layout.addWidget(QLabel(self.tr("<b>Today's consultations</b>"), visits))
        self.visits = DeskConsultationModel(names, self)
        self.visits_table = read_only_table(
            visits, self.visits, self.tr("Today's consultations"), 3
        )
        visits_layout.addWidget(self.visits_table)
        top_layout.addWidget(visits, 1)
        finder = QWidget(top)
        finder_layout = QVBoxLayout(finder)
        finder_layout.setContentsMargins(0, 0, 0, 0)
        find_label = QLabel(self.tr("Find a patient's for&ms:"), finder)
        self.search = QLineEdit(finder)
        self.search.setPlaceholderText(self.tr("Name, date of birth or phone"))
        self.search.setAccessibleName(self.tr("Find a patient"))
        self.search.setClearButtonEnabled(True)
        find_label.setBuddy(self.search)
        finder_layout.addWidget(find_label)
        finder_layout.addWidget(self.search)
        self.found = PatientTableModel(self)
        self.found_table = read_only_table(finder, self.found, self.tr("Patients found"), 0)
        # Name and date of birth tell patients apart; the name is never cut short.
        found_header = self.found_table.horizontalHeader()
        found_header.setSectionResizeMode(
            PatientTableModel.COL_NAME, QHeaderView.ResizeMode.ResizeToContents
        )
        found_header.setSectionResizeMode(
            PatientTableModel.COL_PHONE, QHeaderView.ResizeMode.Stretch
        )
        self.found_table.setColumnHidden(PatientTableModel.COL_SEX, True)
        finder_layout.addWidget(self.found_table, 1)
        self.today_button = QPushButton(self.tr("Today's &signed forms"), finder)
        self.today_button.setAccessibleName(self.tr("Today's signed forms"))
        finder_layout.addWidget(self.today_button)
        finder.setMinimumWidth(320)
        finder.setMaximumWidth(420)
        top_layout.addWidget(finder)
        # Below: the forms, and beside them in a second tab the follow-up reviews to call.
        self.bottom = QTabWidget(splitter)
        forms = QWidget(self.bottom)
        forms_layout = QVBoxLayout(forms)
        forms_layout.setContentsMargins(0, 0, 0, 0)
        self.forms_title = QLabel(forms)
        forms_layout.addWidget(self.forms_title)
        self.forms = FormTableModel(names, self)
        self.forms_table = read_only_table(
            forms, self.forms, self.tr("Signed forms"), FormTableModel.COL_TREATMENT
        )
        forms_layout.addWidget(self.forms_table, 1)
        self.form_state = QLabel(forms)
        self.form_state.setAccessibleName(self.tr("State of the selected form"))
        self.form_state.setWordWrap(True)
        self.form_state.setTextFormat(Qt.TextFormat.RichText)
        forms_layout.addWidget(self.form_state)
        buttons = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print cop&y…"), forms)
        self.preview_button = QPushButton(self.tr("Print pre&view…"), forms)
        self.open_button = QPushButton(self.tr("&Open PDF"), forms)
        self.handed_button = QPushButton(self.tr("Ha&nded to patient"), forms)
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
        self.reviews = ReviewsPanel(session, self.bottom)
        self.bottom.addTab(forms, self.tr("Signed forms"))
        self.bottom.addTab(self.reviews, self.tr("Follow-up reviews"))
        self.reviews.loaded.connect(self._reviews_loaded)
        splitter.addWidget(top)
        splitter.addWidget(self.bottom)
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
            lambda: reception.consultations_on(ctx), self.visits.set_rows, self._fail
        )
        if self._patient is None:
            self.show_today()
        else:
            self._load_patient_forms(self._patient.id, self._patient.full_name)
        self.reviews.refresh()

    def _reviews_loaded(self) -> None:
        """The reviews' tab says how many there are to call."""
        count = self.reviews.model.rowCount()
        index = self.bottom.indexOf(self.reviews)
        self.bottom.setTabText(
            index,
            self.tr("Follow-up reviews (%1)").replace("%1", str(count))
            if count
            else self.tr("Follow-up reviews"),
        )

    def show_today(self) -> None:
        """Show the forms signed today."""
        self._patient = None
        self.forms_title.setText(self.tr("<b>Forms signed today</b>"))
        ctx = self.session.ctx
        self.forms_runner.submit(
            lambda: reception.forms_signed_on(ctx), self._show_forms, self._fail
        )

    def _load_patient_forms(self, patient_id: int, name: str) -> None:
        self.forms_title.setText(self.tr("<b>Signed forms of %1</b>").replace("%1", name))
        ctx = self.session.ctx
        self.forms_runner.submit(
            lambda: reception.patient_forms(ctx, patient_id), self._show_forms, self._fail
        )

    def _show_forms(self, rows: list[FormRow]) -> None:
        self.forms.set_rows(rows)
        if rows:
            self.forms_table.selectRow(0)
        self.status.setText(self.tr("%n signed form(s)", "", len(rows)))

    def _fail(self, exc: Exception) -> None:
        self.error.show_error(refusal_text(exc))

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
        # The buttons say what they will print: a copy, or a copy marked VOID (the
        # word the watermark will carry, in the form's language: 無効 on a Japanese form).
        word = copy_mark_word(form) if form is not None else None
        if word:
            printing = self.tr("Print cop&y marked %1…").replace("%1", word)
            preview = self.tr("Pre&view copy marked %1…").replace("%1", word)
        else:
            printing, preview = self.tr("Print cop&y…"), self.tr("Pre&view copy…")
        for button, text in ((self.print_button, printing), (self.preview_button, preview)):
            button.setText(text)
            button.setAccessibleName(text.replace("&", "").rstrip("…"))
            button.setEnabled(form is not None)
        self.open_button.setVisible(self.sees_whole_form())
        self.open_button.setEnabled(form is not None)
        self.handed_button.setEnabled(form is not None and form.state != ConsentState.VOIDED)
        self.form_state.setText(self._state_text(form))

    def _state_text(self, form: FormRow | None) -> str:
        if form is None:
            return ""
        number = html.escape(form.document_number)
        word = copy_mark_word(form)
        if word is None:
            return self.tr(
                "%1 is signed. A print is a copy with today's date on every page."
            ).replace("%1", number)
        state = html.escape(state_text(form.state).lower())
        return (
            f"<span style='color:{tone('error')}'><b>"
            + fill(self.tr("%1 is %2."), number, state)
            + "</b> "
            + self.tr(
                "Any copy printed or previewed is marked %1 on every page, with the date "
                "and the reason."
            ).replace("%1", html.escape(word))
            + "</span>"
        )

    def _reload(self, consent_id: int) -> None:
        """Read a form again (its prints, its handing over), off the GUI thread."""
        ctx = self.session.ctx
        self.row_runner.submit(
            lambda: reception.form(ctx, consent_id), self._show_form_row, self._fail
        )

    def _show_form_row(self, fresh: FormRow) -> None:
        """Put a form read again (or just changed) in its row, if it is still listed."""
        index = self.forms.row_of(lambda form: form.consent_id == fresh.consent_id)
        if index < 0:
            return
        self.forms.replace_row(index, fresh)
        self._update_buttons()

    def print_form(self) -> None:
        """Print a copy of the stored form, straight to the printer dialog: "Copy" and
        the date on every page, or a VOID or WITHDRAWN watermark; every print is logged."""
        form = self.current()
        if form is None:
            return
        self.print_copy(
            form.consent_id,
            form.document_number,
            form.state,
            lambda message: self._printed(form.consent_id, message),
            self._fail,
            mark_word=copy_mark_word(form),
        )

    def _printed(self, consent_id: int, message: str) -> None:
        self.error.clear_error()
        self.status.setText(message)
        self._reload(consent_id)

    def preview_form(self) -> None:
        """Show the copy a print would give (reception: the identity and signature pages
        only); printing from the preview goes to the printer dialog."""
        form = self.current()
        if form is None:
            return
        self.error.clear_error()
        try:
            wants_print = self.preview_copy(form.consent_id, form.document_number)
        except (StoreError, ValueError) as exc:
            self._fail(exc)
            return
        if wants_print:
            self.print_form()

    def open_form(self) -> None:
        """Open the stored form in the system's PDF viewer (logged as viewed).

        The viewer gets a copy in the app's own folder, removed when the app closes (and
        at once if no viewer could open it, which a message then says)."""
        form = self.current()
        if form is None:
            return
        try:
            pdf = consents.pdf(self.session.ctx, form.consent_id, purpose="viewed")
            copies = OpenCopies(self.session.dirs.open_copies)
            opened = open_externally(pdf, form.document_number, self, copies)
        except (StoreError, OSError) as exc:
            self._fail(exc)
            return
        self.error.clear_error()
        if opened is None:
            self.status.setText(
                self.tr("%1 was not opened: no PDF viewer").replace("%1", form.document_number)
            )
        else:
            self.status.setText(
                self.tr("%1 opened in the PDF viewer").replace("%1", form.document_number)
            )

    def hand_over(self) -> None:
        """Record that the printed form was handed to the patient (a write, off the GUI
        thread, with the button disabled meanwhile)."""
        form = self.current()
        if form is None:
            return
        ctx = self.session.ctx
        run_write(
            lambda: reception.hand_over(ctx, form.consent_id),
            lambda fresh: self._handed_over(form, fresh),
            self._fail,
            busy=self.handed_button,
        )

    def _handed_over(self, form: FormRow, fresh: FormRow) -> None:
        self.error.clear_error()
        self.status.setText(
            fill(self.tr("%1 handed to %2"), form.document_number, form.patient_name)
        )
        self._show_form_row(fresh)

    def leave(self) -> None:
        """Wait for background queries (sign-out, quit)."""
        for runner in (self.runner, self.search_runner, self.forms_runner, self.row_runner):
            runner.wait()
        self.reviews.leave()
