"""Small widgets shared by several screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget


class ErrorLabel(QLabel):
    """A message next to the field it is about: icon-like prefix, text and colour."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setStyleSheet("color: #a4161a;")
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setAccessibleName(self.tr("Error message"))
        self.hide()

    def show_error(self, message: str) -> None:
        """Show ``message`` (an empty message hides the label)."""
        if not message:
            self.clear_error()
            return
        self.setText("⚠ " + message)
        self.show()

    def clear_error(self) -> None:
        """Hide the message."""
        self.clear()
        self.hide()


def heading(text: str, parent: QWidget | None = None) -> QLabel:
    """A page heading."""
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    label.setAccessibleName(text)
    return label
