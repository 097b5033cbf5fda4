"""One patient's page: identity, consultations, and starting or resuming a consultation."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import consultation_overview as overview
from consult.store.services import consultations as consultation_service
from consult.store.services.consultation_overview import ConsultationRow
from consult.store.services.consultations import OPEN_STATUSES
from consult.ui.patients.consent_standing import ConsentStandingView
from consult.ui.patients.consultation_table import ConsultationTableModel, consultation_table
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.photos.timeline import PhotoTimeline
from consult.ui.shell.language import LANGUAGES
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.date_field import describe_birth_date
from consult.ui.widgets.formatting import knowledge_label
from consult.ui.widgets.phone_format import show_phone
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.saving_dialog import failure_text
from consult.ui.widgets.tasks import LatestOnly, run_write


class PatientPage(QWidget):
    """A patient's identity and consultations; practitioners start or resume one here."""

    consultation_opened = Signal(object, object)  # ConsultationInfo, PatientInfo
    record_requested = Signal(object)  # ConsultationRow: to read (and reprint its forms)
    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.patient: PatientInfo | None = None
        layout = QVBoxLayout(self)
        self.title = heading(self.tr("Patient"), self)
        layout.addWidget(self.title)
        identity = QFormLayout()
        self.identity: dict[str, QLabel] = {}
        for key, label in (
            ("born", self.tr("Date of birth")),
            ("sex", self.tr("Sex at birth")),
            ("language", self.tr("Reads in")),
            ("phone", self.tr("Phone")),
            ("email", self.tr("E-mail")),
            ("address", self.tr("Address")),
        ):
            value = QLabel(self)
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setAccessibleName(label)
            value.setWordWrap(True)
            identity.addRow(QLabel(label + ":", self), value)
            self.identity[key] = value
        layout.addLayout(identity)
        # Each treatment's consent: valid until, expired, withdrawn (issue 21).
        self.consents = ConsentStandingView(session, self)
        layout.addWidget(self.consents)
        row = QHBoxLayout()
        self.edit_button = QPushButton(self.tr("&Edit details…"), self)
        self.start_button = QPushButton(self.tr("&Start consultation"), self)
        self.resume_button = QPushButton(self.tr("Res&ume consultation"), self)
        self.view_button = QPushButton(self.tr("&View consultation…"), self)
        for button in (self.edit_button, self.start_button, self.resume_button, self.view_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.list_label = QLabel(self.tr("Consultations"), self)
        font = self.list_label.font()
        font.setBold(True)
        self.list_label.setFont(font)
        layout.addWidget(self.list_label)
        self.model = ConsultationTableModel(self)
        self.table = consultation_table(self.model, self.tr("The patient's consultations"), self)
        self.table.hideColumn(ConsultationTableModel.COL_PATIENT)
        layout.addWidget(self.table, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Consultation list status"))
        layout.addWidget(self.status)
        # Photos of treated areas, grouped by day and area (issue 20: consult.ui.photos).
        self.photos = PhotoTimeline(session, self)
        layout.addWidget(self.photos, 1)
        self.runner = LatestOnly(self)
        self.open_runner = LatestOnly(self)
        self.edit_button.clicked.connect(self.edit_patient)
        self.start_button.clicked.connect(self.start_consultation)
        self.resume_button.clicked.connect(self.resume_consultation)
        self.view_button.clicked.connect(self.view_consultation)
        # Return and a double-click (both arrive as activated): resume one's own
        # consultation in progress, or read any other, with its signed forms.
        self.table.activated.connect(lambda _index: self.open_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self._update_buttons()

    @property
    def is_practitioner(self) -> bool:
        """Whether the signed-in user may run consultations."""
        user = self.session.user
        return user is not None and user.has(Role.PRACTITIONER)

    def set_patient(self, patient: PatientInfo) -> None:
        """Show ``patient`` and load their consultations."""
        self.patient = patient
        self.error.clear_error()
        self.title.setText(patient.full_name)
        self.title.setAccessibleName(patient.full_name)
        today = dt.date.today()
        born = patient.date_of_birth
        self.identity["born"].setText(describe_birth_date(born, today, self.locale()))
        self.identity["sex"].setText(knowledge_label("sex", patient.sex_at_birth))
        self.identity["language"].setText(LANGUAGES.get(patient.language, patient.language))
        self.identity["phone"].setText(show_phone(self.session, patient.phone) or "—")
        self.identity["email"].setText(patient.email or "—")
        self.identity["address"].setText(patient.address or "—")
        self.refresh()

    def refresh(self) -> None:
        """Reload the patient's consultations off the GUI thread."""
        user = self.session.user
        self.start_button.setVisible(self.is_practitioner)
        self.resume_button.setVisible(self.is_practitioner)
        may_read = user is not None and user.has(Role.PRACTITIONER, Role.MANAGER)
        self.list_label.setVisible(may_read)
        self.table.setVisible(may_read)
        self.view_button.setVisible(may_read)
        self.photos.setVisible(may_read)
        if self.patient is not None and may_read:
            self.photos.set_patient(self.patient)
        self.model.set_rows([])
        self._update_buttons()
        if self.patient is not None:
            self.consents.load(self.patient.id)
        if self.patient is None or not may_read:
            self.status.setText(
                "" if may_read else self.tr("Consultations are seen by practitioners and managers.")
            )
            return
        ctx, patient_id = self.session.ctx, self.patient.id
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(lambda: overview.for_patient(ctx, patient_id), self._show, self._fail)

    def _show(self, rows: list[ConsultationRow]) -> None:
        self.model.set_rows(rows)
        mine = [i for i, row in enumerate(rows) if self._resumable(row)]
        if rows:
            # One's own to resume first, else the newest: Return opens it at once.
            self.table.selectRow(mine[0] if mine else 0)
        self.status.setText(
            self.tr("%n consultation(s)", "", len(rows))
            + (self.tr("; %n in progress can be resumed", "", len(mine)) if mine else "")
        )
        self._update_buttons()
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(self.tr("The consultations could not be loaded: ") + refusal_text(exc))
        self.loaded.emit()

    def _resumable(self, row: ConsultationRow) -> bool:
        user = self.session.user
        info = row.consultation
        return (
            user is not None
            and self.is_practitioner
            and info.practitioner_id == user.id
            and info.status in OPEN_STATUSES
        )

    def current(self) -> ConsultationRow | None:
        """The selected consultation."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.row(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        row = self.current()
        self.resume_button.setEnabled(row is not None and self._resumable(row))
        self.view_button.setEnabled(row is not None)
        self.edit_button.setEnabled(self.patient is not None)
        self.start_button.setEnabled(self.patient is not None and self.is_practitioner)

    def start_consultation(self) -> None:
        """Start a new consultation for this patient (practitioners): a service write,
        off the GUI thread, with the button disabled meanwhile."""
        patient = self.patient
        if patient is None:
            return
        self.error.clear_error()
        ctx = self.session.ctx
        run_write(
            lambda: consultation_service.start(ctx, patient.id),
            lambda info: self._opened(info, patient),
            self._not_opened,
            busy=self.start_button,
        )

    def resume_consultation(self) -> None:
        """Reopen the selected unfinished consultation where it was left (read again off
        the GUI thread: it may have changed since the list was loaded)."""
        row = self.current()
        if row is None or not self._resumable(row):
            return
        self.error.clear_error()
        ctx, consultation_id, patient = self.session.ctx, row.consultation.id, row.patient
        self.open_runner.submit(
            lambda: consultation_service.get(ctx, consultation_id),
            lambda info: self._opened(info, patient),
            self._not_opened,
        )

    def _opened(self, info: ConsultationInfo, patient: PatientInfo) -> None:
        self.consultation_opened.emit(info, patient)

    def _not_opened(self, exc: Exception) -> None:
        self.error.show_error(failure_text(exc))

    def open_selected(self) -> None:
        """Resume the selected consultation if it is one's own and in progress; otherwise
        open it to read, with its signed forms."""
        row = self.current()
        if row is None:
            return
        if self._resumable(row):
            self.resume_consultation()
        else:
            self.view_consultation()

    def view_consultation(self) -> None:
        """Open the selected consultation to read (and to print its signed forms again)."""
        row = self.current()
        if row is not None:
            self.record_requested.emit(row)

    def edit_patient(self) -> None:
        """Edit the patient's identity and contact details."""
        if self.patient is None:
            return
        dialog = PatientDialog(self.session, self.patient, self)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_patient:
                self.set_patient(dialog.result_patient)
        finally:
            dialog.deleteLater()
