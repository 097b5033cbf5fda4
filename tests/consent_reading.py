"""Reading a consent text in the tests as a person does: page by page, to the end."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from consult.ui.consent.text_view import ConsentTextView


def read_through(qtbot: QtBot, view: ConsentTextView, limit: int = 500) -> int:
    """Press PageDown until every section has been shown; returns how many presses."""
    presses = 0
    while not view.has_reached_end():
        assert presses < limit, f"still unread after {limit} pages: {view.unread_sections()}"
        qtbot.keyClick(view, Qt.Key.Key_PageDown)
        presses += 1
    return presses
