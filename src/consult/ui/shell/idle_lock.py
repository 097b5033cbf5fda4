"""The idle lock: after some minutes without input the window is covered and the user
must enter their password again, or another user signs in instead.

An application-wide event filter restarts a single-shot :class:`QTimer` on every key,
mouse, wheel, touch or pen event. When it fires, open dialogs are closed (a patient's
details must not stay on an unattended screen), the lock is logged and the lock page
replaces whatever was shown. The pages underneath keep their state: the same user
unlocking finds them as they were. Another user signing in goes through the ordinary
sign-out, which saves and closes an open consultation (it stays its practitioner's
draft).
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QWidget,
)

from consult.store.dto import UserInfo
from consult.store.errors import StoreError
from consult.store.services import clinic as clinic_service
from consult.store.services import users as user_service
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, centred_card, heading
from consult.ui.widgets.refusals import refusal_message
from consult.ui.widgets.tasks import run_write

INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.TabletMove,
    }
)


class IdleWatcher(QObject):
    """Emits :attr:`idle` when no input has reached the application for a while."""

    idle = Signal()

    def __init__(self, timeout_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(timeout_ms)
        self.timer.timeout.connect(self.idle)
        self.last_input = time.monotonic()
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Restart the countdown on any input; never consumes the event.

        Every event of the application passes here, thousands a second while a page is
        built or painted: the cheap test first (a C++ flag), so that the event's type (a
        Python enum, made for each call) is asked of input events only.
        """
        if event.isInputEvent() and event.type() in INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
            self.last_input = time.monotonic()
        return False

    def quiet_ms(self) -> float | None:
        """How long since the last input (or the start of counting), in ms; None while
        not counting. (Not from the timer: a timeout of minutes is a coarse timer.)"""
        if not self.timer.isActive():
            return None
        return (time.monotonic() - self.last_input) * 1000

    def start(self, timeout_ms: int | None = None) -> None:
        """Start (or restart) counting, optionally with a new timeout."""
        if timeout_ms is not None:
            self.timer.setInterval(timeout_ms)
        self.timer.start()
        self.last_input = time.monotonic()

    def stop(self) -> None:
        """Stop counting (nobody signed in, or already locked)."""
        self.timer.stop()


class LockPage(QWidget):
    """Covers the window: the user's password to unlock, or another user signs in."""

    unlock_requested = Signal(str)
    switch_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user: UserInfo | None = None
        _, layout = centred_card(self)
        self.title = heading("", self)
        layout.addWidget(self.title)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.password)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QHBoxLayout()
        self.switch_button = QPushButton(self)
        self.unlock_button = QPushButton(self)
        self.unlock_button.setDefault(True)
        self._retranslate()
        buttons.addWidget(self.switch_button)
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        layout.addLayout(buttons)
        self.unlock_button.clicked.connect(self._submit)
        self.password.returnPressed.connect(self._submit)
        self.switch_button.clicked.connect(self.switch_requested)

    def _retranslate(self) -> None:
        """Set the texts in the interface language: the page is made once, at start, and
        shown in the language of whoever is signed in when it locks."""
        self.title.setText(self.tr("Consult is locked"))
        self.title.setAccessibleName(self.title.text())
        self.password.setAccessibleName(self.tr("Password"))
        self.password.setPlaceholderText(self.tr("Password"))
        self.switch_button.setText(self.tr("Sign in as &someone else"))
        self.switch_button.setAccessibleName(self.tr("Sign in as someone else"))
        self.unlock_button.setText(self.tr("&Unlock"))
        self.unlock_button.setAccessibleName(self.tr("Unlock"))
        if self.user is not None:
            self.message.setText(
                self.tr(
                    "%1 is still signed in. Enter your password to carry on where you left "
                    "off, or let someone else sign in (your open consultation is kept as a "
                    "draft)."
                ).replace("%1", self.user.display_name)
            )

    def changeEvent(self, event: QEvent) -> None:
        """The interface language changed: say everything in the new one."""
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)

    def prepare(self, user: UserInfo) -> None:
        """Show who is signed in, with an empty password field ready to type."""
        self.user = user
        self._retranslate()
        # A wrapped label in a centred card does not grow by itself: give it its height.
        card = self.message.parentWidget()
        width = max(self.message.width(), (card.minimumWidth() if card else 0) - 48)
        self.message.setMinimumHeight(self.message.heightForWidth(width))
        self.password.clear()
        self.error.clear_error()
        self.password.setFocus()

    def _submit(self) -> None:
        if not self.password.text():
            self.error.show_error(self.tr("Enter your password."))
            return
        password = self.password.text()
        self.password.clear()
        self.unlock_requested.emit(password)


