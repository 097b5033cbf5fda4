"""What every subcommand shares: its context, how it refuses, and its exit codes.

The ``consult`` command (:mod:`consult.cli`) imports the subcommands; a subcommand never
imports :mod:`consult.cli`, only this module. It is imported on every start, so it
imports nothing heavy: SQLAlchemy, for one, only inside :func:`known_failure`, and only
once a command has failed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from consult import paths

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class UsageError(Exception):
    """A mistake in how the command was called or in what it was given: exit 2."""


@dataclass(frozen=True)
class Context:
    """What every subcommand gets besides its own arguments."""

    dirs: paths.Dirs
    database_url: str | None
    home_data: Path | None = None
    """The home's own data folder, when ``--database-url`` names a database elsewhere."""


Handler = Callable[[argparse.Namespace, Context], int]
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2999, 12, 31)
MAX_RECORD_ID = 2**63 - 1
"""Record ids are 64-bit integers on both databases."""


def show(text: str) -> str:
    """A value for a one-line message: quoted when it has line breaks or odd characters."""
    return text if text.isprintable() else repr(text)


def one_line(message: object) -> str:
    """``message`` on one line: line breaks in it (a file name, a server's reply) shown as
    ``\\n``, so that every error stays the single line scripts read."""
    text = str(message).strip()
    return text.replace("\r", "\\r").replace("\n", "\\n")


def date_argument(text: str) -> dt.date:
    """An argparse ``type``: a calendar day written YYYY-MM-DD, from 1900 to 2999."""
    value = text.strip()
    if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise argparse.ArgumentTypeError(f"not a date (use YYYY-MM-DD): {show(text)}")
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"no such day: {value}") from None
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            f"{value} is out of range (use a day from {FIRST_DAY} to {LAST_DAY})"
        )
    return day


def record_argument(text: str) -> int | str:
    """An argparse ``type``: a record id (a whole number from 1 to 2**63 - 1) or, for
    anything else, a document number (returned as stripped text)."""
    value = text.strip()
    if not value:
        raise argparse.ArgumentTypeError("give a record id or a document number")
    if re.fullmatch(r"[+-]?[0-9]+", value):
        number = int(value)
        if not 1 <= number <= MAX_RECORD_ID:
            raise argparse.ArgumentTypeError(
                f"no record has the id {value} (ids run from 1 to {MAX_RECORD_ID})"
            )
        return number
    if len(value) > 100 or not value.isprintable():
        raise argparse.ArgumentTypeError(f"not a record id or a document number: {show(text)}")
    return value


def known_failure(exc: BaseException) -> str | None:
    """A one-line message for failures the user can act on, or None for a real bug."""
    # Imported here, not above: only a command that failed needs them, and every start
    # (``consult --version``, ``consult screen``) would otherwise load SQLAlchemy.
    from sqlalchemy.exc import DatabaseError, OperationalError

    from consult.store.errors import StoreError

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OperationalError) or type(exc) is DatabaseError:
        orig = getattr(exc, "orig", None)
        reason = str(orig).strip().splitlines()[0] if orig and str(orig).strip() else str(exc)
        return f"cannot open the database: {reason}"
    if isinstance(exc, OSError):
        # The home or a file the command needs cannot be reached: a read-only or full
        # disk, a home that is a file, a name that is too long.
        reason = exc.strerror or str(exc)
        where = exc.filename if exc.filename is not None else None
        return f"{where}: {reason}" if where is not None else reason
    return None
