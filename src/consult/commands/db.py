"""``consult db upgrade`` and ``consult db status``: the administrator's schema commands."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from consult.store import migrate
from consult.store.database import open_database

if TYPE_CHECKING:
    from consult.cli import Context


def _upgrade(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.dirs, ctx.database_url)
    try:
        state = migrate.schema_state(db)
        if state is migrate.SchemaState.NEWER:
            print(
                f"The database ({db.describe()}) is at schema {migrate.current_revision(db)}, "
                "newer than this program: install the newer Consult. Nothing was changed."
            )
            return 1
        if state is migrate.SchemaState.CURRENT:
            print(f"{db.describe()}: already up to date ({migrate.head_revision()}).")
            return 0
        if state is migrate.SchemaState.OLDER and db.is_sqlite:
            migrate.prepare(db, ctx.dirs.ensure().backups)
        else:
            migrate.upgrade(db)
        print(f"{db.describe()}: upgraded to {migrate.head_revision()}.")
        return 0
    finally:
        db.close()


def _status(args: argparse.Namespace, ctx: Context) -> int:
    db = open_database(ctx.dirs, ctx.database_url)
    try:
        state = migrate.schema_state(db)
        current = migrate.current_revision(db) or "empty"
        print(
            f"{db.describe()}\nschema: {current} ({state.value}); this program: "
            f"{migrate.head_revision()}"
        )
        return 0
    finally:
        db.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``consult db``."""
    db = sub.add_parser("db", help="database schema: upgrade, status")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser("upgrade", help="create or upgrade the schema to this version")
    upgrade.set_defaults(func=_upgrade)
    status = db_sub.add_parser("status", help="show the schema version")
    status.set_defaults(func=_status)
