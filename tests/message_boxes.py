"""Finding, reading and closing the message boxes a test makes the app show."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox


@contextmanager
def message_boxes(qtbot) -> Iterator[list[tuple[str, str]]]:
    """Every message box shown meanwhile, as (title, text); each is closed once read."""
    seen: list[tuple[str, str]] = []

    def look() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QMessageBox) and widget.isVisible():
                seen.append((widget.windowTitle(), widget.text()))
                widget.done(QMessageBox.StandardButton.Ok.value)

    timer = QTimer()
    timer.timeout.connect(look)
    timer.start(20)
    try:
        yield seen
    finally:
        timer.stop()
