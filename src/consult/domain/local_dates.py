"""Dates and times as a reader of one language writes them, in a named time zone.

The printed consent form is made without Qt (``consult.documents`` must run in a
command-line process and a worker thread), so it cannot ask QLocale; this module is the
form's small, pure equivalent for the languages the form is printed in. English keeps
the form's long-standing ISO style ("2026-11-21", "2026-11-21 10:31 GMT"), so an English
form is printed exactly as before; Japanese writes the Gregorian date the Japanese way
("2026年11月21日", 和暦 not needed) with a 24-hour clock. A language without a format of
its own here is written the English way: unambiguous, if not native.

Times are stored in UTC (the sealed record never changes); they are shown converted to
the clinic's zone, with the zone's name, because a patient reading "10:31" must know
which clock it was.
"""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Final

__all__ = ["format_date", "format_date_text", "format_moment", "zone_name"]

_ISO_DATE: Final = "%Y-%m-%d"


def format_date(day: date, language: str) -> str:
    """``day`` as ``language`` writes it: "2026-12-01" (en), "2026年12月1日" (ja)."""
    if language == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.strftime(_ISO_DATE)


def format_date_text(value: object, language: str) -> str:
    """A stored ISO date ("2026-12-01") as ``language`` writes it; anything that is not
    an ISO date (a partial date, a free-text expiry) as given, never lost. English
    returns the stored text unchanged."""
    text = "" if value is None else str(value)
    if language == "en" or not text:
        return text
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return text
    return format_date(day, language)


def format_moment(moment: datetime, zone: tzinfo | None, language: str) -> str:
    """A moment in ``zone`` (None: this computer's zone) with the zone's name:
    "2026-11-21 10:31 GMT" (en), "2026年11月21日 19:31 JST" (ja). A naive moment (no
    zone recorded) is written as it is, without a zone's name."""
    if moment.tzinfo is None:
        return f"{format_date(moment.date(), language)} {moment:%H:%M}"
    local = moment.astimezone(zone)
    return f"{format_date(local.date(), language)} {local:%H:%M} {zone_name(local)}"


def zone_name(moment: datetime) -> str:
    """The time zone's abbreviation ("GMT", "CET", "JST"), or "UTC+05:30" where the zone
    has none (its name is then only an offset such as "+0530")."""
    name = moment.tzname() or ""
    if name and name[0] not in "+-":
        return name
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0:
        return "UTC"
    sign = "+" if minutes > 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"
