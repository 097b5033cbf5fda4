"""The clinic's time zone: the clock its forms' times are printed by.

The sealed record keeps every time in UTC (it never changes); a patient reading the form
needs the clinic's clock, named ("2026-11-21 19:31 JST"). A clinic names its zone in its
settings (:data:`SETTING`, an IANA name such as ``Asia/Tokyo`` or ``Europe/London``),
because the computer a form is signed on may keep another zone (a laptop set to UTC, a
server abroad for ``consult`` commands).

When the setting is empty the zone is the workstation's own: Python's local time, which
on Linux and macOS comes from the ``TZ`` environment variable or else ``/etc/localtime``,
and on Windows from the system's time zone setting (Control Panel / Settings > Time &
language). An IANA name is looked up in the operating system's zone database, or in the
``tzdata`` package where the system has none (Windows, and the app's bundles).
"""

from __future__ import annotations

import logging
from datetime import tzinfo
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["SETTING", "check_time_zone_setting", "clinic_zone"]

_log = logging.getLogger(__name__)

SETTING: Final = "time_zone"
"""The clinic setting naming its time zone ("": the workstation's)."""


def check_time_zone_setting(value: object) -> str:
    """The setting's value as stored: "" for none (the workstation's zone) or an IANA
    time zone name known here (``Asia/Tokyo``); ValueError for anything else."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("name a time zone, such as Europe/London or Asia/Tokyo")
    name = value.strip()
    if not name:
        return ""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"{name!r} is not a time zone (name one such as Europe/London or Asia/Tokyo)"
        ) from exc
    return name


def clinic_zone(setting: object) -> tzinfo | None:
    """The zone of the clinic's ``setting``; None (the workstation's zone) when it is
    empty, or not a zone known here (a settings row written by hand, or a zone database
    that lacks it: logged, and the workstation's clock used rather than refusing to seal
    a form)."""
    try:
        name = check_time_zone_setting(setting)
    except ValueError:
        _log.warning("the clinic's time zone %r is not known: the workstation's is used", setting)
        return None
    return ZoneInfo(name) if name else None
