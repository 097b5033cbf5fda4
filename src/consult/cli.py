"""The ``consult`` command: starts the app, and the headless subcommands.

Global options come before the subcommand. Every failure a user can cause (an unknown
option, a bad database URL, a file that does not parse) ends in one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import NoReturn

from consult import __version__, paths

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


Handler = Callable[[argparse.Namespace, Context], int]
Registrar = Callable[["argparse._SubParsersAction[argparse.ArgumentParser]"], None]


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def _registrars() -> list[Registrar]:
    """The modules that add subcommands; imported here so ``consult --version`` stays fast."""
    from consult import commands

    return list(commands.REGISTRARS)


def build_parser() -> argparse.ArgumentParser:
    """The whole command line: global options, then one subcommand (default: the app)."""
    parser = _Parser(
        prog="consult",
        description="Consultation, screening and informed consent for clinics. "
        "Without a subcommand, starts the app.",
    )
    parser.add_argument("--version", action="version", version=f"consult {__version__}")
    parser.add_argument(
        "--home",
        metavar="DIR",
        help="keep every file (database, settings, logs, backups) under DIR "
        f"(default: ${paths.HOME_ENV}, or the platform's user directories)",
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="a PostgreSQL server shared by several workstations, e.g. "
        "postgresql+psycopg://user@server/consult (default: $CONSULT_DATABASE_URL, "
        "or the embedded database in the home)",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for register in _registrars():
        register(sub)
    return parser


def _known_failure(exc: Exception) -> str | None:
    """A one-line message for failures the user can act on, or None for a real bug."""
    from sqlalchemy.exc import OperationalError

    from consult.store.errors import StoreError

    if isinstance(exc, StoreError):
        return str(exc)
    if isinstance(exc, OperationalError):
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        return f"cannot open the database: {reason}"
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``consult`` command and return its exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    handler: Handler | None = getattr(args, "func", None)
    if handler is None:
        from consult.commands import run_app

        handler = run_app
    ctx = Context(
        dirs=paths.resolve(args.home),
        database_url=args.database_url or os.environ.get("CONSULT_DATABASE_URL") or None,
    )
    try:
        code = handler(args, ctx)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (``consult screen f | head``): nothing more to say. Point
        # stdout at the null device so that Python's own flush at exit stays quiet too.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except UsageError as exc:
        print(f"consult: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        message = _known_failure(exc)
        if message is None:
            raise
        print(f"consult: error: {message}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
