"""The consent step's push buttons: never pressed by Enter, because signing, sealing and
closing are deliberate acts."""

from __future__ import annotations

from PySide6.QtWidgets import QPushButton, QWidget


def plain_button(text: str, name: str, parent: QWidget) -> QPushButton:
    """A push button with the accessible name ``name`` that Enter never presses by
    accident (neither the default button nor an auto-default one)."""
    button = QPushButton(text, parent)
    button.setAccessibleName(name)
    button.setAutoDefault(False)
    button.setDefault(False)
    return button
