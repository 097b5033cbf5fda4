"""``consult clinic``: the clinic's settings, as a manager sets them in the app.

- ``clinic show``: the settings that have a value, and the paper forms are printed on;
- ``clinic set form_paper a4|letter|auto --as USER``: the paper of the consent forms
  sealed from now on (``auto``: the paper of the clinic's country, US Letter in the
  United States and A4 elsewhere); managers only, logged with the old and new values.

The settings are changed through the clinic service, as in the app, so the same role
check, validation and audit entry apply. The timestamp service has its own command
(``consult certificate timestamp-service``).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Final

from consult.commands import actor
from consult.commands.base import UsageError
from consult.documents import paper

if TYPE_CHECKING:
    from consult.commands.base import Context

AUTO: Final = "auto"
"""On the command line, the paper of the clinic's country (stored as "")."""
_PAPER_VALUES: Final = (*paper.CHOICES, AUTO)


def _paper_sentence(jurisdiction: str, setting: object) -> str:
    chosen = paper.paper_for(jurisdiction, setting)
    how = (
        "chosen by the clinic"
        if paper.check_paper_setting(setting)
        else f"the paper of the clinic's country ({jurisdiction})"
    )
    return f"Consent forms are printed on {chosen.name}: {how}."


def _show(args: argparse.Namespace, ctx: Context) -> int:
    # For start-up speed only: the database is loaded when a command needs it.
    from consult.commands.app import open_for_use
    from consult.store.services import clinic

    db = open_for_use(ctx)
    try:
        with actor.signed_in(db, args) as as_user:
            found = clinic.get_clinic(as_user)
            if found is None:
                raise UsageError("this database has no clinic yet")
            settings = clinic.settings(as_user)
    finally:
        db.close()
    for name, value in sorted(settings.items()):
        print(f"{name} = {value!r}")
    try:
        print(_paper_sentence(found.jurisdiction, settings.get(paper.SETTING)))
    except ValueError:
        print(f"{paper.SETTING} is not A4 or Letter: forms are printed on the country's paper.")
    return 0


def _set(args: argparse.Namespace, ctx: Context) -> int:
    # For start-up speed only, as above.
    from consult.commands.app import open_for_use
    from consult.store.errors import ValidationError
    from consult.store.services import clinic

    value = "" if args.value == AUTO else args.value
    db = open_for_use(ctx)
    try:
        with actor.signed_in(db, args) as as_user:
            found = clinic.get_clinic(as_user)
            if found is None:
                raise UsageError("this database has no clinic yet")
            try:
                saved = clinic.update_settings(as_user, found.version, {args.name: value})
            except ValidationError as exc:
                raise UsageError(exc.message) from exc
    finally:
        db.close()
    print(_paper_sentence(saved.jurisdiction, value) + " Forms already signed keep theirs.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clinic`` and its actions."""
    parser = sub.add_parser(
        "clinic",
        help="the clinic's settings: show, set form_paper",
        description="The clinic's settings, as a manager sets them in the app (Users tab).",
    )
    actions = parser.add_subparsers(dest="clinic_command", metavar="ACTION", required=True)
    shown = actions.add_parser("show", help="the clinic's settings")
    actor.add_user_option(shown)
    shown.set_defaults(func=_show)
    changed = actions.add_parser(
        "set",
        help="change a setting of the clinic (managers; logged)",
        description="form_paper: the paper of the consent forms sealed from now on: a4, "
        "letter (US Letter) or auto (the clinic's country's: US Letter in the United "
        "States, A4 elsewhere). Forms already sealed keep the paper they were sealed on.",
    )
    changed.add_argument("name", choices=[paper.SETTING], help="the setting")
    changed.add_argument("value", choices=_PAPER_VALUES, help="its new value")
    actor.add_user_option(changed)
    changed.set_defaults(func=_set)
