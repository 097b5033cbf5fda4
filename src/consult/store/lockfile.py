"""An exclusive lock on a home, so that only one process opens its embedded database.

SQLite before 3.51.3 can corrupt a WAL database when two connections write or
checkpoint at the same moment; Consult therefore uses one connection per process and
lets only one process at a time open a home's database file.
"""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from types import TracebackType
from typing import IO

from consult.store.errors import DatabaseInUseError

if sys.platform == "win32":  # pragma: no cover - exercised on Windows workstations
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class HomeLock:
    """Holds the lock file of a home for as long as it is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._handle: IO[str] | None = None

    def acquire(self) -> HomeLock:
        """Take the lock, or raise :class:`DatabaseInUseError` naming who holds it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held open on purpose
        if not _try_lock(handle):
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise DatabaseInUseError(
                f"Consult is already running with this database ({holder}). "
                "Close the other window first, or use a different --home."
            )
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()} on {socket.gethostname()}\n")
        handle.flush()
        self._handle = handle
        return self

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._handle is not None:
            handle, self._handle = self._handle, None
            handle.seek(0)
            handle.truncate()
            _unlock(handle)
            handle.close()

    def __enter__(self) -> HomeLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
