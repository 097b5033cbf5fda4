"""The manager's record dialog reads the stored form off the GUI thread: its Form tab's
pages and "Open PDF" (each read logged), a refusal told and asked again."""

from __future__ import annotations

import threading

import pytest

from consult.store.database import Database
from consult.store.errors import StoreError
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.ui.manager import record_dialog
from consult.ui.manager.record_dialog import RecordDialog
from consult.ui.shell.session import AppSession
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one


@pytest.fixture
def clinic(sqlite_db: Database):
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def manager(qtbot, sqlite_db: Database, home, clinic) -> AppSession:
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["manager"])
    return session


def _dialog(qtbot, manager: AppSession, consent_id: int) -> RecordDialog:
    dialog = RecordDialog(manager, consent_id)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: dialog.is_loaded)
    return dialog


def test_the_form_tab_reads_and_draws_the_form_off_the_gui_thread(
    qtbot, manager, clinic, monkeypatch
) -> None:
    record = sign_one(clinic)
    dialog = _dialog(qtbot, manager, record.id)
    threads: list[str] = []
    reads = consents.pdf

    def read(*args, **kwargs):
        threads.append(threading.current_thread().name)
        return reads(*args, **kwargs)

    monkeypatch.setattr(consents, "pdf", read)
    dialog.tabs.setCurrentWidget(dialog.preview)
    assert dialog.preview.shown == 0  # the tab shows at once; the pages follow
    qtbot.waitUntil(lambda: dialog.preview.shown >= 1)
    assert threads and threading.main_thread().name not in threads
    # Shown again: neither read nor drawn again.
    dialog.tabs.setCurrentIndex(0)
    dialog.tabs.setCurrentWidget(dialog.preview)
    assert len(threads) == 1
    # Open PDF uses the form already read.
    opened: list[bytes] = []
    monkeypatch.setattr(
        record_dialog, "open_externally", lambda pdf, number, parent: opened.append(pdf)
    )
    dialog.open_button.click()
    qtbot.waitUntil(lambda: bool(opened))
    assert opened[0].startswith(b"%PDF") and len(threads) == 1


def test_a_refused_read_is_told_and_asked_again(qtbot, manager, clinic, monkeypatch) -> None:
    record = sign_one(clinic)
    dialog = _dialog(qtbot, manager, record.id)
    reads = consents.pdf

    def refuse(*_args, **_kwargs):
        raise StoreError("The stored form cannot be read.")

    monkeypatch.setattr(consents, "pdf", refuse)
    dialog.tabs.setCurrentWidget(dialog.preview)
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    assert "cannot be read" in dialog.error.text()
    assert dialog.preview.shown == 0
    monkeypatch.setattr(consents, "pdf", reads)
    dialog.tabs.setCurrentIndex(0)
    dialog.tabs.setCurrentWidget(dialog.preview)
    qtbot.waitUntil(lambda: dialog.preview.shown >= 1)


def test_open_pdf_reads_the_form_itself_when_the_tab_was_not_shown(
    qtbot, manager, clinic, monkeypatch
) -> None:
    record = sign_one(clinic)
    dialog = _dialog(qtbot, manager, record.id)
    opened: list[tuple[bytes, str]] = []
    monkeypatch.setattr(
        record_dialog,
        "open_externally",
        lambda pdf, number, parent: opened.append((pdf, number)),
    )
    dialog.open_button.click()
    assert not dialog.open_button.isEnabled()  # once: the read is on its way
    qtbot.waitUntil(lambda: bool(opened))
    pdf, number = opened[0]
    assert pdf.startswith(b"%PDF") and number == record.document_number
    qtbot.waitUntil(dialog.open_button.isEnabled)
