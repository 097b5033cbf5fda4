"""Databases at the current schema, migrated once per test process and copied per test.

Running the Alembic migrations takes a tenth of a second of CPU or more per database
(each revision file is read and compiled again; on PostgreSQL the server's work besides,
on SQLite a sync to disk), and several hundred tests start from a database at the
current schema. The migrations run
once per test process, and each test gets a copy:

- SQLite: the migrated file, closed cleanly (so nothing is left in a write-ahead log),
  is copied into the test's home.
- PostgreSQL, which cannot copy a schema: the statements the migrations sent to the
  server are recorded and sent again, in one transaction, to the test's fresh schema.
  Before it is used, a replay is checked against the migrated schema itself: the same
  tables, columns, constraints, indexes, triggers, functions and revision. Statements
  that only read (the migrations' look-ups of existing rows and of the catalog) are
  left out: on an empty schema they change nothing.

The tests of the migrations themselves (``tests/test_storage.py``) still run them on an
empty database.
"""

from __future__ import annotations

import re
import shutil
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, create_engine, event, text
from sqlalchemy.engine import make_url

from consult import paths
from consult.store import migrate
from consult.store.database import open_database
from tests.server_support import drop_schema_later

_READ_ONLY = re.compile(r"^\s*SELECT\b", re.IGNORECASE)


class MigratedSqlite:
    """An embedded database file at the current schema, to copy into a test's home."""

    def __init__(self, root: Path) -> None:
        dirs = paths.for_home(root).ensure()
        database = open_database(dirs)
        try:
            migrate.upgrade(database)
        finally:
            database.close()
        leftovers = [p.name for p in dirs.data.iterdir() if p.name.endswith(("-wal", "-shm"))]
        assert not leftovers, f"the migrated file was not closed cleanly: {leftovers}"
        self.file = dirs.database_file

    def copy_to(self, dirs: paths.Dirs) -> None:
        """Put a copy of the migrated file where ``dirs`` keeps its embedded database."""
        dirs.database_file.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(self.file, dirs.database_file)


@dataclass(frozen=True)
class _Statement:
    sql: str
    parameters: Any  # None: sent without parameters (the driver leaves "%" alone then)


def schema_url(base: str, schema: str) -> str:
    """``base`` with every connection's search path set to ``schema``."""
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


def new_schema(base: str) -> tuple[str, str]:
    """A fresh, empty schema on the server of ``base``: (its name, a URL that uses it).
    Drop it with :func:`~tests.server_support.drop_schema_later`."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    try:
        with admin.begin() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    finally:
        admin.dispose()
    return schema, schema_url(base, schema)


class MigratedPostgres:
    """The statements that bring an empty PostgreSQL schema to the current one."""

    def __init__(self, base: str, home: Path) -> None:
        self.base = base
        schema, url = new_schema(base)
        try:
            database = open_database(paths.for_home(home).ensure(), url)
            statements: list[_Statement] = []

            def with_parameters(cursor: Any, sql: str, parameters: Any, context: Any) -> None:
                statements.append(_Statement(sql, parameters))

            def without_parameters(cursor: Any, sql: str, context: Any) -> None:
                statements.append(_Statement(sql, None))

            dialect = database.engine.dialect
            event.listen(dialect, "do_execute", with_parameters)
            event.listen(dialect, "do_execute_no_params", without_parameters)
            try:
                migrate.upgrade(database)
            finally:
                event.remove(dialect, "do_execute", with_parameters)
                event.remove(dialect, "do_execute_no_params", without_parameters)
                database.close()
            self.statements: Sequence[_Statement] = [
                s for s in statements if not _READ_ONLY.match(s.sql)
            ]
            self._check_against(schema)
        finally:
            drop_schema_later(schema)

    def replay(self, url: str) -> None:
        """Bring the empty schema that ``url`` uses to the current schema."""
        engine = create_engine(url)
        try:
            with engine.begin() as conn:
                cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
                for statement in self.statements:
                    if statement.parameters is None:
                        cursor.execute(statement.sql)
                    else:
                        cursor.execute(statement.sql, statement.parameters)
        finally:
            engine.dispose()

    def _check_against(self, migrated: str) -> None:
        schema, url = new_schema(self.base)
        try:
            self.replay(url)
            engine = create_engine(self.base)
            try:
                with engine.connect() as conn:
                    expected = _catalog(conn, migrated)
                    copied = _catalog(conn, schema)
            finally:
                engine.dispose()
        finally:
            drop_schema_later(schema)
        assert copied == expected, "replaying the migrations' statements gave another schema"


def _catalog(conn: Connection, schema: str) -> dict[str, list[tuple[Any, ...]]]:
    """What a schema holds, as text with its own name taken out (to compare two)."""
    queries = {
        "columns": """
            SELECT table_name, column_name, ordinal_position, data_type,
                   character_maximum_length, is_nullable, column_default
            FROM information_schema.columns WHERE table_schema = :schema""",
        "constraints": """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace
            WHERE n.nspname = :schema""",
        "indexes": "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = :schema",
        "triggers": """
            SELECT t.tgname, pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
            JOIN pg_namespace n ON n.oid = r.relnamespace
            WHERE n.nspname = :schema AND NOT t.tgisinternal""",
        "functions": """
            SELECT p.proname, pg_get_functiondef(p.oid)
            FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
            WHERE n.nspname = :schema""",
        "sequences": """
            SELECT sequence_name, data_type, start_value, increment
            FROM information_schema.sequences WHERE sequence_schema = :schema""",
    }
    catalog: dict[str, list[tuple[Any, ...]]] = {}
    for name, query in queries.items():
        rows = conn.execute(text(query), {"schema": schema}).all()
        catalog[name] = sorted(
            tuple(str(v).replace(schema, "<schema>") for v in row) for row in rows
        )
    catalog["revision"] = [
        tuple(row)
        for row in conn.execute(text(f'SELECT version_num FROM "{schema}".alembic_version'))
    ]
    return catalog


def fresh_schema_url(base: str) -> Iterator[str]:
    """A URL whose connections use a fresh, empty schema (dropped afterwards)."""
    schema, url = new_schema(base)
    try:
        yield url
    finally:
        drop_schema_later(schema)


def newest_migration() -> str:
    """The revision of the highest-numbered migration file (``NNNN_*.py``): what the
    program's head must be once every migration has run."""
    versions = Path(__file__).resolve().parents[1] / "src/consult/store/migrations/versions"
    return max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
