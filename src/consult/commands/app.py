"""Starting the app, and ``consult demo``.

A failure to start (the app already running on this home, the wrong audit key, a
database schema too old or too new, a clinic policy that is refused) is told where the
person starting the app will see it: one line on standard error when started from a
terminal, and a message box as well when started from the desktop (no terminal), where
standard error goes nowhere anyone reads. The exit code is 2 either way.

The sign-in window is shown first, with only Qt and the sign-in page imported; the
database is opened on a pool thread behind it (:func:`open_for_use`, which imports
SQLAlchemy and the services). Without a display the database is opened first, so that
a failure is still told on stderr. A database whose schema is already this program's is recognised
without Alembic (:func:`schema_is_current`); Alembic is imported only to create or
upgrade a schema, or to explain why it cannot.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from consult import logs, paths
from consult.commands.base import Context, known_failure

if TYPE_CHECKING:
    from consult.store.database import Database

EXIT_STARTUP_FAILED = 2
# "terminal" or "desktop": how the app was started, when the launcher knows better than
# the standard streams (a desktop entry may set "desktop"; the tests set both).
STARTED_FROM_ENV = "CONSULT_STARTED_FROM"


def _is_tty(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed or detached stream
        return False


def has_terminal() -> bool:
    """Whether someone at a terminal reads standard error (stdin or stderr is a TTY).

    ``CONSULT_STARTED_FROM=terminal|desktop`` decides instead when it is set.
    """
    forced = os.environ.get(STARTED_FROM_ENV, "").strip().lower()
    if forced in ("terminal", "desktop"):
        return forced == "terminal"
    return _is_tty(sys.stdin) or _is_tty(sys.stderr)


def can_show_dialogs() -> bool:
    """Whether a window can be shown at all (on Linux: a display, or a chosen Qt platform)."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def one_line(message: str) -> str:
    """``message`` on one line (a policy error, for one, spans several)."""
    return " ".join(message.split())


def startup_failed(message: str, *, desktop: bool) -> int:
    """Tell why the app cannot start: on stderr, and in a message box from the desktop."""
    print(f"consult: error: {one_line(message)}", file=sys.stderr)
    if desktop and can_show_dialogs():
        from consult.ui.shell.app import show_startup_failure

        show_startup_failure(message)
    return EXIT_STARTUP_FAILED


_REVISION = re.compile(r"""^revision\s*(?::\s*str\s*)?=\s*(['"])(\w+)\1\s*$""", re.MULTILINE)
_DOWN_REVISION = re.compile(
    r"""^down_revision\s*(?::[^=\n]+)?=\s*(?:None|(['"])(\w+)\1)\s*$""", re.MULTILINE
)
_OTHER_LINKS = re.compile(
    r"^(?:branch_labels|depends_on)\s*(?::[^=\n]+)?=\s*(.*?)\s*$", re.MULTILINE
)


def head_revision() -> str | None:
    """The newest schema revision of the shipped migrations, read without Alembic.

    None unless every migration file names its revision and its one parent plainly (no
    branch labels, no dependencies) and together they make one unbranched chain: Alembic
    (:mod:`consult.store.migrate`) decides then. ``tests/test_startup.py`` keeps it
    equal to Alembic's head.
    """
    import consult.store

    versions = Path(consult.store.__file__).resolve().parent / "migrations" / "versions"
    parents: dict[str, str | None] = {}
    try:
        for file in versions.glob("*.py"):
            if file.name.startswith("_"):
                continue
            text = file.read_text(encoding="utf-8")
            revision = _REVISION.findall(text)
            down = _DOWN_REVISION.findall(text)
            links = _OTHER_LINKS.findall(text)
            if len(revision) != 1 or len(down) != 1 or any(link != "None" for link in links):
                return None
            if revision[0][1] in parents:
                return None
            parents[revision[0][1]] = down[0][1] or None
    except (OSError, UnicodeDecodeError):
        return None
    children = [parent for parent in parents.values() if parent is not None]
    heads = set(parents) - set(children)
    roots = [revision for revision, parent in parents.items() if parent is None]
    unbranched = len(set(children)) == len(children) and set(children) <= set(parents)
    if len(heads) != 1 or len(roots) != 1 or not unbranched:
        return None
    return heads.pop()


