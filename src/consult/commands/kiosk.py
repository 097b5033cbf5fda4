"""``consult kiosk``: a locked-down tablet station on which patients answer their intake.

- ``consult kiosk --register NAME --as MANAGER``, run once on the tablet: a manager
  registers it as the kiosk station NAME; its secret is written to this workstation's
  configuration folder (:data:`CREDENTIAL_FILE`, readable by this account only) and
  only its hash to the database. Run again, the station gets a new secret (a tablet
  replaced or lost: the old secret no longer signs in).
- ``consult kiosk``: the station signs in with that secret and waits, full screen, for an
  intake a practitioner sends to it ("Hand to patient…"); the patient answers it, "I have
  finished" returns it, and the station waits for the next. No patient list, no search,
  no other record: its session reaches only the intake handed to it
  (:mod:`consult.store.services.kiosk`).

A kiosk needs the clinic's PostgreSQL server: on an embedded database both refuse to
start (exit 2); on one workstation, "Hand to patient…" with a second screen serves.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from consult.commands import actor
from consult.commands.base import EXIT_USAGE, Context, UsageError

if TYPE_CHECKING:
    from consult.store.services.kiosk import StationCredential

_log = logging.getLogger(__name__)

CREDENTIAL_FILE = "kiosk-station.json"
"""In the configuration folder: the station's name and secret."""
NEEDS_SERVER = (
    "a kiosk station needs the clinic's PostgreSQL server (CONSULT_DATABASE_URL or "
    "--database-url); this workstation uses an embedded database. On a single "
    "workstation, use Hand to patient with a second screen attached instead."
)
DESCRIPTION = """\
Starts a locked-down tablet station for patient mode (issue 19): full screen, it waits
for an intake a practitioner sends to it with "Hand to patient..." and shows the patient
that intake's questions only, in their language; "I have finished" returns it to the
practitioner, who takes it back at their desk with their password, and the station
waits for the next patient. No menus, no patient list, no search: the station signs in
with its own secret (never as a user) and may read and write only the intake handed to
it; every other request is refused and audited.

Set a station up once, on the tablet: consult kiosk --register NAME --as MANAGER (a
manager's password is asked; the station's secret is kept in this workstation's
configuration folder). Then start it with consult kiosk, best from the operating
system's kiosk or assigned-access mode (docs/patient-mode.md).

A kiosk needs the clinic's PostgreSQL server; on an embedded database it refuses to
start (exit 2)."""


def credential_path(ctx: Context) -> Path:
    """Where this workstation keeps its station's name and secret."""
    return ctx.dirs.config / CREDENTIAL_FILE


def _embedded(ctx: Context) -> bool:
    if not ctx.database_url:
        return True
    # For start-up speed only: --help never loads the database layer.
    from consult.store.database import normalise_url

    return normalise_url(ctx.database_url).get_backend_name() == "sqlite"


def save_credential(path: Path, credential: StationCredential) -> None:
    """Write the station's name and secret, readable by this account only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"name": credential.station.name, "secret": credential.secret})
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(text)
    os.chmod(path, 0o600)  # an older file keeps its mode through O_TRUNC


def load_credential(path: Path) -> tuple[str, str]:
    """The station's (name, secret); :class:`UsageError` if it was never registered here."""
    try:
        found = json.loads(path.read_text(encoding="utf-8"))
        return str(found["name"]), str(found["secret"])
    except FileNotFoundError:
        raise UsageError(
            "this workstation is not a kiosk station yet: a manager registers it with "
            "`consult kiosk --register NAME --as MANAGER`"
        ) from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise UsageError(f"{path} cannot be read ({exc}): register the station again") from None


def _refuse_embedded() -> int:
    print(f"consult: error: {NEEDS_SERVER}", file=sys.stderr)
    return EXIT_USAGE


def _register(args: argparse.Namespace, ctx: Context) -> int:
    # For start-up speed only: the database is loaded when a command needs it.
    from consult.commands.app import open_for_use
    from consult.store.errors import ValidationError
    from consult.store.services import kiosk

    db = open_for_use(ctx)
    try:
        with actor.signed_in(db, args) as as_user:
            try:
                credential = kiosk.register_station(as_user, args.register)
            except ValidationError as exc:
                raise UsageError(exc.message) from exc
    finally:
        db.close()
    path = credential_path(ctx)
    save_credential(path, credential)
    print(
        f"This workstation is the kiosk station {credential.station.name!r}; its secret is "
        f"in {path} (readable by this account only). Start it with `consult kiosk`."
    )
    return 0


def _run(args: argparse.Namespace, ctx: Context) -> int:
    if _embedded(ctx):
        return _refuse_embedded()
    if args.register:
        if not args.user:
            raise UsageError("--register: give the manager who registers it with --as USER")
        return _register(args, ctx)
    name, secret = load_credential(credential_path(ctx))
    # For start-up speed only, as above.
    from consult import logs
    from consult.commands.app import open_for_use
    from consult.store.services import kiosk
    from consult.store.services.context import ServiceContext

    logs.configure(ctx.dirs)
    db = open_for_use(ctx)
    try:
        station = kiosk.sign_in_station(ServiceContext(db), name, secret)
        _log.info("kiosk station %r signed in", name)
        # Qt only now, once the station is known to be the clinic's (start-up speed).
        from consult.ui.patient_mode.kiosk_app import run_kiosk

        return run_kiosk(station, ctx.dirs)
    finally:
        db.close()


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``kiosk``."""
    parser = sub.add_parser(
        "kiosk",
        help="a locked-down tablet station where patients answer their intake",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--register",
        metavar="NAME",
        help="register this workstation as the kiosk station NAME (a manager, with --as), "
        "or give it a new secret; then stop",
    )
    parser.add_argument(
        "--as",
        "--user",
        dest="user",
        metavar="USER",
        help="with --register: the manager who registers the station (their password is "
        "asked, or read from the first line of standard input); logged under their name",
    )
    parser.set_defaults(func=_run)
