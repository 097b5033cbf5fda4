"""The patient form saves off the GUI thread: while the (slowed) write runs the window keeps
painting, the form stays open with its buttons disabled and Escape waits; it closes once
the patient is saved, and a refusal leaves it open with the reason shown."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QDialog, QDialogButtonBox

from consult.store.errors import ConflictError
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.patients.patient_dialog import PatientDialog
from consult.ui.shell.session import AppSession
from tests import factories

# Showing a dialog on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def session(sqlite_db, home) -> AppSession:
    staff = factories.staff(ServiceContext(sqlite_db))
    session = AppSession(sqlite_db, home)
    session.set_user(staff["reception"])
    return session


def _filled(qtbot, session: AppSession, patient=None) -> PatientDialog:
    dialog = PatientDialog(session, patient)
    qtbot.addWidget(dialog)
    dialog.confirm_duplicates = lambda duplicates: True  # type: ignore[method-assign]
    if patient is None:
        dialog.given.setText("Ada")
        dialog.family.setText("Okonkwo")
        dialog.dob.setDate(dt.date(1984, 5, 6))
        dialog.sex.setCurrentIndex(dialog.sex.findData("female"))
    with qtbot.waitExposed(dialog):
        dialog.show()
    return dialog


def _click_save(qtbot, dialog: PatientDialog) -> None:
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_the_window_keeps_running_while_the_patient_is_saved(qtbot, session, monkeypatch) -> None:
    real_register = patient_service.register
    started, release = threading.Event(), threading.Event()
    threads: list[str] = []

    def slow_register(ctx, draft):
        threads.append(threading.current_thread().name)
        started.set()
        release.wait(5)
        return real_register(ctx, draft)

    monkeypatch.setattr(patient_service, "register", slow_register)
    dialog = _filled(qtbot, session)
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    _click_save(qtbot, dialog)
    qtbot.waitUntil(started.is_set)
    # The write is running: the form is open, its buttons disabled, and Escape waits.
    assert dialog.is_saving() and dialog.isVisible()
    assert not dialog.buttons.isEnabled()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible() and finished == []
    before = len(ticks)
    qtbot.wait(300)
    assert len(ticks) - before >= 10  # the event loop ran all along
    assert patient_service.count(session.ctx) == 0
    release.set()
    qtbot.waitUntil(lambda: finished == [QDialog.DialogCode.Accepted])
    timer.stop()
    assert not dialog.isVisible() and not dialog.is_saving()
    assert dialog.result_patient is not None and dialog.result_patient.full_name == "Ada Okonkwo"
    assert patient_service.count(session.ctx) == 1
    assert threading.main_thread().name not in threads


def test_a_refused_save_leaves_the_form_open_with_the_reason(qtbot, session, monkeypatch) -> None:
    patient = factories.patient(session.ctx, session.user)

    def changed_elsewhere(ctx, patient_id, version, draft):
        raise ConflictError("This patient was changed on another workstation.")

    monkeypatch.setattr(patient_service, "update", changed_elsewhere)
    dialog = _filled(qtbot, session, patient)
    dialog.email.setText("ada@example.org")
    _click_save(qtbot, dialog)
    qtbot.waitUntil(lambda: "another workstation" in dialog.error.text())
    assert dialog.isVisible() and not dialog.is_saving()
    assert dialog.buttons.isEnabled()
    assert dialog.result_patient is None
    assert patient_service.get(session.ctx, patient.id).email == patient.email
    finished: list[int] = []
    dialog.finished.connect(finished.append)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # nothing is being saved: Escape cancels
    assert finished == [QDialog.DialogCode.Rejected] and not dialog.isVisible()
