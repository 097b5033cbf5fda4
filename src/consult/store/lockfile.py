"""An exclusive lock on a home, so that only one process opens its embedded database.

SQLite before 3.51.3 can corrupt a WAL database when two connections write or
checkpoint at the same moment; Consult therefore uses one connection per process and
lets only one process at a time open a home's database file.

The lock is the operating system's (``flock`` on Linux and macOS, ``LockFileEx`` on
Windows) through the ``filelock`` library: the system lets go of it when the process
ends, however it ends, so a crash never leaves a home locked. The process that holds
it writes who it is into the lock file, for the message the next one shows.
"""

from __future__ import annotations

import contextlib
import os
import socket
from pathlib import Path
from types import TracebackType

from filelock import FileLock, Timeout

from consult.store.errors import DatabaseInUseError


def _holder_text() -> str:
    return f"process {os.getpid()} on {socket.gethostname()}\n"


def _write_holder(fd: int) -> None:
    """Called by filelock with the lock file's descriptor once the lock is ours."""
    with contextlib.suppress(OSError):  # only for the message: never fail the lock
        os.ftruncate(fd, 0)
        os.lseek(fd, 0, os.SEEK_SET)
        os.write(fd, _holder_text().encode("utf-8"))


class HomeLock:
    """Holds the lock file of a home for as long as it is open."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock: FileLock | None = None

    def _holder(self) -> str:
        try:
            text = self.path.read_text(encoding="utf-8", errors="replace").strip()
        except OSError:  # Windows: the holder's lock also keeps others from reading
            text = ""
        return text or "another process"

    def acquire(self) -> HomeLock:
        """Take the lock, or raise :class:`DatabaseInUseError` naming who holds it."""
        if self._lock is not None:
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        lock = FileLock(
            self.path,
            timeout=0,  # one try: a second window is refused at once, never kept waiting
            thread_local=False,  # taken when the database opens, let go from any thread
            on_acquired=_write_holder,
        )
        try:
            lock.acquire()
        except Timeout:
            raise DatabaseInUseError(
                f"Consult is already running with this database ({self._holder()}). "
                "Close the other window first, or use a different --home."
            ) from None
        self._lock = lock
        return self

    @property
    def is_locked(self) -> bool:
        """Whether this process holds the lock."""
        return self._lock is not None and self._lock.is_locked

    def release(self) -> None:
        """Let go of the lock (idempotent)."""
        if self._lock is not None:
            lock, self._lock = self._lock, None
            lock.release(force=True)

    def __enter__(self) -> HomeLock:
        return self.acquire()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
