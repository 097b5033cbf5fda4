"""What happens to a database's schema when the app or a command opens it.

An embedded database older than the program is backed up (a checked, sealed backup,
rotated like any other) and then upgraded; a database newer than the program is refused
and left untouched; an older PostgreSQL schema is refused too, as only its
administrator upgrades it (``consult db upgrade``). :mod:`consult.store.migrate` moves
the schema; :mod:`consult.store.backup` takes the backup first.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from consult.store import backup
from consult.store.database import Database
from consult.store.errors import DatabaseVersionError
from consult.store.migrate import (
    SchemaState,
    current_revision,
    head_revision,
    schema_state,
    upgrade,
)


def prepare(db: Database, backups_dir: Path) -> SchemaState:
    """Bring the schema to this program's version where that is safe, before the app runs.

    Returns the state found. Raises :class:`DatabaseVersionError` when the database is
    newer than the program, or is an older PostgreSQL schema the administrator must
    upgrade.
    """
    state = schema_state(db)
    if state is SchemaState.NEWER:
        raise DatabaseVersionError(
            f"This database was written by a newer version of Consult "
            f"(schema {current_revision(db)}). Install the newer Consult; "
            "the database has not been changed."
        )
    if state is SchemaState.CURRENT:
        return state
    if not db.is_sqlite and state is SchemaState.OLDER:
        raise DatabaseVersionError(
            f"The clinic database is at schema {current_revision(db)}, older than this "
            f"program ({head_revision()}). The administrator must run `consult db upgrade`."
        )
    if state is SchemaState.OLDER:
        # Checked, sealed with its manifest and rotated like every other backup.
        now = dt.datetime.now(dt.UTC)
        name = f"before-upgrade-{current_revision(db)}-{now:%Y%m%dT%H%M%SZ}.sqlite3"
        backup.take_as(db, backups_dir, name, "before-upgrade", now, strict=False)
    upgrade(db)
    return state
