"""The app shell: first run, sign-in, sign-out, the status bar."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from consult.store.database import Database
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from tests import factories
from tests.signin_support import wait_for_sign_in

# Shown windows (focus is only given to widgets of a shown window) on the offscreen
# platform, which says it cannot pass size hints on.
shown_window = pytest.mark.qt_log_ignore("propagateSizeHints")


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


def _fill_first_run(qtbot, page, password: str) -> None:
    qtbot.keyClicks(page.name, "Harbour Skin Clinic")
    qtbot.keyClicks(page.manager_name, "Ann Lee")
    qtbot.keyClicks(page.username, "ann")
    qtbot.keyClicks(page.password, password)
    qtbot.keyClicks(page.password2, password)


@shown_window
@pytest.mark.parametrize(
    ("weak", "warning"),
    [
        ("Welcome123456", "This is similar to a commonly used password."),
        ("qwertyuiop123", "This is a very common password."),
        ("clinicclinic1", 'Repeats like "abcabcabc"'),
    ],
)
def test_first_run_refuses_a_weak_password_and_says_why_as_it_is_typed(
    qtbot, window, weak, warning
) -> None:
    page = window.first_run
    window.show()
    qtbot.waitExposed(window)
    assert page.password_strength.text() == ""
    _fill_first_run(qtbot, page, weak)
    # Under the field, as it is typed: the strength and zxcvbn's feedback.
    shown = page.password_strength.text()
    assert page.password_strength.isVisible()
    assert page.password_strength.accessibleName() == "Password strength"
    assert shown.startswith(("Strength: Very weak.", "Strength: Weak.", "Strength: Fair."))
    assert "Not accepted: the password is too easy to guess." in shown
    assert warning in shown
    # The button says why it would be refused; pressed, the form is refused with it.
    assert page.button.toolTip().startswith("Refused until the password is stronger")
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.first_run
    assert page.error.isVisible()
    assert "Password (12+ characters): is too easy to guess." in page.error.text()
    assert warning in page.error.text()
    # A strong one is accepted.
    page.password.clear()
    page.password2.clear()
    qtbot.keyClicks(page.password, "Lantern-Otter-Mosaic-91")
    assert page.password_strength.text().startswith(("Strength: Strong.", "Strength: Very strong."))
    assert page.button.toolTip() == ""
    qtbot.keyClicks(page.password2, "Lantern-Otter-Mosaic-91")
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert window.stack.currentWidget() is window.workspace


def test_return_submits_the_first_run_form(qtbot, window) -> None:
    page = window.first_run
    _fill_first_run(qtbot, page, "Lantern-Otter-Mosaic-91")
    qtbot.keyClick(page.password2, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.workspace
    assert window.user_status.text() == "Ann Lee (manager)"


def test_return_in_the_jurisdiction_list_or_on_the_button_submits_too(qtbot, window) -> None:
    page = window.first_run
    _fill_first_run(qtbot, page, "Lantern-Otter-Mosaic-91")
    qtbot.keyClick(page.jurisdiction, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.workspace


def test_return_on_the_address_starts_a_new_line(qtbot, window) -> None:
    page = window.first_run
    qtbot.keyClicks(page.address, "1 Harbour Road")
    qtbot.keyClick(page.address, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.first_run
    assert page.address.toPlainText() == "1 Harbour Road\n"


def test_return_in_the_clinic_name_submits_and_says_what_is_missing(qtbot, window) -> None:
    page = window.first_run
    qtbot.keyClicks(page.name, "Harbour Skin Clinic")
    qtbot.keyClick(page.name, Qt.Key.Key_Return)
    assert window.stack.currentWidget() is window.first_run
    assert page.error.isVisibleTo(page) and page.error.text()


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
    wait_for_sign_in(page)  # checked off the GUI thread
    assert page.error.text().startswith("⚠ The username or password is not correct.")
    qtbot.keyClicks(page.password, factories.PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    wait_for_sign_in(page)  # checked off the GUI thread
    assert win.stack.currentWidget() is win.workspace
    assert win.user_status.text() == "Dr Dana Doe (practitioner)"
    win.sign_out_action.trigger()
    assert win.stack.currentWidget() is page
    assert win.user_status.text() == "Not signed in"


def test_a_refused_clinic_policy_stops_the_app_with_a_clear_message(
    qtbot, sqlite_db, home, monkeypatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from consult.ui.shell import app as ui_app
    from consult.ui.shell.knowledge import knowledge, use_policy_dir

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


def _type_and_return(qtbot, field, text: str) -> None:
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


@shown_window
def test_after_the_doctor_signs_out_reception_signs_in_on_blank_pages(
    qtbot, sqlite_db, home
) -> None:
    staff = factories.staff(ServiceContext(sqlite_db))
    doctor_ctx = ServiceContext(sqlite_db).signed_in(staff["practitioner"])
    patient_service.register(doctor_ctx, factories.draft("Ada", "Okonkwo"))
    patient_service.register(
        doctor_ctx, factories.draft("Ben", "Abara", date_of_birth=dt.date(1970, 1, 1))
    )
    win = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(win)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    page = win.sign_in
    # The doctor signs in with Return, finds a patient and opens the record.
    _type_and_return(qtbot, page.username, "doc")
    _type_and_return(qtbot, page.password, factories.PASSWORD)
    wait_for_sign_in(page)  # checked off the GUI thread
    assert win.session.user is not None and win.session.user.username == "doc"
    patients = win.workspace.patients
    patients.runner.wait()
    qtbot.keyClicks(patients.search, "okonkwo")
    qtbot.waitUntil(lambda: patients.status.text() == "1 patient(s) found", timeout=3000)
    patients.open_button.click()
    record = win.workspace.clinical.patient_page
    assert record.title.text() == "Ada Okonkwo"
    record.runner.wait()
    # Sign out.
    win.sign_out_action.trigger()
    assert win.stack.currentWidget() is page
    assert page.username.text() == "" and page.password.text() == ""
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.username, timeout=3000)
    # Nothing of the doctor's is left: their pages are gone from the window.
    assert win.workspace.count() == 0 and win.workspace.pages == {}
    assert win.workspace.indexOf(patients) == -1 and win.workspace.indexOf(record) == -1
    # Reception types their own username, as a person would, and signs in with Return.
    _type_and_return(qtbot, page.username, "desk")
    assert QApplication.focusWidget() is page.password
    _type_and_return(qtbot, page.password, factories.PASSWORD)
    wait_for_sign_in(page)  # checked off the GUI thread
    assert win.stack.currentWidget() is win.workspace
    assert win.user_status.text() == "Rita Desk (reception)"
    assert win.workspace.patients is not patients  # new pages for the new user
    patients = win.workspace.patients
    assert patients.search.text() == ""
    patients.runner.wait()
    qtbot.waitUntil(
        lambda: patients.status.text() == "Recently registered or edited patients", timeout=3000
    )
    assert win.workspace.currentWidget() is patients
    # The failed sign-in the old form invited (the next user's username typed as the
    # doctor's password) never happened.
    from sqlalchemy import select

    from consult.store.models import AuditEntry

    with ServiceContext(sqlite_db).unit_of_work() as session:
        events = list(session.execute(select(AuditEntry.event)).scalars())
    assert "signin.failed" not in events


def test_the_idle_lock_switch_user_also_starts_an_empty_sign_in(qtbot, sqlite_db, home) -> None:
    factories.staff(ServiceContext(sqlite_db))
    win = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(win)
    page = win.sign_in
    _type_and_return(qtbot, page.username, "doc")
    _type_and_return(qtbot, page.password, factories.PASSWORD)
    wait_for_sign_in(page)  # checked off the GUI thread
    assert win.stack.currentWidget() is win.workspace
    win._switch_user()
    assert win.stack.currentWidget() is page
    assert page.username.text() == "" and page.password.text() == ""


def test_a_manager_deactivated_while_signed_in_is_signed_out_with_the_reason(
    qtbot, sqlite_db, home
) -> None:
    from consult.store.errors import AccountChangedError
    from consult.store.services import users as user_service

    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    _type_and_return(qtbot, window.sign_in.username, "doc")
    _type_and_return(qtbot, window.sign_in.password, factories.PASSWORD)
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace
    manager = ctx.signed_in(people["manager"])
    doctor = next(u for u in user_service.list_users(manager) if u.username == "doc")
    user_service.deactivate(manager, doctor.id, doctor.version)
    # The doctor's next action is refused, and the window signs them out.
    with pytest.raises(AccountChangedError):
        patient_service.recent(window.session.ctx, limit=5)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.sign_in)
    assert window.session.user is None
    assert "deactivated" in window.sign_in.error.text()
    assert window.sign_in.username.text() == ""


def test_closing_before_the_workspace_is_built_does_not_build_it(qtbot, sqlite_db, home) -> None:
    factories.staff(ServiceContext(sqlite_db))
    window = MainWindow(AppSession(sqlite_db, home))
    qtbot.addWidget(window)
    assert window._workspace is None
    window.close()
    assert window._workspace is None


def test_the_sign_in_page_waits_for_the_database_keeping_what_is_typed(
    qtbot, sqlite_db, home
) -> None:
    factories.staff(ServiceContext(sqlite_db))
    window = MainWindow.opening(home)
    qtbot.addWidget(window)
    page = window.sign_in
    assert not window.is_open
    assert window.stack.currentWidget() is page
    assert page.clinic_label.text() == ""
    assert not page.button.isEnabled()
    assert page.button.text() == "Opening the clinic database…"
    assert not window.sign_out_action.isEnabled()
    qtbot.keyClicks(page.username, "doc")
    qtbot.keyClicks(page.password, factories.PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)  # nothing to sign in with yet
    assert window.stack.currentWidget() is page
    assert page.error.text() == ""
    session = AppSession(sqlite_db, home)
    window.open_session(session)
    assert window.is_open
    assert page.button.isEnabled()
    assert page.button.text() == "&Sign in"
    assert session.clinic is not None
    assert page.clinic_label.text() == session.clinic.name
    assert window.stack.currentWidget() is page
    assert (page.username.text(), page.password.text()) == ("doc", factories.PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    wait_for_sign_in(page)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace
    assert window.user_status.text() == "Dr Dana Doe (practitioner)"


def test_with_no_clinic_the_opened_window_shows_the_first_run(qtbot, sqlite_db, home) -> None:
    window = MainWindow.opening(home)
    qtbot.addWidget(window)
    window.open_session(AppSession(sqlite_db, home))
    assert window.stack.currentWidget() is window.first_run
    assert window.clinic_status.text() == "No clinic yet"


def test_closing_while_the_database_is_opened(qtbot, home) -> None:
    window = MainWindow.opening(home)
    qtbot.addWidget(window)
    window.close()
    assert not window.is_open
    assert window._workspace is None
