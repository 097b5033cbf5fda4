"""A past consultation, read-only: what was planned and decided, its recorded outcome
when treatments were not given (with the patient's letter to print again), and its
signed forms, which can be printed again the way the reception desk prints them (a
marked copy of the stored form, every print logged).

Opened from the patient record and from the Today page for a consultation that cannot
be resumed: consented, closed without consent, or another practitioner's.
"""

from __future__ import annotations

from typing import Any

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.domain.states import ConsentState, ConsultationStatus
from consult.store.dto import ConsentInfo, ConsultationInfo, PatientInfo, ProductInfo
from consult.store.errors import StoreError
from consult.store.services import consents, outcomes
from consult.store.services import consultations as consultation_service
from consult.store.services import products as product_service
from consult.store.services.outcomes import OutcomeInfo
from consult.ui.consultation.complication_dialog import ComplicationDialog
from consult.ui.consultation.outcome_panel import OutcomePanel
from consult.ui.consultation.styles import STATUS_STYLE, icon_text
from consult.ui.consultation.summary_step import SummaryPage
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language
from consult.ui.shell.session import AppSession
from consult.ui.treatment.dialog import TreatmentDialog
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.complication_words import complication_word
from consult.ui.widgets.copy_mark_word import copy_mark_word
from consult.ui.widgets.form_copies import FormCopyPrinting
from consult.ui.widgets.formatting import consultation_treatments, local_time, treatment_name
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.table_model import RowsTableModel, read_only_table
from consult.ui.widgets.tasks import run_in_background
from consult.ui.widgets.words import (
    QT_TRANSLATE_NOOP,
    state_text,
    status_text,
    step_text,
)


class ConsentFormsModel(RowsTableModel[ConsentInfo]):
    """A consultation's signed forms: document, treatment, signed, state."""

    COL_DOCUMENT, COL_TREATMENT, COL_SIGNED, COL_STATE = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("ConsentFormsModel", "Document"),
        QT_TRANSLATE_NOOP("ConsentFormsModel", "Treatment"),
        QT_TRANSLATE_NOOP("ConsentFormsModel", "Signed"),
        QT_TRANSLATE_NOOP("ConsentFormsModel", "State"),
    )

    def text(self, row: ConsentInfo, column: int) -> str:
        if column == self.COL_DOCUMENT:
            return row.document_number
        if column == self.COL_TREATMENT:
            return treatment_name(row.treatment_id)
        if column == self.COL_SIGNED:
            return local_time(row.signed_at)
        return state_text(row.state)

    def extra(self, row: ConsentInfo, column: int, role: int) -> Any:
        return row.id if role == Qt.ItemDataRole.UserRole else None


