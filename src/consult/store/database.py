"""Opening the database: the embedded SQLite file or a clinic's PostgreSQL server.

One :class:`Database` per process. It owns the engine and the session factory; each
user action gets its own session from :meth:`Database.session` (one unit of work).

It also keeps the heads of the audit chain this workstation has seen (see
:mod:`consult.store.integrity`): every :data:`~consult.store.integrity.ANCHOR_EVERY`
entries appended, and when it is closed.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from consult.paths import Dirs
from consult.store import audit, integrity, keys
from consult.store.audit import APPENDED_INFO, AUDIT_KEY_INFO
from consult.store.errors import BadDatabaseURLError, StoreError
from consult.store.lockfile import HomeLock

_log = logging.getLogger(__name__)


class DamagedDatabaseError(StoreError):
    """The embedded database file cannot be read as a database."""


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
    anchors: integrity.AnchorConfig | None = None
    config_dir: Path | None = None
    """This workstation's config directory, where the clinic's signing identity is kept
    (:mod:`consult.proof.identity`); None: forms are sealed without a signature."""
    _appended: int = field(default=0, repr=False)
    _appended_total: int = field(default=0, repr=False)
    _anchor_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

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
        """Where the data lives, for the command line (never with the password; the
        window says it in the interface's words)."""
        if self.is_sqlite:
            return f"Embedded database: {self.url.database}"
        host = self.url.host or "localhost"
        port = f":{self.url.port}" if self.url.port else ""
        return f"PostgreSQL: {self.url.database} on {host}{port}"

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error.

        After a commit that brings this process's appended entries to the anchor
        interval, the chain's head is recorded in the anchor files.
        """
        with self.sessions.begin() as session:
            yield session
        appended = int(session.info.get(APPENDED_INFO, 0))
        if appended and self.anchors is not None:
            with self._anchor_lock:
                self._appended += appended
                self._appended_total += appended
                due = self._appended >= self.anchors.every
                if due:
                    self._appended = 0
            if due:
                self.record_head()

    def record_head(self, *, mark: bool = False) -> list[str]:
        """Write the chain's head to this workstation's anchor files; returns what failed.

        With ``mark``, first say in the log which files these are (once), so that
        ``consult verify`` reports one that goes missing. Never raises.
        """
        if self.anchors is None:
            return []
        try:
            if mark:
                with self.sessions.begin() as session:
                    integrity.ensure_marker(session, self.anchors)
            with self.sessions.begin() as session:
                return integrity.record_head(session, self.anchors)
        except (SQLAlchemyError, OSError) as exc:
            _log.warning("could not record the audit chain's head: %s", exc)
            return [str(exc)]

    def close(self) -> None:
        """Record the head seen (if this process wrote to the log), then release the
        connections and the home lock."""
        try:
            if self._appended_total:
                self.record_head(mark=True)
                self._appended_total = 0
        finally:
            self.engine.dispose()
            if self.lock is not None:
                self.lock.release()


def sqlite_file_problem(path: Path) -> str | None:
    """Why an existing SQLite file cannot be opened as a database, or None if it can."""
    if not path.exists() or path.stat().st_size == 0:
        return None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None


def _has_audit_log(engine: Engine) -> bool:
    """True if the database already has audit entries (a key must already exist then)."""
    with engine.connect() as conn:
        if not inspect(conn).has_table("audit_entry"):
            return False
        return conn.execute(text("SELECT 1 FROM audit_entry LIMIT 1")).first() is not None


def _audit_key(dirs: Dirs, engine: Engine, url: URL, damaged: bool, require: bool) -> bytes:
    if keys.exists(dirs):
        return keys.load(dirs)
    where = (
        f"the database {url.database}"
        if url.get_backend_name() == "sqlite"
        else f"the PostgreSQL database {url.database} on {url.host or 'localhost'}"
    )
    if damaged or _has_audit_log(engine):
        if not require:
            return b""  # schema commands on a server: no entry is written, none is checked
        raise keys.MissingKeyError(keys.missing_key_message(dirs, where))
    return keys.load_or_create(dirs)


def open_database(
    dirs: Dirs,
    database_url: str | None = None,
    *,
    lock: bool = True,
    allow_damaged: bool = False,
    require_key: bool = True,
) -> Database:
    """Open (without migrating) the embedded database of ``dirs``, or the server at the URL.

    The embedded database takes the home's lock file first, so that a second process on
    the same home fails with :class:`DatabaseInUseError` before it opens anything. A
    damaged embedded file is refused with :class:`DamagedDatabaseError` (one line, not a
    traceback) unless ``allow_damaged`` (``consult restore`` replaces it). A database
    that already has an audit log is opened only with the audit key that exists on this
    workstation: no new key is made for it (``require_key=False``: the schema commands,
    which write no entry, open it without a key).
    """
    home_lock: HomeLock | None = None
    if database_url:
        url = normalise_url(database_url)
    else:
        dirs.ensure()
        url = URL.create("sqlite+pysqlite", database=str(dirs.database_file))
    is_sqlite = url.get_backend_name() == "sqlite"
    if is_sqlite and lock and url.database not in (None, "", ":memory:"):
        # Keyed by the file's real path: naming a home's database another way (a link,
        # "..", --database-url) takes that home's lock, not a lock of its own.
        real = Path(os.path.realpath(str(url.database)))
        if real.name == dirs.database_file.name:  # a home's database: that home's lock
            lock_file = real.with_name(dirs.lock_file.name)
        else:
            lock_file = real.with_name(real.name + ".lock")
        home_lock = HomeLock(lock_file)
        home_lock.acquire()
    damage: str | None = None
    engine: Engine | None = None
    try:
        if is_sqlite and url.database not in (None, "", ":memory:"):
            damage = sqlite_file_problem(Path(str(url.database)))
            if damage is not None and not allow_damaged:
                raise DamagedDatabaseError(
                    f"The database {url.database} is damaged ({damage}). Restore the newest "
                    "sound backup with `consult restore FILE` (the damaged file is kept)."
                )
        engine = make_engine(url)
        key = _audit_key(dirs, engine, url, damage is not None, require_key)
    except BaseException:
        if engine is not None:
            engine.dispose()
        if home_lock is not None:
            home_lock.release()
        raise
    anchors = integrity.AnchorConfig(
        workstation=audit.workstation_name(),
        config_dir=dirs.config,
        checkpoint_dir=dirs.backups if is_sqlite else None,
        anchor_dir=integrity.anchor_dir_from_env(),
    )
    sessions = sessionmaker(
        engine,
        expire_on_commit=False,
        info={AUDIT_KEY_INFO: key, integrity.ANCHORS_INFO: anchors},
    )
    return Database(
        url=url,
        engine=engine,
        sessions=sessions,
        lock=home_lock,
        audit_key=key,
        anchors=anchors,
        config_dir=dirs.config,
    )
