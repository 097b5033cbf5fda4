"""The idle lock: it covers the window after the set time without input; only the
user's own password uncovers it; another user may sign in instead, and the first user's
open consultation is saved and stays their draft."""

from __future__ import annotations

import os

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog
from sqlalchemy import select

from consult.store.database import Database
from consult.store.models import AuditEntry
from consult.store.services import clinic as clinic_service
from consult.store.services import consultations
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories
from tests.signin_support import wait_for_sign_in

SHOTS = os.environ.get("CONSULT_SHOTS")


def _events(db: Database) -> list[str]:
    with db.session() as session:
        return list(session.execute(select(AuditEntry.event).order_by(AuditEntry.id)).scalars())


@pytest.fixture
def staff(sqlite_db: Database):
    return factories.staff(ServiceContext(sqlite_db))


def _window(qtbot, db: Database, home, username: str = "doc", timeout_ms: int = 300):
    window = MainWindow(AppSession(db, home))
    qtbot.addWidget(window)
    window.idle_lock.timeout_ms = timeout_ms
    window.sign_in.username.setText(username)
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace
    return window


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_window_locks_after_the_set_time_without_input(qtbot, sqlite_db, home, staff) -> None:
    window = _window(qtbot, sqlite_db, home, timeout_ms=400)
    window.show()
    qtbot.waitExposed(window)
    # Input keeps it open.
    for _ in range(6):
        qtbot.mouseMove(window.workspace.patients.search, QPoint(5 + _, 5))
        qtbot.wait(100)
    assert not window.idle_lock.locked
    qtbot.waitUntil(lambda: window.idle_lock.locked, timeout=3000)
    assert window.stack.currentWidget() is window.idle_lock.page
    assert not window.menuBar().isEnabled()
    assert "Dr Dana Doe" in window.idle_lock.page.message.text()
    wait_for_writes()  # the lock is logged off the GUI thread
    assert _events(sqlite_db)[-1] == "lock"
    if SHOTS:
        window.resize(1280, 800)
        window.grab().save(os.path.join(SHOTS, "idle-lock.png"))


def test_a_wrong_password_does_not_unlock(qtbot, sqlite_db, home, staff) -> None:
    window = _window(qtbot, sqlite_db, home)
    window.workspace.setCurrentWidget(window.workspace.patients)
    qtbot.waitUntil(lambda: window.idle_lock.locked, timeout=3000)
    page = window.idle_lock.page
    qtbot.keyClicks(page.password, "not my password")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert window.idle_lock.checking and not page.isEnabled()  # checked off the GUI thread
    qtbot.waitUntil(lambda: not window.idle_lock.checking)
    assert window.idle_lock.locked and page.isEnabled()
    assert window.stack.currentWidget() is page
    assert "not correct" in page.error.text()
    assert page.password.text() == ""
    assert _events(sqlite_db)[-1] == "unlock.failed"
    qtbot.keyClicks(page.password, factories.PASSWORD)
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.idle_lock.checking)
    assert not window.idle_lock.locked
    assert window.stack.currentWidget() is window.workspace
    assert window.workspace.currentWidget() is window.workspace.patients
    assert window.menuBar().isEnabled()
    assert _events(sqlite_db)[-1] == "unlock"
    assert window.idle_lock.watcher.timer.isActive()  # counting again


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_open_dialogs_are_closed_when_the_window_locks(qtbot, sqlite_db, home, staff) -> None:
    window = _window(qtbot, sqlite_db, home, timeout_ms=60_000)
    dialog = QDialog(window)
    dialog.show()
    window.lock_action.trigger()
    assert window.idle_lock.locked and not dialog.isVisible()


def test_another_user_signs_in_and_the_draft_stays_the_first_users(
    qtbot, sqlite_db, home, staff
) -> None:
    ctx = ServiceContext(sqlite_db)
    doc = ctx.signed_in(staff["practitioner"])
    patient = patient_service.register(doc, factories.draft())
    info = consultations.start(doc, patient.id)
    window = _window(qtbot, sqlite_db, home, timeout_ms=60_000)
    window.workspace.clinical.open_consultation(info, patient)
    wizard = window.workspace.clinical.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    question = wizard.intake_page.questions["pregnant"]
    assert question.group is not None
    next(b for b in question.group.buttons() if b.property("value") == "no").click()
    window.lock_action.trigger()  # before the draft's save delay has passed
    assert window.idle_lock.locked
    window.idle_lock.page.switch_button.click()
    assert window.stack.currentWidget() is window.sign_in
    assert window.sign_in.username.text() == ""
    # The doctor's pages, their wizard with them, are gone.
    assert window.workspace.clinical is None and window.workspace.page("consultation") is None
    window.sign_in.username.setText("desk")
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace
    assert window.session.user is not None and window.session.user.username == "desk"
    kept = consultations.get(doc, info.id)
    assert kept.status == "draft" and kept.practitioner_id == staff["practitioner"].id
    assert kept.answers.get("pregnant") == "no"
    assert [d.id for d in consultations.open_drafts(doc)] == [info.id]
    events = _events(sqlite_db)
    assert events[events.index("lock") :][:3] == ["lock", "consultation.updated", "signout"]


def test_the_timeout_is_the_clinics_setting(qtbot, sqlite_db, home, staff) -> None:
    window = _window(qtbot, sqlite_db, home, timeout_ms=None)
    assert window.idle_lock.watcher.timer.interval() == 10 * 60_000
    boss = ServiceContext(sqlite_db).signed_in(staff["manager"])
    clinic = clinic_service.get_clinic(boss)
    assert clinic is not None
    clinic_service.update_settings(boss, clinic.version, {"idle_lock_minutes": 3})
    window.idle_lock.start()
    assert window.idle_lock.watcher.timer.interval() == 3 * 60_000
    assert _events(sqlite_db)[-1] == "settings.changed"
