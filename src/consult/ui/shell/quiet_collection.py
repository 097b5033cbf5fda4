"""Python's full garbage collections run while nobody is using the window.

A full collection holds the GIL for tens of milliseconds late in a consultation; run
whenever Python's allocation count says so, it often fell on a click (see
:mod:`consult.ui.shell.interpreter`). The window defers Python's own trigger and asks
here, every half second, whether input has been quiet for a moment and no work is on
its way to the window (a form sealing, a preview drawing: a person waits for those): if
so, and a collection is due, it runs then, while the practitioner talks or reads.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from consult.ui.shell.idle_lock import IdleWatcher
from consult.ui.shell.interpreter import collect_if_due
from consult.ui.widgets.tasks import work_pending

CHECK_MS = 500
"""How often the window asks."""

QUIET_MS = 1500
"""How long without input counts as quiet: longer than the pause between a person's
clicks and keys while they work."""


class QuietCollection(QObject):
    """Runs a due full collection once ``watcher`` has seen no input for
    :data:`QUIET_MS` and no background job is pending (never while nobody is signed in:
    the watcher is stopped then, and the window has little to collect)."""

    def __init__(self, watcher: IdleWatcher, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.watcher = watcher
        self.collections = 0
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check)
        self.timer.start()

    def check(self) -> bool:
        """Collect now if the window is quiet and a collection is due; whether it ran."""
        quiet = self.watcher.quiet_ms()
        if quiet is None or quiet < QUIET_MS or work_pending() or not collect_if_due():
            return False
        self.collections += 1
        return True
