"""Which product and lot a treatment actually used, and when it was given.

The consent writes a ``treatment_record`` with the *planned* product and lot; the
practitioner's chart (``treatment_chart``, docs/treatment-record.md) names the lot
actually used and the day of treatment. Complications, follow-up reviews and recalls
read the chart where there is one and fall back to the planned lot where no treatment
was charted (and say so: :attr:`LotUsed.charted`).

Takes the caller's session: the services that use it have checked the user's role.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.store.models import TreatmentChart, TreatmentRecord


@dataclass(frozen=True)
class LotUsed:
    """A treatment's product, lot and day: charted, or the planned ones."""

    product_id: int | None
    lot_id: int | None
    treated_on: dt.date
    charted: bool
    """True if read from the practitioner's chart; False: the lot planned at consent."""


def consent_day(record: TreatmentRecord) -> dt.date:
    """The local calendar day a treatment record was written (at consent)."""
    return record.recorded_at.astimezone().date()


def lot_used(session: Session, record: TreatmentRecord) -> LotUsed:
    """What ``record``'s treatment used: its chart's product, lot and day if charted,
    otherwise the planned ones and the day of consent."""
    chart = session.execute(
        select(TreatmentChart.product_id, TreatmentChart.lot_id, TreatmentChart.treated_on).where(
            TreatmentChart.treatment_record_id == record.id
        )
    ).first()
    if chart is not None:
        return LotUsed(chart.product_id, chart.lot_id, chart.treated_on, charted=True)
    return LotUsed(record.product_id, record.lot_id, consent_day(record), charted=False)


__all__ = ["LotUsed", "consent_day", "lot_used"]
