"""The patient's window: full screen, no frame, no menus, and no key or click that
leaves it.

Closing the window (the window manager's close, Alt+F4), Escape, Ctrl+W, Ctrl+Q and
Alt+Tab (where Qt sees it) are refused while patient mode runs; each attempt is logged
and reported (:attr:`PatientWindow.escape_attempted`). A window manager can still switch
away from it: on the desk's own screen the window takes the focus back, and the desk
behind it stays covered by the desk panel, which only the practitioner's password
removes. The window is released (:meth:`PatientWindow.release`) when the practitioner
takes the consultation back.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent, QScreen
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from consult.ui.patient_mode.still_there import StillTherePrompt
from consult.ui.patient_mode.words import PatientWords

_log = logging.getLogger(__name__)
_BLOCKED_SEQUENCES = (
    QKeySequence.StandardKey.Close,
    QKeySequence.StandardKey.Quit,
)


def is_escape(event: QKeyEvent) -> bool:
    """Whether a key press would leave patient mode or its window."""
    key = event.key()
    modifiers = event.modifiers()
    alt = bool(modifiers & Qt.KeyboardModifier.AltModifier)
    ctrl = bool(modifiers & Qt.KeyboardModifier.ControlModifier)
    if key == Qt.Key.Key_Escape:
        return True
    if alt and key in (Qt.Key.Key_F4, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape):
        return True
    if ctrl and key in (Qt.Key.Key_W, Qt.Key.Key_Q, Qt.Key.Key_F4):
        return True
    if key in (Qt.Key.Key_Meta, Qt.Key.Key_Super_L, Qt.Key.Key_Super_R):
        return True
    return any(event.matches(sequence) for sequence in _BLOCKED_SEQUENCES)


class EscapeGuard(QObject):
    """Swallows the keys that would leave patient mode, in the patient's window and in
    the desk's, before any shortcut sees them."""

    attempted = Signal(str)

    def __init__(self, windows: tuple[QWidget, ...], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.windows = windows
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def remove(self) -> None:
        """Patient mode ended: the keys work again."""
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Refuse an escape key aimed at one of the guarded windows."""
        if event.type() not in (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride):
            return False
        if not isinstance(event, QKeyEvent) or not isinstance(watched, QWidget):
            return False
        if watched.window() not in self.windows or not is_escape(event):
            return False
        if event.type() == QEvent.Type.ShortcutOverride:
            event.accept()  # no shortcut fires: the key press comes here instead
            return True
        name = QKeySequence(event.keyCombination()).toString()
        _log.info("patient mode: %s refused", name)
        self.attempted.emit(name)
        return True


class PatientWindow(QWidget):
    """The full-screen window the patient answers in."""

    escape_attempted = Signal(str)

    def __init__(self, view: QWidget, words: PatientWords, title: str) -> None:
        """``view``: what the patient does here (the questionnaire, the consent)."""
        super().__init__(
            None,
            Qt.WindowType.Window
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowStaysOnTopHint,
        )
        self.released = False
        self.keep_focus = False  # on the desk's screen: take the focus back
        self.setObjectName("patient_window")
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.view = view
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(view)
        self.prompt = StillTherePrompt(words, self)

    def open_on(self, screen: QScreen | None) -> None:
        """Show full screen on ``screen`` (the desk's when None)."""
        if screen is not None:
            self.setScreen(screen)
            self.setGeometry(screen.geometry())
        self.showFullScreen()
        self.raise_()
        self.activateWindow()

    def release(self) -> None:
        """Patient mode ended: the window may close."""
        self.released = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Refused while patient mode runs (the answers stay, the desk stays locked)."""
        if self.released:
            super().closeEvent(event)
            return
        event.ignore()
        _log.info("patient mode: closing the window refused")
        self.escape_attempted.emit("close")

    def changeEvent(self, event: QEvent) -> None:
        """Minimised or taken out of full screen: full screen again; switched away from
        on the desk's screen: take the focus back."""
        super().changeEvent(event)
        if self.released:
            return
        if event.type() == QEvent.Type.WindowStateChange and not self.isFullScreen():
            QTimer.singleShot(0, self, self._full_screen_again)
        elif (
            event.type() == QEvent.Type.ActivationChange
            and self.keep_focus
            and not self.isActiveWindow()
        ):
            QTimer.singleShot(0, self, self._take_focus)

    def _full_screen_again(self) -> None:
        if not self.released and not self.isFullScreen():
            self.showFullScreen()

    def _take_focus(self) -> None:
        if not self.released and not self.isActiveWindow() and self.isVisible():
            self.raise_()
            self.activateWindow()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """The question "Are you still there?" covers the whole window."""
        super().resizeEvent(event)
        if self.prompt.isVisible():
            self.prompt.setGeometry(self.rect())
