"""A form whose every field has its own message line, for service ValidationErrors."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QFormLayout, QLabel, QWidget

from consult.ui.widgets.basics import ErrorLabel


def to_date(qdate: QDate) -> dt.date:
    """A QDate as a Python date."""
    return dt.date(qdate.year(), qdate.month(), qdate.day())


def to_qdate(day: dt.date) -> QDate:
    """A Python date as a QDate."""
    return QDate(day.year, day.month, day.day)


class FieldForm(QFormLayout):
    """Label, field and, under the field, the message about it (hidden until needed).

    Fields are registered under the name the services use in ``ValidationError.field``.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, ErrorLabel] = {}

    def add_field(self, key: str, label: str, widget: QWidget, owner: QWidget) -> None:
        """Add a row: ``label`` (with a mnemonic) as the buddy of ``widget``."""
        text = QLabel(label, owner)
        text.setBuddy(widget)
        widget.setAccessibleName(label.replace("&", ""))
        self.addRow(text, widget)
        error = ErrorLabel(owner)
        self.addRow(error)
        self.setRowVisible(error, False)
        self.fields[key] = widget
        self.errors[key] = error

    def show_error(self, key: str, message: str) -> bool:
        """Show ``message`` under the field ``key`` and focus it; False if no such field."""
        error = self.errors.get(key)
        if error is None:
            return False
        self.setRowVisible(error, True)
        error.show_error(message)
        self.fields[key].setFocus()
        return True

    def clear_errors(self) -> None:
        """Hide every field's message."""
        for error in self.errors.values():
            error.clear_error()
            self.setRowVisible(error, False)
