"""The Users tab (managers): who may sign in, with which roles; password resets;
deactivation (users are never deleted); and the idle-lock setting."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Qualification, Role
from consult.store.dto import UserInfo
from consult.store.errors import StoreError, ValidationError
from consult.store.services import clinic as clinic_service
from consult.store.services import users as user_service
from consult.store.services.users import NewUser
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import QUALIFICATION_LABELS, ErrorLabel, heading
from consult.ui.widgets.forms import FieldForm
from consult.ui.widgets.password_strength import PasswordStrengthLabel
from consult.ui.widgets.table_model import RowsTableModel
from consult.ui.widgets.tasks import LatestOnly
from consult.ui.widgets.tones import qtone

ROLE_LABELS = {
    Role.PRACTITIONER: "Practitioner",
    Role.RECEPTION: "Reception",
    Role.MANAGER: "Manager",
}


def _clinic_name(session: AppSession) -> str:
    """The clinic's name (a password containing it is easy to guess)."""
    return session.clinic.name if session.clinic else ""


def roles_text(roles: frozenset[Role]) -> str:
    """A user's roles as people read them."""
    return ", ".join(ROLE_LABELS[role] for role in sorted(roles, key=lambda r: r.value))


class UserTableModel(RowsTableModel[UserInfo]):
    """Read-only rows of users."""

    COL_NAME, COL_USERNAME, COL_ROLES, COL_QUALIFICATION, COL_STATUS = range(5)
    HEADERS = ("Name", "Username", "Roles", "Qualification", "Status")

    def user(self, row: int) -> UserInfo:
        """The user on ``row``."""
        return self.item(row)

    def text(self, row: UserInfo, column: int) -> str:
        if column == self.COL_NAME:
            return row.display_name
        if column == self.COL_USERNAME:
            return row.username
        if column == self.COL_ROLES:
            return roles_text(row.roles)
        if column == self.COL_QUALIFICATION:
            if row.qualification is None:
                return "—"
            return self.tr(QUALIFICATION_LABELS[Qualification(row.qualification)])
        if not row.active:  # COL_STATUS
            return self.tr("Deactivated")
        if row.must_change_password:
            return self.tr("Active: must change password")
        return self.tr("Active")

    def extra(self, row: UserInfo, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and not row.active:
            return QBrush(qtone("muted"))
        return None


class UserDialog(QDialog):
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
        for role, label in ROLE_LABELS.items():
            box = QCheckBox(self.tr(label), roles_box)
            box.setAccessibleName(self.tr(label))
            roles_row.addWidget(box)
            self.role_boxes[role] = box
        self.form.add_field("roles", self.tr("Roles"), roles_box, self)
        self.qualification = QComboBox(self)
        self.qualification.addItem(self.tr("None"), None)
        for qualification, label in QUALIFICATION_LABELS.items():
            self.qualification.addItem(self.tr(label), qualification.value)
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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
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
        self.form.clear_errors()
        self.error.clear_error()
        data = self.qualification.currentData()
        qualification = Qualification(data) if data else None
        try:
            if self.original is None:
                if self.password.text() != self.repeat.text():
                    self.form.show_error("repeat", self.tr("The two passwords differ."))
                    return
                saved = user_service.create_user(
                    self.session.ctx,
                    NewUser(
                        username=self.username.text(),
                        display_name=self.display_name.text(),
                        password=self.password.text(),
                        roles=self.roles(),
                        qualification=qualification,
                    ),
                )
            else:
                saved = user_service.update_user(
                    self.session.ctx,
                    self.original.id,
                    self.original.version,
                    roles=self.roles(),
                    qualification=qualification,
                    display_name=self.display_name.text(),
                )
        except ValidationError as exc:
            if not self.form.show_error(exc.field, exc.message):
                self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.result_user = saved
        self.accept()


class ResetPasswordDialog(QDialog):
    """A temporary password for a user, who must change it at their next sign-in."""

    def __init__(self, session: AppSession, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.user = user
        self.result_user: UserInfo | None = None
        self.setWindowTitle(self.tr("Reset the password of %s") % user.display_name)
        self.setMinimumWidth(460)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Give %s a temporary password in person. They must choose their own "
                "the next time they sign in. A lockout after failed sign-ins is lifted."
            )
            % user.display_name,
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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.strength.set_submit(buttons.button(QDialogButtonBox.StandardButton.Ok))

    @classmethod
    def ask(cls, session: AppSession, user: UserInfo, parent: QWidget | None) -> UserInfo | None:
        """Show the dialog; the updated user, or None if cancelled (tests replace this)."""
        dialog = cls(session, user, parent)
        dialog.exec()
        return dialog.result_user

    def save(self) -> None:
        """Reset the password through the users service."""
        self.form.clear_errors()
        self.error.clear_error()
        if self.password.text() != self.repeat.text():
            self.form.show_error("repeat", self.tr("The two passwords differ."))
            return
        try:
            self.result_user = user_service.reset_password(
                self.session.ctx, self.user.id, self.user.version, self.password.text()
            )
        except ValidationError as exc:
            if not self.form.show_error(exc.field, exc.message):
                self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.accept()


class UsersPage(QWidget):
    """Managers keep the list of users and the clinic's idle-lock setting."""

    loaded = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Users"), self))
        row = QHBoxLayout()
        self.add_button = QPushButton(self.tr("Add us&er…"), self)
        self.edit_button = QPushButton(self.tr("Edit r&oles…"), self)
        self.reset_button = QPushButton(self.tr("Reset pass&word…"), self)
        self.active_button = QPushButton(self.tr("Deac&tivate"), self)
        for button in (self.add_button, self.edit_button, self.reset_button, self.active_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            row.addWidget(button)
        row.addStretch(1)
        layout.addLayout(row)
        self.model = UserTableModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Users"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(UserTableModel.COL_NAME, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("User list status"))
        layout.addWidget(self.status)
        settings = QHBoxLayout()
        lock_label = QLabel(self.tr("Loc&k the screen after"), self)
        self.idle_minutes = QSpinBox(self)
        low, high = clinic_service.IDLE_LOCK_RANGE
        self.idle_minutes.setRange(low, high)
        self.idle_minutes.setSuffix(self.tr(" minutes without input"))
        self.idle_minutes.setAccessibleName(self.tr("Idle lock minutes"))
        lock_label.setBuddy(self.idle_minutes)
        self.save_settings_button = QPushButton(self.tr("&Save setting"), self)
        settings.addWidget(lock_label)
        settings.addWidget(self.idle_minutes)
        settings.addWidget(self.save_settings_button)
        settings.addStretch(1)
        layout.addLayout(settings)
        self.runner = LatestOnly(self)
        self.add_button.clicked.connect(self.add_user)
        self.edit_button.clicked.connect(self.edit_user)
        self.reset_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.save_settings_button.clicked.connect(self.save_settings)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.activated.connect(lambda _index: self.edit_user())
        self._keep: int | None = None
        self._update_buttons()

    def current(self) -> UserInfo | None:
        """The selected user."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.user(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        user = self.current()
        for button in (self.edit_button, self.reset_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText(
            self.tr("Re&activate")
            if user is not None and not user.active
            else self.tr("Deac&tivate")
        )

    def refresh(self, keep: int | None = None) -> None:
        """Reload users and the setting off the GUI thread; ``keep`` selects a user."""
        current = self.current()
        self._keep = keep if keep is not None else (current.id if current else None)
        ctx = self.session.ctx
        self.status.setText(self.tr("Loading…"))
        self.runner.submit(
            lambda: (user_service.list_users(ctx), clinic_service.idle_lock_minutes(ctx)),
            self._show,
            self._fail,
        )

    def _show(self, loaded: tuple[list[UserInfo], int]) -> None:
        rows, minutes = loaded
        self.model.set_rows(rows)
        row = self.model.row_of(lambda user: user.id == self._keep)
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self.idle_minutes.setValue(minutes)
        active = sum(1 for user in rows if user.active)
        self.status.setText(self.tr("%d users, %d active") % (len(rows), active))
        self._update_buttons()
        self.loaded.emit()

    def _fail(self, exc: Exception) -> None:
        self.status.setText(self.tr("The users could not be loaded: ") + str(exc))

    def clear(self) -> None:
        """Forget the list (the manager signed out)."""
        self.runner.wait()
        self.model.set_rows([])
        self.error.clear_error()

    def add_user(self) -> None:
        """Add a user."""
        saved = UserDialog.ask(self.session, None, self)
        if saved is not None:
            self.refresh(saved.id)

    def edit_user(self) -> None:
        """Change the selected user's roles, qualification or name."""
        user = self.current()
        if user is None:
            return
        saved = UserDialog.ask(self.session, user, self)
        if saved is not None:
            self.refresh(saved.id)

    def reset_password(self) -> None:
        """Give the selected user a temporary password."""
        user = self.current()
        if user is None:
            return
        saved = ResetPasswordDialog.ask(self.session, user, self)
        if saved is not None:
            self.refresh(saved.id)

    @classmethod
    def confirm(cls, parent: QWidget, question: str) -> bool:
        """Ask a yes/no question (tests replace this)."""
        answer = QMessageBox.question(parent, parent.tr("Users"), question)
        return answer == QMessageBox.StandardButton.Yes

    def toggle_active(self) -> None:
        """Deactivate the selected user (after asking), or reactivate them."""
        user = self.current()
        if user is None:
            return
        self.error.clear_error()
        try:
            if user.active:
                question = (
                    self.tr(
                        "Deactivate %s? They will not be able to sign in. Their records and "
                        "signatures are kept."
                    )
                    % user.display_name
                )
                if not self.confirm(self, question):
                    return
                saved = user_service.deactivate(self.session.ctx, user.id, user.version)
            else:
                saved = user_service.reactivate(self.session.ctx, user.id, user.version)
        except ValidationError as exc:
            self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.refresh(saved.id)

    def save_settings(self) -> None:
        """Save the idle-lock minutes (a clinic setting, logged)."""
        self.error.clear_error()
        clinic = self.session.clinic
        try:
            if clinic is None:
                raise StoreError(self.tr("There is no clinic yet."))
            current = clinic_service.get_clinic(self.session.ctx)
            assert current is not None
            saved = clinic_service.update_settings(
                self.session.ctx, current.version, {"idle_lock_minutes": self.idle_minutes.value()}
            )
        except ValidationError as exc:
            self.error.show_error(exc.message)
            return
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.session.set_clinic(saved)
        self.status.setText(
            self.tr("Saved: the screen locks after %d minutes without input.")
            % self.idle_minutes.value()
        )
