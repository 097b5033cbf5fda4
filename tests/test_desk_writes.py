"""Handing a form over at the reception desk is a write off the GUI thread: while the
(slowed) write runs the window keeps painting and the button is disabled; then the form's
row says when it was handed over."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import QTimer

from consult.store.database import Database
from consult.store.services import reception
from consult.store.services.context import ServiceContext
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.shell.session import AppSession
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one


@pytest.fixture
def clinic(sqlite_db: Database):
    return make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))


def test_handing_a_form_over_does_not_block_the_window(
    qtbot, sqlite_db: Database, home, clinic, monkeypatch
) -> None:
    sign_one(clinic, given="Zoë", family="Lefèvre")
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["users"]["reception"])
    page = ReceptionPage(session)
    qtbot.addWidget(page)
    page.show_today()
    qtbot.waitUntil(lambda: page.forms.rowCount() == 1)
    real_hand_over = reception.hand_over
    started, release = threading.Event(), threading.Event()

    def slow_hand_over(ctx, consent_id):
        started.set()
        release.wait(5)
        return real_hand_over(ctx, consent_id)

    monkeypatch.setattr(reception, "hand_over", slow_hand_over)
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    page.handed_button.click()
    qtbot.waitUntil(started.is_set)
    assert not page.handed_button.isEnabled()  # no second hand-over meanwhile
    before = len(ticks)
    qtbot.wait(300)
    assert len(ticks) - before >= 10  # the event loop ran all along
    assert page.forms.item(0).handed_over_at is None
    release.set()
    qtbot.waitUntil(lambda: page.forms.item(0).handed_over_at is not None)
    timer.stop()
    assert page.handed_button.isEnabled()
    assert "handed to Zoë Lefèvre" in page.status.text()
    page.leave()
