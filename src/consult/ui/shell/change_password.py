"""Changing one's own password: asked at sign-in after a manager reset it, or any time
from the File menu. A practitioner also sets their PIN for patient mode from here
(:class:`~consult.ui.shell.unlock_pin_dialog.UnlockPinDialog`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.store import passwords
from consult.store.dto import UserInfo
from consult.store.errors import StoreError, ValidationError
from consult.store.services import clinic as clinic_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.unlock_pin_dialog import UnlockPinDialog
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.forms import FieldForm
from consult.ui.widgets.password_strength import PasswordStrengthLabel
from consult.ui.widgets.refusals import refusal_message, refusal_words


class ChangePasswordDialog(QDialog):
    """The current password, then the new one twice."""

    def __init__(
        self, ctx: ServiceContext, user: UserInfo, forced: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user = user
        self.result_user: UserInfo | None = None
        self.setWindowTitle(self.tr("Change your password"))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(self)
        intro.setWordWrap(True)
        rules = self.tr(
            "At least %1 characters, not your username, and hard to guess: "
            "several uncommon words are best."
        ).replace("%1", str(passwords.MIN_LENGTH))
        intro.setText(
            (
                self.tr("A manager has reset your password. Choose a new one to continue.")
                if forced
                else self.tr("Choose a new password.")
            )
            + " "
            + rules
        )
        layout.addWidget(intro)
        self.form = FieldForm()
        self.current = self._password_field()
        self.form.add_field("current", self.tr("C&urrent password"), self.current, self)
        self.new = self._password_field()
        self.form.add_field("password", self.tr("&New password"), self.new, self)
        clinic = clinic_service.get_clinic(ctx)
        clinic_name = clinic.name if clinic else ""
        self.strength = PasswordStrengthLabel(
            self.new, lambda: (user.username, (user.display_name, clinic_name)), parent=self
        )
        self.form.addRow(self.strength)
        self.repeat = self._password_field()
        self.form.add_field("repeat", self.tr("&Repeat new password"), self.repeat, self)
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        # A practitioner's PIN for patient mode (not while a new password is required).
        self.pin_button: QPushButton | None = None
        if not forced and user.has(Role.PRACTITIONER):
            self.pin_button = QPushButton(self.tr("Patient mode P&IN…"), self)
            self.pin_button.setAutoDefault(False)
            buttons.addButton(self.pin_button, QDialogButtonBox.ButtonRole.ResetRole)
            self.pin_button.clicked.connect(self.set_pin)
        layout.addWidget(buttons)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        self.strength.set_submit(self.save_button)

    def set_pin(self) -> None:
        """Set, change or remove the PIN that takes patient mode back."""
        UnlockPinDialog.ask(self.ctx, self)

    def _password_field(self) -> QLineEdit:
        field = QLineEdit(self)
        field.setEchoMode(QLineEdit.EchoMode.Password)
        return field

    @classmethod
    def ask(
        cls, ctx: ServiceContext, user: UserInfo, forced: bool, parent: QWidget | None
    ) -> UserInfo | None:
        """Show the dialog; the updated user, or None if cancelled (tests replace this)."""
        dialog = cls(ctx, user, forced, parent)
        dialog.exec()
        return dialog.result_user

    def save(self) -> None:
        """Change the password through the users service; a refusal is shown at its field."""
        self.form.clear_errors()
        self.error.clear_error()
        if self.new.text() != self.repeat.text():
            self.form.show_error("repeat", self.tr("The two new passwords differ."))
            return
        try:
            self.result_user = user_service.change_own_password(
                self.ctx, self.current.text(), self.new.text()
            )
        except ValidationError as exc:
            message = refusal_words(exc.message)
            if not self.form.show_error(exc.field, message):
                self.error.show_error(message)
            return
        except StoreError as exc:
            self.error.show_error(refusal_message(exc))
            return
        self.accept()


def settle_password(ctx: ServiceContext, user: UserInfo, parent: QWidget | None) -> UserInfo | None:
    """The user as signed in, after changing a password a manager reset; None if they
    would not change it (they are then signed out again)."""
    if not user.must_change_password:
        return user
    as_user = ctx.signed_in(user)
    changed = ChangePasswordDialog.ask(as_user, user, True, parent)
    if changed is None:
        user_service.sign_out(as_user)
    return changed
