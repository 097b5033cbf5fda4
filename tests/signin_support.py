"""Waiting for the sign-in page's check, which runs on a pool thread (the password hash
takes a good part of a second's CPU on purpose), as a person waits for it."""

from __future__ import annotations

import time

from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from consult.ui.shell.signin import SignInPage
from consult.ui.widgets.tasks import wait_for_writes


def wait_for_sign_in(page: SignInPage, timeout_s: float = 30.0) -> None:
    """Run the event loop until ``page`` has its answer (signed in, or refused)."""
    deadline = time.monotonic() + timeout_s
    while page.checking:
        if time.monotonic() > deadline:
            raise AssertionError("the sign-in is still being checked")
        wait_for_writes(50)
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
