"""``consult db``: the administrator's schema commands.

``upgrade`` creates or upgrades the schema; on PostgreSQL it runs as the tables' owner,
and ``--grant-to LOGIN`` gives the workstations' login its rights (and no more).
``status`` shows the schema version; ``restored`` records in the audit log that a server
was restored from a dump, so that heads seen before the restore are no longer expected.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from consult.commands.app import open_for_use
from consult.commands.base import UsageError
from consult.store import audit, migrate, schema
from consult.store.database import Database, open_database

if TYPE_CHECKING:
    from consult.commands.base import Context

GRANT_ENV = "CONSULT_DB_GRANT_TO"
MAINTENANCE_ACTOR = "cli"
"""The audit log's name for the command line maintaining the database itself (``db
restored``): the server's administrator, who may have no Consult account. It opens no
record; commands that do act as a Consult user (:mod:`consult.commands.actor`)."""


def _open_for_schema(ctx: Context) -> Database:
    # A server's schema commands write no audit entry: the owner's machine needs no key.
    return open_database(ctx.dirs, ctx.database_url, require_key=not ctx.database_url)


def _grant(db: Database, role: str) -> None:
    try:
        lines = migrate.grant_to(db, role)
    except migrate.GrantError as exc:
        raise UsageError(str(exc)) from exc
    print(f"Granted {role} what the workstations need (and owns nothing):")
    print("\n".join(f"  {line}" for line in lines))


def _upgrade(args: argparse.Namespace, ctx: Context) -> int:
    role = args.grant_to or os.environ.get(GRANT_ENV) or None
    db = _open_for_schema(ctx)
    try:
        if role and db.is_sqlite:
            raise UsageError("--grant-to applies to a PostgreSQL server only")
        state = migrate.schema_state(db)
        if state is migrate.SchemaState.NEWER:
            print(
                f"The database ({db.describe()}) is at schema {migrate.current_revision(db)}, "
                "newer than this program: install the newer Consult. Nothing was changed."
            )
            return 1
        if state is migrate.SchemaState.CURRENT:
            print(f"{db.describe()}: already up to date ({migrate.head_revision()}).")
        elif state is migrate.SchemaState.OLDER and db.is_sqlite:
            schema.prepare(db, ctx.dirs.ensure().backups)
            print(f"{db.describe()}: upgraded to {migrate.head_revision()}.")
        else:
            migrate.upgrade(db)
            print(f"{db.describe()}: upgraded to {migrate.head_revision()}.")
        if role:
            _grant(db, role)
        elif not db.is_sqlite:
            print(
                "The workstations must not log in as this role: give their own login its "
                "rights with `consult db upgrade --grant-to LOGIN` (README: PostgreSQL set-up)."
            )
        return 0
    finally:
        db.close()


def _status(args: argparse.Namespace, ctx: Context) -> int:
    db = _open_for_schema(ctx)
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


def _restored(args: argparse.Namespace, ctx: Context) -> int:
    if not ctx.database_url:
        raise UsageError(
            "`db restored` is for a PostgreSQL server restored from a dump; "
            "`consult restore FILE` restores the embedded database"
        )
    if len(args.reason.strip()) < 5:
        raise UsageError("give the reason (--reason, at least 5 characters)")
    db = open_for_use(ctx)
    try:
        with db.session() as session:
            problems = [str(p) for p in audit.iter_chain_problems(session)]
            if problems:
                listed = "; ".join(problems[:3])
                raise UsageError(f"the restored log does not hold, nothing was recorded: {listed}")
            head = audit.head(session)
            audit.append(
                session,
                audit.Actor(None, MAINTENANCE_ACTOR, audit.workstation_name()),
                "database.restored",
                details={
                    "reason": args.reason.strip(),
                    "restored_head": list(head) if head else None,
                },
            )
        print(
            f"Recorded the restore of {db.describe()} (its log ends at entry "
            f"{head[0] if head else 0}): heads seen before it are no longer expected."
        )
        return 0
    finally:
        db.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``consult db``."""
    db = sub.add_parser("db", help="database schema: upgrade, status")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    upgrade = db_sub.add_parser(
        "upgrade",
        help="create or upgrade the schema to this version",
        description="On PostgreSQL run it as the tables' owner role, never as the "
        "workstations' login; --grant-to gives that login its rights.",
    )
    upgrade.add_argument(
        "--grant-to",
        metavar="LOGIN",
        help="PostgreSQL: give the workstations' login role what the app needs and no more "
        f"(SELECT and INSERT on the audit log) (default: ${GRANT_ENV})",
    )
    upgrade.set_defaults(func=_upgrade)
    status = db_sub.add_parser("status", help="show the schema version")
    status.set_defaults(func=_status)
    restored = db_sub.add_parser(
        "restored",
        help="record that the PostgreSQL server was restored from a dump",
        description="Checks the restored audit chain, then appends a database.restored "
        "entry: heads seen before the restore beyond its end are no longer expected.",
    )
    restored.add_argument("--reason", required=True, help="why, and from which dump")
    restored.set_defaults(func=_restored)
