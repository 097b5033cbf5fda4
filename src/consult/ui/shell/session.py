"""What the running app knows: the database, who is signed in, the clinic."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from consult.paths import Dirs
from consult.store.database import Database
from consult.store.dto import ClinicInfo, UserInfo
from consult.store.services import clinic as clinic_service
from consult.store.services.context import ServiceContext


class AppSession(QObject):
    """The app's state; widgets call services through :attr:`ctx`."""

    user_changed = Signal(object)  # UserInfo | None
    clinic_changed = Signal(object)  # ClinicInfo | None
    account_changed = Signal(str)  # a manager changed the signed-in account: sign out

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

    def set_user(self, user: UserInfo | None) -> None:
        """Sign a user in (or out, with None)."""
        self.ctx = self.ctx.signed_in(user)
        self.user_changed.emit(user)

    def set_clinic(self, clinic: ClinicInfo | None) -> None:
        """The clinic was created or changed."""
        self.clinic = clinic
        self.clinic_changed.emit(clinic)
