"""``consult clinic``: the clinic's settings, as a manager sets them in the app.

- ``clinic show``: the settings that have a value, the paper forms are printed on and
  the time zone their times are printed in;
- ``clinic set form_paper a4|letter|auto --as USER``: the paper of the consent forms
  sealed from now on (``auto``: the paper of the clinic's country, US Letter in the
  United States and A4 elsewhere); managers only, logged with the old and new values;
- ``clinic set time_zone ZONE|auto --as USER``: the clock the times on forms sealed from
  now on are printed by, an IANA name such as ``Asia/Tokyo`` (``auto``: the zone of the
  computer a form is signed on); managers only, logged.

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
from consult.domain import clinic_zone

if TYPE_CHECKING:
    from consult.commands.base import Context

AUTO: Final = "auto"
"""On the command line, the paper of the clinic's country, or the workstation's time zone
(stored as "")."""
_PAPER_VALUES: Final = (*paper.CHOICES, AUTO)


def _paper_sentence(jurisdiction: str, setting: object) -> str:
    chosen = paper.paper_for(jurisdiction, setting)
    how = (
        "chosen by the clinic"
        if paper.check_paper_setting(setting)
        else f"the paper of the clinic's country ({jurisdiction})"
    )
    return f"Consent forms are printed on {chosen.name}: {how}."


def _zone_sentence(setting: object) -> str:
    try:
        name = clinic_zone.check_time_zone_setting(setting)
    except ValueError:
        name = ""
    if name:
        return f"Times on consent forms are printed in the clinic's time zone, {name}."
    return "Times on consent forms are printed in the time zone of the computer they are signed on."


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
    print(_zone_sentence(settings.get(clinic_zone.SETTING)))
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
    if args.name == clinic_zone.SETTING:
        print(_zone_sentence(value) + " Forms already signed keep the times they print.")
    else:
        print(_paper_sentence(saved.jurisdiction, value) + " Forms already signed keep theirs.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``clinic`` and its actions."""
    parser = sub.add_parser(
        "clinic",
        help="the clinic's settings: show, set form_paper or time_zone",
        description="The clinic's settings, as a manager sets them in the app (Users tab).",
    )
    actions = parser.add_subparsers(dest="clinic_command", metavar="ACTION", required=True)
    shown = actions.add_parser("show", help="the clinic's settings")
    actor.add_user_option(shown)
    shown.set_defaults(func=_show)
    changed = actions.add_parser(
        "set",
        help="change a setting of the clinic (managers; logged)",
        description="Change a setting of the clinic: form_paper or time_zone.",
    )
    names = changed.add_subparsers(dest="name", metavar="SETTING", required=True)
    form_paper = names.add_parser(
        paper.SETTING,
        help="the paper of the consent forms",
        description="The paper of the consent forms sealed from now on: a4, letter (US "
        "Letter) or auto (the clinic's country's: US Letter in the United States, A4 "
        "elsewhere). Forms already sealed keep the paper they were sealed on.",
    )
    form_paper.add_argument("value", choices=_PAPER_VALUES, help="its new value")
    time_zone = names.add_parser(
        clinic_zone.SETTING,
        help="the time zone of the times on consent forms",
        description="The time zone the times on forms sealed from now on are printed in "
        "(the record keeps them in UTC): an IANA name such as Europe/London or Asia/Tokyo, "
        "or auto (the zone of the computer a form is signed on).",
    )
    time_zone.add_argument("value", metavar="ZONE", help="an IANA time zone name, or auto")
    for parser_of_setting in (form_paper, time_zone):
        actor.add_user_option(parser_of_setting)
        parser_of_setting.set_defaults(func=_set)
