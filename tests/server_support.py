"""The PostgreSQL test server: reaching it, and clearing away what the tests made there.

Dropping a database makes the server take a checkpoint (a second or more while other
tests write), and dropping a schema with its tables takes a fifth of a second: neither
is part of what a test checks, so they are handed to one background thread per test
process (:func:`drop_database_later`, :func:`drop_schema_later`) while the next test
runs. :func:`finish_drops` waits for them at the end of the session and reports any
that failed.
"""

from __future__ import annotations

import logging
import os
import queue
import threading
import time
from dataclasses import dataclass
from typing import Literal

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

_log = logging.getLogger(__name__)

PG_ENV = "CONSULT_TEST_PG_URL"
DEFAULT_PG_URL = "postgresql+psycopg://consult_test:consult_test@localhost:5432/consult_test"


def in_ci() -> bool:
    """True when running in CI, where nothing may be skipped for want of a server."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def postgres_url() -> str:
    """The test server's URL; skips (or fails, in CI) if it cannot be reached."""
    url = os.environ.get(PG_ENV) or DEFAULT_PG_URL
    engine = create_engine(url)
    try:
        with engine.connect():
            pass
    except Exception as exc:
        message = f"PostgreSQL test server not reachable at {make_url(url)!r}: {exc}"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    finally:
        engine.dispose()
    return url


# How long a database's drop waits for another login's connections to it to end: a
# process the test started, or a connection only the garbage collector will close.
# (The owner may end its own connections, WITH (FORCE), but not the workstations'.)
OTHERS_GONE_WITHIN = 30.0

_OTHERS_CONNECTED = text(
    "SELECT usename, application_name, state FROM pg_stat_activity "
    "WHERE datname = :name AND usename <> current_user"
)


@dataclass(frozen=True)
class _Drop:
    kind: Literal["DATABASE", "SCHEMA"]
    name: str

    @property
    def statement(self) -> str:
        if self.kind == "DATABASE":
            return f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'
        return f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'


class _Dropper:
    """One thread that drops what it is given, in order, on the server."""

    def __init__(self) -> None:
        self._drops: queue.Queue[_Drop | None] = queue.Queue()
        self._failures: list[str] = []
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, drop: _Drop) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="test-server-drops", daemon=True
                )
                self._thread.start()
        self._drops.put(drop)

    def _run(self) -> None:
        engine = create_engine(
            os.environ.get(PG_ENV) or DEFAULT_PG_URL, isolation_level="AUTOCOMMIT"
        )
        try:
            while (drop := self._drops.get()) is not None:
                try:
                    with engine.connect() as conn:
                        if drop.kind == "DATABASE":
                            self._wait_for_others(conn, drop.name)
                        conn.exec_driver_sql(drop.statement)
                except Exception as exc:  # reported by finish(), not lost in the thread
                    _log.warning("%s failed: %s", drop.statement, exc)
                    self._failures.append(f"{drop.statement}: {exc}")
        finally:
            engine.dispose()

    @staticmethod
    def _wait_for_others(conn: Connection, name: str) -> None:
        deadline = time.monotonic() + OTHERS_GONE_WITHIN
        while others := conn.execute(_OTHERS_CONNECTED, {"name": name}).all():
            if time.monotonic() > deadline:
                raise RuntimeError(f"other logins still connected to {name}: {others}")
            time.sleep(0.2)

    def finish(self) -> list[str]:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._drops.put(None)
            thread.join()
        failures, self._failures = self._failures, []
        return failures


_dropper = _Dropper()


def drop_database_later(name: str) -> None:
    """Drop the database ``name`` (no test may use it again) in the background."""
    _dropper.put(_Drop("DATABASE", name))


def drop_schema_later(name: str) -> None:
    """Drop the schema ``name`` and all in it (no test may use it again) in the background."""
    _dropper.put(_Drop("SCHEMA", name))


def finish_drops() -> list[str]:
    """Wait for the drops handed over so far; the ones that failed, with why."""
    return _dropper.finish()
