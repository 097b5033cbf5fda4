"""Lists of consultations for the screens that show them: with the patient's and the
practitioner's names, so a list needs one query rather than one per row.

Listing names is not opening a patient's record, so no view is logged here (the same
as the patient search); opening a consultation goes through ``consultations.get``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select

from consult.domain.roles import Role
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.models import ConsentRecord, Consultation, Patient, User
from consult.store.services.consultations import OPEN_STATUSES, consultation_info
from consult.store.services.context import ServiceContext
from consult.store.services.patients import patient_info


@dataclass(frozen=True)
class ConsultationRow:
    """A consultation with who it is for and who runs it."""

    consultation: ConsultationInfo
    patient: PatientInfo
    practitioner_name: str
    started_at: dt.datetime | None = None  # UTC; given by :func:`today`
    forms_signed: int = 0  # consent forms signed in it; given by :func:`today`


def open_drafts(ctx: ServiceContext) -> list[ConsultationRow]:
    """The signed-in practitioner's unfinished consultations, newest first."""
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation, Patient, User.display_name)
            .join(Patient, Patient.id == Consultation.patient_id)
            .join(User, User.id == Consultation.practitioner_id)
            .where(Consultation.practitioner_id == user.id, Consultation.status.in_(OPEN_STATUSES))
            .order_by(Consultation.updated_at.desc(), Consultation.id.desc())
        ).all()
        return [ConsultationRow(consultation_info(c), patient_info(p), name) for c, p, name in rows]


def for_patient(ctx: ServiceContext, patient_id: int) -> list[ConsultationRow]:
    """A patient's consultations, newest first (practitioners and managers)."""
    ctx.require("read a consultation's intake", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation, Patient, User.display_name)
            .join(Patient, Patient.id == Consultation.patient_id)
            .join(User, User.id == Consultation.practitioner_id)
            .where(Consultation.patient_id == patient_id)
            .order_by(Consultation.consultation_date.desc(), Consultation.id.desc())
        ).all()
        return [ConsultationRow(consultation_info(c), patient_info(p), name) for c, p, name in rows]


def today(ctx: ServiceContext, day: dt.date | None = None) -> list[ConsultationRow]:
    """The signed-in practitioner's consultations of ``day`` (today), in the order they
    were started: drafts to continue, screened, consented and closed ones, each with the
    time it was started and how many consent forms were signed in it."""
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    day = day or dt.date.today()
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation, Patient, User.display_name)
            .join(Patient, Patient.id == Consultation.patient_id)
            .join(User, User.id == Consultation.practitioner_id)
            .where(Consultation.practitioner_id == user.id, Consultation.consultation_date == day)
            .order_by(Consultation.created_at, Consultation.id)
        ).all()
        ids = [c.id for c, _p, _n in rows]
        signed: dict[int, int] = {}
        if ids:
            signed = {
                consultation_id: int(count)
                for consultation_id, count in session.execute(
                    select(ConsentRecord.consultation_id, func.count())
                    .where(ConsentRecord.consultation_id.in_(ids))
                    .group_by(ConsentRecord.consultation_id)
                )
            }
        return [
            ConsultationRow(
                consultation_info(c),
                patient_info(p),
                name,
                started_at=c.created_at,
                forms_signed=signed.get(c.id, 0),
            )
            for c, p, name in rows
        ]
