"""Follow-up reviews: how many days after each treatment the patient is seen again.

A clinic setting, ``review_after_days``, maps a treatment id to a number of days (or to
``None``: no review); treatments it leaves out take :data:`DEFAULT_REVIEW_AFTER_DAYS`
(two weeks after botulinum toxin, a filler or a laser, a week after a peel, none for the
rest). The review date is the day of treatment plus those days; reception calls the
patients whose review is due or overdue (``consult.store.services.follow_up``).

Pure: the clinic service checks the setting with :func:`check_review_setting`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

SETTING: Final = "review_after_days"
"""The clinic setting's name."""

DEFAULT_REVIEW_AFTER_DAYS: Final[Mapping[str, int]] = MappingProxyType(
    {
        "botulinum_toxin": 14,
        "ha_filler": 14,
        "chemical_peel": 7,
        "laser_resurfacing": 14,
    }
)
"""Days to the review for the treatments that have one when the clinic has not said."""

DAYS_RANGE: Final = (1, 365)
"""The fewest and most days a review may be set after a treatment."""

_TREATMENT_ID = re.compile(r"[a-z][a-z0-9_]{0,63}")


def check_review_setting(value: Any) -> dict[str, int | None]:
    """The setting as stored: treatment id -> days (an integer in :data:`DAYS_RANGE`) or
    None (no review). ValueError saying what is wrong otherwise."""
    if not isinstance(value, Mapping):
        raise ValueError("give the days to the review for each treatment, e.g. {ha_filler: 14}")
    low, high = DAYS_RANGE
    clean: dict[str, int | None] = {}
    for treatment, days in value.items():
        if not isinstance(treatment, str) or not _TREATMENT_ID.fullmatch(treatment):
            raise ValueError(f"{treatment!r} is not a treatment id")
        if days is not None and (
            isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high
        ):
            raise ValueError(f"{treatment}: a review {low} to {high} days after, or none")
        clean[treatment] = days
    return clean


def review_days(setting: Any) -> dict[str, int]:
    """Days to the review per treatment: the defaults, overridden by the clinic's
    setting (an unusable setting is ignored: the defaults hold)."""
    try:
        chosen = check_review_setting(setting) if setting is not None else {}
    except ValueError:
        chosen = {}
    merged: dict[str, int | None] = {**DEFAULT_REVIEW_AFTER_DAYS, **chosen}
    return {treatment: days for treatment, days in merged.items() if days is not None}


def review_date(days: Mapping[str, int], treatment_id: str, treated_on: dt.date) -> dt.date | None:
    """When a treatment given on ``treated_on`` is reviewed (None: it has no review)."""
    after = days.get(treatment_id)
    return treated_on + dt.timedelta(days=after) if after is not None else None


__all__ = [
    "DAYS_RANGE",
    "DEFAULT_REVIEW_AFTER_DAYS",
    "SETTING",
    "check_review_setting",
    "review_date",
    "review_days",
]
