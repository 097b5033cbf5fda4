"""Running database work off the GUI thread, and getting the result back on it.

Like Anki's ``QueryOp``: the work function runs on a pool thread and must not touch
widgets; ``on_done`` / ``on_error`` run on the GUI thread. A :class:`LatestOnly` runner
drops results of queries that a newer one has replaced (search as you type).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self._work = work
        self._relay = relay

    @Slot()
    def run(self) -> None:
        try:
            result = self._work()
        except Exception as exc:  # delivered to on_error on the GUI thread
            self._relay.failed.emit(exc)
        else:
            self._relay.done.emit(result)


_live_relays: set[_Relay] = set()


def run_in_background(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    pool: QThreadPool | None = None,
) -> None:
    """Run ``work`` on a pool thread; call ``on_done(result)`` or ``on_error(exc)`` on the GUI
    thread."""
    relay = _Relay()
    _live_relays.add(relay)

    def finished(result: Any) -> None:
        _live_relays.discard(relay)
        on_done(result)

    def failed(exc: Any) -> None:
        _live_relays.discard(relay)
        on_error(exc)

    relay.done.connect(finished)
    relay.failed.connect(failed)
    (pool or QThreadPool.globalInstance()).start(_Job(work, relay))


class LatestOnly(QObject):
    """Runs queries in the background and delivers only the newest one's result."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> int:
        """Start ``work``; an older query still running will be ignored when it ends."""
        self._generation += 1
        generation = self._generation

        def done(result: Any) -> None:
            if generation == self._generation:
                on_done(result)

        def failed(exc: Exception) -> None:
            if generation == self._generation:
                on_error(exc)

        run_in_background(work, done, failed, self.pool)
        return generation

    def wait(self) -> None:
        """Wait for running queries (used when closing, and by tests)."""
        self.pool.waitForDone()
