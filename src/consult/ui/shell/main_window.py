"""The main window: first run, sign-in, then the workspace for the signed-in user's roles."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from consult import APP_NAME, __version__
from consult.store.dto import UserInfo
from consult.store.errors import StoreError
from consult.store.services import users as user_service
from consult.ui.shell.change_password import ChangePasswordDialog, settle_password
from consult.ui.shell.idle_lock import IdleLock
from consult.ui.shell.session import AppSession
from consult.ui.shell.signin import FirstRunPage, SignInPage, user_caption

if TYPE_CHECKING:
    from consult.ui.shell.workspace import Workspace


class MainWindow(QMainWindow):
    """Consult's one main window."""

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(APP_NAME)
        from consult.ui.widgets.geometry import place_window, workstation_settings

        # Fits the screen (maximised on a small one), or where it was left on this
        # workstation if that screen is still there.
        self.settings = workstation_settings(session.dirs.config)
        place_window(self, self.settings)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.first_run = FirstRunPage(session, self)
        self.sign_in = SignInPage(session, self)
        self._workspace: Workspace | None = None  # built when first needed: workspace
        for page in (self.first_run, self.sign_in):
            self.stack.addWidget(page)
        self.first_run.finished.connect(self._signed_in)
        self.sign_in.signed_in.connect(self._signed_in)
        self._build_menus()
        self.idle_lock = IdleLock(self, session, self.stack, self._switch_user)
        self.clinic_status = QLabel(self)
        self.user_status = QLabel(self)
        self.database_status = QLabel(self)
        for label, name in (
            (self.clinic_status, "Clinic"),
            (self.user_status, "Signed in as"),
            (self.database_status, "Database"),
        ):
            label.setAccessibleName(self.tr(name))
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self.database_status.setText(session.db.describe())
        session.user_changed.connect(lambda _user: self._refresh())
        # Queued: the service call that noticed the change unwinds before the sign-out.
        session.account_changed.connect(self._account_changed, Qt.ConnectionType.QueuedConnection)
        session.clinic_changed.connect(lambda _clinic: self._refresh())
        self._refresh()
        self.stack.setCurrentWidget(self.sign_in if session.clinic else self.first_run)

    @property
    def workspace(self) -> Workspace:
        """The signed-in user's tabs, made when first needed (the app imports the pages'
        modules and makes it just after the sign-in page is on screen, see
        consult.ui.shell.app)."""
        if self._workspace is None:
            # Imported here, not before the sign-in page is on screen: it imports every page.
            from consult.ui.shell.workspace import Workspace

            self._workspace = Workspace(self.session, self)
            self.stack.addWidget(self._workspace)
        return self._workspace

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.sign_out_action = QAction(self.tr("Sign &out"), self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.sign_out_action.triggered.connect(self.sign_out)
        file_menu.addAction(self.sign_out_action)
        self.lock_action = QAction(self.tr("&Lock screen"), self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.idle_lock.lock())
        file_menu.addAction(self.lock_action)
        self.password_action = QAction(self.tr("Change my &password…"), self)
        self.password_action.triggered.connect(self.change_password)
        file_menu.addAction(self.password_action)
        quit_action = QAction(self.tr("&Quit"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About Consult"), self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _refresh(self) -> None:
        clinic = self.session.clinic
        user = self.session.user
        self.clinic_status.setText(clinic.name if clinic else self.tr("No clinic yet"))
        self.user_status.setText(user_caption(user) if user else self.tr("Not signed in"))
        self.sign_out_action.setEnabled(user is not None)
        self.lock_action.setEnabled(user is not None)
        self.password_action.setEnabled(user is not None)

    def _signed_in(self, user: UserInfo) -> None:
        settled = settle_password(self.session.ctx, user, self)
        if settled is None:  # a reset password was not changed: not signed in
            self.sign_in.refresh()
            return
        self.session.set_user(settled)
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.activate()
        self.idle_lock.start()

    def _switch_user(self) -> None:
        """From the lock page: sign the locked user out so that someone else signs in."""
        self.sign_out()

    def change_password(self) -> None:
        """Let the signed-in user change their password."""
        user = self.session.user
        if user is not None:
            changed = ChangePasswordDialog.ask(self.session.ctx, user, False, self)
            if changed is not None:
                self.session.set_user(changed)

    def sign_out(self) -> None:
        """Sign the user out, clear every page, and return to an empty sign-in page."""
        self.idle_lock.stop()
        self.workspace.leave()
        user_service.sign_out(self.session.ctx)
        self.session.set_user(None)
        self.stack.setCurrentWidget(self.sign_in)
        # Empty, with the cursor in Username: the next person types their own username,
        # never their password into the previous user's account.
        self.sign_in.reset()

    def _account_changed(self, message: str) -> None:
        """A manager changed the signed-in account: sign out and say why."""
        if self.session.user is None or self.stack.currentWidget() is self.sign_in:
            return
        try:
            self.sign_out()
        except StoreError:
            # Leaving the pages may try to save as the changed account: that is refused,
            # and the user is signed out all the same.
            self.session.set_user(None)
            self.workspace.leave()
            self.stack.setCurrentWidget(self.sign_in)
            self.sign_in.reset()
        self.sign_in.error.show_error(message)

    def about_text(self) -> str:
        """The About box's text: version, rule-set version, database."""
        from consult.ui.shell.knowledge import rule_set_version

        return (
            f"<h3>{APP_NAME} {__version__}</h3>"
            "<p>Consultation, contraindication screening and informed consent.</p>"
            f"<p>Rule set: <code>{rule_set_version()}</code></p>"
            f"<p>{self.session.db.describe()}</p>"
        )

    def show_about(self) -> None:
        """Show the About box."""
        QMessageBox.about(self, self.tr("About Consult"), self.about_text())

    def closeEvent(self, event: QCloseEvent) -> None:
        """Record the sign-out when the window closes."""
        self.idle_lock.stop()
        workspace = self._workspace  # never built just to be closed (a quick quit)
        if workspace is not None:
            workspace.leave()
        if self.session.user is not None:
            user_service.sign_out(self.session.ctx)
            self.session.set_user(None)
        from consult.ui.widgets.geometry import save_window

        save_window(self, self.settings)
        event.accept()


__all__ = ["MainWindow"]
