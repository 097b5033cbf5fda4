"""The app shell: first run, sign-in, the status bar."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.services.context import ServiceContext
from consult.ui.main_window import MainWindow
from consult.ui.session import AppSession
from tests import factories


@pytest.fixture
def window(qtbot, sqlite_db: Database, home) -> MainWindow:
    win = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(win)
    return win


def test_first_run_creates_the_clinic_and_signs_the_manager_in(qtbot, window) -> None:
    assert window.stack.currentWidget() is window.first_run
    page = window.first_run
    qtbot.keyClicks(page.name, "Clinique Saint-Éloi")
    page.jurisdiction.setCurrentIndex(page.jurisdiction.findData("EU"))
    qtbot.keyClicks(page.manager_name, "Marie Curie")
    qtbot.keyClicks(page.username, "marie")
    qtbot.keyClicks(page.password, "Radium-and-Polonium")
    qtbot.keyClicks(page.password2, "Radium-and-Polonium-x")
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert "differ" in page.error.text()
    page.password2.clear()
    qtbot.keyClicks(page.password2, "Radium-and-Polonium")
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.workspace
    assert window.clinic_status.text() == "Clinique Saint-Éloi"
    assert window.user_status.text() == "Marie Curie (manager)"
    assert window.database_status.text().startswith("Embedded database: ")


def test_first_run_refuses_a_short_password(qtbot, window) -> None:
    page = window.first_run
    qtbot.keyClicks(page.name, "Clinic")
    qtbot.keyClicks(page.manager_name, "Ann")
    qtbot.keyClicks(page.username, "ann")
    qtbot.keyClicks(page.password, "short")
    qtbot.keyClicks(page.password2, "short")
    qtbot.keyClick(page.button, Qt.Key.Key_Space)
    assert "at least 12 characters" in page.error.text()
    assert window.stack.currentWidget() is window.first_run


def test_sign_in_with_the_keyboard_and_sign_out(qtbot, sqlite_db, home) -> None:
    factories.staff(ServiceContext(sqlite_db))
    win = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(win)
    page = win.sign_in
    assert win.stack.currentWidget() is page
    qtbot.keyClicks(page.username, "doc")
    qtbot.keyClick(page.username, Qt.Key.Key_Return)
    qtbot.keyClicks(page.password, "wrong password!")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert page.error.text() == "⚠ The username or password is not correct."
    qtbot.keyClicks(page.password, factories.PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert win.stack.currentWidget() is win.workspace
    assert win.user_status.text() == "Dr Dana Doe (practitioner)"
    win.sign_out_action.trigger()
    assert win.stack.currentWidget() is page
    assert win.user_status.text() == "Not signed in"


def test_a_refused_clinic_policy_stops_the_app_with_a_clear_message(
    qtbot, sqlite_db, home, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from consult.ui import app as ui_app
    from consult.ui.knowledge import knowledge, use_policy_dir

    home.policy_dir.mkdir(parents=True, exist_ok=True)
    (home.policy_dir / "weaker.yaml").write_text(
        "description: tries to weaken a shipped absolute rule\n"
        "overrides:\n"
        "  - rule: regen-active-cancer\n"
        "    severity: caution\n"
        "    reason: we would rather not\n",
        encoding="utf-8",
    )
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    try:
        assert ui_app.run_gui(sqlite_db, home) == 2
        assert "regen-active-cancer" in shown[0]
        assert "could not be loaded" in shown[0]
    finally:
        use_policy_dir(None)
    assert knowledge().rule("regen-active-cancer").severity == "absolute"
