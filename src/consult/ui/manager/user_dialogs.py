"""Adding a user or changing one's name, roles and qualification, and giving a user a
temporary password. Both forms save through the users service off the GUI thread (see
:class:`SavingDialog`: hashing a password takes a noticeable moment); a refusal, a weak
password above all, is shown at its field."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Qualification, Role
from consult.store.dto import UserInfo
from consult.store.services import users as user_service
from consult.store.services.users import NewUser
from consult.ui.manager.user_table import ROLE_LABELS, role_label
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.formatting import knowledge_label
from consult.ui.widgets.forms import FieldForm
from consult.ui.widgets.password_strength import PasswordStrengthLabel
from consult.ui.widgets.saving_dialog import SavingDialog, show_refusal


def _clinic_name(session: AppSession) -> str:
    """The clinic's name (a password containing it is easy to guess)."""
    return session.clinic.name if session.clinic else ""


class UserDialog(SavingDialog):
    """Add a user, or change one's name, roles and qualification."""

    def __init__(
        self, session: AppSession, user: UserInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.original = user
        self.result_user: UserInfo | None = None
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("Add a user"))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        self.form = FieldForm()
        self.display_name = QLineEdit(self)
        self.form.add_field("display_name", self.tr("Full &name"), self.display_name, self)
        self.username = QLineEdit(self)
        self.form.add_field("username", self.tr("&Username"), self.username, self)
        roles_box = QWidget(self)
        roles_row = QHBoxLayout(roles_box)
        roles_row.setContentsMargins(0, 0, 0, 0)
        self.role_boxes: dict[Role, QCheckBox] = {}
        for role in ROLE_LABELS:
            box = QCheckBox(role_label(role), roles_box)
            box.setAccessibleName(role_label(role))
            roles_row.addWidget(box)
            self.role_boxes[role] = box
        self.form.add_field("roles", self.tr("Roles"), roles_box, self)
        self.qualification = QComboBox(self)
        self.qualification.addItem(self.tr("None"), None)
        for qualification in Qualification:
            self.qualification.addItem(
                knowledge_label("qualification", qualification), qualification.value
            )
        self.form.add_field("qualification", self.tr("&Qualification"), self.qualification, self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.strength: PasswordStrengthLabel | None = None
        if user is None:
            self.form.add_field(
                "password", self.tr("First &password (12+ characters)"), self.password, self
            )
            self.strength = PasswordStrengthLabel(
                self.password,
                lambda: (self.username.text(), (self.display_name.text(), _clinic_name(session))),
                parent=self,
            )
            self.form.addRow(self.strength)
            self.form.add_field("repeat", self.tr("&Repeat password"), self.repeat, self)
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        if self.strength is not None:
            self.strength.set_submit(self.save_button)
            strength = self.strength
            for edit in (self.username, self.display_name):
                edit.textChanged.connect(lambda _text: strength.update_strength())
        if user is not None:
            self.display_name.setText(user.display_name)
            self.username.setText(user.username)
            self.username.setEnabled(False)
            for role, box in self.role_boxes.items():
                box.setChecked(role in user.roles)
            if user.qualification:
                self.qualification.setCurrentIndex(self.qualification.findData(user.qualification))

    @classmethod
    def ask(
        cls, session: AppSession, user: UserInfo | None, parent: QWidget | None
    ) -> UserInfo | None:
        """Show the dialog; the saved user, or None if cancelled (tests replace this)."""
        dialog = cls(session, user, parent)
        dialog.exec()
        return dialog.result_user

    def roles(self) -> frozenset[Role]:
        """The roles ticked."""
        return frozenset(role for role, box in self.role_boxes.items() if box.isChecked())

    def save(self) -> None:
        """Save through the users service; a refusal is shown at its field."""
        if self.is_saving():
            return
        self.form.clear_errors()
        self.error.clear_error()
        data = self.qualification.currentData()
        qualification = Qualification(data) if data else None
        ctx, original, roles = self.session.ctx, self.original, self.roles()
        display_name = self.display_name.text()
        if original is not None:
            self.save_with(
                lambda: user_service.update_user(
                    ctx,
                    original.id,
                    original.version,
                    roles=roles,
                    qualification=qualification,
                    display_name=display_name,
                ),
                self._saved,
                self._refused,
            )
            return
        if self.password.text() != self.repeat.text():
            self.form.show_error("repeat", self.tr("The two passwords differ."))
            return
        new = NewUser(
            username=self.username.text(),
            display_name=display_name,
            password=self.password.text(),
            roles=roles,
            qualification=qualification,
        )
        self.save_with(lambda: user_service.create_user(ctx, new), self._saved, self._refused)

    def _saved(self, user: UserInfo) -> None:
        self.result_user = user

    def _refused(self, exc: Exception) -> None:
        show_refusal(exc, self.error, self.form)


class ResetPasswordDialog(SavingDialog):
    """A temporary password for a user, who must change it at their next sign-in."""

    def __init__(self, session: AppSession, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.user = user
        self.result_user: UserInfo | None = None
        self.setWindowTitle(self.tr("Reset the password of %1").replace("%1", user.display_name))
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Give %1 a temporary password in person. They must choose their own "
                "the next time they sign in. A lockout after failed sign-ins is lifted."
            ).replace("%1", user.display_name),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.form = FieldForm()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add_field("password", self.tr("Temporary &password"), self.password, self)
        self.strength = PasswordStrengthLabel(
            self.password,
            lambda: (user.username, (user.display_name, _clinic_name(session))),
            parent=self,
        )
        self.form.addRow(self.strength)
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.form.add_field("repeat", self.tr("&Repeat"), self.repeat, self)
        layout.addLayout(self.form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.strength.set_submit(self.buttons.button(QDialogButtonBox.StandardButton.Ok))

    @classmethod
    def ask(cls, session: AppSession, user: UserInfo, parent: QWidget | None) -> UserInfo | None:
        """Show the dialog; the updated user, or None if cancelled (tests replace this)."""
        dialog = cls(session, user, parent)
        dialog.exec()
        return dialog.result_user

    def save(self) -> None:
        """Reset the password through the users service."""
        if self.is_saving():
            return
        self.form.clear_errors()
        self.error.clear_error()
        if self.password.text() != self.repeat.text():
            self.form.show_error("repeat", self.tr("The two passwords differ."))
            return
        ctx, user, password = self.session.ctx, self.user, self.password.text()
        self.save_with(
            lambda: user_service.reset_password(ctx, user.id, user.version, password),
            self._saved,
            self._refused,
        )

    def _saved(self, user: UserInfo) -> None:
        self.result_user = user

    def _refused(self, exc: Exception) -> None:
        show_refusal(exc, self.error, self.form)


__all__ = ["ResetPasswordDialog", "UserDialog"]