class ConsultationRecordDialog(FormCopyPrinting, QDialog):
    """One consultation as it stands, read-only, with its signed forms to reprint.

    Signals:
        loaded: the summary and the signed forms are shown (:attr:`is_loaded`).
    """

    loaded = Signal()

    def __init__(
        self,
        session: AppSession,
        info: ConsultationInfo,
        patient: PatientInfo,
        practitioner_name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.info = info
        self.patient = patient
        self.is_loaded = False
        self.kb = knowledge()
        self.setWindowTitle(
            self.tr("Consultation of %1 — %2")
            .replace("%1", info.consultation_date.isoformat())
            .replace("%2", patient.full_name)
        )
        layout = QVBoxLayout(self)
        self.title = heading(
            self.tr("%1: consultation of %2")
            .replace("%1", patient.full_name)
            .replace("%2", info.consultation_date.isoformat()),
            self,
        )
        layout.addWidget(self.title)
        status = status_text(info.status)
        if info.status in consultation_service.OPEN_STATUSES:
            status += " · " + self.tr("at the %1 step").replace("%1", step_text(info.step).lower())
        self.about = QLabel(
            self.tr("Born %1 · practitioner %2 · %3 · treatments: %4")
            .replace("%1", patient.date_of_birth.isoformat())
            .replace("%2", practitioner_name or "—")
            .replace("%3", status)
            .replace("%4", consultation_treatments(info)),
            self,
        )
        self.about.setWordWrap(True)
        self.about.setAccessibleName(self.tr("About this consultation"))
        layout.addWidget(self.about)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.summary = SummaryPage(self.kb, self)
        self.summary.title.hide()
        # Issue 21: the outcome recorded when treatments were not given, and its letter,
        # beside the summary (both read from the top; neither pushes the other down).
        self.outcome_panel = OutcomePanel(session, self.kb.texts(current_language()), self)
        body = QHBoxLayout()
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.summary, 3)
        body.addWidget(self.outcome_panel, 2)
        layout.addLayout(body, 3)
        self.forms_label = QLabel(self.tr("Signed consent &forms"), self)
        font = self.forms_label.font()
        font.setBold(True)
        self.forms_label.setFont(font)
        layout.addWidget(self.forms_label)
        self.forms = ConsentFormsModel(self)
        self.forms_table = read_only_table(
            self, self.forms, self.tr("Signed consent forms"), ConsentFormsModel.COL_TREATMENT
        )
        self.forms_label.setBuddy(self.forms_table)
        layout.addWidget(self.forms_table, 1)
        row = QHBoxLayout()
        self.print_button = QPushButton(self)
        self.preview_button = QPushButton(self)
        row.addWidget(self.print_button)
        row.addWidget(self.preview_button)
        # Issue 20: the treatments' charts, read-only once signed off, with their addenda.
        self.chart_button = QPushButton(self.tr("Treatment c&hart…"), self)
        self.chart_button.setAccessibleName(self.tr("Treatment chart"))
        self.chart_button.hide()
        row.addWidget(self.chart_button)
        self.chart_dialog: TreatmentDialog | None = None
        # Issue 20: a practitioner records an adverse event after a consented treatment.
        self.complication_button = QPushButton(self.tr("Record a co&mplication…"), self)
        self.complication_button.setAccessibleName(self.tr("Record a complication"))
        self.complication_button.hide()
        row.addWidget(self.complication_button)
        self.output_status = QLabel(self)
        self.output_status.setWordWrap(True)
        self.output_status.setAccessibleName(self.tr("Printing status"))
        row.addWidget(self.output_status, 1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.print_button.clicked.connect(self.print_form)
        self.preview_button.clicked.connect(self.preview_form)
        self.chart_button.clicked.connect(self.open_chart)
        self.complication_button.clicked.connect(self.record_complication)
        self.forms_table.activated.connect(lambda _index: self.print_form())
        self.outcome_panel.printed.connect(self._printed)
        self.outcome_panel.failed.connect(self.error.show_error)
        self.forms_table.selectionModel().selectionChanged.connect(self._update_buttons)
        fit_dialog(self, QSize(900, 720), parent)
        self.load()

    # Loading ----------------------------------------------------------------------------

    def load(self) -> None:
        """Read the products, the consultation's signed forms and its recorded outcome off
        the GUI thread (the dialog says it is loading meanwhile), then show them. The
        outcome is health data: read only for practitioners and managers."""
        self.is_loaded = False
        self.forms_label.setText(self.tr("Loading the signed consent forms…"))
        ctx, patient_id, consultation_id = self.session.ctx, self.patient.id, self.info.id
        user = self.session.user
        clinical = user is not None and user.has(Role.PRACTITIONER, Role.MANAGER)

        def read() -> tuple[dict[int, ProductInfo], list[ConsentInfo], OutcomeInfo | None]:
            products = {p.id: p for p in product_service.list_products(ctx)}
            forms = [
                c
                for c in consents.for_patient(ctx, patient_id)
                if c.consultation_id == consultation_id
            ]
            outcome = outcomes.for_consultation(ctx, consultation_id) if clinical else None
            return products, forms, outcome

        def failed(exc: Exception) -> None:
            if not isinstance(exc, StoreError):
                raise exc  # a program error: logged and shown by the error dialog
            if shiboken6.isValid(self):
                self.error.show_error(refusal_text(exc))
                self._show({}, [], None)

        run_in_background(read, lambda read_: self._loaded(*read_), failed)

    def _loaded(
        self,
        products: dict[int, ProductInfo],
        forms: list[ConsentInfo],
        outcome: OutcomeInfo | None,
    ) -> None:
        if shiboken6.isValid(self):  # not closed (and deleted) meanwhile
            self._show(products, forms, outcome)

    def _show(
        self,
        products: dict[int, ProductInfo],
        forms: list[ConsentInfo],
        outcome: OutcomeInfo | None,
    ) -> None:
        """Show the summary, the recorded outcome and the consultation's signed forms."""
        finished = self.info.status not in consultation_service.OPEN_STATUSES
        declined = outcome is not None and not all(t.blocked for t in outcome.treatments)
        if declined:  # nothing forbade some of them, yet they were not given
            self.summary.ready_heading = self.tr("Could go on to consent")
        elif finished:
            self.summary.ready_heading = self.tr("Went on to consent")
        if self.info.screening is not None:
            self.summary.show_summary(self.info, products)
            # The wizard's way to record an outcome; here it is recorded or past.
            self.summary.not_treated_button.hide()
            if finished:
                self._show_outcome(len(forms))
        else:
            self.summary.text.setText(
                "<p>"
                + self.tr("Not screened: the consultation stopped before the screening.")
                + "</p>"
            )
        self.outcome_panel.show_outcome(outcome, self.info)
        self.forms.set_rows(forms)
        if forms:
            self.forms_table.selectRow(0)
        self.forms_label.setText(
            self.tr("Signed consent &forms (%n)", "", len(forms))
            if forms
            else self.tr("No consent form was signed in this consultation.")
        )
        self._update_buttons()
        close = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        (self.forms_table if forms else close).setFocus()
        self.is_loaded = True
        self.loaded.emit()

    def _show_outcome(self, signed: int) -> None:
        """A finished consultation says how it ended, not that it is ready for consent."""
        if self.summary.state is not None:
            self.summary.state.hide()
            self.summary.state.deleteLater()
        if self.info.status == ConsultationStatus.CONSENTED:
            style = STATUS_STYLE["ready"]
            words = self.tr("Consented: %n form(s) signed", "", signed)
        else:
            style = STATUS_STYLE["blocked"]
            words = self.tr("Closed without consent")
        self.summary.state_text = words
        self.summary.state = icon_text(style[0], words, style[2], self.summary)
        self.summary.state_holder.addWidget(self.summary.state)

    def current(self) -> ConsentInfo | None:
        """The selected form."""
        rows = self.forms_table.selectionModel().selectedRows()
        return self.forms.item(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        form = self.current()
        # The buttons say what they will print: a copy, or a copy marked VOID (the
        # word the copy will carry, in the form's language: 無効 on a Japanese form).
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
            button.setVisible(bool(self.forms.rows()))
        self.forms_table.setVisible(bool(self.forms.rows()))
        viewer = self.session.user
        self.chart_button.setVisible(
            bool(self.forms.rows())
            and viewer is not None
            and viewer.has(Role.PRACTITIONER, Role.MANAGER)
        )
        user = self.session.user
        self.complication_button.setVisible(
            bool(self._treated()) and user is not None and user.has(Role.PRACTITIONER)
        )

    def _treated(self) -> list[str]:
        """The treatments consented here and not voided (a complication follows one)."""
        return [f.treatment_id for f in self.forms.rows() if f.state != ConsentState.VOIDED]

    def record_complication(self) -> None:
        """Record an adverse event after one of this consultation's treatments."""
        saved = ComplicationDialog.ask(
            self.session, self, consultation_id=self.info.id, treatment_ids=self._treated()
        )
        if saved is not None:
            self.output_status.setText(
                self.tr("Complication recorded: %1").replace(
                    "%1", complication_word(saved.category)
                )
            )

    def open_chart(self) -> TreatmentDialog:
        """The consultation's treatment charts: one signed off read-only with its
        addenda (a practitioner may add one), a draft as it was left."""
        dialog = TreatmentDialog(self.session, self.info.id, self.patient, start=False, parent=self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        self.chart_dialog = dialog
        dialog.open()
        return dialog

    # Printing (as at the reception desk: FormCopyPrinting) ---------------------------

    def print_form(self) -> None:
        """Print a copy of the stored form: "Copy" and the date on every page, or the VOID
        or WITHDRAWN mark; every print is logged."""
        form = self.current()
        if form is None:
            return
        self.print_copy(
            form.id,
            form.document_number,
            form.state,
            self._printed,
            self._not_printed,
            mark_word=copy_mark_word(form),
        )

    def _printed(self, message: str) -> None:
        self.error.clear_error()
        self.output_status.setText(message)

    def _not_printed(self, exc: Exception) -> None:
        self.error.show_error(self.tr("Not printed: %1").replace("%1", refusal_text(exc)))

    def preview_form(self) -> None:
        """Show the copy a print would give; printing from the preview prints it."""
        form = self.current()
        if form is None:
            return
        try:
            wants_print = self.preview_copy(form.id, form.document_number)
        except (StoreError, ValueError) as exc:
            self.error.show_error(refusal_text(exc))
            return
        self.error.clear_error()
        if wants_print:
            self.print_form()


__all__ = ["ConsentFormsModel", "ConsultationRecordDialog"]
