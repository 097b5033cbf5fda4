"""The subcommands of ``consult``; each module adds its own with a ``register`` function."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from consult.cli import Context, Registrar


def run_app(args: argparse.Namespace, ctx: Context) -> int:
    """Start the desktop app (``consult`` with no subcommand)."""
    from consult.commands.app import run_app as _run

    return _run(args, ctx)


def _collect() -> list[Registrar]:
    from consult.commands import admin, app, db, knowledge, registers, screening

    return [
        app.register,
        db.register,
        screening.register,
        knowledge.register,
        admin.register,
        registers.register,
    ]


REGISTRARS: list[Registrar] = _collect()
