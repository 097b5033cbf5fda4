"""The PostgreSQL test server: reaching it, and clearing away what the tests made there.

Dropping a database makes the server take a checkpoint (a second or more while other
tests write), and dropping a schema with its tables takes a fifth of a second: neither
is part of what a test checks, so they are handed to one background thread per test
process (:func:`drop_later`) while the next test runs. :func:`finish_drops` waits for
them at the end of the session and reports any that failed.
"""

from __future__ import annotations

import logging
import os
import queue
import threading

import pytest
from sqlalchemy import create_engine
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


class _Dropper:
    """One thread that runs the drop statements it is given, in order, on the server."""

    def __init__(self) -> None:
        self._statements: queue.Queue[str | None] = queue.Queue()
        self._failures: list[str] = []
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def put(self, statement: str) -> None:
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="test-server-drops", daemon=True
                )
                self._thread.start()
        self._statements.put(statement)

    def _run(self) -> None:
        engine = create_engine(
            os.environ.get(PG_ENV) or DEFAULT_PG_URL, isolation_level="AUTOCOMMIT"
        )
        try:
            while (statement := self._statements.get()) is not None:
                try:
                    with engine.connect() as conn:
                        conn.exec_driver_sql(statement)
                except Exception as exc:  # reported by finish(), not lost in the thread
                    _log.warning("%s failed: %s", statement, exc)
                    self._failures.append(f"{statement}: {exc}")
        finally:
            engine.dispose()

    def finish(self) -> list[str]:
        with self._lock:
            thread, self._thread = self._thread, None
        if thread is not None:
            self._statements.put(None)
            thread.join()
        failures, self._failures = self._failures, []
        return failures


_dropper = _Dropper()


def drop_later(statement: str) -> None:
    """Run ``statement`` (a DROP DATABASE or DROP SCHEMA) on the server in the background.

    The name dropped must be one no test uses again: the drop may come at any later time
    before the session ends.
    """
    _dropper.put(statement)


def finish_drops() -> list[str]:
    """Wait for the drops handed over so far; the ones that failed, with why."""
    return _dropper.finish()
