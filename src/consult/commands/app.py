"""Starting the app, and ``consult demo``."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING

from consult import paths
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.errors import DatabaseVersionError

if TYPE_CHECKING:
    from consult.cli import Context


def open_for_use(ctx: Context) -> Database:
    """Open the database and make sure its schema is this program's.

    The embedded database is created or upgraded (after a backup) here; a server's
    schema is only checked: its administrator upgrades it with ``consult db upgrade``.
    """
    db = open_database(ctx.dirs, ctx.database_url)
    try:
        if not db.is_sqlite and migrate.schema_state(db) is migrate.SchemaState.EMPTY:
            raise DatabaseVersionError(
                f"The clinic database ({db.describe()}) has no tables yet. "
                "The administrator must run `consult db upgrade` first."
            )
        migrate.prepare(db, ctx.dirs.ensure().backups)
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
        db.close()


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
