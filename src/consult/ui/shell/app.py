"""Starting the Qt application.

The sign-in window comes first, right after Qt starts: before it is shown only Qt and
the sign-in page are loaded, not SQLAlchemy nor the store services. Everything else
follows once it is on screen, off the GUI thread where it can be (:class:`_AfterShown`):
the clinic database is opened, the services imported and the knowledge base loaded
(from its cache in the home) while the person types, then Sign in is enabled (or the
first-run page shown); then the modules of the workspace (which is then built, so that
the first sign-in does not wait) and the day's backup. A database that cannot be opened
or a refused clinic policy ends the app as before, now over the window.
"""

from __future__ import annotations

import importlib
import logging
import os
import signal
import sys
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, cast

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from consult import APP_ID, APP_NAME, __version__, resources
from consult.ui.shell.interpreter import (
    defer_full_collections,
    freeze_startup_objects,
    thaw_startup_objects,
    use_short_switch_interval,
)
from consult.ui.shell.knowledge import (
    knowledge,
    knowledge_cache,
    knowledge_sources,
    use_policy_dir,
)
from consult.ui.shell.language import apply_language, reset_language
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.qt_log import route_qt_messages
from consult.ui.widgets.pdf_pages import OpenCopies, use_open_copies
from consult.ui.widgets.tasks import run_in_background, wait_for_jobs

if TYPE_CHECKING:
    from consult.paths import Dirs
    from consult.store.database import Database
    from consult.ui.shell.session import AppSession

_log = logging.getLogger(__name__)

STARTUP_PROBE_ENV = "CONSULT_STARTUP_PROBE"
"""Set (to anything) to measure the start: the app prints ``consult-startup-probe shown
<time.monotonic()>`` once the sign-in window is first on screen, then ``…ready <time>``
once the clinic database is open and Sign in enabled, then quits
(benchmarks/bench_startup.py)."""

OPENING_MODULES = (
    "consult.ui.shell.session",
    "consult.ui.shell.first_run",
    "consult.ui.shell.idle_lock",
    "consult.ui.shell.change_password",
    "consult.ui.shell.language_dialog",
)
"""What the main window needs once the clinic database is open (the store services,
SQLAlchemy, the password strength meter), imported on the pool thread that opens it."""

WORKSPACE_MODULES = (
    "consult.ui.shell.change_password",
    "consult.ui.patients.search_page",
    "consult.ui.shell.workspace",
    "consult.store.backup",
)
"""What the workspace and the day's backup import, loaded off the GUI thread once the
sign-in window is on screen."""

EXIT_RULES_REFUSED = 2
"""Exit code when the screening rules cannot be loaded (a refused clinic policy)."""


def prepare_workspace() -> None:
    """On a pool thread, once the sign-in window is shown: import the workspace's
    modules, parse the consent form's fonts and the consent templates, and make ready
    the Qt types the first consultation meets (:mod:`consult.ui.shell.warm_types`), so
    that neither the first sign-in nor the first consultation waits for them.

    The templates' parse is about a second of Python: started at the consultation's
    summary (as it was) it competed with the window for the GIL there, a 100-150 ms stall
    when the machine was busy. One that fails is logged here and told by the consent
    step that needs it (which parses them again).
    """
    for name in WORKSPACE_MODULES:
        importlib.import_module(name)
    from consult.documents.consent_pdf import prepare_fonts
    from consult.ui.consent.templates import consent_templates
    from consult.ui.shell.warm_types import warm_types

    prepare_fonts()
    warm_types()
    try:
        consent_templates()
    except Exception:
        _log.exception("the consent templates could not be loaded at start")
    start_form_press()


def start_form_press() -> None:
    """Start the process that renders and signs consent forms (:mod:`consult.proof.press`)
    with the knowledge base in force, and hand forms to it; a press that cannot start is
    logged, and forms are then rendered in this process."""
    from consult.proof.press import FormPress, use_press

    policy_dir, cache_dir = knowledge_sources()
    try:
        press = FormPress(policy_dir=policy_dir, cache_dir=cache_dir, version=knowledge().version)
    except Exception:
        _log.exception("the form press could not be started: forms are rendered in the window")
        return
    previous = use_press(press)
    if previous is not None:  # the window's second start in one process (tests)
        previous.close()


def stop_form_press() -> None:
    """End the press in use; forms are rendered in this process from now on."""
    from consult.proof.press import use_press

    press = use_press(None)
    if press is not None:
        press.close()


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


def install_startup_probe(window: MainWindow) -> None:
    """Print the monotonic clock once ``window`` is first on screen, and again once it
    has its session (Sign in enabled), then close it."""

    def shown() -> None:
        print(f"consult-startup-probe shown {time.monotonic():.6f}", flush=True)

    def ready(_session: object) -> None:
        print(f"consult-startup-probe ready {time.monotonic():.6f}", flush=True)
        window.close()

    _FirstExposure(window, shown)
    window.session_opened.connect(ready)


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
    make_application()
    apply_language(None)
    QMessageBox.critical(None, QApplication.translate("app", "Consult cannot start"), message)


