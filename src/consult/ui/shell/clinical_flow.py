"""The clinical pages' wiring: from a patient or today's list to a consultation, to
consent, to the treatment, and back.

The workspace makes one :class:`ClinicalFlow` for each signed-in user, over the pages
their tabs have (:mod:`consult.ui.shell.tabs`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

import shiboken6
from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.errors import StoreError
from consult.store.services import consultations as consultation_service
from consult.store.services.consultation_overview import ConsultationRow
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consultation.page import ConsultationPage
from consult.ui.consultation.record import ConsultationRecordDialog
from consult.ui.consultation.today_page import TodayPage
from consult.ui.patients.patient_page import PatientPage
from consult.ui.patients.search_page import PatientsPage
from consult.ui.shell.session import AppSession
from consult.ui.treatment.dialog import TreatmentDialog
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.refusals import refusal_message
from consult.ui.widgets.tasks import run_in_background


class ClinicalFlow(QObject):
    """How the clinical pages hand work to each other: a patient chosen opens their
    record, a consultation opened goes to the Consultation tab, one ready for consent
    opens the consent dialog, a consultation closed returns where it came from.

    The pages come from the signed-in user's tabs (:mod:`consult.ui.shell.tabs`); those a
    user's roles do not have are None.
    """

    ready_for_consent = Signal(int)  # consultation id: opens the consent step

    def __init__(
        self,
        tabs: QTabWidget,
        session: AppSession,
        patients: PatientsPage,
        patient_page: PatientPage,
        today: TodayPage | None,
        consultation: ConsultationPage | None,
    ) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.session = session
        self.today = today
        self.patient_page = patient_page
        self.consultation = consultation
        patients.patient_chosen.connect(self.show_patient)
        if today is not None:
            today.open_requested.connect(lambda row: self.open_row(row, today))
        self.patient_page.consultation_opened.connect(self._opened_from_record)
        self.patient_page.record_requested.connect(
            lambda row: self.open_record(row, self.patient_page.error)
        )
        if consultation is not None:
            consultation.closed.connect(self._consultation_closed)
            consultation.ready_for_consent.connect(self.ready_for_consent)
        self.consent_dialog: ConsentDialog | None = None
        self.record_dialog: ConsultationRecordDialog | None = None
        self.treatment_dialog: TreatmentDialog | None = None
        self._came_from: QWidget | None = None  # where the open consultation was opened
        self._reading: object | None = None  # the consultation being read to open it
        # The last consent was just sealed: the Treatment step opens next, and the window
        # returns to the page the consultation came from (read again) once that step
        # closes: its reads would compete with the step's first showing (issue 16).
        self._treatment_follows = False
        self._after_treatment: Callable[[], None] | None = None
        self.ready_for_consent.connect(self.open_consent)

    def _set_visible(self, page: QWidget, visible: bool) -> None:
        self.tabs.setTabVisible(self.tabs.indexOf(page), visible)

    def show_start_page(self) -> None:
        """A practitioner starts on today's consultations, ready for Return."""
        if self.today is not None:
            self.tabs.setCurrentWidget(self.today)
            self.today.table.setFocus()

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
        """Open a consultation in the Consultation tab (practitioners only)."""
        if self.consultation is None:
            return
        self.consultation.open(info, patient)
        self._came_from = None
        self._set_visible(self.consultation, True)
        self.tabs.setCurrentWidget(self.consultation)

    def open_row(self, row: ConsultationRow, origin: TodayPage) -> None:
        """Open a consultation from a list: one's own in progress in the wizard where it
        was left; any other read-only, with its signed forms. The consultation is read
        again on a pool thread first (it may have moved on since the list was read)."""
        user = self.session.user
        info = row.consultation
        if not (
            user is not None
            and self.consultation is not None
            and info.practitioner_id == user.id
            and info.status in consultation_service.OPEN_STATUSES
        ):
            self.open_record(row, origin.error)
            return

        def opened(fresh: ConsultationInfo) -> None:
            if fresh.status in consultation_service.OPEN_STATUSES:
                self.open_consultation(fresh, row.patient)
                self._came_from = origin
            else:
                self._show_record(fresh, row)

        self._read_consultation(row, opened, origin.error)

    def open_record(self, row: ConsultationRow, error: ErrorLabel | None = None) -> None:
        """Open a consultation read-only (window-modal), its signed forms printable, once
        it is read again on a pool thread (:attr:`record_dialog` then)."""
        self._read_consultation(row, lambda info: self._show_record(info, row), error)

    def _read_consultation(
        self,
        row: ConsultationRow,
        then: Callable[[ConsultationInfo], None],
        error: ErrorLabel | None,
    ) -> None:
        ctx = self.session.ctx
        token = object()
        self._reading = token  # a second double-click while reading opens one dialog

        def done(info: object) -> None:
            if self._reading is token and shiboken6.isValid(self.tabs):
                self._reading = None
                then(cast(ConsultationInfo, info))

        def failed(exc: Exception) -> None:
            if self._reading is token:
                self._reading = None
            if not isinstance(exc, StoreError):
                raise exc  # a program error: logged, and shown by the error dialog
            if error is not None and shiboken6.isValid(error):
                error.show_error(refusal_message(exc))

        run_in_background(lambda: consultation_service.get(ctx, row.consultation.id), done, failed)

    def _show_record(self, info: ConsultationInfo, row: ConsultationRow) -> None:
        dialog = ConsultationRecordDialog(
            self.session, info, row.patient, row.practitioner_name, self.tabs.window()
        )
        dialog.finished.connect(lambda _result: self._record_closed(dialog))
        self.record_dialog = dialog
        dialog.open()

    def _record_closed(self, dialog: ConsultationRecordDialog) -> None:
        if self.record_dialog is dialog:
            self.record_dialog = None
        dialog.deleteLater()

    def _consultation_closed(self, patient: PatientInfo) -> None:
        came_from, self._came_from = self._came_from, None
        if self._treatment_follows:  # back there once the Treatment step closes
            self._after_treatment = lambda: self._return_to(came_from, patient)
        else:
            self._return_to(came_from, patient)

    def _return_to(self, came_from: QWidget | None, patient: PatientInfo) -> None:
        """Show the page the consultation was opened from, read again."""
        if came_from is not None and came_from is self.today:
            self.tabs.setCurrentWidget(self.today)
            self.today.refresh()
            self.today.table.setFocus()
            return
        if self.patient_page.patient is not None and self.patient_page.patient.id == patient.id:
            self.patient_page.refresh()
            self.tabs.setCurrentWidget(self.patient_page)

    def open_consent(self, consultation_id: int) -> ConsentDialog:
        """Open the consent step (window-modal) for a consultation ready for consent."""
        wizard = self.consultation.wizard if self.consultation is not None else None
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
        wizard = self.consultation.wizard if self.consultation is not None else None
        if not (wizard is not None and wizard.info.id == dialog.consultation_id):
            wizard = None
        closing = dialog.all_signed and wizard is not None  # consented: it can no longer change
        # The last consent was sealed just now: the Treatment step comes next.
        treating = dialog.all_signed and dialog.signed
        consultation_id, patient = dialog.consultation_id, dialog.patient

        # A turn of the event loop each (the window repaints between them): the dialog
        # closes now, the consultation then, and the Treatment step opens last.
        def close_consultation() -> None:
            self._treatment_follows = bool(treating)
            if closing and self.consultation is not None and self.consultation.wizard is wizard:
                assert wizard is not None
                wizard.close_consultation()
            if treating:
                QTimer.singleShot(0, self, lambda: self.open_treatment(consultation_id, patient))

        if closing or treating:
            QTimer.singleShot(0, self, close_consultation)
        elif wizard is not None:  # some may be signed now: the summary says which
            wizard.refresh_summary()

    def open_treatment(self, consultation_id: int, patient: PatientInfo | None) -> TreatmentDialog:
        """Open the Treatment step (window-modal): a chart per consented treatment, each
        started as a draft for the practitioner."""
        self._treatment_follows = False
        dialog = TreatmentDialog(
            self.session, consultation_id, patient, start=True, parent=self.tabs.window()
        )
        dialog.finished.connect(lambda _result: self._treatment_closed(dialog))
        self.treatment_dialog = dialog
        dialog.open()
        return dialog

    def _treatment_closed(self, dialog: TreatmentDialog) -> None:
        if self.treatment_dialog is dialog:
            self.treatment_dialog = None
        dialog.deleteLater()
        back, self._after_treatment = self._after_treatment, None
        if back is not None:  # to the page the consultation came from
            back()

    def leave(self) -> None:
        """Close the dialogs and save the open consultation (sign-out, quit); the pages
        then wait for their own work (:class:`~consult.ui.shell.tabs.TabSpec` leave)."""
        if self.consent_dialog is not None:
            self.consent_dialog.discard()
        if self.record_dialog is not None:
            self.record_dialog.reject()
        self._after_treatment = None  # the pages are dropped: nowhere to return
        self._treatment_follows = False
        if self.treatment_dialog is not None:
            self.treatment_dialog.reject()  # its drafts saved first
        if self.consultation is not None:
            self.consultation.leave()
        self._came_from = None