def schema_is_current(db: Database) -> bool:
    """Whether the database is at this program's newest schema revision, found without
    importing Alembic (False also when in doubt: :func:`open_for_use` asks Alembic)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    head = head_revision()
    if head is None:
        return False
    try:
        with db.engine.connect() as conn:
            found = list(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())
    except SQLAlchemyError:  # no such table yet: an empty database
        return False
    return found == [head]


def open_for_use(ctx: Context) -> Database:
    """Open the database and make sure its schema is this program's.

    The embedded database is created or upgraded (after a backup) here; a server's
    schema is only checked: its administrator upgrades it with ``consult db upgrade``.
    """
    from consult import logs
    from consult.store import audit, keys
    from consult.store.database import open_database
    from consult.store.errors import DatabaseVersionError
    from consult.store.keys import AuditKeyError

    logs.configure(ctx.dirs)
    db = open_database(ctx.dirs, ctx.database_url)
    try:
        ctx.dirs.ensure()
        if not schema_is_current(db):
            from consult.store import migrate, schema

            if not db.is_sqlite and migrate.schema_state(db) is migrate.SchemaState.EMPTY:
                raise DatabaseVersionError(
                    f"The clinic database ({db.describe()}) has no tables yet. "
                    "The administrator must run `consult db upgrade` first."
                )
            schema.prepare(db, ctx.dirs.backups)
        with db.session() as session:
            started_with = audit.chain_key_id(session)
        mine = audit.key_id(db.audit_key)
        if started_with not in (None, mine):
            raise AuditKeyError(
                f"This workstation's audit key ({keys.key_path(ctx.dirs)}, {mine}) is not "
                f"the one the clinic's audit log was started with ({started_with}). Copy the "
                "key file from the first workstation; nothing was opened."
            )
    except BaseException:
        db.close()
        raise
    return db


def run_app(args: argparse.Namespace, ctx: Context) -> int:
    """Start the desktop app on the chosen database.

    The sign-in window is shown while the database is opened behind it. A failure the
    user can act on ends in exit code 2 with its message on stderr, and in a message
    box too when there is no terminal to read stderr from.
    """
    desktop = not has_terminal()
    opened: list[Database] = []

    def open_clinic() -> Database:
        db = open_for_use(ctx)
        opened.append(db)
        return db

    try:
        try:
            # The log file from the start: Qt's messages (routed there) never reach a
            # terminal, not even before the database is open.
            logs.configure(ctx.dirs)
            if not can_show_dialogs():  # no window will show: stderr says why it cannot
                open_clinic()
        except Exception as exc:
            return _cannot_open(exc, ctx, desktop=desktop)
        from consult.ui.shell.app import OpeningFailed, run_gui_opening

        try:
            return run_gui_opening(
                (lambda: opened[0]) if opened else open_clinic, ctx.dirs, dialogs=desktop
            )
        except OpeningFailed as failed:
            return _cannot_open(failed.error, ctx, desktop=desktop)
    finally:
        for db in opened:  # only a database that was opened is backed up and closed
            try:
                _backup_at_exit(db, ctx)
            finally:
                db.close()


def _cannot_open(exc: Exception, ctx: Context, *, desktop: bool) -> int:
    """Tell why the database could not be opened (exit code 2), or raise ``exc`` when it
    is not a failure the user can act on, after a message box from the desktop."""
    message = known_failure(exc)
    if message is None:
        if desktop and can_show_dialogs():
            from consult.ui.shell.app import show_startup_failure

            show_startup_failure(
                "Consult met an error it did not expect while starting. Please tell "
                f"your clinic's support; the details are in {ctx.dirs.logs}.\n\n"
                f"{type(exc).__name__}: {exc}"
            )
        raise exc
    return startup_failed(message, desktop=desktop)


def _backup_at_exit(db: Database, ctx: Context) -> None:
    """The embedded database is backed up whenever the app closes (however it closes:
    the window, SIGTERM, the session ending); a failure is a warning, never in the way."""
    from consult.store import backup

    backup.exit_backup(db, ctx.dirs.backups)


def _demo(args: argparse.Namespace, ctx: Context) -> int:
    from consult.store.demo import DEMO_USERS, ensure_demo

    explicit_home = args.home or os.environ.get(paths.HOME_ENV)
    if not explicit_home and not ctx.database_url:
        ctx = Context(dirs=paths.for_home(paths.demo_home()), database_url=None)
    db = open_for_use(ctx)
    try:
        created = ensure_demo(db)
        where = ctx.dirs.home or Path(ctx.dirs.data)
        print(("Created" if created else "Using") + f" the demo clinic in {where}")
        print(db.describe())
        print("Sign in as:")
        for user in DEMO_USERS:
            roles = ", ".join(sorted(user.roles))
            print(f"  {user.username:<12} password {user.password:<20} ({roles})")
        if args.no_gui:
            return 0
        from consult.ui.shell.app import run_gui

        return run_gui(db, ctx.dirs, dialogs=not has_terminal())
    finally:
        if not args.no_gui:
            _backup_at_exit(db, ctx)
        db.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``consult demo``."""
    demo = sub.add_parser(
        "demo",
        help="create (or reuse) a demo clinic in its own home, then start the app",
        description="Creates a demo clinic (GB) with one user per role and about 50 patients, "
        "in a separate demo home unless --home or CONSULT_HOME names one, then starts the app.",
    )
    demo.add_argument("--no-gui", action="store_true", help="create the demo data and stop")
    demo.set_defaults(func=_demo)
