"""The tab table: each role signs in through the real window and gets exactly its tabs,
built for it and dropped when it signs out."""

from __future__ import annotations

from typing import Any

import pytest

from consult.domain.roles import Role
from consult.store.database import Database
from consult.store.services.context import ServiceContext
from consult.ui.manager.audit_page import AuditPage
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from consult.ui.shell.tabs import TAB_TABLE, Load, tab
from tests import factories
from tests.signin_support import wait_for_sign_in


@pytest.fixture
def staff(sqlite_db: Database) -> dict[str, Any]:
    return factories.staff(ServiceContext(sqlite_db))


def sign_in(window: MainWindow, username: str) -> None:
    window.sign_in.username.setText(username)
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace


def visible_titles(window: MainWindow) -> list[str]:
    tabs = window.workspace
    return [tabs.tabText(i).replace("&", "") for i in range(tabs.count()) if tabs.isTabVisible(i)]


@pytest.mark.parametrize(
    ("username", "titles"),
    [
        ("desk", ["Patients", "Reception"]),
        ("doc", ["Today", "Patients", "Consultation"]),
        (
            "boss",
            [
                "Patients",
                "Products",
                "Register",
                "Recall",
                "Complications",
                "Dashboard",
                "Users",
                "Audit log",
            ],
        ),
    ],
)
def test_each_role_gets_its_tabs(qtbot, sqlite_db, home, staff, username, titles) -> None:
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    sign_in(window, username)
    assert visible_titles(window) == titles
    window.sign_out()
    assert window.workspace.count() == 0
    assert window.workspace.pages == {}


def test_the_next_user_gets_new_pages(qtbot, sqlite_db, home, staff) -> None:
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    sign_in(window, "boss")
    first = window.workspace.page("users")
    assert first is not None
    window.sign_out()
    sign_in(window, "desk")
    assert window.workspace.page("users") is None
    assert window.workspace.page("reception") is not None
    window.sign_out()
    sign_in(window, "boss")
    assert window.workspace.page("users") is not first


def test_a_page_loads_when_first_shown(qtbot, sqlite_db, home, staff, monkeypatch) -> None:
    loads: list[str] = []
    real = AuditPage.activate
    monkeypatch.setattr(AuditPage, "activate", lambda page: (loads.append("audit"), real(page))[1])
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    sign_in(window, "boss")
    assert loads == []
    audit = window.workspace.page("audit")
    assert audit is not None
    window.workspace.setCurrentWidget(audit)
    window.workspace.setCurrentWidget(window.workspace.patients)
    window.workspace.setCurrentWidget(audit)
    assert loads == ["audit"]
    window.sign_out()


def test_the_table_names_every_role_and_key_once() -> None:
    keys = [spec.key for spec in TAB_TABLE]
    assert len(keys) == len(set(keys))
    assert set().union(*(spec.roles for spec in TAB_TABLE)) == set(Role)
    assert tab("patient_record").load is Load.WHEN_OPENED
    with pytest.raises(KeyError):
        tab("nowhere")
