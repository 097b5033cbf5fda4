"""The tab table: which pages the workspace has, their titles, who sees them and when
they load. One table, read by :class:`~consult.ui.shell.main_window.Workspace`.

A user's pages are built when they sign in, for their roles, and destroyed when they
sign out: the next user never sees a page the previous one loaded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Final

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget

from consult.domain.roles import Role
from consult.ui.consultation.page import ConsultationPage
from consult.ui.consultation.today_page import TodayPage
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.manager.audit_page import AuditPage
from consult.ui.manager.complications_page import ComplicationsPage
from consult.ui.manager.dashboard_page import DashboardPage
from consult.ui.manager.products_page import ProductsPage
from consult.ui.manager.recall_page import RecallPage
from consult.ui.manager.register_page import RegisterPage
from consult.ui.manager.users_page import UsersPage
from consult.ui.patients.patient_page import PatientPage
from consult.ui.patients.search_page import PatientsPage
from consult.ui.shell.session import AppSession
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_CONTEXT: Final = "Tabs"


class Load(Enum):
    """When a page loads what it shows."""

    AT_SIGN_IN = "at sign-in"
    FIRST_SHOWN = "first shown"
    EVERY_SHOWN = "every time shown"
    WHEN_OPENED = "when something is opened in it"


def _call(name: str) -> Callable[[Any], None]:
    def call(page: Any) -> None:
        getattr(page, name)()

    return call


def _wait_runner(page: Any) -> None:
    page.runner.wait()


def _refresh_drafts(page: Any) -> None:
    page.drafts.refresh()


_REFRESH: Final = _call("refresh")
_LEAVE: Final = _call("leave")


@dataclass(frozen=True)
class TabSpec:
    """One tab of the workspace."""

    key: str
    title: str
    """Untranslated, with its mnemonic (translated in the "Tabs" context when shown)."""
    factory: Callable[[AppSession, QWidget], QWidget]
    roles: frozenset[Role]
    """Who sees it (any of these roles)."""
    load: Load
    refresh: Callable[[Any], None] = _REFRESH
    """How the page loads what it shows."""
    leave: Callable[[Any], None] = _LEAVE
    """How the page waits for its background work (sign-out, quit)."""

    @property
    def translated_title(self) -> str:
        """The title in the interface language."""
        return QCoreApplication.translate(_CONTEXT, self.title)

    def shown_to(self, roles: frozenset[Role]) -> bool:
        """Whether a user with these roles has this tab."""
        return bool(self.roles & roles)


EVERYONE: Final = frozenset(Role)
PRACTITIONERS: Final = frozenset({Role.PRACTITIONER})
MANAGERS: Final = frozenset({Role.MANAGER})

TAB_TABLE: Final[tuple[TabSpec, ...]] = (
    TabSpec("today", QT_TRANSLATE_NOOP("Tabs", "&Today"), TodayPage, PRACTITIONERS,
            Load.EVERY_SHOWN, leave=_call("reset")),
    TabSpec("patients", QT_TRANSLATE_NOOP("Tabs", "&Patients"), PatientsPage, EVERYONE,
            Load.AT_SIGN_IN, refresh=_call("run_search"), leave=_wait_runner),
    TabSpec("patient_record", QT_TRANSLATE_NOOP("Tabs", "Patient &record"), PatientPage,
            EVERYONE, Load.WHEN_OPENED, leave=_wait_runner),
    TabSpec("consultation", QT_TRANSLATE_NOOP("Tabs", "&Consultation"), ConsultationPage,
            PRACTITIONERS, Load.AT_SIGN_IN, refresh=_refresh_drafts),
    TabSpec("products", QT_TRANSLATE_NOOP("Tabs", "Pro&ducts"), ProductsPage, MANAGERS,
            Load.AT_SIGN_IN, leave=_wait_runner),
    TabSpec("reception", QT_TRANSLATE_NOOP("Tabs", "Recept&ion"), ReceptionPage,
            frozenset({Role.RECEPTION}), Load.FIRST_SHOWN),
    TabSpec("register", QT_TRANSLATE_NOOP("Tabs", "Re&gister"), RegisterPage, MANAGERS,
            Load.FIRST_SHOWN),
    TabSpec("recall", QT_TRANSLATE_NOOP("Tabs", "Reca&ll"), RecallPage, MANAGERS,
            Load.FIRST_SHOWN),
    TabSpec("complications", QT_TRANSLATE_NOOP("Tabs", "Complications"), ComplicationsPage,
            MANAGERS, Load.EVERY_SHOWN),
    TabSpec("dashboard", QT_TRANSLATE_NOOP("Tabs", "Dash&board"), DashboardPage, MANAGERS,
            Load.FIRST_SHOWN),
    TabSpec("users", QT_TRANSLATE_NOOP("Tabs", "&Users"), UsersPage, MANAGERS,
            Load.AT_SIGN_IN, leave=_call("clear")),
    TabSpec("audit", QT_TRANSLATE_NOOP("Tabs", "Aud&it log"), AuditPage, MANAGERS,
            Load.FIRST_SHOWN, refresh=_call("activate")),
)  # fmt: skip
"""Every tab, in the order shown."""


def tab(key: str) -> TabSpec:
    """The tab with this key (KeyError if there is none)."""
    for spec in TAB_TABLE:
        if spec.key == key:
            return spec
    raise KeyError(key)
