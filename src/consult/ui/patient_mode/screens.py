"""Which screen patient mode opens on: a second screen when one is attached, else the
desk's own (patient mode then covers the desk window)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeVar

Screen = TypeVar("Screen")


def patient_screen(screens: Sequence[Screen], desk: Screen | None) -> Screen | None:
    """The screen for the patient: the first attached screen that is not the desk's, or
    None when the desk's is the only one (patient mode covers the desk window).

    Kept apart from Qt's screens so that the choice is tested without two monitors.
    """
    return next((screen for screen in screens if screen is not desk and screen != desk), None)
