"""Running a kiosk station (``consult kiosk``): one full-screen window, no way out.

The station's screen (:class:`KioskStation`) sits in patient mode's own window
(:class:`PatientWindow`: frameless, full screen, closing refused) behind patient mode's
escape guard (Escape, Alt+F4, Ctrl+W, Ctrl+Q, Alt+Tab where Qt sees them). Only the
operating system ends it: SIGTERM or SIGHUP (the session ending) quit the event loop, the
writes still waiting are given a few seconds, and the process exits. The operating
system's kiosk or assigned-access mode does the rest (docs/patient-mode.md).
"""

from __future__ import annotations

import logging
import signal
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from consult.paths import Dirs
from consult.store.services.context import ServiceContext
from consult.ui.patient_mode.kiosk_station import KioskStation
from consult.ui.patient_mode.patient_window import EscapeGuard, PatientWindow
from consult.ui.patient_mode.words import PatientWords
from consult.ui.shell.app import make_application
from consult.ui.shell.knowledge import knowledge, knowledge_cache, use_policy_dir
from consult.ui.shell.language import apply_language
from consult.ui.widgets.tasks import wait_for_writes

_log = logging.getLogger(__name__)
WRITES_AT_EXIT_MS = 5000
"""How long the answers still being saved are waited for when the station is stopped."""


def _quit_on_termination(app: QApplication) -> Callable[[], None]:
    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, lambda _signum, _frame: app.quit())

    def put_back() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return put_back


def open_station(ctx: ServiceContext) -> tuple[PatientWindow, KioskStation, EscapeGuard]:
    """The station's window, full screen, asking for its intake."""
    kb = knowledge()
    screen = KioskStation(ctx, kb)
    window = PatientWindow(screen, PatientWords(kb, "en"), "Consult kiosk")
    window.keep_focus = True  # a tablet has one screen: the station keeps it
    guard = EscapeGuard((window,), window)
    window.open_on(None)
    screen.start()
    return window, screen, guard


def run_kiosk(ctx: ServiceContext, dirs: Dirs) -> int:
    """Run the station until the operating system stops it (with the clinic's policy
    files of this workstation, as the app loads them: the questions are the desk's)."""
    app = make_application()
    put_back = _quit_on_termination(app)
    apply_language(None)
    use_policy_dir(dirs.policy_dir, knowledge_cache(dirs))
    # Python runs a signal handler only when it has control: a timer hands it control.
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    window, screen, _guard = open_station(ctx)
    try:
        return app.exec()
    finally:
        wake.stop()
        screen.stop()
        if not wait_for_writes(WRITES_AT_EXIT_MS):
            _log.warning("kiosk: answers still being saved when the station stopped")
        window.release()
        put_back()
