"""Writing a command's output file (``-o FILE``, ``--csv FILE``): one way, for every command.

A command that writes a file calls :func:`check` before it does any work (so that a
mistake is reported at once) and then :func:`write_bytes` or :func:`write_with`, or
:func:`staged` when a service writes the file, places it and logs it itself (the
exports: :data:`consult.documents.exports.Place`). The file

- never replaces an existing file unless the user gave ``--force``, and never anything
  that is not a regular file: a directory, a device, a FIFO or a socket, or a symbolic
  link to one (or to nothing);
- is never put inside Consult's own folders (the home's data, config, logs and backups,
  compared by real path, so neither a symbolic link nor ``..`` gets there), nor onto
  the database file named by ``--database-url``;
- goes into a folder that exists (it is not created);
- is written atomically: into a private temporary folder (mode 0700) beside the target,
  flushed to disk, given mode 0600 (readable by its owner only: exports hold patient
  data), then renamed onto the target. On any failure, a full disk for example, nothing
  is left behind and an existing file is untouched;
- is audited only once it is in place: the caller's ``after`` callback (or the service,
  after its ``place``) runs after the rename. If that fails, the new file is removed
  again, so that no export exists without its audit entry.

Every refusal is a :class:`consult.commands.base.UsageError`: one line, exit 2.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from consult.commands.base import UsageError, show

if TYPE_CHECKING:
    from consult.commands.base import Context

T = TypeVar("T")
_log = logging.getLogger(__name__)

FILE_MODE = 0o600
_SQLITE_SIDE_FILES = ("", "-wal", "-shm", "-journal", ".lock")
_NO_HARD_LINKS = {errno.EPERM, errno.EOPNOTSUPP, errno.ENOTSUP, errno.EXDEV, errno.EMLINK}


@dataclass(frozen=True)
class Target:
    """A checked output file: where it goes (its real path) and how to name it to the user."""

    real: Path
    shown: str
    option: str
    force: bool

    def refuse(self, reason: str) -> UsageError:
        """The one-line error for this file."""
        return UsageError(f"{self.option} {self.shown}: {reason}")


def protected(ctx: Context) -> list[Path]:
    """Consult's own folders and files, which no command may write over (real paths)."""
    dirs = ctx.dirs
    places: list[Path] = [dirs.data, dirs.config, dirs.logs, dirs.backups]
    if ctx.home_data is not None:
        places.append(ctx.home_data)
    places += [Path(f"{dirs.database_file}{suffix}") for suffix in _SQLITE_SIDE_FILES]
    database = _sqlite_file(ctx.database_url)
    if database is not None:
        places += [Path(f"{database}{suffix}") for suffix in _SQLITE_SIDE_FILES]
    return [Path(os.path.realpath(p)) for p in places]


def _sqlite_file(url: str | None) -> Path | None:
    if not url:
        return None
    try:
        # Here, not above, for start-up speed only: most commands never give a URL.
        from sqlalchemy.engine import make_url

        parsed = make_url(url)
    except Exception:  # a bad URL is reported when the database is opened
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(str(parsed.database))


def _identities(places: Iterable[Path]) -> set[tuple[int, int]]:
    out: set[tuple[int, int]] = set()
    for place in places:
        with contextlib.suppress(OSError):
            info = os.stat(place)
            out.add((info.st_dev, info.st_ino))
    return out


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


def check(ctx: Context, name: str, *, force: bool, option: str = "-o") -> Target:
    """Refuse at once an output file that must not or cannot be written; see the module."""
    shown = show(name)
    if not name.strip():
        raise UsageError(f"{option}: no file name given")
    if "\x00" in name:
        raise UsageError(f"{option} {shown}: a file name cannot contain a NUL character")
    given = Path(name)
    real = Path(os.path.realpath(given))
    target = Target(real=real, shown=shown, option=option, force=force)
    places = protected(ctx)
    for place in places:
        if real == place or real.is_relative_to(place):
            raise target.refuse(
                f"is inside Consult's own files ({place}); write exports somewhere else"
            )
    # The same by identity, for a second name of the same folder (a bind mount, a
    # case-insensitive file system): no parent of the target may be one of them.
    identities = _identities(places)
    for parent in (real, *real.parents):
        if _identity(parent) in identities:
            raise target.refuse("is inside Consult's own files; write exports somewhere else")
    try:
        info = os.lstat(given)
    except (FileNotFoundError, NotADirectoryError):
        info = None  # the folder is checked below
    except OSError as exc:
        raise target.refuse(_reason(exc)) from None
    if info is not None:
        _check_existing(target, given, info)
    folder = real.parent
    if not folder.is_dir():
        shown_folder = show(str(given.parent))
        if folder.exists():
            raise target.refuse(f"{shown_folder} is not a folder")
        raise target.refuse(f"no such folder: {shown_folder}")
    return target


