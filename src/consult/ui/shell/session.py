"""What the running app knows: the database, who is signed in, the clinic.

Imported once the clinic database is open (on a pool thread at start, see
consult.ui.shell.app), as it imports the store services: the sign-in window, on screen
before, reaches them through this session.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from consult.paths import Dirs
from consult.store.database import Database
from consult.store.dto import ClinicInfo, UserInfo
from consult.store.services import clinic as clinic_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext


class AppSession(QObject):
    """The app's state; widgets call services through :attr:`ctx`."""

    user_changed = Signal(object)  # UserInfo | None
    clinic_changed = Signal(object)  # ClinicInfo | None
    # A manager changed the signed-in account: sign out. The message is the service's
    # (an ErrorText, kept whole so that the sign-in page says it in its language).
    account_changed = Signal(object)

    def __init__(self, db: Database, dirs: Dirs, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.dirs = dirs
        # Services may call back from a worker thread: the signal is queued to the GUI.
        self.ctx = ServiceContext(db, on_account_changed=self.account_changed.emit)
        self.clinic: ClinicInfo | None = clinic_service.get_clinic(self.ctx)

    @property
    def user(self) -> UserInfo | None:
        """The signed-in user."""
        return self.ctx.user

    def sign_in(self, username: str, password: str) -> UserInfo:
        """Check a username and password (raises AuthenticationError); the user is not
        signed in yet (see :meth:`set_user`): a reset password must be changed first."""
        return user_service.sign_in(self.ctx, username, password)

    def sign_out(self) -> None:
        """Record that the signed-in user signs out (:meth:`set_user` with None follows)."""
        user_service.sign_out(self.ctx)

    def interface_language(self, user: UserInfo) -> str | None:
        """The interface language ``user`` chose (None: the workstation's)."""
        return user_service.interface_language(self.ctx.signed_in(user))

    def set_user(self, user: UserInfo | None) -> None:
        """Sign a user in (or out, with None)."""
        self.ctx = self.ctx.signed_in(user)
        self.user_changed.emit(user)

    def set_clinic(self, clinic: ClinicInfo | None) -> None:
        """The clinic was created or changed."""
        self.clinic = clinic
        self.clinic_changed.emit(clinic)
