"""Consultations: the draft that is saved as it goes, screening, and overrides.

Only practitioners run consultations. Every change is saved at once (a draft survives
closing the app or a crash) and carries the version it was based on, so two
workstations never silently overwrite each other.

A draft never contradicts itself: answers are saved only to questions asked for the
planned treatments (and the earlier answers), date answers lie between the birth and the
consultation, and a change of treatments drops the answers to questions no longer asked.
A consultation keeps the rule-set version it was screened with; the wizard screens a
draft screened under another rule set again when it is reopened, unless a consent of it
is signed.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.domain.conditions import AnswerValue
from consult.domain.errors import IntakeError
from consult.domain.intake import asked_questions, check_asked, parse_intake
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.reconfirmation import Confirmed
from consult.domain.review import TreatmentReview, justification_problem, review
from consult.domain.roles import Role
from consult.domain.screening import screen
from consult.domain.states import ConsultationStatus, ConsultationStep
from consult.store import audit
from consult.store.dto import ConsultationInfo
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ConflictError,
    ErrorText,
    NotFoundError,
    Term,
    ValidationError,
)
from consult.store.models import (
    Clinic,
    ConsentReconfirmation,
    ConsentRecord,
    Consultation,
    Patient,
    Product,
    ProductLot,
    User,
    utcnow,
)
from consult.store.services.context import ServiceContext
from consult.store.services.products import refuse_quarantined

OPEN_STATUSES = (ConsultationStatus.DRAFT, ConsultationStatus.SCREENED)
"""A consultation in these can still change; consented and abandoned ones are closed."""
_CONFLICT = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors",
        "This consultation was changed on another workstation. Nothing was overwritten: "
        "reopen it to see the latest version.",
    )
)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)


def consultation_info(row: Consultation) -> ConsultationInfo:
    """The plain view of a consultation."""
    return ConsultationInfo(
        id=row.id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        consultation_date=row.consultation_date,
        jurisdiction=row.jurisdiction,
        status=ConsultationStatus(row.status),
        step=ConsultationStep(row.step),
        treatments=tuple(dict(t) for t in row.treatments),
        answers=dict(row.answers),
        screening=dict(row.screening) if row.screening is not None else None,
        overrides=tuple(dict(o) for o in row.overrides),
        rule_set_version=row.rule_set_version,
        version=row.version,
        updated_at=row.updated_at,
        section_confirmations=dict(row.section_confirmations or {}),
    )


def _load(
    session: Session, consultation_id: int, expected_version: int | None, *, lock: bool = True
) -> Consultation:
    # Every change locks the row (SELECT … FOR UPDATE on PostgreSQL; SQLite has one
    # writer at a time) before it checks anything, so that a save cannot pass its checks
    # while a signing commits and then be applied after it: signing locks the same row.
    row = session.get(Consultation, consultation_id, with_for_update=lock)
    if row is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."), consultation_id
            )
        )
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(_CONFLICT)
    return row


def _editable(
    session: Session, row: Consultation, ctx: ServiceContext, *, closing: bool = False
) -> None:
    if row.status not in OPEN_STATUSES:
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "This consultation is %1: it cannot change."),
                Term("status", row.status),
            ),
        )
    if ctx.user is not None and row.practitioner_id != ctx.user.id:
        raise ValidationError(
            "practitioner",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Only the practitioner who started this consultation can change it.",
                )
            ),
        )
    if not closing and _has_signed_consent(session, row):
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "A consent of this consultation is already signed: its treatments, answers "
                    "and screening are sealed with it and cannot change. Start a new "
                    "consultation.",
                )
            ),
        )


def _has_signed_consent(session: Session, row: Consultation) -> bool:
    # A consent re-confirmed in this visit (issue 21) seals it as a signed one does.
    return any(
        session.execute(select(table.id).where(table.consultation_id == row.id).limit(1)).first()
        is not None
        for table in (ConsentRecord, ConsentReconfirmation)
    )


def start(ctx: ServiceContext, patient_id: int, day: dt.date | None = None) -> ConsultationInfo:
    """Start a consultation for a patient, today, in the clinic's jurisdiction."""
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Patient %1 does not exist."), patient_id
                )
            )
        clinic = session.execute(select(Clinic).limit(1)).scalar_one()
        row = Consultation(
            patient_id=patient.id,
            practitioner_id=user.id,
            consultation_date=day or dt.date.today(),
            jurisdiction=clinic.jurisdiction,
            status=ConsultationStatus.DRAFT,
            step=ConsultationStep.TREATMENTS,
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
        row = _load(session, consultation_id, None, lock=False)
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
            raise ValidationError(
                f"{field}.id",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "%1 is planned twice."),
                    Term("treatment", treatment.id, treatment.name),
                ),
            )
        seen.add(treatment_id)
        route = entry.get("route") or (treatment.routes[0] if len(treatment.routes) == 1 else "")
        if route not in treatment.routes:
            raise ValidationError(
                f"{field}.route",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "choose a route for %1"),
                    Term("treatment", treatment.id, treatment.name),
                ),
            )
        product_id, lot_id = entry.get("product_id"), entry.get("lot_id")
        if product_id is None or lot_id is None:
            raise ValidationError(
                f"{field}.lot_id",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "choose the product and lot for %1"),
                    Term("treatment", treatment.id, treatment.name),
                ),
            )
        product = session.get(Product, int(product_id))
        lot = session.get(ProductLot, int(lot_id))
        if product is None or product.treatment_id != treatment_id:
            raise ValidationError(
                f"{field}.product_id",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "that product is not used for %1"),
                    Term("treatment", treatment.id, treatment.name),
                ),
            )
        if treatment.product_sources and product.source not in treatment.product_sources:
            raise ValidationError(
                f"{field}.product_id",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "%1 has source %2; %3 needs one of %4"),
                    product.name,
                    product.source or "unknown",
                    Term("treatment", treatment.id, treatment.name),
                    ", ".join(treatment.product_sources),
                ),
            )
        if lot is None or lot.product_id != product.id:
            raise ValidationError(
                f"{field}.lot_id",
                ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "that lot is not a lot of the product")),
            )
        if lot.expiry_date < day:
            raise ValidationError(
                f"{field}.lot_id",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "lot %1 expired on %2: it cannot be used"),
                    lot.lot_number,
                    lot.expiry_date.isoformat(),
                ),
            )
        clean.append(
            {"id": treatment_id, "route": route, "product_id": product.id, "lot_id": lot.id}
        )
    refuse_quarantined(session, clean)
    return clean


