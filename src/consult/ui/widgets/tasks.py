"""Running database work off the GUI thread, and getting the result back on it.

The one way from a click to the database. Like Anki's ``QueryOp`` and ``CollectionOp``:
the work function runs on a pool thread and must not touch widgets; ``on_done`` /
``on_error`` run on the GUI thread.

- :func:`run_in_background` runs any work (a read, a file, a PDF).
- :class:`LatestOnly` drops results of queries that a newer one has replaced (search as
  you type).
- :func:`run_write` runs a service *write*: the widget that started it is disabled until
  the write ends (no double save), the mouse shows it is busy, an expected refusal
  (:class:`~consult.store.errors.StoreError`) goes to ``on_error``, and anything else is a
  bug: logged here with its traceback, then given to ``on_error`` too.

Every exception a job raises that is not a :class:`StoreError` is logged with its
traceback before it is delivered, so that no failure is swallowed silently.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot
from PySide6.QtWidgets import QApplication, QWidget

from consult.store.errors import StoreError

_log = logging.getLogger(__name__)


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
            try:
                result = self._work()
            except Exception as exc:  # delivered to on_error on the GUI thread
                if not isinstance(exc, StoreError):
                    _log.error("background work %r failed", self._work, exc_info=exc)
                self._relay.failed.emit(exc)
            else:
                self._relay.done.emit(result)
        finally:
            _job_ended()


_live_relays: set[_Relay] = set()
_running = 0
"""Jobs started here whose work has not yet ended, on any pool."""
_running_changed = threading.Condition()


def _job_started() -> None:
    global _running
    with _running_changed:
        _running += 1


def _job_ended() -> None:
    global _running
    with _running_changed:
        _running -= 1
        _running_changed.notify_all()


def wait_for_jobs(msecs: int = -1) -> bool:
    """Wait until the work of every job started here has ended, on every pool (the
    writes, the reads, the pages' queries); False if ``msecs`` passed first.

    Before the database is closed: a query still on its way when the connections are
    released would otherwise wait for a connection that never comes back. The results
    are not delivered here (that is the GUI thread's event loop)."""
    deadline = None if msecs < 0 else time.monotonic() + msecs / 1000
    with _running_changed:
        while _running:
            if deadline is None:
                _running_changed.wait()
            elif (left := deadline - time.monotonic()) <= 0 or not _running_changed.wait(left):
                return _running == 0
    return True


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
    _job_started()
    (pool or QThreadPool.globalInstance()).start(_Job(work, relay))


def work_pending() -> bool:
    """Whether any job started here has not yet delivered its result (a person may be
    waiting for it: a form sealing, a preview drawing)."""
    return bool(_live_relays)


_write_pool: QThreadPool | None = None
_long_pool: QThreadPool | None = None


def write_pool() -> QThreadPool:
    """The pool that runs service writes: one thread, so writes run in the order given."""
    global _write_pool
    if _write_pool is None:
        _write_pool = QThreadPool()
        _write_pool.setMaxThreadCount(1)
    return _write_pool


def long_write_pool() -> QThreadPool:
    """The pool for long logged jobs (exports, the integrity check): beside the writes,
    so that a manager's minute-long export never holds back a practitioner's save."""
    global _long_pool
    if _long_pool is None:
        _long_pool = QThreadPool()
        _long_pool.setMaxThreadCount(2)
    return _long_pool


def wait_for_writes(msecs: int = -1) -> bool:
    """Wait for the writes started so far, long ones included (closing a window,
    signing out, tests)."""
    return write_pool().waitForDone(msecs) and long_write_pool().waitForDone(msecs)


def run_write(
    work: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    *,
    busy: QWidget | None = None,
    long_running: bool = False,
) -> None:
    """Run a service write off the GUI thread.

    ``busy`` (the button, page or dialog that started the write) is disabled until the
    write ends, so that it cannot be started twice; the window keeps painting meanwhile.
    Writes run one at a time, in the order they were started; a ``long_running`` one (an
    export, the integrity check: each writes only its own audit entry) runs beside them.
    """
    if busy is not None:
        busy.setEnabled(False)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)

    def settle() -> None:
        QApplication.restoreOverrideCursor()
        if busy is not None:
            with contextlib.suppress(RuntimeError):  # the widget was closed meanwhile
                busy.setEnabled(True)

    def done(result: Any) -> None:
        settle()
        on_done(result)

    def failed(exc: Exception) -> None:
        settle()
        on_error(exc)

    run_in_background(work, done, failed, long_write_pool() if long_running else write_pool())


_retired_pools: list[QThreadPool] = []
"""The pools of :class:`LatestOnly` objects already destroyed, kept until their last
query ends: destroying a pool waits for its query, and the page that owned it is
destroyed on the GUI thread (a sign-out), which must not wait for the database."""


def _retire(pool: QThreadPool) -> None:
    if shiboken6.isValid(pool):  # at the interpreter's exit the pool may be gone first
        _retired_pools.append(pool)
    _drop_finished_pools()


def _drop_finished_pools() -> None:
    _retired_pools[:] = [
        pool for pool in _retired_pools if shiboken6.isValid(pool) and not pool.waitForDone(0)
    ]


class LatestOnly(QObject):
    """Runs queries in the background and delivers only the newest one's result, and
    nothing once it was destroyed (with the page that owns it).

    Its queries run one at a time, on a pool of its own that outlives it until the last
    of them ends (see ``_retired_pools``)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._generation = 0
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        pool = self.pool
        self.destroyed.connect(lambda: _retire(pool))
        _drop_finished_pools()

    def submit(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> int:
        """Start ``work``; an older query still running will be ignored when it ends."""
        self._generation += 1
        generation = self._generation

        def current() -> bool:  # not replaced, and not destroyed with its page
            return shiboken6.isValid(self) and generation == self._generation

        def done(result: Any) -> None:
            if current():
                on_done(result)

        def failed(exc: Exception) -> None:
            if current():
                on_error(exc)

        run_in_background(work, done, failed, self.pool)
        return generation

    def wait(self) -> None:
        """Wait for running queries (used when closing, and by tests)."""
        self.pool.waitForDone()
