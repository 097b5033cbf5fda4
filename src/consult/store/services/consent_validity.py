"""Where a patient's consents stand: for each treatment, the latest consent and whether a
repeat visit may re-confirm it (valid until a date), or needs a full consent (expired,
withdrawn, voided, its course complete, or a treatment consented at every visit).

The days a consent stands are the clinic's setting ``consent_validity_days`` (per
treatment, :mod:`consult.domain.reconfirmation` has the defaults); a consent covering a
course stands for the course's weeks and sessions. Each re-confirmation of a consent is a
session given under it (docs/repeat-visits.md).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.domain import clinic_zone
from consult.domain.reconfirmation import CoursePlan, Standing, standing, validity_days
from consult.domain.roles import Role
from consult.store.dto import ConsentInfo
from consult.store.models import Clinic, ConsentReconfirmation, ConsentRecord
from consult.store.services.consents import consent_info
from consult.store.services.context import ServiceContext


@dataclass(frozen=True)
class ConsentStanding:
    """A treatment's latest consent for a patient, and where it stands."""

    treatment_id: str
    consent: ConsentInfo
    standing: Standing


def _clinic_settings(session: Session) -> dict[str, object]:
    clinic = session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one_or_none()
    return dict(clinic.settings or {}) if clinic is not None else {}


def clinic_today(session: Session) -> dt.date:
    """Today by the clinic's clock (its time zone setting, else the workstation's)."""
    zone = clinic_zone.clinic_zone(_clinic_settings(session).get(clinic_zone.SETTING))
    return dt.datetime.now(zone).date() if zone is not None else dt.date.today()


def sessions_done(session: Session, consent_id: int) -> int:
    """Sessions given under a consent: its own, and one per re-confirmation."""
    count = session.execute(
        select(func.count())
        .select_from(ConsentReconfirmation)
        .where(ConsentReconfirmation.consent_id == consent_id)
    ).scalar_one()
    return 1 + int(count)


def course_of(row: ConsentRecord) -> CoursePlan | None:
    """The course a sealed consent planned (None: a single treatment)."""
    return CoursePlan.from_json(json.loads(row.document_json).get("course"))


def standing_of(session: Session, row: ConsentRecord, day: dt.date) -> Standing:
    """Where the consent ``row`` stands on ``day`` under the clinic's settings."""
    zone = clinic_zone.clinic_zone(_clinic_settings(session).get(clinic_zone.SETTING))
    signed_on = row.signed_at.astimezone(zone).date()
    return standing(
        signed_on=signed_on,
        state=row.state,
        days=validity_days(_clinic_settings(session), row.treatment_id),
        course=course_of(row),
        sessions_done=sessions_done(session, row.id),
        day=day,
    )


def latest_consent(
    session: Session, patient_id: int, treatment_id: str, *, before_consultation: int | None = None
) -> ConsentRecord | None:
    """The patient's latest signed consent for a treatment (signed in a consultation other
    than ``before_consultation``)."""
    query = select(ConsentRecord).where(
        ConsentRecord.patient_id == patient_id, ConsentRecord.treatment_id == treatment_id
    )
    if before_consultation is not None:
        query = query.where(ConsentRecord.consultation_id != before_consultation)
    return session.execute(
        query.order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc()).limit(1)
    ).scalar_one_or_none()


def for_patient(
    ctx: ServiceContext, patient_id: int, day: dt.date | None = None
) -> list[ConsentStanding]:
    """Each treatment's latest consent for the patient and where it stands on ``day``
    (today by the clinic's clock), in the order the treatments were last consented."""
    ctx.require("find signed consent forms", Role.PRACTITIONER, Role.RECEPTION, Role.MANAGER)
    with ctx.unit_of_work() as session:
        on = day or clinic_today(session)
        rows = session.execute(
            select(ConsentRecord)
            .where(ConsentRecord.patient_id == patient_id)
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        ).scalars()
        found: dict[str, ConsentStanding] = {}
        for row in rows:
            if row.treatment_id not in found:
                found[row.treatment_id] = ConsentStanding(
                    row.treatment_id, consent_info(row), standing_of(session, row, on)
                )
        return list(found.values())
