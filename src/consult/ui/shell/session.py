"""What the running app knows: the database, who is signed in, the clinic.

Imported once the clinic database is open (on a pool thread at start, see
consult.ui.shell.app), as it imports the store services: the sign-in window, on screen
before, reaches them through this session.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, Signal

from consult.paths import Dirs
from consult.store.database import Database
from consult.store.dto import ClinicInfo, UserInfo
from consult.store.errors import StoreError
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
        # Read ahead on the write thread at sign-in, taken once by the GUI thread.
        self._languages: dict[int, str | None] = {}
        self._idle_minutes: int | None = None

    @property
    def user(self) -> UserInfo | None:
        """The signed-in user."""
        return self.ctx.user

    def sign_in(self, username: str, password: str) -> UserInfo:
        """Check a username and password (raises AuthenticationError); the user is not
        signed in yet (see :meth:`set_user`): a reset password must be changed first.

        Run on the write thread: it also reads what the window needs next (the user's
        interface language, the clinic's idle-lock minutes), so that the GUI thread does
        not read them (:meth:`interface_language`, :meth:`idle_lock_minutes`)."""
        user = user_service.sign_in(self.ctx, username, password)
        self._read_ahead(user)
        return user

    def unlock(self, password: str) -> UserInfo:
        """Check the signed-in user's password to uncover a locked window (raises as
        :func:`~consult.store.services.users.unlock`); reads the idle-lock minutes ahead,
        as :meth:`sign_in` does."""
        user = user_service.unlock(self.ctx, password)
        self._read_ahead(user, language=False)
        return user

    def _read_ahead(self, user: UserInfo, *, language: bool = True) -> None:
        """Read ``user``'s settings for the GUI thread to take; one that cannot be read
        is read again there (and its failure told there, as before)."""
        if language:
            with contextlib.suppress(StoreError):
                self._languages[user.id] = user_service.interface_language(self.ctx.signed_in(user))
        with contextlib.suppress(StoreError):
            self._idle_minutes = clinic_service.idle_lock_minutes(self.ctx.signed_in(user))

    def sign_out(self) -> None:
        """Record that the signed-in user signs out (:meth:`set_user` with None follows)."""
        user_service.sign_out(self.ctx)

    def interface_language(self, user: UserInfo) -> str | None:
        """The interface language ``user`` chose (None: the workstation's): as read when
        they signed in, else read now."""
        if user.id in self._languages:
            return self._languages.pop(user.id)
        return user_service.interface_language(self.ctx.signed_in(user))

    def idle_lock_minutes(self) -> int:
        """The clinic's idle-lock minutes: as read at the last sign-in or unlock, else
        read now."""
        minutes, self._idle_minutes = self._idle_minutes, None
        if minutes is not None:
            return minutes
        return clinic_service.idle_lock_minutes(self.ctx)

    def set_user(self, user: UserInfo | None) -> None:
        """Sign a user in (or out, with None)."""
        self.ctx = self.ctx.signed_in(user)
        self.user_changed.emit(user)

    def set_clinic(self, clinic: ClinicInfo | None) -> None:
        """The clinic was created or changed."""
        self.clinic = clinic
        self.clinic_changed.emit(clinic)