def _planned_ids(row: Consultation) -> list[str]:
    return [str(entry["id"]) for entry in row.treatments]


def _patient(session: Session, row: Consultation) -> Patient:
    patient = session.get(Patient, row.patient_id)
    assert patient is not None  # a foreign key
    return patient


def _typed(question_type: str, value: Any, field: str) -> AnswerValue:
    # The stored (JSON) form of an answer as the intake checks read it: lists as tuples,
    # date answers as dates.
    if question_type == "date" and value is not None:
        if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
            raise ValidationError(field, "expected a date as YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError(field, f"impossible date {value}") from None
    if isinstance(value, list | tuple):
        return tuple(value)
    if value is None or isinstance(value, str):
        return value
    raise ValidationError(field, "expected text, a list or null")


def _check_answers(
    session: Session, row: Consultation, answers: Mapping[str, Any], kb: KnowledgeBase
) -> None:
    """Refuse unknown questions, date answers outside the patient's life up to the
    consultation, and answers to questions not asked for the planned treatments."""
    patient = _patient(session, row)
    typed: dict[str, AnswerValue] = {}
    for question_id, value in answers.items():
        field = f"answers.{question_id}"
        try:
            question = kb.question(question_id)
        except KeyError:
            raise ValidationError(field, "unknown question") from None
        answer = _typed(question.type, value, field)
        if isinstance(answer, dt.date):
            if answer > row.consultation_date:
                raise ValidationError(
                    field,
                    ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "after the consultation date")),
                )
            if answer < patient.date_of_birth:
                raise ValidationError(
                    field, ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "before the date of birth"))
                )
        typed[question_id] = answer
    try:
        check_asked(typed, patient.sex_at_birth, kb, _planned_ids(row))
    except IntakeError as exc:
        raise ValidationError(exc.field, exc.message) from exc


def _asked_only(
    session: Session, row: Consultation, answers: Mapping[str, Any], kb: KnowledgeBase
) -> dict[str, Any]:
    """The answers to the questions asked for the planned treatments, the rest left out."""
    sex = _patient(session, row).sex_at_birth
    asked = {q.id for q in asked_questions(answers, sex, kb, _planned_ids(row))}
    return {question_id: value for question_id, value in answers.items() if question_id in asked}


