"""The workspace: the signed-in user's tabs, built from the tab table for their roles."""

from __future__ import annotations

from typing import cast

from PySide6.QtWidgets import QTabWidget, QWidget

from consult.ui.consultation.page import ConsultationPage
from consult.ui.consultation.today_page import TodayPage
from consult.ui.patients.patient_page import PatientPage
from consult.ui.patients.search_page import PatientsPage
from consult.ui.shell.clinical_flow import ClinicalFlow
from consult.ui.shell.session import AppSession
from consult.ui.shell.tabs import TAB_TABLE, Load, TabSpec
from consult.ui.widgets.tasks import wait_for_writes


class Workspace(QTabWidget):
    """The signed-in user's pages, one tab each, from the tab table
    (:data:`consult.ui.shell.tabs.TAB_TABLE`): built for the user's roles when they sign
    in, destroyed when they sign out."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setDocumentMode(True)
        self.specs: list[TabSpec] = []
        self.pages: dict[str, QWidget] = {}
        self.clinical: ClinicalFlow | None = None
        self._loaded: set[str] = set()
        self.currentChanged.connect(self._shown)

    @property
    def patients(self) -> PatientsPage:
        """The patient search (every signed-in user has it)."""
        page = self.pages["patients"]
        assert isinstance(page, PatientsPage)
        return page

    def page(self, key: str) -> QWidget | None:
        """The signed-in user's page with this key (:mod:`consult.ui.shell.tabs`), if their
        roles give them one."""
        return self.pages.get(key)

    def activate(self) -> None:
        """A user has just signed in: build their pages, show the first, ready to type."""
        self.leave()
        user = self.session.user
        if user is None:
            return
        self.specs = [spec for spec in TAB_TABLE if spec.shown_to(user.roles)]
        for spec in self.specs:
            page = spec.factory(self.session, self)
            self.pages[spec.key] = page
            self.addTab(page, spec.translated_title)
            if spec.load is Load.WHEN_OPENED:
                self.setTabVisible(self.indexOf(page), False)
        self.clinical = ClinicalFlow(
            self,
            self.session,
            self.patients,
            cast(PatientPage, self.pages["patient_record"]),
            cast("TodayPage | None", self.pages.get("today")),
            cast("ConsultationPage | None", self.pages.get("consultation")),
        )
        for spec in self.specs:
            if spec.load is Load.AT_SIGN_IN:
                spec.refresh(self.pages[spec.key])
        self.setCurrentWidget(self.patients)
        self.patients.search.setFocus()
        self.clinical.show_start_page()  # a practitioner starts on today's consultations
        self._shown(self.currentIndex())

    def _shown(self, index: int) -> None:
        page = self.widget(index) if index >= 0 else None
        for spec in self.specs:
            if self.pages.get(spec.key) is not page:
                continue
            if spec.load is Load.EVERY_SHOWN or (
                spec.load is Load.FIRST_SHOWN and spec.key not in self._loaded
            ):
                self._loaded.add(spec.key)
                spec.refresh(page)

    def leave(self) -> None:
        """The user signs out or quits: save what is open, wait for every page's
        background work, then drop the pages, so that the next user starts on new ones."""
        if self.clinical is not None:
            self.clinical.leave()
        for spec in self.specs:
            spec.leave(self.pages[spec.key])
        wait_for_writes()
        self.clinical = None
        specs, self.specs = self.specs, []
        self._loaded.clear()
        for spec in specs:
            page = self.pages.pop(spec.key)
            self.removeTab(self.indexOf(page))
            # Deferred: results of queries that ended before leave() returned arrive first.
            page.deleteLater()
