"""Voiding a record from the register is a write off the GUI thread: while the (slowed)
write runs the record's buttons are disabled and closing the record waits; a refusal is
shown in the record, which stays open."""

from __future__ import annotations

import threading

import pytest

from consult.store.database import Database
from consult.store.errors import ValidationError
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.manager.record_dialog import RecordDialog
from consult.ui.shell.session import AppSession
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one

# Showing a dialog on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def clinic(sqlite_db: Database):
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def record(qtbot, sqlite_db: Database, home, clinic, monkeypatch) -> RecordDialog:
    signed = sign_one(clinic)
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["manager"])
    monkeypatch.setattr(
        ReasonDialog, "ask", classmethod(lambda cls, *a: "Entered for the wrong patient.")
    )
    dialog = RecordDialog(session, signed.id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)  # read off the GUI thread
    return dialog


def test_closing_waits_while_a_void_is_saved(qtbot, record, monkeypatch) -> None:
    real_add_event = consents.add_event
    started, release = threading.Event(), threading.Event()

    def slow_add_event(ctx, consent_id, kind, reason=""):
        started.set()
        release.wait(5)
        return real_add_event(ctx, consent_id, kind, reason)

    monkeypatch.setattr(consents, "add_event", slow_add_event)
    finished: list[int] = []
    record.finished.connect(finished.append)
    record.show()
    record.void_button.click()
    qtbot.waitUntil(started.is_set)
    assert not record.void_button.isEnabled() and not record.close_button.isEnabled()
    record.close_button.click()
    record.reject()  # Escape, or the window's close button
    assert finished == [] and record.isVisible()  # the record stays open while it saves
    with qtbot.waitSignal(record.changed):
        release.set()
    assert record.detail is not None and record.detail.info.state == "voided"
    assert not record.void_button.isEnabled()  # voided: nothing more to void
    record.close_button.click()
    assert finished == [1]


def test_a_refused_void_is_shown_in_the_record(qtbot, record, monkeypatch) -> None:
    def refuse(ctx, consent_id, kind, reason=""):
        raise ValidationError("reason", "Give the reason (at least 5 characters).")

    monkeypatch.setattr(consents, "add_event", refuse)
    record.void_button.click()
    qtbot.waitUntil(lambda: "at least 5 characters" in record.error.text())
    assert record.detail is not None and record.detail.info.state == "signed"
    assert record.void_button.isEnabled()
