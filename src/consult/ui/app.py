"""Starting the Qt application."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QEvent, QObject, QThreadPool, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from consult import APP_ID, APP_NAME, __version__, resources
from consult.paths import Dirs
from consult.store import backup
from consult.store.database import Database
from consult.ui.knowledge import knowledge, use_policy_dir
from consult.ui.main_window import MainWindow
from consult.ui.pdf_pages import OpenCopies, use_open_copies
from consult.ui.session import AppSession
from consult.ui.tasks import run_in_background

STARTUP_PROBE_ENV = "CONSULT_STARTUP_PROBE"
"""Set (to anything) to measure the start: the app prints ``consult-startup-probe shown
<time.monotonic()>`` once the sign-in window is first on screen, then quits
(benchmarks/bench_startup.py)."""


class _FirstExposure(QObject):
    """Calls ``then`` once, after the window it watches is first exposed and painted."""

    def __init__(self, window: QWidget, then: Callable[[], None]) -> None:
        super().__init__(window)
        self._then: Callable[[], None] | None = then
        handle = window.windowHandle()
        assert handle is not None, "the window is shown"
        handle.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and self._then is not None:
            then, self._then = self._then, None
            # The widgets paint while the expose event is handled: report after that.
            QTimer.singleShot(0, then)
        return False


def install_startup_probe(window: QWidget) -> None:
    """Print the monotonic clock once ``window`` is first on screen, then close it."""

    def shown() -> None:
        print(f"consult-startup-probe shown {time.monotonic():.6f}", flush=True)
        window.close()

    _FirstExposure(window, shown)


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
    app.setWindowIcon(QIcon(str(resources.path("icons", "consult.svg"))))
    return app


def show_startup_failure(message: str) -> None:
    """Say in a message box why Consult cannot start (returns once it is closed)."""
    app = make_application()
    QMessageBox.critical(None, app.tr("Consult cannot start"), message)


def run_gui(db: Database, dirs: Dirs, *, dialogs: bool = True) -> int:
    """Show the main window and run until it is closed.

    A clinic policy that is refused stops the app with exit code 2: one line on stderr,
    and a message box too unless ``dialogs`` is False (started from a terminal).
    """
    app = make_application()
    use_policy_dir(dirs.policy_dir)
    try:
        knowledge()
    except Exception as exc:  # a clinic policy file that is refused, or a damaged install
        reason = " ".join(str(exc).split())
        print(f"consult: error: the screening rules could not be loaded: {reason}", file=sys.stderr)
        if dialogs:
            show_startup_failure(
                app.tr(
                    "The screening rules could not be loaded, so no patient can be screened safely:"
                )
                + f"\n\n{exc}\n\n"
                + app.tr("Correct or remove the policy file named above, then start Consult again.")
            )
        return 2
    open_copies = OpenCopies(dirs.open_copies)
    open_copies.clear()  # copies a crash or a busy viewer left behind last time
    use_open_copies(open_copies)
    install_error_dialog(dirs)
    try:
        session = AppSession(db, dirs)
        window = MainWindow(session)
        window.show()
        if os.environ.get(STARTUP_PROBE_ENV):
            install_startup_probe(window)
        start_daily_backup(window, db, dirs)
        return app.exec()
    finally:
        # Work still running (the daily backup just after a quick start and quit) ends
        # before the caller takes the backup at exit and closes the database.
        QThreadPool.globalInstance().waitForDone()
        open_copies.clear()


def install_error_dialog(dirs: Dirs) -> None:
    """A program error is logged (see consult.logs) and told to the user, not swallowed."""
    previous = sys.excepthook

    def show(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        previous(kind, value, tb)
        if issubclass(kind, KeyboardInterrupt):
            return
        QMessageBox.critical(
            QApplication.activeWindow(),
            QApplication.translate("app", "Something went wrong"),
            QApplication.translate(
                "app",
                "Consult met an error it did not expect. What you saved is safe; the step "
                "you were doing may not have finished. Please tell your clinic's support; "
                "the details are in the log file:",
            )
            + f"\n{dirs.logs / 'consult.log'}\n\n{kind.__name__}: {value}",
        )

    sys.excepthook = show


def start_daily_backup(window: MainWindow, db: Database, dirs: Dirs) -> None:
    """The first start of each day backs the embedded database up, off the GUI thread."""
    if not db.is_sqlite:
        return
    status = window.statusBar()
    status.showMessage(window.tr("Checking today's backup…"))

    def done(made: object) -> None:
        if made is None:
            status.showMessage(window.tr("Today's backup is already taken."), 5000)
        else:
            status.showMessage(window.tr("Today's backup was taken and checked."), 5000)

    def failed(exc: Exception) -> None:
        status.showMessage(window.tr("The daily backup failed: ") + str(exc))

    run_in_background(lambda: backup.daily_if_needed(db, dirs.backups), done, failed)