def save(
    ctx: ServiceContext,
    consultation_id: int,
    expected_version: int,
    kb: KnowledgeBase,
    *,
    step: str | None = None,
    treatments: Sequence[Mapping[str, Any]] | None = None,
    answers: Mapping[str, Any] | None = None,
    section_confirmations: Mapping[str, str] | None = None,
) -> ConsultationInfo:
    """Save the draft as it stands. Changing treatments or answers clears the screening.

    ``section_confirmations`` (a repeat visit: {section id: "unchanged" | "update"}) are
    kept with the draft as they are; they change nothing the screening reads.

    ``answers`` are checked against the planned treatments (``treatments`` when given in
    the same call, else the stored ones) and the patient: an answer to a question that is
    not asked, or a date answer after the consultation or before the birth, is refused
    with a ValidationError naming ``answers.<question id>``. When only the treatments
    change, the stored answers to questions no longer asked are dropped (the wizard still
    holds them, should the treatment be planned again).
    """
    ctx.require("run a consultation", Role.PRACTITIONER)
    if step is not None:
        try:
            step = ConsultationStep(step)
        except ValueError:
            raise ValidationError("step", f"unknown step {step!r}") from None
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx)
            changed = False
            dropped: list[str] = []
            if treatments is not None:
                clean = _check_treatments(session, treatments, row.consultation_date, kb)
                if clean != row.treatments:
                    row.treatments, changed = clean, True
                    if answers is None:
                        # The stored answers were given for the old plan: keep those still asked.
                        kept = _asked_only(session, row, row.answers, kb)
                        dropped = [q for q in row.answers if q not in kept]
                        if dropped:
                            row.answers = kept
            if answers is not None:
                _check_answers(session, row, answers, kb)
                if dict(answers) != row.answers:
                    row.answers, changed = dict(answers), True
            if changed:
                row.screening, row.rule_set_version = None, None
                row.status = ConsultationStatus.DRAFT
            if section_confirmations is not None:
                confirmed = _check_confirmations(section_confirmations, kb)
                if confirmed != (row.section_confirmations or None):
                    row.section_confirmations = confirmed
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
                        ],
                        **({"answers_dropped": dropped} if dropped else {}),
                    },
                )
            return consultation_info(row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def _check_confirmations(
    confirmations: Mapping[str, str], kb: KnowledgeBase
) -> dict[str, str] | None:
    """A repeat visit's section confirmations, checked (None for none)."""
    sections = {section.id for section in kb.sections}
    clean: dict[str, str] = {}
    for section_id, how in confirmations.items():
        if section_id not in sections:
            raise ValidationError("section_confirmations", f"unknown section {section_id!r}")
        try:
            clean[section_id] = Confirmed(how).value
        except ValueError:
            raise ValidationError(
                "section_confirmations", f"{section_id}: {how!r} is neither unchanged nor update"
            ) from None
    return clean or None


def build_intake(session: Session, row: Consultation) -> dict[str, Any]:
    """The consultation as an intake in the exchange format (docs/clinical-knowledge.md)."""
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


def _screen(
    session: Session,
    ctx: ServiceContext,
    row: Consultation,
    kb: KnowledgeBase,
    previous_version: str | None = None,
) -> None:
    """Screen the row's intake with ``kb``; store the result and the rule-set version.

    Raises ValidationError naming the field when the intake is refused.
    """
    if not row.treatments:
        raise ValidationError(
            "treatments",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Choose at least one treatment first.")),
        )
    refuse_quarantined(session, row.treatments)
    intake_json = build_intake(session, row)
    try:
        intake = parse_intake(intake_json, kb)
    except IntakeError as exc:
        raise ValidationError(exc.field, exc.message) from exc
    result = screen(intake, kb).to_json()
    row.screening = {"intake": intake.to_json(), "result": result}
    row.rule_set_version = kb.version
    reviewed = _reviewed(result, row.overrides)
    row.status = (
        ConsultationStatus.SCREENED
        if any(r.can_consent for r in reviewed)
        else ConsultationStatus.DRAFT
    )
    session.flush()
    details: dict[str, Any] = {
        "outcomes": {r.treatment: r.outcome for r in reviewed},
        "rule_set_version": kb.version,
    }
    if previous_version is not None:
        details["previous_rule_set_version"] = previous_version
    audit.append(
        session,
        ctx.actor,
        "consultation.screened",
        record_type="consultation",
        record_id=row.id,
        patient_id=row.patient_id,
        details=details,
    )


def run_screening(
    ctx: ServiceContext, consultation_id: int, expected_version: int, kb: KnowledgeBase
) -> ConsultationInfo:
    """Screen the intake; the result and the rule-set version are stored with it.

    A consultation screened before keeps that screening until this one succeeds; when
    it was screened under another rule set, the audit entry names that rule set too.
    A consultation with a signed consent is sealed and never screened again.
    """
    ctx.require("screen a patient", Role.PRACTITIONER)
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx)
            previous = row.rule_set_version if row.screening is not None else None
            _screen(
                session,
                ctx,
                row,
                kb,
                previous_version=previous if previous != kb.version else None,
            )
            return consultation_info(row)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def rules_changed(info: ConsultationInfo, kb: KnowledgeBase) -> bool:
    """Whether ``info`` was screened under another rule set than the one of ``kb``.

    Such a screening keeps its version and findings, but it is not the screening of the
    rules in force: a draft is screened again before it goes on (never one with a signed
    consent, which is sealed with the screening it was signed with).
    """
    return info.screening is not None and info.rule_set_version != kb.version