def _check_existing(target: Target, given: Path, info: os.stat_result) -> None:
    if stat.S_ISLNK(info.st_mode):
        try:
            info = os.stat(given)
        except OSError:
            raise target.refuse("is a symbolic link to nothing; refused") from None
    if stat.S_ISDIR(info.st_mode):
        raise target.refuse("is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        raise target.refuse("is not a regular file (a device, a pipe or a socket); refused")
    if not target.force:
        raise target.refuse("the file exists (add --force to replace it)")


class Staged:
    """A file being written for :func:`staged`: write it at :attr:`path` (in a private
    temporary folder beside the target), then :meth:`place` it."""

    def __init__(self, ctx: Context, target: Target, path: Path) -> None:
        self._ctx = ctx
        self._target = target
        self.path = path
        """Where to write the file (any name beside it is private too)."""
        self.placed: tuple[int, int] | None = None
        """The placed file's identity, once it is in place."""

    def place(self, written: Path) -> Path:
        """Put the file ``written`` (under :attr:`path`'s folder) where it stays, after the
        same checks as at the start; returns its real path."""
        _finish(written)
        target = check(
            self._ctx, str(self._target.real), force=self._target.force, option=self._target.option
        )
        _rename(target, written)
        self.placed = _identity(target.real)
        return target.real

    def take_back(self) -> None:
        """Remove the placed file again (if it is still the one placed)."""
        real = self._target.real
        if self.placed is not None and _identity(real) == self.placed:
            _log.warning("%s taken away again: what wrote it failed after placing it", real)
            try:
                real.unlink()
            except OSError:
                _log.error("%s could not be taken away again", real, exc_info=True)
        self.placed = None


@contextlib.contextmanager
def staged(ctx: Context, name: str, *, force: bool, option: str = "-o") -> Iterator[Staged]:
    """Write the file ``name`` as the module says, in steps the caller runs: write at
    ``stage.path``, ``stage.place(path)``, then log.

    The target is checked at once. A failure before the file is placed leaves nothing
    behind (an OSError is refused as "cannot be written"); any failure after it, the
    audit entry's for one, takes the placed file away again, so that no export exists
    without its entry.
    """
    target = check(ctx, name, force=force, option=option)
    real = target.real
    try:
        folder = Path(
            tempfile.mkdtemp(prefix=f".{real.name[:40]}.", suffix=".part", dir=real.parent)
        )
    except OSError as exc:
        raise target.refuse(f"cannot be written: {_reason(exc)}") from None
    stage = Staged(ctx, target, folder / f"content{real.suffix[:16]}")
    try:
        yield stage
    except OSError as exc:
        if stage.placed is None:
            raise target.refuse(f"cannot be written: {_reason(exc)}") from None
        stage.take_back()
        raise
    except BaseException:
        stage.take_back()
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_bytes(
    ctx: Context,
    name: str,
    data: bytes,
    *,
    force: bool,
    after: Callable[[Path], None] | None = None,
    option: str = "-o",
) -> Path:
    """Write ``data`` to the file ``name`` as the module says; returns its real path."""

    def fill(tmp: Path) -> Path:
        with tmp.open("xb") as file:
            file.write(data)
        return tmp

    with staged(ctx, name, force=force, option=option) as stage:
        real = stage.place(fill(stage.path))
        if after is not None:
            after(real)
    return real


def write_with(
    ctx: Context,
    name: str,
    writer: Callable[[Path], T],
    *,
    force: bool,
    after: Callable[[Path], None] | None = None,
    option: str = "-o",
) -> T:
    """Call ``writer(path)`` to write a temporary file, then put it in place as ``name``.

    ``writer`` may write its own file under another temporary name beside ``path`` and
    rename it: it writes inside a private folder. Returns what ``writer`` returned.
    """
    with staged(ctx, name, force=force, option=option) as stage:
        result = writer(stage.path)
        real = stage.place(stage.path)
        if after is not None:
            after(real)
    return result


def _finish(tmp: Path) -> None:
    """Readable by its owner only, and on the disk before it gets its name."""
    os.chmod(tmp, FILE_MODE)
    fd = os.open(tmp, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _rename(target: Target, tmp: Path) -> None:
    real = target.real
    if target.force:
        os.replace(tmp, real)
    else:
        # A hard link never replaces a file that appeared since the check.
        try:
            os.link(tmp, real)
        except FileExistsError:
            raise target.refuse("the file exists (add --force to replace it)") from None
        except OSError as exc:
            if exc.errno not in _NO_HARD_LINKS:
                raise
            if os.path.lexists(real):
                raise target.refuse("the file exists (add --force to replace it)") from None
            os.replace(tmp, real)
    with contextlib.suppress(OSError):
        fd = os.open(real.parent, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _reason(exc: OSError) -> str:
    return " ".join(str(exc.strerror or exc).split())
