"""The sign-in page.

It is on screen before the clinic database is open (the app opens it on a pool thread
meanwhile): until :meth:`SignInPage.attach` hands it the app session, the clinic's name
is empty and Sign in is disabled, saying so. This module therefore imports neither the
store services nor SQLAlchemy; signing in goes through :class:`AppSession`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from consult.store.errors import AuthenticationError
from consult.ui.widgets.basics import ErrorLabel, centred_card, heading
from consult.ui.widgets.refusals import refusal_message
from consult.ui.widgets.tasks import run_write
from consult.ui.widgets.words import role_text

if TYPE_CHECKING:
    from consult.store.dto import UserInfo
    from consult.ui.shell.session import AppSession


class SignInPage(QWidget):
    """Username and password; emits :attr:`signed_in` with the user."""

    signed_in = Signal(object)

    def __init__(self, session: AppSession | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.checking = False  # a sign-in is being checked
        _, layout = centred_card(self)
        self.title = heading(self.tr("Sign in"), self)
        self.clinic_label = QLabel(self)
        layout.addWidget(self.title)
        layout.addWidget(self.clinic_label)
        form = QFormLayout()
        self.username = QLineEdit(self)
        self.username.setAccessibleName(self.tr("Username"))
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("Password"))
        user_label = QLabel(self.tr("&Username"), self)
        user_label.setBuddy(self.username)
        pass_label = QLabel(self.tr("&Password"), self)
        pass_label.setBuddy(self.password)
        form.addRow(user_label, self.username)
        form.addRow(pass_label, self.password)
        layout.addLayout(form)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.button = QPushButton(self)
        self.button.setDefault(True)
        layout.addWidget(self.button, 0, Qt.AlignmentFlag.AlignRight)
        self.button.clicked.connect(self.submit)
        # Return signs in from either field; from the username with no password yet
        # typed, it moves on to the password.
        self.username.returnPressed.connect(self._return_in_username)
        self.password.returnPressed.connect(self.submit)
        self._show_ready()
        if session is not None:
            self.refresh()
        else:
            self.username.setFocus()

    def _show_ready(self) -> None:
        """Sign in is enabled once the clinic database is open (the person may type
        their username and password meanwhile)."""
        ready = self.session is not None
        self.button.setEnabled(ready)
        if ready:
            self.button.setText(self.tr("&Sign in"))
            self.button.setAccessibleName(self.tr("Sign in"))
        else:
            self.button.setText(self.tr("Opening the clinic database…"))
            self.button.setAccessibleName(self.tr("Opening the clinic database…"))

    def attach(self, session: AppSession) -> None:
        """The clinic database is open: show the clinic's name and enable Sign in,
        keeping what was typed meanwhile."""
        self.session = session
        self._show_ready()
        clinic = session.clinic
        self.clinic_label.setText(clinic.name if clinic else "")

    def _return_in_username(self) -> None:
        if self.password.text():
            self.submit()
        else:
            self.password.setFocus()

    def refresh(self) -> None:
        """Show the clinic's name and start with the username field."""
        clinic = self.session.clinic if self.session is not None else None
        self.clinic_label.setText(clinic.name if clinic else "")
        self.password.clear()
        self.error.clear_error()
        (self.password if self.username.text() else self.username).setFocus()

    def reset(self) -> None:
        """Start empty, in the username field (after a sign-out: whoever signs in next
        types their own username, never a password into the last user's account)."""
        self.username.clear()
        self.refresh()

    def submit(self) -> None:
        """Check the credentials on a pool thread (the password hash takes a good part
        of a second's CPU on purpose): the page waits meanwhile, the window paints.
        Nothing yet while the database is being opened, or while a check runs."""
        if self.session is None or self.checking:
            return
        if not self.username.text().strip() or not self.password.text():
            self.error.show_error(self.tr("Enter your username and password."))
            return
        session, username, password = self.session, self.username.text(), self.password.text()
        self.checking = True
        self.button.setText(self.tr("Signing in…"))
        run_write(
            lambda: session.sign_in(username, password), self._accepted, self._refused, busy=self
        )

    def _accepted(self, user: object) -> None:
        if not shiboken6.isValid(self):
            return
        self._checked()
        self.password.clear()
        self.error.clear_error()
        self.signed_in.emit(user)

    def _refused(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._checked()
        if not isinstance(exc, AuthenticationError):
            raise exc  # a program error: logged by run_write and shown by the error dialog
        self.error.show_error(refusal_message(exc))
        self.password.clear()
        self.password.setFocus()

    def _checked(self) -> None:
        self.checking = False
        self._show_ready()


def user_caption(user: UserInfo) -> str:
    """How a user is named in the status bar."""
    roles = ", ".join(role_text(role) for role in sorted(user.roles, key=lambda r: r.value))
    return f"{user.display_name} ({roles})"


__all__ = ["SignInPage", "user_caption"]
