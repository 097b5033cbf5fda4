"""The Consultation tab: the practitioner's unfinished consultations, or the one open.

Resuming a draft reads it again off the GUI thread (it may have changed since the list
was loaded).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import consultation_overview as overview
from consult.store.services import consultations as consultation_service
from consult.store.services.consultation_overview import ConsultationRow
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.patients.consultation_table import ConsultationTableModel, consultation_table
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly


class DraftsPage(QWidget):
    """The signed-in practitioner's unfinished consultations, offered for resuming."""

    resume_requested = Signal(object)  # ConsultationRow
    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Your unfinished consultations"), self))
        intro = QLabel(
            self.tr(
                "Consultations are saved as you go. Resume one here, or start a new one "
                "from a patient's page."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.model = ConsultationTableModel(self)
        self.table = consultation_table(self.model, self.tr("Unfinished consultations"), self)
        self.table.hideColumn(ConsultationTableModel.COL_PRACTITIONER)
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        self.resume_button = QPushButton(self.tr("Res&ume draft"), self)
        self.resume_button.setAccessibleName(self.tr("Resume draft"))
        row.addWidget(self.resume_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Draft list status"))
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.runner = LatestOnly(self)
        self.resume_button.clicked.connect(self.resume)
        self.table.activated.connect(lambda _index: self.resume())
        self.table.selectionModel().selectionChanged.connect(self._update)
        self._update()

    def _update(self) -> None:
        self.resume_button.setEnabled(bool(self.table.selectionModel().selectedRows()))

    def refresh(self) -> None:
        """Reload the drafts off the GUI thread."""
        user = self.session.user
        if user is None or not user.has(Role.PRACTITIONER):
            self.model.set_rows([])
            self._update()
            return
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(lambda: overview.open_drafts(ctx), self._show, self._fail)

    def _show(self, rows: list[ConsultationRow]) -> None:
        self.model.set_rows(rows)
        if rows:
            self.table.selectRow(0)
        self.status.setText(
            self.tr("%n unfinished consultation(s)", "", len(rows))
            if rows
            else self.tr("No unfinished consultations.")
        )
        self._update()
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(self.tr("The drafts could not be loaded: ") + refusal_text(exc))
        self.loaded.emit()

    def resume(self) -> None:
        """Ask to reopen the selected draft."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            self.resume_requested.emit(self.model.row(rows[0].row()))


class ConsultationPage(QWidget):
    """Hosts the open consultation's wizard, or the list of drafts when none is open."""

    ready_for_consent = Signal(int)  # consultation id
    closed = Signal(object)  # PatientInfo of the consultation just closed

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.stack = QStackedWidget(self)
        layout.addWidget(self.stack)
        self.drafts = DraftsPage(session, self)
        self.stack.addWidget(self.drafts)
        self.wizard: ConsultationWizard | None = None
        self.open_runner = LatestOnly(self)
        self.drafts.resume_requested.connect(self._resume)

    def open(self, info: ConsultationInfo, patient: PatientInfo) -> ConsultationWizard:
        """Open ``info`` in the wizard (replacing any consultation open)."""
        self.leave()
        wizard = ConsultationWizard(self.session, patient, info, parent=self)
        wizard.ready_for_consent.connect(self.ready_for_consent)
        wizard.closed.connect(lambda _id: self._closed(patient))
        self.stack.addWidget(wizard)
        self.stack.setCurrentWidget(wizard)
        self.wizard = wizard
        return wizard

    def _resume(self, row: ConsultationRow) -> None:
        """Reopen a draft as it is stored now (read off the GUI thread)."""
        ctx, consultation_id, patient = self.session.ctx, row.consultation.id, row.patient
        self.drafts.error.clear_error()
        self.open_runner.submit(
            lambda: consultation_service.get(ctx, consultation_id),
            lambda info: self._reopen(info, patient),
            lambda exc: self.drafts.error.show_error(refusal_text(exc)),
        )

    def _reopen(self, info: ConsultationInfo, patient: PatientInfo) -> None:
        self.open(info, patient)

    def _closed(self, patient: PatientInfo) -> None:
        self._drop_wizard()
        self.drafts.refresh()
        self.closed.emit(patient)

    def _drop_wizard(self) -> None:
        if self.wizard is not None:
            wizard, self.wizard = self.wizard, None
            self.stack.removeWidget(wizard)
            wizard.hide()
            wizard.deleteLater()
        self.stack.setCurrentWidget(self.drafts)

    def leave(self) -> None:
        """Save and close the consultation open (before signing out or quitting)."""
        if self.wizard is not None:
            self.wizard.leave()
            self._drop_wizard()
        self.drafts.runner.wait()
        self.open_runner.wait()
        # A newer, empty request: a draft read that ended meanwhile is not opened.
        self.open_runner.submit(lambda: None, lambda _none: None, lambda _exc: None)
