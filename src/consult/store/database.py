"""Opening the database: the embedded SQLite file or a clinic's PostgreSQL server.

One :class:`Database` per process. It owns the engine and the session factory; each
user action gets its own session from :meth:`Database.session` (one unit of work).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from consult.paths import Dirs
from consult.store import keys
from consult.store.audit import AUDIT_KEY_INFO
from consult.store.errors import BadDatabaseURLError
from consult.store.lockfile import HomeLock

SQLITE_BUSY_TIMEOUT_MS = 10_000


def normalise_url(raw: str) -> URL:
    """Parse a database URL, accepting ``postgresql://`` for ``postgresql+psycopg://``."""
    try:
        url = make_url(raw)
    except ArgumentError as exc:
        raise BadDatabaseURLError(f"not a database URL: {raw!r}") from exc
    backend = url.get_backend_name()
    if backend == "postgresql":
        if url.get_driver_name() not in ("psycopg", "psycopg2", ""):
            raise BadDatabaseURLError(
                f"unsupported PostgreSQL driver {url.get_driver_name()!r}: use postgresql+psycopg://"
            )
        return url.set(drivername="postgresql+psycopg")
    if backend == "sqlite":
        return url
    raise BadDatabaseURLError(
        f"unsupported database {backend!r}: use a PostgreSQL URL (postgresql+psycopg://…)"
    )


def _sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record: Any) -> None:
    # The driver's own transaction handling is switched off so that SQLAlchemy's
    # BEGIN (below) decides when a transaction starts.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA mmap_size = 0")
    finally:
        cursor.close()


def _sqlite_begin(conn: Any) -> None:
    conn.exec_driver_sql("BEGIN")


def make_engine(url: URL) -> Engine:
    """An engine for ``url`` with the settings Consult relies on."""
    if url.get_backend_name() == "sqlite":
        # One connection per process: the only writer, shared in turn by every thread.
        engine = create_engine(
            url,
            poolclass=QueuePool,
            pool_size=1,
            max_overflow=0,
            pool_timeout=60,
            connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=5, max_overflow=5)


@dataclass
class Database:
    """An open database: its engine, its session factory and, if embedded, the home lock."""

    url: URL
    engine: Engine
    sessions: sessionmaker[Session]
    lock: HomeLock | None = None
    audit_key: bytes = b""

    @property
    def is_sqlite(self) -> bool:
        """True for the embedded database."""
        return self.url.get_backend_name() == "sqlite"

    @property
    def sqlite_path(self) -> Path | None:
        """The embedded database file, or None on a server."""
        if not self.is_sqlite or not self.url.database:
            return None
        return Path(self.url.database)

    def describe(self) -> str:
        """Where the data lives, for the status bar (never with the password)."""
        if self.is_sqlite:
            return f"Embedded database: {self.url.database}"
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return f"PostgreSQL: {self.url.database} on {host}{port}"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        """Release the connections and the home lock."""
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def open_database(dirs: Dirs, database_url: str | None = None, *, lock: bool = True) -> Database:
    """Open (without migrating) the embedded database of ``dirs``, or the server at the URL.

    The embedded database takes the home's lock file first, so that a second process on
    the same home fails with :class:`DatabaseInUseError` before it opens anything.
    """
    home_lock: HomeLock | None = None
    if database_url:
        url = normalise_url(database_url)
    else:
        dirs.ensure()
        url = URL.create("sqlite+pysqlite", database=str(dirs.database_file))
    if url.get_backend_name() == "sqlite" and lock and url.database not in (None, "", ":memory:"):
        home_lock = HomeLock(dirs.lock_file if not database_url else Path(f"{url.database}.lock"))
        home_lock.acquire()
    try:
        engine = make_engine(url)
    except Exception:
        if home_lock is not None:
            home_lock.release()
        raise
    try:
        key = keys.load_or_create(dirs)
    except Exception:
        engine.dispose()
        if home_lock is not None:
            home_lock.release()
        raise
    sessions = sessionmaker(engine, expire_on_commit=False, info={AUDIT_KEY_INFO: key})
    return Database(url=url, engine=engine, sessions=sessions, lock=home_lock, audit_key=key)
