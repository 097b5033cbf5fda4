"""Complications: the adverse-event log per patient and treatment, the manager's list of
open events, and the report of one event for the national pharmacovigilance scheme.

Practitioners record an event from the patient's consultation record, against a treatment
that was consented there; the event is linked to the product and lot that treatment used
(:mod:`consult.store.services.lots_used`). An event is edited as it evolves (its outcome
above all); every save is audited with the values before and after, so the audit log is
its history (:func:`history`). The report names no patient: an age and a sex
(:mod:`consult.domain.complications`).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.domain import complications as vocabulary
from consult.domain.roles import Role
from consult.domain.states import ConsentState
from consult.store import audit
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ConflictError,
    ErrorText,
    NotFoundError,
    ValidationError,
)
from consult.store.models import (
    AuditEntry,
    Clinic,
    Complication,
    ConsentRecord,
    Patient,
    Product,
    ProductLot,
    TreatmentRecord,
    User,
)
from consult.store.services.context import ServiceContext
from consult.store.services.lots_used import lot_used

_log = logging.getLogger(__name__)

_RECORDERS = (Role.PRACTITIONER,)
_READERS = (Role.PRACTITIONER, Role.MANAGER)
_CONFLICT = ErrorText(
    QT_TRANSLATE_NOOP("StoreErrors", "This complication was changed elsewhere: reopen it.")
)
_FIELDS = (
    "category",
    "description",
    "noticed_on",
    "severity",
    "action_taken",
    "outcome",
    "follow_up_on",
)


@dataclass(frozen=True)
class ComplicationDraft:
    """What the practitioner typed about an event (checked by the service)."""

    category: str
    description: str
    noticed_on: dt.date | None
    severity: str
    action_taken: str = ""
    outcome: str = "ongoing"
    follow_up_on: dt.date | None = None


@dataclass(frozen=True)
class ComplicationInfo:
    """An event as the lists and the form show it."""

    id: int
    patient_id: int
    patient_name: str
    consultation_id: int
    treatment_id: str
    treated_on: dt.date | None
    product_name: str
    manufacturer: str
    lot_number: str
    expiry_date: dt.date | None
    category: str
    description: str
    noticed_on: dt.date
    severity: str
    action_taken: str
    outcome: str
    follow_up_on: dt.date | None
    recorded_by: str
    updated_at: dt.datetime
    version: int

    @property
    def is_open(self) -> bool:
        """Still ongoing, or its outcome is not known."""
        return vocabulary.is_open(self.outcome)

    def draft(self) -> ComplicationDraft:
        """The event's values as a draft, to edit."""
        return ComplicationDraft(
            category=self.category,
            description=self.description,
            noticed_on=self.noticed_on,
            severity=self.severity,
            action_taken=self.action_taken,
            outcome=self.outcome,
            follow_up_on=self.follow_up_on,
        )


@dataclass(frozen=True)
class ComplicationChange:
    """One save of an event: who, when, and each field's old and new value."""

    at: dt.datetime
    username: str
    event: str
    changes: Mapping[str, tuple[Any, Any]]


def _check(draft: ComplicationDraft, treated_on: dt.date | None) -> None:
    if draft.category not in vocabulary.CATEGORIES:
        raise ValidationError(
            "category", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose what happened."))
        )
    if draft.category == "other" and not draft.description.strip():
        raise ValidationError(
            "description", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Describe what happened."))
        )
    if draft.severity not in vocabulary.SEVERITIES:
        raise ValidationError(
            "severity", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose how severe it is."))
        )
    if draft.outcome not in vocabulary.OUTCOMES:
        raise ValidationError(
            "outcome", ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose the outcome."))
        )
    if draft.noticed_on is None:
        raise ValidationError(
            "noticed_on",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Give the date it was noticed.")),
        )
    if draft.noticed_on > dt.date.today():
        raise ValidationError(
            "noticed_on",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "The date noticed is in the future.")),
        )
    if treated_on is not None and draft.noticed_on < treated_on:
        raise ValidationError(
            "noticed_on",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "The date noticed is before the treatment (%1)."),
                treated_on.isoformat(),
            ),
        )
    if draft.follow_up_on is not None and draft.follow_up_on < draft.noticed_on:
        raise ValidationError(
            "follow_up_on",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "The follow-up date is before the date noticed.")
            ),
        )


def _values(row: Complication) -> dict[str, Any]:
    """The event's editable values as the audit log keeps them (dates as text)."""
    out: dict[str, Any] = {}
    for name in _FIELDS:
        value = getattr(row, name)
        out[name] = value.isoformat() if isinstance(value, dt.date) else value
    return out


def _treatment(session: Session, consultation_id: int, treatment_id: str) -> TreatmentRecord:
    """The consented treatment an event follows (not a voided consent's)."""
    found = session.execute(
        select(TreatmentRecord, ConsentRecord.state)
        .join(ConsentRecord, ConsentRecord.id == TreatmentRecord.consent_id)
        .where(
            TreatmentRecord.consultation_id == consultation_id,
            TreatmentRecord.treatment_id == treatment_id,
        )
    ).first()
    if found is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors", "No consented treatment of this consultation has that name."
                )
            )
        )
    record, state = found
    if state == ConsentState.VOIDED:
        raise ValidationError(
            "treatment_id",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "That consent was voided: it was never given.")
            ),
        )
    return record


