"""A database write never blocks the window: the wizard's saves and decisions run off the
GUI thread, the event loop keeps turning meanwhile, and their effect arrives when they
end.

Each test slows the real service function down (half a second before it runs) and counts
the ticks of a 20 ms timer while the write is under way: a blocked GUI thread would count
none.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer

from consult.store.services import consultations as consultation_service
from tests.test_consultation_wizard import (
    answer_all,
    click_next,
    clinic,
    open_wizard,
    plan,
    stored,
)

__all__ = ["clinic"]  # the fixture, used by name

DELAY = 0.5
TICK_MS = 20


class SlowWrite:
    """Wraps a service function: records the thread and the time span of each call, and
    sleeps before calling the real one."""

    def __init__(self, real: Callable[..., Any]) -> None:
        self.real = real
        self.threads: list[threading.Thread] = []
        self.spans: list[tuple[float, float]] = []

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.threads.append(threading.current_thread())
        start = time.monotonic()
        time.sleep(DELAY)
        try:
            return self.real(*args, **kwargs)
        finally:
            self.spans.append((start, time.monotonic()))


class Ticks:
    """A 20 ms timer on the GUI thread, noting when it fired."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(lambda: self.times.append(time.monotonic()))
        self.timer.start()

    def during(self, span: tuple[float, float]) -> int:
        """How many ticks fired while ``span`` ran."""
        self.timer.stop()
        return sum(span[0] <= t <= span[1] for t in self.times)


def test_next_saves_off_the_gui_thread_and_the_window_keeps_running(
    qtbot, sqlite_db, home, clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "exosome", clinic)
    slow = SlowWrite(consultation_service.save)
    monkeypatch.setattr(consultation_service, "save", slow)
    ticks = Ticks()

    clicked = time.monotonic()
    wizard.next_button.click()
    # The click returned before the save could have ended: the save is under way
    # elsewhere, and Next and Back wait, disabled, so that it cannot be started twice.
    assert time.monotonic() - clicked < DELAY
    assert wizard.busy
    assert not wizard.next_button.isEnabled() and not wizard.back_button.isEnabled()
    assert wizard.page == "treatments"
    qtbot.keyClick(wizard, Qt.Key.Key_Return)  # Enter goes on too: not while moving
    wizard.next_button.click()

    qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)
    [span] = slow.spans  # one save, however often Next was asked for
    assert ticks.during(span) >= 10, "the event loop stood still during the save"
    assert slow.threads[0] is not threading.main_thread()
    # The save's effect arrived: the next step, the buttons back, the draft stored.
    assert wizard.page == "intake"
    assert wizard.next_button.isEnabled() and wizard.back_button.isEnabled()
    saved = stored(session, wizard)
    assert saved.step == "intake"
    assert [t["id"] for t in saved.treatments] == ["exosome"]
    assert wizard.info.version == saved.version


def test_a_decision_is_stored_off_the_gui_thread_and_then_shown(
    qtbot, sqlite_db, home, clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"anticoagulants": ["warfarin"]})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    [finding] = [f for f in box.findings if f.severity == "relative"]
    assert finding.justification is not None and finding.button is not None
    finding.justification.setPlainText("INR 2.4 this morning; small volume, cannula, pressure.")
    slow = SlowWrite(consultation_service.decide)
    monkeypatch.setattr(consultation_service, "decide", slow)
    ticks = Ticks()

    finding.button.click()
    assert not finding.isEnabled()  # the finding waits while its decision is stored
    qtbot.waitUntil(lambda: not wizard.busy, timeout=10_000)
    [span] = slow.spans
    assert ticks.during(span) >= 10, "the event loop stood still during the decision"
    assert slow.threads[0] is not threading.main_thread()
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    [override] = stored(session, wizard).overrides
    assert override["justification"].startswith("INR 2.4")


def test_closing_waits_for_the_save_under_way(
    qtbot, sqlite_db, home, clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    slow = SlowWrite(consultation_service.save)
    monkeypatch.setattr(consultation_service, "save", slow)
    wizard.next_button.click()
    assert wizard.busy
    with qtbot.waitSignal(wizard.closed):
        wizard.close_consultation()
    # Nothing was lost: the save had ended before the wizard said it was closed.
    assert len(slow.spans) == 1
    saved = stored(session, wizard)
    assert saved.step == "intake"
    assert [t["id"] for t in saved.treatments] == ["ha_filler"]
