"""Who a command acts as: a Consult user, signed in with their own password (``--as USER``).

The commands that open or export records (``consent pdf``, ``export consents``,
``recall``) call the same services as the app, through a
:class:`~consult.store.services.context.ServiceContext` whose user signed in on the
command line. So the same role checks apply (a reception user may not export the
register here either, and the refusal is logged), what is done is logged under that
user's name, and five wrong passwords lock the account as they do in the app. Being
able to run ``consult`` on a workstation is not a role.

The password is asked at the terminal; when standard input is not a terminal (a script,
a scheduled export), its first line is read as the password, so that it never appears
on the command line or in the environment::

    consult recall --as boss --lot A123 < ~/.consult-password

Maintenance of the database itself (``db restored``, ``restore``, ``verify``) acts on
no record and needs no user: see :mod:`consult.commands.db`.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import logging
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING

from consult.commands.base import UsageError, show

if TYPE_CHECKING:
    from consult.store.database import Database
    from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)

MAX_PASSWORD = 1024
"""Longer input on standard input is not a password (a file given by mistake)."""


def add_user_option(parser: argparse.ArgumentParser) -> None:
    """Add the required ``--as USER`` (also spelled ``--user``) to a command."""
    parser.add_argument(
        "--as",
        "--user",
        dest="user",
        metavar="USER",
        required=True,
        help="the Consult user you act as: their password is asked (or read from the first "
        "line of standard input), their role must allow the command, and it is logged "
        "under their name",
    )


@contextlib.contextmanager
def signed_in(db: Database, args: argparse.Namespace) -> Iterator[ServiceContext]:
    """A service context with ``args.user`` signed in; signed out again afterwards.

    A wrong username or password is refused (and logged) as at the app's sign-in.
    """
    # Imported here for start-up speed only: a command's parser (its --help) is built
    # with this module, without the database layer.
    from consult.store.services import users
    from consult.store.services.context import ServiceContext

    username = str(args.user).strip()
    if not username:
        raise UsageError("--as: give the username of the Consult user you act as")
    anonymous = ServiceContext(db)
    user = users.sign_in(anonymous, username, read_password(username))
    ctx = anonymous.signed_in(user)
    try:
        yield ctx
    finally:
        try:
            users.sign_out(ctx)
        except Exception:
            # What the command did is done and logged; a sign-out that cannot be logged
            # (the database gone meanwhile) must not hide that, nor an error already raised.
            _log.warning(
                "the command line's sign-out of %s was not logged", username, exc_info=True
            )


def read_password(username: str) -> str:
    """``username``'s password: asked at the terminal, or the first line of standard
    input when it is not one."""
    stdin = sys.stdin
    if _is_terminal(stdin):
        password = getpass.getpass(f"Password for {show(username)}: ")
    else:
        line = stdin.readline(MAX_PASSWORD + 1) if stdin is not None else ""
        if len(line) > MAX_PASSWORD:
            raise UsageError("--as: the first line of standard input is too long for a password")
        password = line.rstrip("\r\n")
    if not password:
        raise UsageError(f"--as {show(username)}: no password given")
    return password


def _is_terminal(stream: object) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (OSError, ValueError):  # a closed or detached stream
        return False