def _info(session: Session, row: Complication) -> ComplicationInfo:
    patient = session.get(Patient, row.patient_id)
    recorder = session.get(User, row.recorded_by)
    product = session.get(Product, row.product_id) if row.product_id is not None else None
    lot = session.get(ProductLot, row.lot_id) if row.lot_id is not None else None
    record = (
        session.get(TreatmentRecord, row.treatment_record_id)
        if row.treatment_record_id is not None
        else None
    )
    assert patient is not None and recorder is not None  # foreign keys
    return ComplicationInfo(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=f"{patient.given_name} {patient.family_name}".strip(),
        consultation_id=row.consultation_id,
        treatment_id=row.treatment_id,
        treated_on=lot_used(session, record).treated_on if record is not None else None,
        product_name=product.name if product else "",
        manufacturer=product.manufacturer if product else "",
        lot_number=lot.lot_number if lot else "",
        expiry_date=lot.expiry_date if lot else None,
        category=row.category,
        description=row.description,
        noticed_on=row.noticed_on,
        severity=row.severity,
        action_taken=row.action_taken,
        outcome=row.outcome,
        follow_up_on=row.follow_up_on,
        recorded_by=recorder.display_name,
        updated_at=row.updated_at,
        version=row.version,
    )


def _row(session: Session, complication_id: int) -> Complication:
    row = session.get(Complication, complication_id)
    if row is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Complication %1 does not exist."), complication_id
            )
        )
    return row


def record(
    ctx: ServiceContext, consultation_id: int, treatment_id: str, draft: ComplicationDraft
) -> ComplicationInfo:
    """Record an event after a consented treatment (practitioners; audited)."""
    ctx.require("record a complication", *_RECORDERS)
    with ctx.unit_of_work() as session:
        treatment = _treatment(session, consultation_id, treatment_id)
        used = lot_used(session, treatment)
        _check(draft, used.treated_on)
        assert ctx.user is not None and draft.noticed_on is not None  # checked
        row = Complication(
            patient_id=treatment.patient_id,
            consultation_id=consultation_id,
            treatment_id=treatment_id,
            treatment_record_id=treatment.id,
            product_id=used.product_id,
            lot_id=used.lot_id,
            category=draft.category,
            description=draft.description.strip(),
            noticed_on=draft.noticed_on,
            severity=draft.severity,
            action_taken=draft.action_taken.strip(),
            outcome=draft.outcome,
            follow_up_on=draft.follow_up_on,
            recorded_by=ctx.user.id,
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "complication.recorded",
            record_type="complication",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"treatment": treatment_id, "lot_id": used.lot_id, **_values(row)},
        )
        return _info(session, row)