def _finding(row: Consultation, treatment: str, rule: str) -> Mapping[str, Any]:
    if row.screening is None:
        raise ValidationError(
            "screening",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Screen the consultation first.")),
        )
    for entry in row.screening["result"]["results"]:
        if entry["treatment"] == treatment:
            for finding in entry["findings"]:
                if finding["rule"] == rule:
                    return dict(finding)
    raise ValidationError(
        "rule",
        ErrorText(
            QT_TRANSLATE_NOOP("StoreErrors", "%1 is not a finding for %2."),
            rule,
            Term("treatment", treatment),
        ),
    )


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

    A relative finding needs a clinical justification that says something (see
    :func:`~consult.domain.review.justification_problem`; an override, stored with who and
    when); a caution is acknowledged. An absolute finding cannot be overridden, and a
    finding that is the same as another (``same_as``) is decided with that one.
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
                raise ValidationError(
                    "rule",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "An absolute contraindication cannot be overridden."
                        )
                    ),
                )
            if finding.get("same_as"):
                raise ValidationError(
                    "rule",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "%1 is the same finding as %2: decide that one."
                        ),
                        rule,
                        finding["same_as"],
                    ),
                )
            problem = justification_problem(text) if severity == "relative" else None
            if problem is not None:
                raise ValidationError("justification", problem)
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
            if any(r.can_consent for r in _reviewed(row.screening["result"], row.overrides)):
                row.status = ConsultationStatus.SCREENED
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


def _reviewed(
    result: Mapping[str, Any], overrides: Iterable[Mapping[str, Any]]
) -> tuple[TreatmentReview, ...]:
    # Outcome precedence is absolute > clarify > relative > caution > clear: an absolute
    # finding blocks the treatment even while an answer still needs clarifying (the
    # questions to clarify stay listed in the review).
    return tuple(
        dataclasses.replace(r, status="blocked") if r.blocking else r
        for r in review(result, list(overrides))
    )


def reviews(info: ConsultationInfo) -> tuple[TreatmentReview, ...]:
    """Where each treatment of a screened consultation stands (absolute blocks first)."""
    if info.screening is None:
        return ()
    return _reviewed(info.screening["result"], info.overrides)


def abandon(
    ctx: ServiceContext, consultation_id: int, expected_version: int, reason: str
) -> ConsultationInfo:
    """Close a consultation without (further) consent: the patient left or decided against it.

    If some of its treatments were already consented, it closes as consented (those
    records stand); otherwise as abandoned.
    """
    ctx.require("run a consultation", Role.PRACTITIONER)
    if not reason.strip():
        raise ValidationError(
            "reason",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Say why the consultation is closed.")),
        )
    try:
        with ctx.unit_of_work() as session:
            row = _load(session, consultation_id, expected_version)
            _editable(session, row, ctx, closing=True)
            row.status = (
                ConsultationStatus.CONSENTED
                if _has_signed_consent(session, row)
                else ConsultationStatus.ABANDONED
            )
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
