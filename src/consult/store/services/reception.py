"""The reception desk: the day's consultations and signed forms, a patient's forms, and
handing a printed form to the patient.

Reception sees who signed what and when, never the intake answers: these views carry
names, treatments and states only. Listing the day's forms is not opening a record, so
it is not logged; listing one patient's forms is.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from consult.documents.consent_pdf import form_language
from consult.domain.roles import Role
from consult.domain.states import ConsentState, ConsultationStatus
from consult.store import audit
from consult.store.consent_events import HANDED_OVER, PRINTED
from consult.store.dto import DeskConsultation, FormRow
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
)
from consult.store.models import ConsentEvent, ConsentRecord, Consultation, Patient, User
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.store.services.lookups import local_day_start, patient_names, user_names

_DESK_ROLES = (Role.RECEPTION, Role.PRACTITIONER, Role.MANAGER)

_FORM_COLUMNS = (
    ConsentRecord.id,
    ConsentRecord.document_number,
    ConsentRecord.patient_id,
    ConsentRecord.practitioner_id,
    ConsentRecord.treatment_id,
    ConsentRecord.signed_at,
    ConsentRecord.state,
    # Read for the form's language only (what a copy's mark is written in, as
    # consents.copy_mark reads it): no intake answer leaves this module.
    ConsentRecord.document_json,
)


def forms_signed_on(ctx: ServiceContext, day: dt.date | None = None) -> list[FormRow]:
    """The consent forms signed on ``day`` (today), newest first."""
    ctx.require("find signed consent forms", *_DESK_ROLES)
    day = day or dt.date.today()
    with ctx.unit_of_work() as session:
        records = session.execute(
            select(*_FORM_COLUMNS)
            .where(
                ConsentRecord.signed_at >= local_day_start(day),
                ConsentRecord.signed_at < local_day_start(day + dt.timedelta(days=1)),
            )
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        ).all()
        return _form_rows(session, records)


def patient_forms(ctx: ServiceContext, patient_id: int) -> list[FormRow]:
    """A patient's signed consent forms, newest first (the listing is logged)."""
    ctx.require("find signed consent forms", *_DESK_ROLES)
    with ctx.unit_of_work() as session:
        if session.get(Patient, patient_id) is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Patient %1 does not exist."), patient_id
                )
            )
        records = session.execute(
            select(*_FORM_COLUMNS)
            .where(ConsentRecord.patient_id == patient_id)
            .order_by(ConsentRecord.signed_at.desc(), ConsentRecord.id.desc())
        ).all()
        audit.append(
            session,
            ctx.actor,
            "consent.forms_listed",
            record_type="patient",
            record_id=patient_id,
            patient_id=patient_id,
            details={"forms": len(records)},
        )
        return _form_rows(session, records)


def form(ctx: ServiceContext, consent_id: int) -> FormRow:
    """One signed form as reception sees it."""
    ctx.require("find signed consent forms", *_DESK_ROLES)
    with ctx.unit_of_work() as session:
        record = session.execute(
            select(*_FORM_COLUMNS).where(ConsentRecord.id == consent_id)
        ).first()
        if record is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consent record %1 does not exist."),
                    consent_id,
                )
            )
        return _form_rows(session, [record])[0]


def hand_over(ctx: ServiceContext, consent_id: int) -> FormRow:
    """Record that the printed form was handed to the patient (logged as an event)."""
    consents.add_event(ctx, consent_id, HANDED_OVER)
    return form(ctx, consent_id)


def consultations_on(ctx: ServiceContext, day: dt.date | None = None) -> list[DeskConsultation]:
    """The day's consultations (today): patient, practitioner, status, planned treatments."""
    ctx.require("see the day's consultations", *_DESK_ROLES)
    day = day or dt.date.today()
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation, Patient, User.display_name)
            .join(Patient, Patient.id == Consultation.patient_id)
            .join(User, User.id == Consultation.practitioner_id)
            .where(
                Consultation.consultation_date == day,
                Consultation.status != ConsultationStatus.ABANDONED,
            )
            .order_by(Consultation.created_at, Consultation.id)
        ).all()
        ids = [c.id for c, _p, _n in rows]
        signed: dict[int, int] = {}
        if ids:
            signed = {
                cid: int(n)
                for cid, n in session.execute(
                    select(ConsentRecord.consultation_id, func.count())
                    .where(ConsentRecord.consultation_id.in_(ids))
                    .group_by(ConsentRecord.consultation_id)
                )
            }
        return [
            DeskConsultation(
                consultation_id=c.id,
                patient_id=p.id,
                patient_name=f"{p.given_name} {p.family_name}".strip(),
                date_of_birth=p.date_of_birth,
                practitioner_name=name,
                status=ConsultationStatus(c.status),
                treatments=tuple(str(t.get("id")) for t in c.treatments),
                forms_signed=signed.get(c.id, 0),
            )
            for c, p, name in rows
        ]


def _form_rows(session: Session, records: Sequence[Any]) -> list[FormRow]:
    ids = [r.id for r in records]
    prints: dict[int, int] = {}
    handed: dict[int, dt.datetime] = {}
    if ids:
        prints = {
            consent_id: int(count)
            for consent_id, count in session.execute(
                select(ConsentEvent.consent_id, func.count())
                .where(ConsentEvent.consent_id.in_(ids), ConsentEvent.kind == PRINTED)
                .group_by(ConsentEvent.consent_id)
            )
        }
        # The newest hand-over wins (ordered by id: max() of a timestamp is text on SQLite).
        handed = {
            consent_id: at
            for consent_id, at in session.execute(
                select(ConsentEvent.consent_id, ConsentEvent.at)
                .where(ConsentEvent.consent_id.in_(ids), ConsentEvent.kind == HANDED_OVER)
                .order_by(ConsentEvent.id)
            )
        }
    patients = patient_names(session, {r.patient_id for r in records})
    users = user_names(session, {r.practitioner_id for r in records})
    return [
        FormRow(
            consent_id=r.id,
            document_number=r.document_number,
            patient_id=r.patient_id,
            patient_name=patients.get(r.patient_id, ("?", None))[0],
            date_of_birth=patients.get(r.patient_id, ("", None))[1],
            practitioner_name=users.get(r.practitioner_id, "?"),
            treatment_id=r.treatment_id,
            signed_at=r.signed_at,
            state=ConsentState(r.state),
            prints=prints.get(r.id, 0),
            handed_over_at=handed.get(r.id),
            language=form_language(json.loads(r.document_json)),
        )
        for r in records
    ]
