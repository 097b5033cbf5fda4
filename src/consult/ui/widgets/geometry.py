"""Windows and dialogs that fit the screen they open on, and the main window's place
remembered per workstation.

The sizes are worked out by pure functions of a screen's *available* area (the screen
less task bars and docks), so they are tested without a screen of that size: the main
window opens at :data:`DEFAULT_WINDOW` centred where that fits with room to spare, and
maximised on a smaller screen; a dialog is never larger than the available area. The
main window's normal geometry, whether it was maximised, and the screen it was on are
kept in the workstation's settings file (``config/workstation.ini`` in Consult's home)
and restored only onto a screen that still exists, moved and shrunk into it if need be.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

DEFAULT_WINDOW = QSize(1280, 800)
"""The main window's size on a screen with room for it."""

ROOMY_SCREEN = QSize(1440, 900)
"""A screen's available area below this (in either direction) opens the window maximised."""

FRAME = QSize(16, 48)
"""Room left for the window manager's frame and title bar around a window's contents."""

SETTINGS_FILE = "workstation.ini"
_GROUP = "main_window"


def fit_size(preferred: QSize, available: QRect, frame: QSize = FRAME) -> QSize:
    """``preferred``, shrunk where needed so that it and its frame fit in ``available``."""
    return QSize(
        max(1, min(preferred.width(), available.width() - frame.width())),
        max(1, min(preferred.height(), available.height() - frame.height())),
    )


def centred(size: QSize, available: QRect) -> QRect:
    """A rectangle of ``size`` centred in ``available`` (the frame's title bar kept in)."""
    rect = QRect(QPoint(0, 0), size)
    rect.moveCenter(available.center())
    top = available.top() + (FRAME.height() - FRAME.width() // 2)
    if rect.top() < top:
        rect.moveTop(min(top, available.bottom() - rect.height()))
    return rect


def initial_window_geometry(available: QRect) -> tuple[QRect, bool]:
    """Where the main window opens on a screen it has no saved place on:
    (normal geometry, maximised). A small screen opens it maximised; its normal size
    then still fits, for when it is restored."""
    maximised = (
        available.width() < ROOMY_SCREEN.width() or available.height() < ROOMY_SCREEN.height()
    )
    size = fit_size(DEFAULT_WINDOW, available)
    return centred(size, available), maximised


@dataclass(frozen=True)
class SavedGeometry:
    """The main window's place as saved: its screen, normal geometry and whether it was
    maximised."""

    screen: str
    rect: QRect
    maximised: bool


def clamp_into(rect: QRect, available: QRect) -> QRect:
    """``rect`` shrunk to fit ``available`` (with its frame) and moved wholly inside it."""
    size = fit_size(rect.size(), available)
    inner = available.adjusted(
        FRAME.width() // 2, FRAME.height() - FRAME.width() // 2, -FRAME.width() // 2, 0
    )
    x = min(max(rect.x(), inner.left()), inner.right() + 1 - size.width())
    y = min(max(rect.y(), inner.top()), inner.bottom() + 1 - size.height())
    return QRect(QPoint(max(x, available.left()), max(y, available.top())), size)


def restored_geometry(
    saved: SavedGeometry | None, screens: Mapping[str, QRect]
) -> tuple[QRect, bool] | None:
    """The saved place, on its screen if that screen still exists (``screens``: name to
    available area); None when nothing was saved or the screen is gone."""
    if saved is None or saved.screen not in screens or not saved.rect.isValid():
        return None
    return clamp_into(saved.rect, screens[saved.screen]), saved.maximised


def workstation_settings(config_dir: Path) -> QSettings:
    """This workstation's settings file (screen layout, never patient data)."""
    return QSettings(str(config_dir / SETTINGS_FILE), QSettings.Format.IniFormat)


def read_saved(settings: QSettings) -> SavedGeometry | None:
    """The main window's saved place, or None if there is none or it is unreadable."""
    screen = settings.value(f"{_GROUP}/screen")
    rect = settings.value(f"{_GROUP}/geometry")
    maximised = settings.value(f"{_GROUP}/maximised")
    if not isinstance(screen, str) or not isinstance(rect, str):
        return None
    try:
        x, y, width, height = (int(part) for part in rect.split(","))
    except ValueError:
        return None
    return SavedGeometry(screen, QRect(x, y, width, height), str(maximised).lower() == "true")


def save_window(window: QWidget, settings: QSettings) -> None:
    """Remember where ``window`` is (its normal geometry if maximised) and on which screen."""
    screen = window.screen()
    normal = window.normalGeometry()
    if not normal.isValid() or not window.isMaximized():
        normal = window.geometry()
    settings.setValue(f"{_GROUP}/screen", screen.name() if screen is not None else "")
    settings.setValue(
        f"{_GROUP}/geometry", f"{normal.x()},{normal.y()},{normal.width()},{normal.height()}"
    )
    settings.setValue(f"{_GROUP}/maximised", "true" if window.isMaximized() else "false")
    settings.sync()


def _screens() -> dict[str, QRect]:
    return {screen.name(): screen.availableGeometry() for screen in QGuiApplication.screens()}


def _screen_of(widget: QWidget | None) -> QScreen:
    screen = widget.screen() if widget is not None else None
    return screen if screen is not None else QGuiApplication.primaryScreen()


def place_window(window: QWidget, settings: QSettings) -> None:
    """Give ``window`` (before it is shown) its saved place, or the default for its screen."""
    restored = restored_geometry(read_saved(settings), _screens())
    if restored is None:
        rect, maximised = initial_window_geometry(_screen_of(window).availableGeometry())
    else:
        rect, maximised = restored
    window.setGeometry(rect)
    state = window.windowState() & ~Qt.WindowState.WindowMaximized
    if maximised:
        state |= Qt.WindowState.WindowMaximized
    window.setWindowState(state)


def fit_dialog(dialog: QWidget, preferred: QSize, parent: QWidget | None = None) -> QSize:
    """Size ``dialog`` to ``preferred``, never larger than its screen's available area
    (the screen of ``parent``'s window when given); returns the size chosen."""
    available = _screen_of(parent.window() if parent is not None else dialog).availableGeometry()
    size = fit_size(preferred, available)
    dialog.resize(size)
    return size


def available_area(widget: QWidget | None) -> QRect:
    """The available area of the screen ``widget`` is on (the primary screen if none)."""
    return _screen_of(widget).availableGeometry()


__all__ = [
    "DEFAULT_WINDOW",
    "ROOMY_SCREEN",
    "SavedGeometry",
    "available_area",
    "centred",
    "clamp_into",
    "fit_dialog",
    "fit_size",
    "initial_window_geometry",
    "place_window",
    "read_saved",
    "restored_geometry",
    "save_window",
    "workstation_settings",
]
