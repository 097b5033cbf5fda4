"""The paper a consent form is printed for: A4, or US Letter where the clinic is in the US.

A clinic prints its forms on the paper its country uses: US Letter in the United States
(the one jurisdiction of Consult's that does), A4 everywhere else. A clinic may choose
otherwise in its settings (:data:`SETTING`: ``"a4"`` or ``"letter"``; none or ``""``
goes by the jurisdiction). The form keeps one measure across papers: its text is as wide
on Letter as on A4 (Letter's extra width goes to the margins), so that a form lays out
line for line the same on both and only where its pages break differs.

This module is read by the clinic's settings at start-up, before ReportLab is loaded:
the sizes are ReportLab's own (``reportlab.lib.pagesizes``), computed here as it does.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

_log = logging.getLogger(__name__)

SETTING: Final = "form_paper"
"""The clinic setting (in the clinic's settings) choosing the forms' paper."""


@dataclass(frozen=True)
class Paper:
    """A sheet of paper: its name as a printer calls it, and its size in points."""

    name: str
    width: float
    height: float


_MM: Final = 72.0 / 2.54 * 0.1
"""A millimetre in points, as ReportLab computes it (``reportlab.lib.units.mm``)."""

A4: Final = Paper("A4", 210 * _MM, 297 * _MM)
LETTER: Final = Paper("Letter", 8.5 * 72.0, 11 * 72.0)

CHOICES: Final[Mapping[str, Paper]] = MappingProxyType({"a4": A4, "letter": LETTER})
"""The setting's values and the paper each names."""

LETTER_JURISDICTIONS: Final = frozenset({"US"})
"""Where forms are printed on US Letter unless the clinic chose otherwise."""


def check_paper_setting(value: object) -> str:
    """The setting's value as stored: "" for none (by the jurisdiction), ``"a4"`` or
    ``"letter"``; ValueError for anything else."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValueError("choose A4 or Letter")
    choice = value.strip().lower()
    if choice and choice not in CHOICES:
        raise ValueError("choose A4 or Letter")
    return choice


def paper_for(jurisdiction: str, setting: object = None) -> Paper:
    """The paper a clinic in ``jurisdiction`` prints forms on, given its ``setting``.

    A setting that is not a valid choice (a settings row written by hand) falls back to
    the jurisdiction's paper rather than refusing to seal a form.
    """
    try:
        choice = check_paper_setting(setting)
    except ValueError:
        _log.warning("the clinic's paper setting %r is not A4 or Letter: ignored", setting)
        choice = ""
    if choice:
        return CHOICES[choice]
    return LETTER if jurisdiction in LETTER_JURISDICTIONS else A4
