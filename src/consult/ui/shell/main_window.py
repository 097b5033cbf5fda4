"""The main window: first run, sign-in, then the workspace for the signed-in user's roles,
in the user's interface language.

At start the window is shown before the clinic database is open (:meth:`MainWindow.opening`):
it then holds only the sign-in page, and this module imports nothing of the store
services or SQLAlchemy. The app opens the database and imports what needs it (the
session, the first-run page, the idle lock, the password and language dialogs) on a
pool thread, then hands the session over (:meth:`MainWindow.open_session`); those
modules are imported in the methods that use them, by then already loaded.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLocale, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QWidget,
)

from consult import APP_NAME, __version__
from consult.domain.roles import Role
from consult.store.errors import StoreError
from consult.ui.shell.language import apply_language, current_language
from consult.ui.shell.signin import SignInPage, user_caption
from consult.ui.widgets.geometry import place_window, save_window, workstation_settings
from consult.ui.widgets.refusals import refusal_words

if TYPE_CHECKING:
    from consult.paths import Dirs
    from consult.store.dto import UserInfo
    from consult.ui.shell.first_run import FirstRunPage
    from consult.ui.shell.idle_lock import IdleLock
    from consult.ui.shell.quiet_collection import QuietCollection
    from consult.ui.shell.session import AppSession
    from consult.ui.shell.workspace import Workspace

_log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Consult's one main window."""

    session_opened = Signal(object)  # the AppSession, once the clinic database is open

    def __init__(
        self,
        session: AppSession | None,
        parent: QWidget | None = None,
        *,
        dirs: Dirs | None = None,
    ) -> None:
        """The window for ``session``; with None (see :meth:`opening`), the sign-in page
        alone until :meth:`open_session`."""
        super().__init__(parent)
        self._session: AppSession | None = None
        self._first_run: FirstRunPage | None = None
        self._idle_lock: IdleLock | None = None
        self.quiet_collection: QuietCollection | None = None
        self.setWindowTitle(APP_NAME)
        folders = session.dirs if session is not None else dirs
        assert folders is not None, "the window is given a session or the home's folders"
        # Fits the screen (maximised on a small one), or where it was left on this
        # workstation if that screen is still there.
        self.settings = workstation_settings(folders.config)
        place_window(self, self.settings)
        self.stack = QStackedWidget(self)
        self.setCentralWidget(self.stack)
        self.sign_in = SignInPage(None, self)
        self._workspace: Workspace | None = None  # built when first needed: workspace
        self.user_language: str | None = None  # the signed-in user's choice (None: ours)
        self.stack.addWidget(self.sign_in)
        self.sign_in.signed_in.connect(self._signed_in)
        self._build_menus()
        self.clinic_status = QLabel(self)
        self.user_status = QLabel(self)
        self.database_status = QLabel(self)
        for label in (self.clinic_status, self.user_status, self.database_status):
            label.setContentsMargins(8, 0, 8, 0)
            self.statusBar().addPermanentWidget(label)
        self._retranslate()
        if session is not None:
            self.open_session(session)

    @classmethod
    def opening(cls, dirs: Dirs) -> MainWindow:
        """The window shown while the clinic database is being opened: the sign-in page,
        the clinic's name empty and Sign in disabled until :meth:`open_session`."""
        return cls(None, dirs=dirs)

    def open_session(self, session: AppSession) -> None:
        """The clinic database is open: fill the sign-in page in and enable it, or show
        the first-run page when there is no clinic yet."""
        from consult.ui.shell.first_run import FirstRunPage
        from consult.ui.shell.idle_lock import IdleLock
        from consult.ui.shell.quiet_collection import QuietCollection

        assert self._session is None, "one session per window"
        self._session = session
        self._first_run = FirstRunPage(session, self)
        self.stack.addWidget(self._first_run)
        self._first_run.finished.connect(self._signed_in)
        self.sign_in.attach(session)
        self._idle_lock = IdleLock(self, session, self.stack, self._switch_user)
        self.quiet_collection = QuietCollection(self._idle_lock.watcher, self)
        session.user_changed.connect(lambda _user: self._refresh())
        # Queued: the service call that noticed the change unwinds before the sign-out.
        session.account_changed.connect(self._account_changed, Qt.ConnectionType.QueuedConnection)
        session.clinic_changed.connect(lambda _clinic: self._refresh())
        self._refresh()
        self.stack.setCurrentWidget(self.sign_in if session.clinic else self._first_run)
        self.session_opened.emit(session)

    @property
    def is_open(self) -> bool:
        """Whether the clinic database is open (the session handed over)."""
        return self._session is not None

    @property
    def session(self) -> AppSession:
        """The app session (once the clinic database is open)."""
        assert self._session is not None, "the clinic database is not open yet"
        return self._session

    @property
    def first_run(self) -> FirstRunPage:
        """The first-run page (once the clinic database is open)."""
        assert self._first_run is not None, "the clinic database is not open yet"
        return self._first_run

    @property
    def idle_lock(self) -> IdleLock:
        """The idle lock (once the clinic database is open)."""
        assert self._idle_lock is not None, "the clinic database is not open yet"
        return self._idle_lock

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
        """The menus, their texts set by :meth:`_retranslate`."""
        self.file_menu = self.menuBar().addMenu("")
        self.sign_out_action = QAction(self)
        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+Q"))
        self.sign_out_action.triggered.connect(self.sign_out)
        self.file_menu.addAction(self.sign_out_action)
        self.lock_action = QAction(self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(lambda: self.idle_lock.lock())
        self.file_menu.addAction(self.lock_action)
        self.password_action = QAction(self)
        self.password_action.triggered.connect(self.change_password)
        self.file_menu.addAction(self.password_action)
        self.language_action = QAction(self)
        self.language_action.triggered.connect(self.choose_language)
        self.file_menu.addAction(self.language_action)
        self.quit_action = QAction(self)
        self.quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        self.quit_action.triggered.connect(self.close)
        self.file_menu.addAction(self.quit_action)
        self.manager_menu = self.menuBar().addMenu("")
        self.verify_action = QAction(self)
        self.verify_action.triggered.connect(self.verify_a_form)
        self.manager_menu.addAction(self.verify_action)
        self.help_menu = self.menuBar().addMenu("")
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)

    def _retranslate(self) -> None:
        """Set the window's own texts in the interface language (at start, and again when
        the language changes: the pages are built anew, the window is not)."""
        self.file_menu.setTitle(self.tr("&File"))
        self.sign_out_action.setText(self.tr("Sign &out"))
        self.lock_action.setText(self.tr("&Lock screen"))
        self.password_action.setText(self.tr("Change my &password…"))
        self.language_action.setText(self.tr("Lan&guage…"))
        self.quit_action.setText(self.tr("&Quit"))
        # No Alt letter: every letter of "Manager" is taken on one manager's page or
        # another (Fro&m, &Add…, Fi&nd, Re&gister, &Edit…, Patient &record).
        self.manager_menu.setTitle(self.tr("Manager"))
        self.verify_action.setText(self.tr("&Verify a form…"))
        self.help_menu.setTitle(self.tr("&Help"))
        self.about_action.setText(self.tr("&About Consult"))
        self.clinic_status.setAccessibleName(self.tr("Clinic"))
        self.user_status.setAccessibleName(self.tr("Signed in as"))
        self.database_status.setAccessibleName(self.tr("Database"))
        self._refresh()

    def changeEvent(self, event: QEvent) -> None:
        """A translator was installed or removed: say the window's texts again."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def _refresh(self) -> None:
        session = self._session
        self.database_status.setText(self._database_text())
        if session is None:
            self.clinic_status.setText("")
            self.user_status.setText(self.tr("Not signed in"))
            for action in (
                self.sign_out_action,
                self.lock_action,
                self.password_action,
                self.language_action,
            ):
                action.setEnabled(False)
            self.manager_menu.menuAction().setVisible(False)
            return
        clinic = session.clinic
        user = session.user
        self.clinic_status.setText(clinic.name if clinic else self.tr("No clinic yet"))
        self.user_status.setText(user_caption(user) if user else self.tr("Not signed in"))
        self.sign_out_action.setEnabled(user is not None)
        self.lock_action.setEnabled(user is not None)
        self.password_action.setEnabled(user is not None)
        self.language_action.setEnabled(user is not None)
        self.manager_menu.menuAction().setVisible(user is not None and user.has(Role.MANAGER))

    def _signed_in(self, user: UserInfo) -> None:
        # In the user's language from the first dialog on (a reset password's change).
        self.user_language = self._chosen_language(user)
        self._speak(self.user_language)
        from consult.ui.shell.change_password import settle_password

        settled = settle_password(self.session.ctx, user, self)
        if settled is None:  # a reset password was not changed: not signed in
            self.user_language = None
            self._speak(None)
            self.sign_in.refresh()
            return
        self.session.set_user(settled)
        self.stack.setCurrentWidget(self.workspace)
        self.workspace.activate()
        self.idle_lock.start()

    def _chosen_language(self, user: UserInfo) -> str | None:
        """The interface language ``user`` chose (None: the workstation's, also when it
        cannot be read: the sign-in goes on in the workstation's language)."""
        try:
            return self.session.interface_language(user)
        except StoreError as exc:
            _log.warning("the interface language of %s could not be read: %s", user.username, exc)
            return None

    def choose_language(self) -> None:
        """Let the signed-in user choose their interface language, and speak it now: the
        pages are saved, closed and built again in it."""
        if self._session is None or self.session.user is None:
            return
        from consult.ui.shell.language_dialog import LanguageDialog

        chosen = LanguageDialog.ask(self.session.ctx, self.user_language, self)
        self.user_language = chosen
        before = current_language()
        if self._speak(chosen) != before and self.stack.currentWidget() is self.workspace:
            self.workspace.activate()

    def _switch_user(self) -> None:
        """From the lock page: sign the locked user out so that someone else signs in."""
        self.sign_out()

    def change_password(self) -> None:
        """Let the signed-in user change their password."""
        user = self.session.user if self._session is not None else None
        if user is not None:
            from consult.ui.shell.change_password import ChangePasswordDialog

            changed = ChangePasswordDialog.ask(self.session.ctx, user, False, self)
            if changed is not None:
                self.session.set_user(changed)

    def sign_out(self) -> None:
        """Sign the user out, clear every page, and return to an empty sign-in page."""
        self.idle_lock.stop()
        self.workspace.leave()
        self.session.sign_out()
        self.session.set_user(None)
        self._back_to_workstation_language()
        self.stack.setCurrentWidget(self.sign_in)
        # Empty, with the cursor in Username: the next person types their own username,
        # never their password into the previous user's account.
        self.sign_in.reset()

    def _back_to_workstation_language(self) -> None:
        """Nobody is signed in: the sign-in page speaks the workstation's language."""
        self.user_language = None
        self._speak(None)

    def _speak(self, language: str | None) -> str:
        """Speak ``language`` (None: the workstation's) from now on, words and formats:
        the window takes the new default locale, so every page and dialog under it writes
        and reads dates and numbers the language's way (a widget keeps the locale it was
        made with otherwise, and this window was made before anyone signed in)."""
        spoken = apply_language(language)
        self.setLocale(QLocale())
        return spoken

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
            self._back_to_workstation_language()
            self.stack.setCurrentWidget(self.sign_in)
            self.sign_in.reset()
        self.sign_in.error.show_error(refusal_words(message))

    def about_text(self) -> str:
        """The About box's text: version, rule-set version, database."""
        from consult.ui.shell.knowledge import rule_set_version

        what = self.tr("Consultation, contraindication screening and informed consent.")
        rule_set = self.tr("Rule set: %1").replace("%1", f"<code>{rule_set_version()}</code>")
        return (
            f"<h3>{APP_NAME} {__version__}</h3>"
            f"<p>{what}</p>"
            f"<p>{rule_set}</p>"
            f"<p>{self._database_text()}</p>"
        )

    def _database_text(self) -> str:
        """Where the data lives, in the interface's words (never with a password)."""
        if self._session is None:
            return ""
        db = self._session.db
        if db.is_sqlite:
            return self.tr("Embedded database: %1").replace("%1", str(db.url.database or ""))
        host = db.url.host or "localhost"
        port = f":{db.url.port}" if db.url.port else ""
        return (
            self.tr("PostgreSQL: %1 on %2")
            .replace("%1", str(db.url.database))
            .replace("%2", f"{host}{port}")
        )

    def show_about(self) -> None:
        """Show the About box."""
        QMessageBox.about(self, self.tr("About Consult"), self.about_text())

    def verify_a_form(self) -> None:
        """Manager > Verify a form…: check one signed form's PDF on its own."""
        # Imported when first used, not at start: the dialog brings pyHanko's validation.
        from consult.ui.manager.verify_dialog import VerifyFormDialog

        VerifyFormDialog.run(self.session.dirs.config, self)

    def closeEvent(self, event: QCloseEvent) -> None:
        """Record the sign-out when the window closes."""
        if self._idle_lock is not None:
            self._idle_lock.stop()
        workspace = self._workspace  # never built just to be closed (a quick quit)
        if workspace is not None:
            workspace.leave()
        session = self._session  # None: closed while the database was being opened
        if session is not None and session.user is not None:
            session.sign_out()
            session.set_user(None)
        save_window(self, self.settings)
        event.accept()


__all__ = ["MainWindow"]
