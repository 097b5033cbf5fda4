"""The practitioner's password or PIN, asked before the desk is given back.

The password's check is the idle lock's (``users.unlock``: a wrong password is refused,
logged and counted towards the lockout, as at sign-in); a practitioner who has set a PIN
(File > Change password… > Patient mode PIN…) may type it instead, and a wrong PIN is
refused, logged and counted towards the same lockout (``unlock_pin.take_back``, which
tells one from the other). The check runs off the GUI thread. The box says why what was
typed was refused and stays until the right one is given.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from consult.store.dto import UserInfo
from consult.store.errors import AuthenticationError, StoreError
from consult.store.services import unlock_pin as pin_service
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_write

_log = logging.getLogger(__name__)


class UnlockBox(QWidget):
    """A password field and Unlock: emits :attr:`unlocked` once the signed-in
    practitioner's password, or their PIN, is given."""

    unlocked = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        user = session.user
        self.prompt = QLabel(
            self.tr("%1: enter your password or PIN to take the consultation back.").replace(
                "%1", user.display_name if user is not None else ""
            ),
            self,
        )
        self.prompt.setWordWrap(True)
        layout.addWidget(self.prompt)
        row = QHBoxLayout()
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Practitioner's password or PIN"))
        self.password.setPlaceholderText(self.tr("Practitioner's password or PIN"))
        self.password.setMinimumHeight(44)
        self.unlock_button = QPushButton(self.tr("&Unlock"), self)
        self.unlock_button.setMinimumHeight(44)
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        row.addWidget(self.password, 1)
        row.addWidget(self.unlock_button)
        layout.addLayout(row)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.unlock_button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)

    def start(self) -> None:
        """Ready for the password: an empty field with the keyboard in it."""
        self.password.clear()
        self.error.clear_error()
        self.password.setFocus()

    def submit(self) -> None:
        """Check the password or PIN typed (off the GUI thread)."""
        password = self.password.text()
        self.password.clear()
        if not password:
            self.error.show_error(self.tr("Enter your password or PIN."))
            return
        ctx = self.session.ctx
        run_write(
            lambda: pin_service.take_back(ctx, password), self._done, self._refused, busy=self
        )

    def _done(self, user: UserInfo) -> None:
        self.session.set_user(user)
        self.error.clear_error()
        self.unlocked.emit()

    def _refused(self, exc: Exception) -> None:
        if not isinstance(exc, AuthenticationError | StoreError):
            _log.error("unlocking patient mode failed", exc_info=exc)
        self.error.show_error(refusal_text(exc))
        self.password.setFocus()
