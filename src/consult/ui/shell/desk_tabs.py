"""The reception desk's and the manager's tabs, built for the signed-in user's roles.

Kept out of ``main_window`` (like :mod:`consult.ui.shell.clinical_tabs`): the workspace makes
one :class:`DeskTabs`, which rebuilds its pages whenever the user changes, so a page
never shows what the previous user loaded, and loads a page when it is first shown.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QTabWidget, QWidget

from consult.domain.roles import Role
from consult.store.dto import UserInfo
from consult.ui.shell.session import AppSession


class DeskPage(Protocol):
    """What a desk page offers."""

    def refresh(self) -> None: ...
    def leave(self) -> None: ...


class DeskTabs(QObject):
    """Adds Reception (reception) and Register, Recall and Dashboard (managers)."""

    def __init__(self, tabs: QTabWidget, session: AppSession) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self.session = session
        self.pages: list[QWidget] = []
        self._loaded: set[int] = set()
        self._rebuilding = False
        session.user_changed.connect(self.rebuild)
        tabs.currentChanged.connect(self._shown)
        self.rebuild(session.user)

    def rebuild(self, user: UserInfo | None) -> None:
        """Drop the pages of the previous user; add the ones this user's roles use."""
        self.leave()
        self._rebuilding = True  # tabs moving about are not being shown to anyone
        try:
            self._replace_pages(user)
        finally:
            self._rebuilding = False
        self._shown(self.tabs.currentIndex())

    def _replace_pages(self, user: UserInfo | None) -> None:
        from consult.ui.desk.reception_page import ReceptionPage
        from consult.ui.manager.dashboard_page import DashboardPage
        from consult.ui.manager.recall_page import RecallPage
        from consult.ui.manager.register_page import RegisterPage

        for page in self.pages:
            self.tabs.removeTab(self.tabs.indexOf(page))
            # Deferred: results of queries that ended before leave() returned arrive first.
            page.deleteLater()
        self.pages = []
        self._loaded.clear()
        if user is None:
            return
        wanted: list[tuple[QWidget, str]] = []
        if user.has(Role.RECEPTION):
            wanted.append((ReceptionPage(self.session, self.tabs), self.tr("Recept&ion")))
        if user.has(Role.MANAGER):
            wanted.append((RegisterPage(self.session, self.tabs), self.tr("Re&gister")))
            wanted.append((RecallPage(self.session, self.tabs), self.tr("Reca&ll")))
            wanted.append((DashboardPage(self.session, self.tabs), self.tr("Dash&board")))
        for page, title in wanted:
            self.tabs.addTab(page, title)
            self.pages.append(page)

    def page(self, kind: type[QWidget]) -> QWidget | None:
        """This user's page of that kind, if their roles have one."""
        return next((p for p in self.pages if isinstance(p, kind)), None)

    def _shown(self, index: int) -> None:
        if self._rebuilding or index < 0:
            return
        page = self.tabs.widget(index)
        if page in self.pages and id(page) not in self._loaded:
            self._loaded.add(id(page))
            page.refresh()  # type: ignore[attr-defined]

    def leave(self) -> None:
        """Wait for the pages' background work (sign-out, quit)."""
        for page in self.pages:
            page.leave()  # type: ignore[attr-defined]
