"""Asking why a signed consent is withdrawn or voided: the reason goes into the record
and onto every copy printed afterwards, so a few words are required."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from consult.ui.widgets.basics import ErrorLabel

MIN_REASON = 5
"""The fewest characters a reason may have (the service asks the same)."""


class ReasonDialog(QDialog):
    """Asks why a consent is withdrawn or voided (at least :data:`MIN_REASON` characters)."""

    def __init__(self, title: str, prompt: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        label = QLabel(prompt, self)
        label.setWordWrap(True)
        layout.addWidget(label)
        self.reason = QPlainTextEdit(self)
        self.reason.setAccessibleName(self.tr("Reason"))
        self.reason.setTabChangesFocus(True)
        self.reason.setFixedHeight(90)
        label.setBuddy(self.reason)
        layout.addWidget(self.reason)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _check(self) -> None:
        if len(self.reason.toPlainText().strip()) < MIN_REASON:
            self.error.show_error(self.tr("Give the reason (at least 5 characters)."))
            return
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget, title: str, prompt: str) -> str | None:
        """The reason typed, or None if cancelled (tests replace this)."""
        dialog = cls(title, prompt, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.reason.toPlainText().strip()
            return None
        finally:
            dialog.deleteLater()
