"""The workspace tabs for today's consultations, patients' records, consultations and
products, and their wiring.

Kept out of ``main_window`` so that the window stays small: the workspace creates one
:class:`ClinicalTabs` and tells it when a user signs in or leaves.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from consult.domain.roles import Role
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.errors import StoreError
from consult.store.services import consultations as consultation_service
from consult.store.services.consultation_overview import ConsultationRow
from consult.ui.consent.step import ConsentDialog
from consult.ui.consultation.page import ConsultationPage
from consult.ui.consultation.today_page import TodayPage
from consult.ui.manager.products_page import ProductsPage
from consult.ui.patients.patient_page import PatientPage
from consult.ui.patients.search_page import PatientsPage
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel

if TYPE_CHECKING:
    from consult.ui.consultation.record import ConsultationRecordDialog


class ClinicalTabs(QObject):
    """Adds the Today (first), Patient record, Consultation and Products tabs."""

    ready_for_consent = Signal(int)  # consultation id: opens the consent step

    def __init__(self, tabs: QTabWidget, session: AppSession, patients: PatientsPage) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.session = session
        self.today = TodayPage(session, tabs)
        self.patient_page = PatientPage(session, tabs)
        self.consultation = ConsultationPage(session, tabs)
        self.products = ProductsPage(session, tabs)
        tabs.insertTab(0, self.today, self.tr("&Today"))
        tabs.addTab(self.patient_page, self.tr("Patient &record"))
        tabs.addTab(self.consultation, self.tr("&Consultation"))
        tabs.addTab(self.products, self.tr("Pro&ducts"))
        patients.patient_chosen.connect(self.show_patient)
        self.today.open_requested.connect(lambda row: self.open_row(row, self.today))
        self.patient_page.consultation_opened.connect(self._opened_from_record)
        self.patient_page.record_requested.connect(
            lambda row: self.open_record(row, self.patient_page.error)
        )
        self.consultation.closed.connect(self._consultation_closed)
        self.consultation.ready_for_consent.connect(self.ready_for_consent)
        self.consent_dialog: ConsentDialog | None = None
        self.record_dialog: ConsultationRecordDialog | None = None
        self._came_from: QWidget | None = None  # where the open consultation was opened
        self.ready_for_consent.connect(self.open_consent)
        tabs.currentChanged.connect(self._tab_shown)
        self._set_visible(self.today, False)
        self._set_visible(self.patient_page, False)
        self._set_visible(self.consultation, False)
        self._set_visible(self.products, False)

    def _set_visible(self, page: QWidget, visible: bool) -> None:
        self.tabs.setTabVisible(self.tabs.indexOf(page), visible)

    def _is_practitioner(self) -> bool:
        user = self.session.user
        return user is not None and user.has(Role.PRACTITIONER)

    def activate(self) -> None:
        """A user signed in: show the tabs their roles use and load them."""
        user = self.session.user
        practitioner = self._is_practitioner()
        manager = user is not None and user.has(Role.MANAGER)
        self._set_visible(self.today, practitioner)
        self._set_visible(self.patient_page, False)
        self._set_visible(self.consultation, practitioner)
        self._set_visible(self.products, manager)
        if practitioner:
            self.today.refresh()
            self.consultation.drafts.refresh()
        if manager:
            self.products.refresh()

    def show_start_page(self) -> None:
        """A practitioner starts on today's consultations, ready for Return."""
        if self._is_practitioner():
            self.tabs.setCurrentWidget(self.today)
            self.today.table.setFocus()

    def _tab_shown(self, _index: int) -> None:
        if self.tabs.currentWidget() is self.today and self._is_practitioner():
            self.today.refresh()  # what happened since it was last shown

    def show_patient(self, patient: PatientInfo) -> None:
        """Open a patient's record."""
        self.patient_page.set_patient(patient)
        self._set_visible(self.patient_page, True)
        self.tabs.setCurrentWidget(self.patient_page)
        self.patient_page.start_button.setFocus()

    def _opened_from_record(self, info: ConsultationInfo, patient: PatientInfo) -> None:
        self.open_consultation(info, patient)
        self._came_from = self.patient_page

    def open_consultation(self, info: ConsultationInfo, patient: PatientInfo) -> None:
        """Open a consultation in the Consultation tab."""
        self.consultation.open(info, patient)
        self._came_from = None
        self._set_visible(self.consultation, True)
        self.tabs.setCurrentWidget(self.consultation)

    def open_row(self, row: ConsultationRow, origin: TodayPage) -> None:
        """Open a consultation from a list: one's own in progress in the wizard where it
        was left; any other read-only, with its signed forms."""
        user = self.session.user
        info = row.consultation
        if (
            user is not None
            and self._is_practitioner()
            and info.practitioner_id == user.id
            and info.status in consultation_service.OPEN_STATUSES
        ):
            try:
                fresh = consultation_service.get(self.session.ctx, info.id)
            except StoreError as exc:
                origin.error.show_error(str(exc))
                return
            if fresh.status in consultation_service.OPEN_STATUSES:
                self.open_consultation(fresh, row.patient)
                self._came_from = origin
                return
        self.open_record(row, origin.error)

    def open_record(
        self, row: ConsultationRow, error: ErrorLabel | None = None
    ) -> ConsultationRecordDialog | None:
        """Open a consultation read-only (window-modal), its signed forms printable."""
        from consult.ui.consultation.record import ConsultationRecordDialog

        try:
            info = consultation_service.get(self.session.ctx, row.consultation.id)
        except StoreError as exc:
            if error is not None:
                error.show_error(str(exc))
            return None
        dialog = ConsultationRecordDialog(
            self.session, info, row.patient, row.practitioner_name, self.tabs.window()
        )
        dialog.finished.connect(lambda _result: self._record_closed(dialog))
        self.record_dialog = dialog
        dialog.open()
        return dialog

    def _record_closed(self, dialog: ConsultationRecordDialog) -> None:
        if self.record_dialog is dialog:
            self.record_dialog = None
        dialog.deleteLater()

    def _consultation_closed(self, patient: PatientInfo) -> None:
        came_from, self._came_from = self._came_from, None
        if came_from is self.today and self._is_practitioner():
            self.tabs.setCurrentWidget(self.today)
            self.today.refresh()
            self.today.table.setFocus()
            return
        if self.patient_page.patient is not None and self.patient_page.patient.id == patient.id:
            self.patient_page.refresh()
            self.tabs.setCurrentWidget(self.patient_page)

    def open_consent(self, consultation_id: int) -> ConsentDialog:
        """Open the consent step (window-modal) for a consultation ready for consent."""
        wizard = self.consultation.wizard
        patient = None
        if wizard is not None and wizard.info.id == consultation_id:
            patient = wizard.patient
        dialog = ConsentDialog(self.session, consultation_id, patient, self.tabs.window())
        dialog.finished.connect(lambda _result: self._consent_closed(dialog))
        self.consent_dialog = dialog
        dialog.open()
        return dialog

    def _consent_closed(self, dialog: ConsentDialog) -> None:
        if self.consent_dialog is dialog:
            self.consent_dialog = None
        dialog.deleteLater()
        wizard = self.consultation.wizard
        if dialog.all_signed and wizard is not None and wizard.info.id == dialog.consultation_id:
            wizard.close_consultation()  # consented: it can no longer change

    def leave(self) -> None:
        """Save the open consultation and wait for background queries (sign-out, quit)."""
        if self.consent_dialog is not None:
            self.consent_dialog.discard()
        if self.record_dialog is not None:
            self.record_dialog.reject()
        self.consultation.leave()
        self.patient_page.runner.wait()
        self.products.runner.wait()
        self.today.reset()
        self.patient_page.patient = None
        self._set_visible(self.patient_page, False)
        self._came_from = None
