"""Follow-up reviews: the treatments whose review is due or overdue, for reception to
call the patient, and reception's "called" and "booked" marks.

A treatment's review date is its day of treatment (the chart's, else the day of consent:
:mod:`consult.store.services.lots_used`) plus the clinic's days for that treatment
(:mod:`consult.domain.follow_up`). A withdrawn or voided consent has no review. A review
marked "booked" leaves the list; "called" stays on it, saying when the patient was
called. Each mark is audited. The list itself is reception's daily work list, like the
day's signed forms, and is not logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.domain import follow_up as rules
from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store import audit
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
    ValidationError,
)
from consult.store.models import ConsentRecord, Patient, ReviewMark, TreatmentRecord, User
from consult.store.services.clinic import settings
from consult.store.services.context import ServiceContext
from consult.store.services.lookups import local_day_start
from consult.store.services.lots_used import lot_used

_DESK_ROLES = (Role.RECEPTION, Role.PRACTITIONER, Role.MANAGER)

CALLED: Final = "called"
BOOKED: Final = "booked"
MARKS: Final = (CALLED, BOOKED)
"""The marks reception puts on a review."""

AHEAD_DAYS: Final = 7
"""Reviews due within this many days are listed too (to call before the day)."""
OVERDUE_LIMIT_DAYS: Final = 90
"""Reviews overdue by more than this are no longer listed (the patient was lost to
follow-up; the treatment record keeps everything)."""


@dataclass(frozen=True)
class ReviewRow:
    """A treatment whose review is due: whom to call, for what, since when."""

    treatment_record_id: int
    patient_id: int
    patient_name: str
    phone: str
    treatment_id: str
    treated_on: dt.date
    due_on: dt.date
    days_overdue: int
    """Days past the due date (0 on the day, negative before it)."""
    mark: str | None
    """The newest mark (called or booked), if any."""
    marked_at: dt.datetime | None
    marked_by: str


def reviews_due(ctx: ServiceContext, day: dt.date | None = None) -> list[ReviewRow]:
    """Reviews due by ``day`` (today) plus :data:`AHEAD_DAYS`, or overdue by at most
    :data:`OVERDUE_LIMIT_DAYS`, not yet booked; the most overdue first."""
    ctx.require("list follow-up reviews", *_DESK_ROLES)
    day = day or dt.date.today()
    days = rules.review_days(settings(ctx).get(rules.SETTING))
    if not days:
        return []
    # Treatments written since the longest review period plus the overdue limit (and a
    # margin for a chart dated before its consent) can be due in the window.
    since = day - dt.timedelta(days=max(days.values()) + OVERDUE_LIMIT_DAYS + 31)
    with ctx.unit_of_work() as session:
        found = session.execute(
            select(TreatmentRecord, Patient)
            .join(ConsentRecord, ConsentRecord.id == TreatmentRecord.consent_id)
            .join(Patient, Patient.id == TreatmentRecord.patient_id)
            .where(
                ConsentRecord.state == ConsentState.SIGNED.value,
                TreatmentRecord.treatment_id.in_(sorted(days)),
                TreatmentRecord.recorded_at >= local_day_start(since),
            )
        ).all()
        marks = _newest_marks(session, [record.id for record, _ in found])
        rows = []
        for record, patient in found:
            treated_on = lot_used(session, record).treated_on
            due_on = rules.review_date(days, record.treatment_id, treated_on)
            if due_on is None:
                continue
            overdue = (day - due_on).days
            if overdue < -AHEAD_DAYS or overdue > OVERDUE_LIMIT_DAYS:
                continue
            mark = marks.get(record.id)
            if mark is not None and mark[0] == BOOKED:
                continue
            rows.append(
                ReviewRow(
                    treatment_record_id=record.id,
                    patient_id=patient.id,
                    patient_name=f"{patient.given_name} {patient.family_name}".strip(),
                    phone=patient.phone,
                    treatment_id=record.treatment_id,
                    treated_on=treated_on,
                    due_on=due_on,
                    days_overdue=overdue,
                    mark=mark[0] if mark else None,
                    marked_at=mark[1] if mark else None,
                    marked_by=mark[2] if mark else "",
                )
            )
    return sorted(rows, key=lambda r: (-r.days_overdue, r.patient_name, r.treatment_record_id))


def _newest_marks(
    session: Session, record_ids: list[int]
) -> dict[int, tuple[str, dt.datetime, str]]:
    """Each treatment's newest mark: kind, when, by whom."""
    if not record_ids:
        return {}
    newest: dict[int, tuple[str, dt.datetime, str]] = {}
    for record_id, kind, at, name in session.execute(
        select(ReviewMark.treatment_record_id, ReviewMark.kind, ReviewMark.at, User.display_name)
        .join(User, User.id == ReviewMark.user_id)
        .where(ReviewMark.treatment_record_id.in_(record_ids))
        .order_by(ReviewMark.id)
    ):
        newest[record_id] = (kind, at, name)
    return newest


def mark_review(
    ctx: ServiceContext, treatment_record_id: int, kind: str, note: str = ""
) -> dt.datetime:
    """Mark a review as called or booked (audited); returns when it was marked."""
    user = ctx.require("mark a follow-up review", *_DESK_ROLES)
    if kind not in MARKS:
        raise ValidationError(
            "kind",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Mark a review as %1."), " or ".join(MARKS)),
        )
    with ctx.unit_of_work() as session:
        record = session.get(TreatmentRecord, treatment_record_id)
        if record is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Treatment %1 does not exist."),
                    treatment_record_id,
                )
            )
        row = ReviewMark(
            treatment_record_id=record.id, kind=kind, note=note.strip(), user_id=user.id
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            ctx.actor,
            f"review.{kind}",
            record_type="treatment",
            record_id=record.id,
            patient_id=record.patient_id,
            details={"treatment": record.treatment_id, **({"note": row.note} if row.note else {})},
        )
        return row.at
