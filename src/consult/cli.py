"""The ``consult`` command: starts the app, and the headless subcommands.

Global options come before the subcommand. Every failure a user can cause (an unknown
option, a bad database URL, a file that does not parse) ends in one line on stderr and
exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn, cast

from consult import __version__, commands, paths
from consult.commands.base import (
    EXIT_OK,
    EXIT_USAGE,
    Context,
    Handler,
    UsageError,
    known_failure,
    one_line,
)


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit 2."""

    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


class _LazySubcommands(argparse._SubParsersAction):  # type: ignore[type-arg]
    """Subcommands known by name and help alone until the command line names one.

    ``consult --help`` lists them without importing their modules; the subcommand named
    is given its real parser (its module's ``register`` run) just before its arguments
    are parsed, so ``consult screen FILE`` imports the screening module and nothing of
    the database's. Every subcommand a module adds is loaded with it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._modules: dict[str, str] = {}

    def add_lazy(self, name: str, module: str, help: str) -> None:
        """List ``name`` (from ``consult.commands.<module>``) without importing it."""
        self.add_parser(name, help=help)
        self._modules[name] = module

    def load(self, name: str) -> None:
        """Give ``name``, and every subcommand its module adds, their real parsers."""
        module = self._modules.get(name)
        if module is None:
            return
        scratch = argparse._SubParsersAction(
            option_strings=[], prog=self._prog_prefix, parser_class=self._parser_class
        )
        commands.registrar(module)(scratch)
        for added, parser in scratch._name_parser_map.items():
            self._name_parser_map[added] = parser
            self._modules.pop(added, None)

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        self.load(values[0])
        super().__call__(parser, namespace, values, option_string)


def build_parser(*, lazy: bool = False) -> argparse.ArgumentParser:
    """The whole command line: global options, then one subcommand (default: the app).

    ``lazy``: each subcommand's module is imported only when the command line names it
    (what :func:`main` uses); otherwise the whole tree is built at once.
    """
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
    if lazy:
        subcommands = cast(
            _LazySubcommands,
            parser.add_subparsers(
                dest="command", metavar="COMMAND", parser_class=_Parser, action=_LazySubcommands
            ),
        )
        for command in commands.SUBCOMMANDS:
            subcommands.add_lazy(command.name, command.module, command.help)
        return parser
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for register in commands.registrars():
        register(cast("argparse._SubParsersAction[argparse.ArgumentParser]", sub))
    return parser


def _say(message: object) -> None:
    print(f"consult: error: {one_line(message)}", file=sys.stderr)


def _tolerant_stdout() -> None:
    """A file name given with bytes that are not UTF-8 is printed escaped, not a crash."""
    stream = sys.stdout
    if isinstance(stream, io.TextIOWrapper) and stream.errors == "strict":
        with contextlib.suppress(ValueError, io.UnsupportedOperation):
            stream.reconfigure(errors="backslashreplace")


def _log_unexpected(exc: BaseException, dirs: paths.Dirs | None) -> str:
    """Write the traceback of a real bug to the log file; returns where it went."""
    # Imported only after a real bug, here and below: every start would pay for them.
    from consult import logs

    logger = logging.getLogger("consult.cli")
    if dirs is not None:
        with contextlib.suppress(Exception):
            logs.configure(dirs)
    for handler in logging.getLogger("consult").handlers:
        filename = getattr(handler, "baseFilename", None)
        if filename:
            try:
                logger.critical("unexpected error in the command line", exc_info=exc)
                handler.flush()
            except Exception:  # pragma: no cover - the log file itself failed
                break
            return str(filename)
    # No log file could be opened (a read-only home, say): a file of its own instead.
    import tempfile
    import traceback

    try:
        fd, name = tempfile.mkstemp(prefix="consult-error-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write("".join(traceback.format_exception(exc)))
    except OSError:
        return "nowhere: the log file could not be written either"
    return name


def _database_target(ctx: Context) -> Context:
    """The context with a SQLite ``--database-url`` keyed by the file's real path.

    A home's database named through ``--database-url sqlite:///…`` (by any spelling: a
    symbolic link, ``..``) is opened as that home's embedded database, behind the same
    lock as the app; any other SQLite file is named by its real path, so that its lock
    file is the same whichever way the file is spelled.
    """
    if not ctx.database_url:
        return ctx
    # Only with --database-url: SQLAlchemy stays unloaded for `consult screen` and the like.
    from consult.store.database import normalise_url
    from consult.store.errors import StoreError

    try:
        url = normalise_url(ctx.database_url)
    except StoreError:
        return ctx  # reported by the command that opens the database, if it does
    database = url.database
    if (
        url.get_backend_name() != "sqlite"
        or database in (None, "", ":memory:")
        or str(database).startswith("file:")
        or "uri" in url.query
    ):
        return ctx
    real = Path(os.path.realpath(str(database)))
    if real.name == ctx.dirs.database_file.name:
        return Context(
            dirs=dataclasses.replace(ctx.dirs, data=real.parent),
            database_url=None,
            home_data=ctx.dirs.data,
        )
    return Context(
        dirs=ctx.dirs,
        database_url=url.set(database=str(real)).render_as_string(hide_password=False),
    )


def _home(option: str | None) -> paths.Dirs:
    try:
        return paths.resolve(option)
    except (OSError, RuntimeError, ValueError) as exc:
        where = option if option is not None else os.environ.get(paths.HOME_ENV, "")
        raise UsageError(f"the home folder {where!r} cannot be used: {exc}") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``consult`` command and return its exit code.

    Every failure is one line on stderr: exit 2 for a mistake the user can act on, and
    exit 2 with the log file's name for a real bug (its traceback is in the log).
    """
    parser = build_parser(lazy=True)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version and argument errors: already printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE if exc.code else EXIT_OK
    _tolerant_stdout()
    handler: Handler | None = getattr(args, "func", None)
    if handler is None:
        handler = commands.run_app
    dirs: paths.Dirs | None = None
    try:
        dirs = _home(args.home)
        ctx = Context(
            dirs=dirs,
            database_url=args.database_url or os.environ.get("CONSULT_DATABASE_URL") or None,
        )
        ctx = _database_target(ctx)
        code = handler(args, ctx)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        # The reader went away (``consult screen f | head``): nothing more to say. Point
        # stdout at the null device so that Python's own flush at exit stays quiet too.
        with contextlib.suppress(OSError, ValueError, io.UnsupportedOperation):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except UsageError as exc:
        _say(exc)
        return EXIT_USAGE
    except KeyboardInterrupt:  # pragma: no cover - interactive only
        return 130
    except Exception as exc:
        message = known_failure(exc)
        if message is not None:
            if isinstance(exc, OSError):  # kept in the log (if open) in case it is a bug
                logging.getLogger("consult.cli").warning("%s", message, exc_info=exc)
            _say(message)
            return EXIT_USAGE
        where = _log_unexpected(exc, dirs)
        said = str(exc) if len(str(exc)) <= 200 else str(exc)[:197] + "..."
        _say(f"unexpected {type(exc).__name__}: {said} (a bug: the details are in {where})")
        return EXIT_USAGE
