"""Consultations: the draft that is saved as it goes, screening, and overrides.

Only practitioners run consultations. Every change is saved at once (a draft survives
closing the app or a crash) and carries the version it was based on, so two
workstations never silently overwrite each other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.domain.errors import IntakeError
from consult.domain.intake import parse_intake
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.review import MIN_JUSTIFICATION, TreatmentReview, review
from consult.domain.roles import Role
from consult.domain.screening import screen
from consult.store import audit
from consult.store.dto import ConsultationInfo
from consult.store.errors import ConflictError, NotFoundError, ValidationError
from consult.store.models import (
    Clinic,
    ConsentRecord,
    Consultation,
    Patient,
    Product,
    ProductLot,
    User,
    utcnow,
)
from consult.store.services.context import ServiceContext

STEPS = ("treatments", "intake", "screening", "summary", "consent")
OPEN_STATUSES = ("draft", "screened")
_CONFLICT = (
    "This consultation was changed on another workstation. Nothing was overwritten: "
    "reopen it to see the latest version."
)


def consultation_info(row: Consultation) -> ConsultationInfo:
    """The plain view of a consultation."""
    return ConsultationInfo(
        id=row.id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        consultation_date=row.consultation_date,
        jurisdiction=row.jurisdiction,
        status=row.status,
        step=row.step,
        treatments=tuple(dict(t) for t in row.treatments),
        answers=dict(row.answers),
        screening=dict(row.screening) if row.screening is not None else None,
        overrides=tuple(dict(o) for o in row.overrides),
        rule_set_version=row.rule_set_version,
        version=row.version,
        updated_at=row.updated_at,
    )


def _load(session: Session, consultation_id: int, expected_version: int | None) -> Consultation:
    row = session.get(Consultation, consultation_id)
    if row is None:
        raise NotFoundError(f"Consultation {consultation_id} does not exist.")
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(_CONFLICT)
    return row


def _editable(
    session: Session, row: Consultation, ctx: ServiceContext, *, closing: bool = False
) -> None:
    if row.status not in OPEN_STATUSES:
        raise ValidationError("status", f"This consultation is {row.status}: it cannot change.")
    if ctx.user is not None and row.practitioner_id != ctx.user.id:
        raise ValidationError(
            "practitioner", "Only the practitioner who started this consultation can change it."
        )
    if not closing and _has_signed_consent(session, row):
        raise ValidationError(
            "status",
            "A consent of this consultation is already signed: its treatments, answers and "
            "screening are sealed with it and cannot change. Start a new consultation.",
        )


def _has_signed_consent(session: Session, row: Consultation) -> bool:
    return (
        session.execute(
            select(ConsentRecord.id).where(ConsentRecord.consultation_id == row.id).limit(1)
        ).first()
        is not None
    )


def start(ctx: ServiceContext, patient_id: int, day: dt.date | None = None) -> ConsultationInfo:
    """Start a consultation for a patient, today, in the clinic's jurisdiction."""
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(f"Patient {patient_id} does not exist.")
        clinic = session.execute(select(Clinic).limit(1)).scalar_one()
        row = Consultation(
            patient_id=patient.id,
            practitioner_id=user.id,
            consultation_date=day or dt.date.today(),
            jurisdiction=clinic.jurisdiction,
            status="draft",
            step="treatments",
            treatments=[],
            answers={},
            overrides=[],
        )
        session.add(row)
        session.flush()
        audit.append(
            session,
            ctx.actor,
            "consultation.started",
            record_type="consultation",
            record_id=row.id,
            patient_id=patient.id,
        )
        return consultation_info(row)


def get(ctx: ServiceContext, consultation_id: int) -> ConsultationInfo:
    """A consultation with its intake (practitioners and managers; the view is logged)."""
    ctx.require("read a consultation's intake", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = _load(session, consultation_id, None)
        audit.append(
            session,
            ctx.actor,
            "consultation.viewed",
            record_type="consultation",
            record_id=row.id,
            patient_id=row.patient_id,
        )
        return consultation_info(row)


def open_drafts(ctx: ServiceContext) -> list[ConsultationInfo]:
    """The signed-in practitioner's unfinished consultations, newest first."""
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation)
            .where(Consultation.practitioner_id == user.id, Consultation.status.in_(OPEN_STATUSES))
            .order_by(Consultation.updated_at.desc())
        ).scalars()
        return [consultation_info(row) for row in rows]


