"""The subcommands of ``consult``; each module adds its own with a ``register`` function.

No module here is imported until a command line needs it: ``consult --help`` lists the
subcommands from :data:`SUBCOMMANDS` alone, ``consult --version`` imports none, and
``consult screen FILE`` imports the screening module and nothing of the database's.
``tests/test_startup.py`` keeps this table equal to what the modules register.
"""

from __future__ import annotations

import argparse
import importlib
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from consult.commands.base import Context, Registrar


class Subcommand(NamedTuple):
    """A subcommand as ``consult --help`` lists it, and the module that adds it."""

    name: str
    module: str
    """Under ``consult.commands``."""
    help: str


MODULES = (
    "app",
    "db",
    "screening",
    "knowledge",
    "admin",
    "registers",
    "certificate",
    "clinic",
    "kiosk",
)
"""The modules that add subcommands, in the order ``consult --help`` lists them."""

SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        "demo", "app", "create (or reuse) a demo clinic in its own home, then start the app"
    ),
    Subcommand("db", "db", "database schema: upgrade, status"),
    Subcommand("screen", "screening", "screen an intake file and print the result"),
    Subcommand("knowledge", "knowledge", "check or report the clinical knowledge base"),
    Subcommand(
        "verify",
        "admin",
        "check the audit chain, every sealed record and every stored PDF, or one signed form",
    ),
    Subcommand("backup", "admin", "back up the embedded database now (checked, rotated)"),
    Subcommand(
        "restore", "admin", "restore a checked backup (the current database is backed up first)"
    ),
    Subcommand("consent", "admin", "signed consent forms"),
    Subcommand("export", "registers", "export records (managers' exports, logged)"),
    Subcommand(
        "recall", "registers", "every patient treated with a product lot, with contact details"
    ),
    Subcommand(
        "certificate",
        "certificate",
        "the clinic's signing certificate: show, import, export-public, timestamp-service",
    ),
    Subcommand("clinic", "clinic", "the clinic's settings: show, set form_paper or time_zone"),
    Subcommand("kiosk", "kiosk", "a locked-down tablet station where patients answer their intake"),
)


def registrar(module: str) -> Registrar:
    """The ``register`` function of ``consult.commands.<module>`` (imported now)."""
    register: Registrar = importlib.import_module(f"consult.commands.{module}").register
    return register


def registrars() -> list[Registrar]:
    """Every module's ``register`` (imports them all: for the whole parser's tree)."""
    return [registrar(module) for module in MODULES]


def run_app(args: argparse.Namespace, ctx: Context) -> int:
    """Start the desktop app (``consult`` with no subcommand)."""
    # Imported when the app starts, not with this package: see the module's docstring.
    from consult.commands.app import run_app as _run

    return _run(args, ctx)
