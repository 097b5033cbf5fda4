"""Schema migrations (Alembic), and the check that runs when the app opens a database.

An embedded database older than the code is backed up and then upgraded on start; a
database newer than the code is refused and left untouched. On a PostgreSQL server the
app never migrates by itself: the administrator runs ``consult db upgrade``.
"""

from __future__ import annotations

import datetime as dt
import enum
import sqlite3
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from consult.store.database import Database
from consult.store.errors import DatabaseVersionError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


class SchemaState(enum.Enum):
    """How a database's schema compares with this program's."""

    EMPTY = "empty"
    CURRENT = "current"
    OLDER = "older"
    NEWER = "newer"


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    return cfg


def head_revision() -> str:
    """The newest revision this program knows."""
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None, "no migrations shipped"
    return head


def current_revision(db: Database) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with db.engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def schema_state(db: Database) -> SchemaState:
    """Compare the database's revision with this program's."""
    current = current_revision(db)
    if current is None:
        return SchemaState.EMPTY
    script = ScriptDirectory.from_config(_config())
    if current == script.get_current_head():
        return SchemaState.CURRENT
    known = {rev.revision for rev in script.walk_revisions()}
    return SchemaState.OLDER if current in known else SchemaState.NEWER


def upgrade(db: Database, revision: str = "head") -> None:
    """Upgrade (or create) the schema up to ``revision``."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(db: Database, revision: str) -> None:
    """Downgrade the schema to ``revision`` (``base`` drops everything)."""
    cfg = _config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def backup_sqlite(db: Database, target: Path) -> Path:
    """Copy the embedded database to ``target`` with SQLite's online backup API."""
    source_path = db.sqlite_path
    if source_path is None:
        raise ValueError("only the embedded database can be backed up this way")
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = db.engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        raw.close()
    return target


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
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        backup_sqlite(db, backups_dir / f"before-upgrade-{current_revision(db)}-{stamp}.sqlite3")
    upgrade(db)
    return state