def for_patient(ctx: ServiceContext, patient_id: int) -> list[ConsultationInfo]:
    """A patient's consultations, newest first."""
    ctx.require("read a consultation's intake", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        rows = session.execute(
            select(Consultation)
            .where(Consultation.patient_id == patient_id)
            .order_by(Consultation.consultation_date.desc(), Consultation.id.desc())
        ).scalars()
        return [consultation_info(row) for row in rows]


def _check_treatments(
    session: Session,
    treatments: Sequence[Mapping[str, Any]],
    day: dt.date,
    kb: KnowledgeBase,
) -> list[dict[str, Any]]:
    clean: list[dict[str, Any]] = []
    seen: set[str] = set()
    for index, entry in enumerate(treatments):
        field = f"treatments[{index}]"
        treatment_id = str(entry.get("id", ""))
        try:
            treatment = kb.treatment(treatment_id)
        except KeyError as exc:
            raise ValidationError(f"{field}.id", f"unknown treatment {treatment_id!r}") from exc
        if treatment_id in seen:
            raise ValidationError(f"{field}.id", f"{treatment.name} is planned twice.")
        seen.add(treatment_id)
        route = entry.get("route") or (treatment.routes[0] if len(treatment.routes) == 1 else "")
        if route not in treatment.routes:
            raise ValidationError(f"{field}.route", f"choose a route for {treatment.name}")
        product_id, lot_id = entry.get("product_id"), entry.get("lot_id")
        if product_id is None or lot_id is None:
            raise ValidationError(
                f"{field}.lot_id", f"choose the product and lot for {treatment.name}"
            )
        product = session.get(Product, int(product_id))
        lot = session.get(ProductLot, int(lot_id))
        if product is None or product.treatment_id != treatment_id:
            raise ValidationError(
                f"{field}.product_id", f"that product is not used for {treatment.name}"
            )
        if treatment.product_sources and product.source not in treatment.product_sources:
            raise ValidationError(
                f"{field}.product_id",
                f"{product.name} has source {product.source or 'unknown'}; {treatment.name} "
                f"needs one of {', '.join(treatment.product_sources)}",
            )
        if lot is None or lot.product_id != product.id:
            raise ValidationError(f"{field}.lot_id", "that lot is not a lot of the product")
        if lot.expiry_date < day:
            raise ValidationError(
                f"{field}.lot_id",
                f"lot {lot.lot_number} expired on {lot.expiry_date.isoformat()}: it cannot be used",
            )
        clean.append(
            {"id": treatment_id, "route": route, "product_id": product.id, "lot_id": lot.id}
        )
    return clean


def save(
    ctx: ServiceContext,
    consultation_id: int,
    expected_version: int,
    kb: KnowledgeBase,
    *,
    step: str | None = None,
    treatments: Sequence[Mapping[str, Any]] | None = None,
    answers: Mapping[str, Any] | None = None,
) -> ConsultationInfo:
    """Save the draft as it stands. Changing treatments or answers clears the screening."""
    ctx.require("run a consultation", Role.PRACTITIONER)
    if step is not None and step not in STEPS:
        raise ValidationError("step", f"unknown step {step!r}")
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx)
            changed = False
            if treatments is not None:
                clean = _check_treatments(session, treatments, row.consultation_date, kb)
                if clean != row.treatments:
                    row.treatments, changed = clean, True
            if answers is not None:
                known = {question.id for question in kb.questions}
                unknown = sorted(set(answers) - known)
                if unknown:
                    raise ValidationError(f"answers.{unknown[0]}", "unknown question")
                if dict(answers) != row.answers:
                    row.answers, changed = dict(answers), True
            if changed:
                row.screening, row.rule_set_version, row.status = None, None, "draft"
            if step is not None:
                row.step = step
            session.flush()
            if changed:
                audit.append(
                    session,
                    ctx.actor,
                    "consultation.updated",
                    record_type="consultation",
                    record_id=row.id,
                    patient_id=row.patient_id,
                    details={
                        "changed": [
                            name
                            for name, given in (("treatments", treatments), ("answers", answers))
                            if given is not None
                        ]
                    },
                )
            return consultation_info(row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def build_intake(session: Session, row: Consultation) -> dict[str, Any]:
    """The consultation as an intake in the exchange format (CLINICAL.md section 1)."""
    patient = session.get(Patient, row.patient_id)
    practitioner = session.get(User, row.practitioner_id)
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    assert patient is not None and practitioner is not None
    treatments: list[dict[str, Any]] = []
    for entry in row.treatments:
        item: dict[str, Any] = {"id": entry["id"], "route": entry["route"]}
        product = session.get(Product, entry["product_id"])
        lot = session.get(ProductLot, entry["lot_id"])
        if product is not None and product.source:
            item["product_source"] = product.source
        if lot is not None:
            item["lot_expiry"] = lot.expiry_date.isoformat()
        treatments.append(item)
    return {
        "patient": {
            "date_of_birth": patient.date_of_birth.isoformat(),
            "sex_at_birth": patient.sex_at_birth,
        },
        "consultation_date": row.consultation_date.isoformat(),
        "jurisdiction": row.jurisdiction,
        "practitioner": {"qualification": practitioner.qualification or "aesthetician"},
        "clinic": {"regenerative_medicine_plan": clinic.regenerative_medicine_plan},
        "treatments": treatments,
        "answers": dict(row.answers),
    }


def run_screening(
    ctx: ServiceContext, consultation_id: int, expected_version: int, kb: KnowledgeBase
) -> ConsultationInfo:
    """Screen the intake; the result and the rule-set version are stored with it."""
    ctx.require("screen a patient", Role.PRACTITIONER)
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx)
            if not row.treatments:
                raise ValidationError("treatments", "Choose at least one treatment first.")
            intake_json = build_intake(session, row)
            try:
                intake = parse_intake(intake_json, kb)
            except IntakeError as exc:
                raise ValidationError(exc.field, exc.message) from exc
            result = screen(intake, kb).to_json()
            row.screening = {"intake": intake.to_json(), "result": result}
            row.rule_set_version = kb.version
            reviews = review(result, row.overrides)
            row.status = "screened" if any(r.can_consent for r in reviews) else "draft"
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "consultation.screened",
                record_type="consultation",
                record_id=row.id,
                patient_id=row.patient_id,
                details={
                    "outcomes": {r.treatment: r.outcome for r in reviews},
                    "rule_set_version": kb.version,
                },
            )
            return consultation_info(row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def _finding(row: Consultation, treatment: str, rule: str) -> Mapping[str, Any]:
    if row.screening is None:
        raise ValidationError("screening", "Screen the consultation first.")
    for entry in row.screening["result"]["results"]:
        if entry["treatment"] == treatment:
            for finding in entry["findings"]:
                if finding["rule"] == rule:
                    return dict(finding)
    raise ValidationError("rule", f"{rule} is not a finding for {treatment}.")


def decide(
    ctx: ServiceContext,
    consultation_id: int,
    expected_version: int,
    *,
    treatment: str,
    rule: str,
    justification: str = "",
) -> ConsultationInfo:
    """Record the practitioner's decision on a finding.

    A relative finding needs a clinical justification of at least
    :data:`MIN_JUSTIFICATION` characters (an override, stored with who and when); a
    caution is acknowledged. An absolute finding cannot be overridden.
    """
    user = ctx.require("override a screening finding", Role.PRACTITIONER)
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx)
            finding = _finding(row, treatment, rule)
            severity = finding["severity"]
            text = justification.strip()
            if severity == "absolute":
                raise ValidationError("rule", "An absolute contraindication cannot be overridden.")
            if severity == "relative" and len(text) < MIN_JUSTIFICATION:
                raise ValidationError(
                    "justification",
                    f"Write a clinical justification of at least {MIN_JUSTIFICATION} characters.",
                )
            decision = {
                "treatment": treatment,
                "rule": rule,
                "severity": severity,
                "kind": "justified" if severity == "relative" else "acknowledged",
                "justification": text,
                "by": user.id,
                "by_name": user.display_name,
                "at": utcnow().isoformat(timespec="seconds"),
            }
            row.overrides = [*row.overrides, decision]
            assert row.screening is not None  # _finding checked it
            if any(r.can_consent for r in review(row.screening["result"], row.overrides)):
                row.status = "screened"
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "screening.override" if severity == "relative" else "screening.acknowledged",
                record_type="consultation",
                record_id=row.id,
                patient_id=row.patient_id,
                details={"treatment": treatment, "rule": rule, "justification": text},
            )
            return consultation_info(row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def reviews(info: ConsultationInfo) -> tuple[TreatmentReview, ...]:
    """Where each treatment of a screened consultation stands."""
    if info.screening is None:
        return ()
    return review(info.screening["result"], info.overrides)


def abandon(
    ctx: ServiceContext, consultation_id: int, expected_version: int, reason: str
) -> ConsultationInfo:
    """Close a consultation without (further) consent: the patient left or decided against it.

    If some of its treatments were already consented, it closes as consented (those
    records stand); otherwise as abandoned.
    """
    ctx.require("run a consultation", Role.PRACTITIONER)
    if not reason.strip():
        raise ValidationError("reason", "Say why the consultation is closed.")
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx, closing=True)
            row.status = "consented" if _has_signed_consent(session, row) else "abandoned"
            session.flush()
            audit.append(
                session,
                ctx.actor,
                "consultation.abandoned",
                record_type="consultation",
                record_id=row.id,
                patient_id=row.patient_id,
                details={"reason": reason.strip()},
            )
            return consultation_info(row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc
