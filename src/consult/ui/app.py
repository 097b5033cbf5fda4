"""Starting the Qt application."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from consult import APP_ID, APP_NAME, __version__
from consult.paths import Dirs
from consult.store.database import Database
from consult.ui.main_window import MainWindow
from consult.ui.session import AppSession


def make_application() -> QApplication:
    """The QApplication (created once)."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationDomain(APP_ID.rsplit(".", 1)[0])
    app.setDesktopFileName(APP_ID)
    return app


def run_gui(db: Database, dirs: Dirs) -> int:
    """Show the main window and run until it is closed."""
    app = make_application()
    session = AppSession(db, dirs)
    window = MainWindow(session)
    window.show()
    return app.exec()
