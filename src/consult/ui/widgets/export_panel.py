"""Running an export off the GUI thread: a progress bar, a Cancel button, the result.

An export is a service write (it is logged, and it should see every change saved before
it), so it runs through :func:`~consult.ui.widgets.tasks.run_write`, in order with the
other writes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QWidget,
)

from consult.documents.exports import ExportCancelled
from consult.ui.widgets.tasks import run_write

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


class _Relay(QObject):
    progress = Signal(int, int)


@dataclass(frozen=True)
class _Stopped:
    """A cancelled export, carried back as a result: a cancel is what the user asked for,
    not a failure for :func:`run_write` to log."""

    cancelled: ExportCancelled


class ExportPanel(QWidget):
    """Shows a running export; hidden when none runs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel(self)
        self.bar = QProgressBar(self)
        self.bar.setAccessibleName(self.tr("Export progress"))
        self.bar.setMinimumWidth(240)
        self.cancel_button = QPushButton(self.tr("C&ancel export"), self)
        self.cancel_button.setAccessibleName(self.tr("Cancel export"))
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancel_button)
        self._cancel = threading.Event()
        self._relay = _Relay(self)
        self._relay.progress.connect(self._progress)
        self.cancel_button.clicked.connect(self.cancel)
        self.running = False
        self.hide()

    def start(
        self,
        text: str,
        work: Callable[[Progress, Cancelled], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        """Run ``work(progress, cancelled)`` as a write off the GUI thread; report back on
        this one: ``on_done(result)``, or ``on_error(exc)`` (an
        :class:`~consult.documents.exports.ExportCancelled` if the user cancelled)."""
        self._cancel.clear()
        self.running = True
        self.label.setText(text)
        self.bar.setRange(0, 0)
        self.cancel_button.setEnabled(True)
        self.show()
        relay = self._relay
        cancel = self._cancel

        def job() -> Any:
            try:
                return work(lambda done, total: relay.progress.emit(done, total), cancel.is_set)
            except ExportCancelled as exc:
                return _Stopped(exc)

        def done(result: Any) -> None:
            self._stop()
            if isinstance(result, _Stopped):
                on_error(result.cancelled)
            else:
                on_done(result)

        def failed(exc: Exception) -> None:
            self._stop()
            on_error(exc)

        run_write(job, done, failed, long_running=True)

    def _stop(self) -> None:
        self.running = False
        self.hide()

    def _progress(self, done: int, total: int) -> None:
        if self.running:
            self.bar.setRange(0, max(total, 1))
            self.bar.setValue(done)

    def cancel(self) -> None:
        """Ask the running export to stop (it stops at its next check)."""
        self._cancel.set()
        self.cancel_button.setEnabled(False)
        self.label.setText(self.tr("Cancelling…"))


def ask_save_path(parent: QWidget, caption: str, suggested: str, filters: str) -> Path | None:
    """Ask where to save a file (tests replace this)."""
    name, _ = QFileDialog.getSaveFileName(parent, caption, suggested, filters)
    return Path(name) if name else None
