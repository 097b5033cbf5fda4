"""Setting one's own PIN to take patient mode back (from the change-password dialog).

A PIN of 4 to 8 digits takes patient mode back as the password does
(:mod:`consult.store.services.unlock_pin`); it is set, changed or removed with the
current password, and the service says why a PIN is refused (letters, too short, too
easy to guess), at its field.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.store.errors import StoreError, ValidationError
from consult.store.services import unlock_pin as pin_service
from consult.store.services.context import ServiceContext
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.forms import FieldForm
from consult.ui.widgets.refusals import refusal_message, refusal_words

_log = logging.getLogger(__name__)


class UnlockPinDialog(QDialog):
    """The current password, then the new PIN twice; or *Remove PIN*."""

    def __init__(self, ctx: ServiceContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.changed = False  # a PIN set or removed
        self.setWindowTitle(self.tr("PIN for patient mode"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        self.had_pin = pin_service.has_unlock_pin(ctx)
        intro = QLabel(self)
        intro.setWordWrap(True)
        intro.setText(
            self.tr(
                "A PIN of %1 to %2 digits takes patient mode back as your password does. "
                "Wrong PINs count with wrong passwords towards locking your account."
            )
            .replace("%1", str(pin_service.MIN_DIGITS))
            .replace("%2", str(pin_service.MAX_DIGITS))
            + " "
            + (self.tr("You have a PIN.") if self.had_pin else self.tr("You have no PIN yet."))
        )
        layout.addWidget(intro)
        self.form = FieldForm()
        self.current = self._secret_field()
        self.form.add_field("current", self.tr("C&urrent password"), self.current, self)
        self.pin = self._secret_field(digits=True)
        self.form.add_field("pin", self.tr("New &PIN"), self.pin, self)
        self.repeat = self._secret_field(digits=True)
        self.form.add_field("repeat", self.tr("&Repeat new PIN"), self.repeat, self)
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.remove_button = QPushButton(self.tr("Re&move PIN"), self)
        self.remove_button.setEnabled(self.had_pin)
        buttons.addButton(self.remove_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.remove_button.clicked.connect(self.remove)
        layout.addWidget(buttons)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)

    def _secret_field(self, *, digits: bool = False) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        if digits:  # a tablet's or phone's keyboard opens on digits
            field.setInputMethodHints(Qt.InputMethodHint.ImhDigitsOnly)
        return field

    @classmethod
    def ask(cls, ctx: ServiceContext, parent: QWidget | None) -> bool:
        """Show the dialog; whether a PIN was set or removed (tests replace this)."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.changed

    def save(self) -> None:
        """Set the PIN through the service; a refusal is shown at its field."""
        self.form.clear_errors()
        self.error.clear_error()
        if self.pin.text() != self.repeat.text():
            self.form.show_error("repeat", self.tr("The two PINs differ."))
            return
        current, pin = self.current.text(), self.pin.text()
        self._change(lambda: pin_service.set_unlock_pin(self.ctx, current, pin))

    def remove(self) -> None:
        """Remove the PIN (the current password asked): the password alone again."""
        self.form.clear_errors()
        self.error.clear_error()
        current = self.current.text()
        self._change(lambda: pin_service.clear_unlock_pin(self.ctx, current))

    def _change(self, call: Callable[[], None]) -> None:
        try:
            call()
        except ValidationError as exc:
            message = refusal_words(exc.message)
            if not self.form.show_error(exc.field, message):
                self.error.show_error(message)
            return
        except StoreError as exc:
            _log.warning("the PIN was not changed: %s", exc)
            self.error.show_error(refusal_message(exc))
            return
        finally:
            self.current.clear()
            self.pin.clear()
            self.repeat.clear()
        self.changed = True
        self.accept()
