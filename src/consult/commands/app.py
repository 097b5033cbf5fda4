"""Starting the app, and ``consult demo``."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from consult import logs, paths
from consult.store import audit, backup, keys, migrate
from consult.store.database import Database, open_database
from consult.store.errors import DatabaseVersionError
from consult.store.keys import AuditKeyError

if TYPE_CHECKING:
    from consult.cli import Context


def open_for_use(ctx: Context) -> Database:
    """Open the database and make sure its schema is this program's.

    The embedded database is created or upgraded (after a backup) here; a server's
    schema is only checked: its administrator upgrades it with ``consult db upgrade``.
    """
    logs.configure(ctx.dirs)
    db = open_database(ctx.dirs, ctx.database_url)
    try:
        if not db.is_sqlite and migrate.schema_state(db) is migrate.SchemaState.EMPTY:
            raise DatabaseVersionError(
                f"The clinic database ({db.describe()}) has no tables yet. "
                "The administrator must run `consult db upgrade` first."
            )
        migrate.prepare(db, ctx.dirs.ensure().backups)
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
    """Start the desktop app on the chosen database."""
    db = open_for_use(ctx)
    try:
        from consult.ui.app import run_gui

        return run_gui(db, ctx.dirs)
    finally:
        _backup_at_exit(db, ctx)
        db.close()


def _backup_at_exit(db: Database, ctx: Context) -> None:
    """The embedded database is backed up whenever the app closes."""
    if db.is_sqlite:
        try:
            backup.take(db, ctx.dirs.backups, "exit")
        except backup.BackupError as exc:
            print(f"consult: warning: the backup at exit failed: {exc}", file=sys.stderr)


def _demo(args: argparse.Namespace, ctx: Context) -> int:
    from consult.cli import Context as Ctx
    from consult.store.demo import DEMO_USERS, ensure_demo

    explicit_home = args.home or os.environ.get(paths.HOME_ENV)
    if not explicit_home and not ctx.database_url:
        ctx = Ctx(dirs=paths.for_home(paths.demo_home()), database_url=None)
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
        from consult.ui.app import run_gui

        return run_gui(db, ctx.dirs)
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
