"""Waiting for the sign-in page's check, which runs on a pool thread (the password hash
takes a good part of a second's CPU on purpose), as a person waits for it."""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from consult.store.database import Database
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from consult.ui.shell.signin import SignInPage
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories


def wait_for_sign_in(page: SignInPage, timeout_s: float = 30.0) -> None:
    """Run the event loop until ``page`` has its answer (signed in, or refused)."""
    deadline = time.monotonic() + timeout_s
    while page.checking:
        if time.monotonic() > deadline:
            raise AssertionError("the sign-in is still being checked")
        wait_for_writes(50)
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)


def open_window(qtbot: Any, db: Database, home: Any) -> MainWindow:
    """The main window on ``db``, nobody signed in."""
    window = MainWindow(AppSession(db, home))
    qtbot.addWidget(window)
    return window


def sign_in(window: MainWindow, username: str) -> None:
    """Sign ``username`` in through the sign-in page, as a person does, and wait for the
    answer."""
    window.sign_in.username.setText(username)
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)