class OpeningFailed(Exception):
    """The clinic database could not be opened (raised by :func:`run_gui_opening` once
    the event loop has ended; :attr:`error` is why, for the caller to tell)."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


class RulesRefused(Exception):
    """The knowledge base could not be loaded (a clinic policy file that is refused, or
    a damaged install): :attr:`error` is why."""

    def __init__(self, error: Exception) -> None:
        super().__init__(str(error))
        self.error = error


def run_gui(db: Database, dirs: Dirs, *, dialogs: bool = True) -> int:
    """Show the main window on a database already open, and run until it is closed
    (see :func:`run_gui_opening`)."""
    return run_gui_opening(lambda: db, dirs, dialogs=dialogs)


def run_gui_opening(open_clinic: Callable[[], Database], dirs: Dirs, *, dialogs: bool) -> int:
    """Show the sign-in window at once, open the clinic database with ``open_clinic`` on
    a pool thread meanwhile, and run until the window is closed.

    If ``open_clinic`` fails, the event loop ends and :class:`OpeningFailed` is raised
    (the caller tells why). A clinic policy that is refused ends the app with exit code
    2: one line on stderr, and a message box too unless ``dialogs`` is False (started
    from a terminal).
    """
    app = make_application()
    # SIGTERM and SIGHUP (the session ending) quit through the normal exit path, so the
    # backup at exit is taken. Python runs a signal handler only when it has control:
    # a timer hands it control four times a second while Qt waits for input.
    put_back = _quit_on_termination(app)
    # Work on pool threads lets the GUI thread's Python callbacks in sooner.
    put_back_interval = use_short_switch_interval()
    put_back_collections = defer_full_collections()  # run while quiet instead
    unroute = route_qt_messages()
    # The workstation's language until someone signs in (then theirs, see MainWindow).
    apply_language(None)
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(250)
    try:
        return _run_window(app, open_clinic, dirs, dialogs=dialogs)
    finally:
        wake.stop()
        put_back()
        put_back_interval()
        put_back_collections()
        thaw_startup_objects()
        unroute()
        reset_language()


def _quit_on_termination(app: QApplication) -> Callable[[], None]:
    """Quit the event loop on SIGTERM or SIGHUP; returns what puts the old handlers back."""
    previous: dict[int, Any] = {}
    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is not None:
            previous[number] = signal.signal(number, lambda _signum, _frame: app.quit())

    def put_back() -> None:
        for number, handler in previous.items():
            signal.signal(number, handler)

    return put_back


def _exit_backup(db: Database, dirs: Dirs) -> None:
    # The session is ending: the backup at exit now, in case the process is not given
    # the time to close normally (store.backup is imported only here, not at start).
    from consult.store import backup

    backup.exit_backup(db, dirs.backups)


def _run_window(
    app: QApplication, open_clinic: Callable[[], Database], dirs: Dirs, *, dialogs: bool
) -> int:
    # From the cache in the home when the files are those of the last start (~20 ms),
    # loaded on the pool thread with the database (see _AfterShown).
    use_policy_dir(dirs.policy_dir, knowledge_cache(dirs))
    open_copies = OpenCopies(dirs.open_copies)
    open_copies.clear()  # copies a crash or a busy viewer left behind last time
    use_open_copies(open_copies)
    install_error_dialog(dirs)
    after: _AfterShown | None = None
    try:
        window = MainWindow.opening(dirs)
        window.show()
        if os.environ.get(STARTUP_PROBE_ENV):  # first: it reports before the work starts
            install_startup_probe(window)
        after = _AfterShown(window, open_clinic, dirs)
        code = app.exec()
        failure = after.failure
        if isinstance(failure, RulesRefused):
            return _rules_refused(failure.error, dialogs=dialogs)
        if failure is not None:
            raise failure
        return code
    finally:
        if after is not None:
            after.stop()
        # Work still running (the daily backup just after a quick start and quit, a
        # page's last query) ends before the caller takes the backup at exit and closes
        # the database.
        wait_for_jobs()
        stop_form_press()
        open_copies.clear()
        use_open_copies(None)  # this home's folder is not the next window's


def _rules_refused(exc: Exception, *, dialogs: bool) -> int:
    """Tell that the knowledge base could not be loaded; the exit code."""
    reason = " ".join(str(exc).split())
    print(f"consult: error: the screening rules could not be loaded: {reason}", file=sys.stderr)
    if dialogs:
        show_startup_failure(
            QApplication.translate(
                "app",
                "The screening rules could not be loaded, so no patient can be screened "
                "safely:\n\n%1\n\nCorrect or remove the policy file named above, then "
                "start Consult again.",
            ).replace("%1", str(exc))
        )
    return EXIT_RULES_REFUSED


def _open_session(open_clinic: Callable[[], Database], dirs: Dirs) -> AppSession:
    """On a pool thread: open the clinic database, import what needs it, read the clinic
    and load the knowledge base; the session is handed to the GUI thread."""
    try:
        db = open_clinic()
    except Exception as exc:
        raise OpeningFailed(exc) from exc
    for name in OPENING_MODULES:
        importlib.import_module(name)
    from consult.ui.shell.session import AppSession

    session = AppSession(db, dirs)
    try:
        knowledge()
    except Exception as exc:  # a clinic policy file that is refused, or a damaged install
        raise RulesRefused(exc) from exc
    gui = QCoreApplication.instance()
    assert gui is not None, "the application runs"
    session.moveToThread(gui.thread())
    return session


class _AfterShown(QObject):
    """What the app does once its window is on screen, one step after the other.

    1. The clinic database is opened, what needs it imported, the clinic read and the
       knowledge base loaded, on a pool thread; the window then gets the session (its
       sign-in page the clinic's name and an enabled Sign in, or the first-run page).
       If that fails, the event loop ends and :attr:`failure` says why.
    2. The workspace's modules (consent forms, PDF, registers…) are imported and the
       consent form's fonts parsed on a pool thread; the workspace is then built on the
       GUI thread, before anyone has finished typing a password (signing in sooner
       builds it there and then).
    3. The day's backup of the embedded database, on a pool thread.

    Nothing is delivered once :meth:`stop` is called (the app has ended).
    """

    def __init__(self, window: MainWindow, open_clinic: Callable[[], Database], dirs: Dirs) -> None:
        super().__init__(window)
        self.window = window
        self.open_clinic = open_clinic
        self.dirs = dirs
        self.db: Database | None = None
        self.failure: Exception | None = None
        self.running = True
        _FirstExposure(window, self._open)

    def stop(self) -> None:
        """The app has ended: deliver nothing more."""
        self.running = False

    def is_running(self) -> bool:
        """Whether the app still runs (results are delivered)."""
        return self.running

    def _open(self) -> None:
        if not self.running:
            return

        def done(opened: object) -> None:
            session = cast("AppSession", opened)
            if not self.running:
                return
            self.db = session.db
            app = QApplication.instance()
            assert isinstance(app, QApplication)
            app.commitDataRequest.connect(lambda _manager: _exit_backup(session.db, self.dirs))
            self.window.open_session(session)
            self._import_workspace()

        def failed(exc: Exception) -> None:
            if not self.running:
                return
            _log.info("the app cannot go on opening: %s", exc)
            self.failure = exc
            QCoreApplication.exit(EXIT_RULES_REFUSED)

        run_in_background(lambda: _open_session(self.open_clinic, self.dirs), done, failed)

    def _import_workspace(self) -> None:
        if not self.running:
            return

        def done(_none: object) -> None:
            if self.running:
                freeze_startup_objects()  # no garbage collection walks them again
                self._build_workspace()

        def failed(exc: Exception) -> None:
            if self.running:
                raise exc  # a program error: logged and shown by the error dialog

        run_in_background(prepare_workspace, done, failed)

    def _build_workspace(self) -> None:
        assert self.db is not None, "the database is open"
        self.window.workspace  # noqa: B018 - built now, while nobody waits for it
        start_daily_backup(self.window, self.db, self.dirs, self.is_running)


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
                "the details are in the log file:\n%1",
            ).replace("%1", f"{dirs.logs / 'consult.log'}\n\n{kind.__name__}: {value}"),
        )

    sys.excepthook = show


def start_daily_backup(
    window: MainWindow, db: Database, dirs: Dirs, running: Callable[[], bool] = lambda: True
) -> None:
    """The first start of each day backs the embedded database up, off the GUI thread
    (what it found is shown while ``running()``)."""
    if not db.is_sqlite:
        return
    status = window.statusBar()
    status.showMessage(QApplication.translate("app", "Checking today's backup…"))

    def work() -> object:
        from consult.store import backup

        return backup.daily_if_needed(db, dirs.backups)

    def done(made: object) -> None:
        if not running():
            return
        if made is None:
            status.showMessage(
                QApplication.translate("app", "Today's backup is already taken."), 5000
            )
        else:
            status.showMessage(
                QApplication.translate("app", "Today's backup was taken and checked."), 5000
            )

    def failed(exc: Exception) -> None:
        if running():
            status.showMessage(
                QApplication.translate("app", "The daily backup failed: %1").replace("%1", str(exc))
            )

    run_in_background(work, done, failed)
