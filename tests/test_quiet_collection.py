"""Full garbage collections run while the window is quiet (consult.ui.shell.quiet_collection):
not while a person is using it, nor while they wait for work on its way."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QPushButton
from pytestqt.qtbot import QtBot

from consult.ui.shell import quiet_collection
from consult.ui.shell.idle_lock import IdleWatcher
from consult.ui.shell.interpreter import FULL_COLLECTION_DUE
from consult.ui.shell.quiet_collection import QuietCollection
from consult.ui.widgets.tasks import run_in_background


@pytest.fixture()
def due() -> Iterator[None]:
    """A full collection is due, and nothing but the test collects."""
    gc.disable()
    try:
        gc.collect()
        for _ in range(FULL_COLLECTION_DUE):
            gc.collect(1)
        yield
    finally:
        gc.enable()


@pytest.fixture()
def short_quiet(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(quiet_collection, "QUIET_MS", 200)


def _collector(qtbot: QtBot) -> tuple[QuietCollection, IdleWatcher, QPushButton]:
    button = QPushButton("Next")
    qtbot.addWidget(button)
    button.show()
    watcher = IdleWatcher(60_000, button)
    watcher.start()
    collector = QuietCollection(watcher, button)
    collector.timer.stop()  # the test asks when it means to
    return collector, watcher, button


def _move_mouse(button: QPushButton) -> None:
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(QPoint(5, 5)),
        QPointF(button.mapToGlobal(QPoint(5, 5))),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(button, event)


@pytest.mark.usefixtures("due", "short_quiet")
def test_a_due_collection_waits_for_quiet_then_runs(qtbot: QtBot) -> None:
    collector, _watcher, button = _collector(qtbot)
    _move_mouse(button)
    assert not collector.check()  # the person just moved the mouse
    assert gc.get_count()[2] >= FULL_COLLECTION_DUE
    qtbot.wait(300)
    assert collector.check()
    assert collector.collections == 1
    assert gc.get_count()[2] == 0
    qtbot.wait(300)
    assert not collector.check()  # nothing due any more


@pytest.mark.usefixtures("due", "short_quiet")
def test_no_collection_while_work_is_on_its_way_to_the_window(qtbot: QtBot) -> None:
    collector, _watcher, _button = _collector(qtbot)
    qtbot.wait(300)
    results: list[object] = []
    release = threading.Event()
    run_in_background(lambda: release.wait(10), results.append, results.append)
    assert not collector.check()  # a job has not delivered yet: someone waits for it
    release.set()
    qtbot.waitUntil(lambda: bool(results))
    qtbot.wait(300)
    assert collector.check()


@pytest.mark.usefixtures("due", "short_quiet")
def test_no_collection_while_nobody_is_signed_in(qtbot: QtBot) -> None:
    collector, watcher, _button = _collector(qtbot)
    watcher.stop()
    qtbot.wait(300)
    assert watcher.quiet_ms() is None
    assert not collector.check()
    assert collector.collections == 0
