"""The workspace tabs for patients' records, consultations and products, and their wiring.

Kept out of ``main_window`` so that the window stays small: the workspace creates one
:class:`ClinicalTabs` and tells it when a user signs in or leaves.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget

from consult.domain.roles import Role
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.ui.consent_step import ConsentDialog
from consult.ui.consultation_page import ConsultationPage
from consult.ui.patient_page import PatientPage
from consult.ui.patients import PatientsPage
from consult.ui.products_page import ProductsPage
from consult.ui.session import AppSession


class ClinicalTabs(QObject):
    """Adds the Patient record, Consultation and Products tabs to the workspace."""

    ready_for_consent = Signal(int)  # consultation id: opens the consent step

    def __init__(self, tabs: QTabWidget, session: AppSession, patients: PatientsPage) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.session = session
        self.patient_page = PatientPage(session, tabs)
        self.consultation = ConsultationPage(session, tabs)
        self.products = ProductsPage(session, tabs)
        tabs.addTab(self.patient_page, self.tr("Patient &record"))
        tabs.addTab(self.consultation, self.tr("&Consultation"))
        tabs.addTab(self.products, self.tr("Pro&ducts"))
        patients.patient_chosen.connect(self.show_patient)
        self.patient_page.consultation_opened.connect(self.open_consultation)
        self.consultation.closed.connect(self._consultation_closed)
        self.consultation.ready_for_consent.connect(self.ready_for_consent)
        self.consent_dialog: ConsentDialog | None = None
        self.ready_for_consent.connect(self.open_consent)
        self._set_visible(self.patient_page, False)
        self._set_visible(self.consultation, False)
        self._set_visible(self.products, False)

    def _set_visible(self, page: object, visible: bool) -> None:
        self.tabs.setTabVisible(self.tabs.indexOf(page), visible)  # type: ignore[arg-type]

    def activate(self) -> None:
        """A user signed in: show the tabs their roles use and load them."""
        user = self.session.user
        practitioner = user is not None and user.has(Role.PRACTITIONER)
        manager = user is not None and user.has(Role.MANAGER)
        self._set_visible(self.patient_page, False)
        self._set_visible(self.consultation, practitioner)
        self._set_visible(self.products, manager)
        if practitioner:
            self.consultation.drafts.refresh()
        if manager:
            self.products.refresh()

    def show_patient(self, patient: PatientInfo) -> None:
        """Open a patient's record."""
        self.patient_page.set_patient(patient)
        self._set_visible(self.patient_page, True)
        self.tabs.setCurrentWidget(self.patient_page)
        self.patient_page.start_button.setFocus()

    def open_consultation(self, info: ConsultationInfo, patient: PatientInfo) -> None:
        """Open a consultation in the Consultation tab."""
        self.consultation.open(info, patient)
        self._set_visible(self.consultation, True)
        self.tabs.setCurrentWidget(self.consultation)

    def _consultation_closed(self, patient: PatientInfo) -> None:
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
        self.consultation.leave()
        self.patient_page.runner.wait()
        self.products.runner.wait()
        self.patient_page.patient = None
        self._set_visible(self.patient_page, False)
