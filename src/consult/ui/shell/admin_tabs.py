"""The managers' tabs: Users and Audit log. Like ``clinical_tabs``, kept out of
``main_window`` so that the window stays small."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QWidget

from consult.domain.roles import Role
from consult.ui.manager.audit_page import AuditPage
from consult.ui.manager.users_page import UsersPage
from consult.ui.shell.session import AppSession


class AdminTabs(QObject):
    """Adds the Users and Audit log tabs, shown to managers only."""

    def __init__(self, tabs: QTabWidget, session: AppSession) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.session = session
        self.users = UsersPage(session, tabs)
        self.audit = AuditPage(session, tabs)
        tabs.addTab(self.users, self.tr("&Users"))
        tabs.addTab(self.audit, self.tr("Aud&it log"))
        self._audit_loaded = False
        tabs.currentChanged.connect(self._tab_changed)
        self._set_visible(False)

    def _set_visible(self, visible: bool) -> None:
        for page in (self.users, self.audit):
            self.tabs.setTabVisible(self.tabs.indexOf(page), visible)

    def activate(self) -> None:
        """A user signed in: managers see and load the tabs."""
        user = self.session.user
        manager = user is not None and user.has(Role.MANAGER)
        self._set_visible(manager)
        self._audit_loaded = False
        if manager:
            self.users.refresh()

    def _tab_changed(self, _index: int) -> None:
        page: QWidget | None = self.tabs.currentWidget()
        if page is self.audit and not self._audit_loaded:
            self._audit_loaded = True
            self.audit.activate()

    def leave(self) -> None:
        """Wait for background work and forget what was shown (sign-out, quit)."""
        self.users.clear()
        self.audit.leave()
        self._set_visible(False)
