"""The clinic's time zone, as a manager chooses it: the clock of the times on its forms.

The sealed record keeps times in UTC; the printed form shows them in the clinic's zone,
named (:mod:`consult.domain.clinic_zone`). The choice is one of the clinic's settings,
``time_zone``, and only forms sealed after it is changed take it (a sealed form is never
rendered again). The first choice, "this computer's time zone", names the zone this
workstation keeps now, so that a manager sees what leaving it there means.
"""

from __future__ import annotations

import functools
from datetime import datetime
from zoneinfo import available_timezones

from PySide6.QtWidgets import QComboBox, QWidget

from consult.domain import clinic_zone
from consult.domain.local_dates import zone_name


@functools.cache
def _zone_names() -> tuple[str, ...]:
    """The IANA zones offered: the regions' (``Asia/Tokyo``), not the legacy aliases
    (``Japan``, ``Etc/GMT-9``), sorted; UTC last."""
    regional = sorted(
        name
        for name in available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/", "posix/", "right/"))
    )
    return (*regional, "UTC")


class FormTimeZoneBox(QComboBox):
    """Time zone of the forms: this computer's (and which that is now), or an IANA zone;
    its data is the setting's value ("" = this computer's)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(self.tr("Time zone of consent forms"))
        self.setToolTip(
            self.tr(
                "The clock the times on consent forms are printed by (the record keeps "
                "them in UTC). Forms already signed keep the times they print."
            )
        )
        here = zone_name(datetime.now().astimezone())
        self.addItem(self.tr("This computer's time zone (%1)").replace("%1", here), "")
        for name in _zone_names():
            self.addItem(name, name)

    def set_setting(self, value: object) -> None:
        """Show the stored setting (one not understood shows as "this computer's", which
        is what forms are then printed in)."""
        try:
            choice = clinic_zone.check_time_zone_setting(value)
        except ValueError:
            choice = ""
        index = self.findData(choice)
        if index < 0 and choice:  # a zone known here but not offered (an alias)
            self.addItem(choice, choice)
            index = self.count() - 1
        self.setCurrentIndex(max(0, index))

    def setting(self) -> str:
        """The setting's value for the choice shown: "" or an IANA name."""
        return str(self.currentData() or "")