def update(
    ctx: ServiceContext, complication_id: int, expected_version: int, draft: ComplicationDraft
) -> ComplicationInfo:
    """Change an event (practitioners and managers): the audit log keeps each field's
    value before and after; a stale version is a conflict."""
    ctx.require("change a complication", *_READERS)
    try:
        with ctx.unit_of_work() as session:
            row = _row(session, complication_id)
            if row.version != expected_version:
                raise ConflictError(_CONFLICT)
            record_row = (
                session.get(TreatmentRecord, row.treatment_record_id)
                if row.treatment_record_id is not None
                else None
            )
            _check(draft, lot_used(session, record_row).treated_on if record_row else None)
            before = _values(row)
            row.category, row.description = draft.category, draft.description.strip()
            assert draft.noticed_on is not None  # checked
            row.noticed_on, row.severity = draft.noticed_on, draft.severity
            row.action_taken, row.outcome = draft.action_taken.strip(), draft.outcome
            row.follow_up_on = draft.follow_up_on
            after = _values(row)
            changed = {name for name in _FIELDS if before[name] != after[name]}
            if not changed:
                return _info(session, row)
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "complication.updated",
                record_type="complication",
                record_id=row.id,
                patient_id=row.patient_id,
                details={
                    "before": {name: before[name] for name in sorted(changed)},
                    "after": {name: after[name] for name in sorted(changed)},
                },
            )
            return _info(session, row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def get(ctx: ServiceContext, complication_id: int) -> ComplicationInfo:
    """One event."""
    ctx.require("read complications", *_READERS)
    with ctx.unit_of_work() as session:
        return _info(session, _row(session, complication_id))


def for_patient(ctx: ServiceContext, patient_id: int) -> list[ComplicationInfo]:
    """A patient's events, newest first (the listing is logged)."""
    ctx.require("read complications", *_READERS)
    with ctx.unit_of_work() as session:
        rows = list(
            session.execute(
                select(Complication)
                .where(Complication.patient_id == patient_id)
                .order_by(Complication.noticed_on.desc(), Complication.id.desc())
            ).scalars()
        )
        audit.append(
            session,
            ctx.actor,
            "complication.listed",
            record_type="patient",
            record_id=patient_id,
            patient_id=patient_id,
            details={"complications": len(rows)},
        )
        return [_info(session, row) for row in rows]


def open_complications(ctx: ServiceContext) -> list[ComplicationInfo]:
    """Every open event (ongoing or outcome unknown), the most severe and oldest first
    (managers; the listing is logged)."""
    ctx.require("list open complications", Role.MANAGER)
    rank = {severity: index for index, severity in enumerate(reversed(vocabulary.SEVERITIES))}
    with ctx.unit_of_work() as session:
        rows = list(
            session.execute(
                select(Complication).where(
                    Complication.outcome.in_(sorted(vocabulary.OPEN_OUTCOMES))
                )
            ).scalars()
        )
        audit.append(
            session, ctx.actor, "complication.open_listed", details={"complications": len(rows)}
        )
        infos = [_info(session, row) for row in rows]
    return sorted(infos, key=lambda c: (rank.get(c.severity, 99), c.noticed_on, c.id))


def history(ctx: ServiceContext, complication_id: int) -> list[ComplicationChange]:
    """Every save of an event, oldest first, from the audit log."""
    ctx.require("read complications", *_READERS)
    with ctx.unit_of_work() as session:
        _row(session, complication_id)
        entries = session.execute(
            select(AuditEntry)
            .where(
                AuditEntry.record_type == "complication",
                AuditEntry.record_id == str(complication_id),
                AuditEntry.event.in_(("complication.recorded", "complication.updated")),
            )
            .order_by(AuditEntry.id)
        ).scalars()
        out = []
        for entry in entries:
            details = entry.details or {}
            if entry.event == "complication.recorded":
                changes = {name: (None, details.get(name)) for name in _FIELDS}
            else:
                before, after = details.get("before", {}), details.get("after", {})
                changes = {name: (before.get(name), after.get(name)) for name in after}
            out.append(ComplicationChange(entry.at, entry.username, entry.event, changes))
        return out


def _report(session: Session, row: Complication) -> vocabulary.EventReport:
    info = _info(session, row)
    patient = session.get(Patient, row.patient_id)
    clinic = session.execute(select(Clinic).order_by(Clinic.id).limit(1)).scalar_one()
    treatment = (
        session.get(TreatmentRecord, row.treatment_record_id)
        if row.treatment_record_id is not None
        else None
    )
    assert patient is not None
    return vocabulary.EventReport(
        reference=f"C-{row.id:06d}",
        jurisdiction=clinic.jurisdiction,
        clinic_name=clinic.name,
        patient_age=vocabulary.age_on(patient.date_of_birth, row.noticed_on),
        patient_sex=patient.sex_at_birth,
        treatment=row.treatment_id,
        route=treatment.route if treatment else "",
        treated_on=info.treated_on,
        product=info.product_name,
        manufacturer=info.manufacturer,
        lot_number=info.lot_number,
        expiry_date=info.expiry_date,
        category=row.category,
        description=row.description,
        noticed_on=row.noticed_on,
        severity=row.severity,
        action_taken=row.action_taken,
        outcome=row.outcome,
        follow_up_on=row.follow_up_on,
    )


def report(ctx: ServiceContext, complication_id: int) -> vocabulary.EventReport:
    """What the national scheme's report needs about one event, without the patient's
    name (logged: the report is made to leave the clinic)."""
    ctx.require("report a complication", *_READERS)
    with ctx.unit_of_work() as session:
        row = _row(session, complication_id)
        made = _report(session, row)
        audit.append(
            session,
            ctx.actor,
            "complication.report_made",
            record_type="complication",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"scheme": made.scheme.name},
        )
        return made


def export_report(
    ctx: ServiceContext, complication_id: int, path: Path, *, treatment_names: Mapping[str, str]
) -> Path:
    """Write the report of one event as a UTF-8 text file (logged once written).

    ``treatment_names``: the knowledge base's names for the treatment ids, so that the
    file names the procedure as the clinic does."""
    ctx.require("report a complication", *_READERS)
    with ctx.unit_of_work() as session:
        made = _report(session, _row(session, complication_id))
    text = report_text(made, treatment_names)
    try:
        path.write_text(text, encoding="utf-8")
    except OSError:
        _log.warning("the report of complication %s was not written to %s", complication_id, path)
        raise
    with ctx.unit_of_work() as session:
        audit.append(
            session,
            ctx.actor,
            "complication.report_exported",
            record_type="complication",
            record_id=complication_id,
            details={"scheme": made.scheme.name, "file": path.name},
        )
    return path


def report_text(made: vocabulary.EventReport, treatment_names: Mapping[str, str]) -> str:
    """The report as text, with the procedure named (its id if unknown)."""
    return vocabulary.report_text(
        replace(made, treatment=treatment_names.get(made.treatment, made.treatment))
    )