class IdleLock(QObject):
    """Locks ``window`` after the clinic's ``idle_lock_minutes`` without input.

    ``switch_user`` signs the locked user out (saving their work) and shows the sign-in
    page. Tests set :attr:`timeout_ms` for a short timeout.
    """

    locked_changed = Signal(bool)

    def __init__(
        self,
        window: QMainWindow,
        session: AppSession,
        stack: QStackedWidget,
        switch_user: Callable[[], None],
    ) -> None:
        super().__init__(window)
        self.window = window
        self.session = session
        self.stack = stack
        self.switch_user = switch_user
        self.timeout_ms: int | None = None
        self.locked = False
        self.checking = False  # a password to unlock is being checked
        self._covered: QWidget | None = None
        self.page = LockPage(window)
        stack.addWidget(self.page)
        self.watcher = IdleWatcher(clinic_service.IDLE_LOCK_DEFAULT_MINUTES * 60_000, self)
        self.watcher.idle.connect(self.lock)
        self.page.unlock_requested.connect(self.unlock)
        self.page.switch_requested.connect(self._switch)

    def start(self) -> None:
        """A user signed in (or unlocked): count idle time from now."""
        timeout = self.timeout_ms
        if timeout is None:
            try:
                timeout = self.session.idle_lock_minutes() * 60_000
            except StoreError:
                timeout = clinic_service.IDLE_LOCK_DEFAULT_MINUTES * 60_000
        self.watcher.start(timeout)

    def stop(self) -> None:
        """Nobody is signed in any more: stop counting and uncover the window."""
        self.watcher.stop()
        if self.locked:
            self._uncover()

    def lock(self) -> None:
        """Cover the window now (the idle timer, or the user's own Lock command)."""
        user = self.session.user
        if user is None or self.locked:
            return
        self.watcher.stop()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                widget.reject()
        self.locked = True
        self._covered = self.stack.currentWidget()
        self.stack.setCurrentWidget(self.page)
        self.window.menuBar().setEnabled(False)
        self.page.prepare(user)
        ctx = self.session.ctx
        run_write(lambda: user_service.lock(ctx), lambda _none: None, self._lock_not_logged)
        self.locked_changed.emit(True)

    def _lock_not_logged(self, exc: Exception) -> None:
        if not isinstance(exc, StoreError):
            raise exc  # a program error: logged by run_write and shown by the error dialog
        if self.locked:
            self.page.error.show_error(refusal_message(exc))

    def unlock(self, password: str) -> None:
        """Uncover the window if ``password`` is the signed-in user's: checked on a pool
        thread (the password's hash is slow on purpose), the lock page waiting
        meanwhile; :attr:`checking` until the answer is in."""
        if self.checking or not self.locked:
            return
        self.checking = True
        session = self.session
        run_write(
            lambda: session.unlock(password),
            self._unlocked,
            self._refused,
            busy=self.page,
        )

    def _unlocked(self, user: UserInfo) -> None:
        self.checking = False
        if not self.locked:  # signed out meanwhile
            return
        self.session.set_user(user)
        self._uncover()
        self.start()

    def _refused(self, exc: Exception) -> None:
        self.checking = False
        if not isinstance(exc, StoreError):
            raise exc  # a program error: logged by run_write and shown by the error dialog
        self.page.error.show_error(refusal_message(exc))
        self.page.password.clear()
        self.page.password.setFocus()

    def _uncover(self) -> None:
        self.locked = False
        self.window.menuBar().setEnabled(True)
        covered, self._covered = self._covered, None
        if covered is not None and covered is not self.page:
            self.stack.setCurrentWidget(covered)
        self.page.password.clear()
        self.locked_changed.emit(False)

    def _switch(self) -> None:
        self.locked = False
        self.window.menuBar().setEnabled(True)
        self._covered = None
        self.switch_user()


__all__ = ["IdleLock", "IdleWatcher", "LockPage", "Qt"]
