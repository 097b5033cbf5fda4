"""What every export shares: progress, cancelling, and a file that appears only when whole.

A writer reports ``progress(done, total)`` now and then, checks ``cancelled()`` as it
goes, and writes to a temporary file beside the target that is renamed onto it only
when complete: a cancelled or failed export leaves no half-written file. The file holds
patient data, so it is readable by its owner only.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Place = Callable[[Path], Path]
"""Puts a file written under a temporary name where it stays, and returns that path: what
a caller that places its own files (the command line's ``-o``) gives an export, so that
the export is logged under its final name, once it is there."""
PROGRESS_EVERY = 200


class ExportCancelled(Exception):
    """The user cancelled the export; nothing was written."""


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """A file written under a temporary name, renamed onto ``path`` only on success.

    Text mode writes UTF-8 with a byte-order mark (spreadsheets then pick the right
    encoding) and no newline translation (the csv module writes its own line ends).
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        # Patient data: readable by this user only (0600), whatever the umask says.
        descriptor = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.chmod(tmp, 0o600)
        if "b" in mode:
            handle: IO[Any] = os.fdopen(descriptor, mode)
        else:
            handle = os.fdopen(descriptor, mode, encoding="utf-8-sig", newline="")
        with handle:
            yield handle
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


class Ticker:
    """Reports progress now and then and raises :class:`ExportCancelled` when asked."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None) -> None:
        self.total = total
        self.done = 0
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        """Raise :class:`ExportCancelled` if the user has asked to stop."""
        if self._cancelled is not None and self._cancelled():
            raise ExportCancelled("The export was cancelled.")

    def step(self) -> None:
        """One more item written; every :data:`PROGRESS_EVERY`, check and report."""
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.check()
            if self._progress is not None:
                self._progress(self.done, max(self.total, self.done))

    def finish(self) -> None:
        """Everything written: a last check, and the final count."""
        self.check()
        if self._progress is not None:
            self._progress(self.done, max(self.total, self.done))
