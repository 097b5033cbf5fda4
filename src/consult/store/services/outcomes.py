"""The outcome of a consultation that ends with treatments not given (issue 21).

When the screening blocks a treatment (an absolute finding) or the practitioner decides
not to give it, the patient leaves with a short letter in their own language: what was
found (each finding's ``patient_risk`` sentence) and what to do next (each rule's
``next_step``), with the clinic's contact and the practitioner's name
(:mod:`consult.documents.outcome_letter_pdf`).

:func:`record_not_treated` writes the outcome once per consultation (which treatments,
the findings, the practitioner's reason; audited) with everything the letter prints as it
stands then, so the letter is printed again the same later, whatever the rules or the
clinic's settings become. Recording it settles those treatments: once every planned
treatment is settled, whichever came last (this record or a signing), the consultation
ends, abandoned (closed without consent) if none was consented, else consented.
Practitioners record; practitioners and managers read the outcome and print the letter
(logged: it carries health data).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from consult.documents import aftercare_pdf, paper
from consult.documents.outcome_letter_pdf import render_outcome_letter
from consult.domain import clinic_zone
from consult.domain.canonical import sha256_hex
from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.review import review
from consult.domain.roles import Role
from consult.domain.states import ConsultationStatus
from consult.store import audit
from consult.store.consultation_end import consented_treatments, end_if_settled
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
    Consultation,
    ConsultationOutcome,
    Patient,
    User,
    utcnow,
)
from consult.store.services.context import ServiceContext

_log = logging.getLogger(__name__)

NOT_TREATED: Final = "not_treated"
"""The one outcome recorded here: the treatments named were not given."""
BLOCKED: Final = "blocked"
"""Why: an absolute finding blocked at least one of them."""
PRACTITIONER_DECISION: Final = "practitioner_decision"
"""Why: nothing forbade them; the practitioner decided not to treat (reason required)."""

_CONFLICT = ErrorText(
    QT_TRANSLATE_NOOP(
        "StoreErrors",
        "This consultation was changed on another workstation. Nothing was recorded: "
        "reopen it to see the latest version.",
    )
)
_OPEN = (ConsultationStatus.DRAFT, ConsultationStatus.SCREENED)


@dataclass(frozen=True)
class NotTreated:
    """One treatment not given, and the findings that stood against it (rule ids)."""

    treatment: str
    findings: tuple[str, ...]
    blocked: bool
    """True when an absolute finding blocked it; False: the practitioner's decision."""


@dataclass(frozen=True)
class OutcomeInfo:
    """A recorded outcome: what was not given and why, and what the letter prints."""

    id: int
    consultation_id: int
    patient_id: int
    practitioner_id: int
    reason_kind: str
    reason: str
    treatments: tuple[NotTreated, ...]
    language: str
    decided_at: dt.datetime
    closed: bool
    """Whether the consultation is closed: recording it settled the last of its planned
    treatments (read back: whether it has closed since)."""
    letter: Mapping[str, Any]


def not_treated(
    screening: Mapping[str, Any] | None,
    overrides: Sequence[Mapping[str, Any]],
    treatments: Sequence[str],
) -> tuple[NotTreated, ...]:
    """The ``treatments`` as not given, with the findings against each: a blocked one's
    absolute findings; another's relative and caution findings (what the practitioner
    weighed). ValidationError for a treatment the screening does not name."""
    if screening is None:
        raise ValidationError(
            "screening",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Screen the consultation first.")),
        )
    result = screening["result"]
    reviews = {r.treatment: r for r in review(result, list(overrides))}
    entries = {str(e["treatment"]): e for e in result.get("results", [])}
    found: list[NotTreated] = []
    for treatment in dict.fromkeys(treatments):
        if treatment not in reviews:
            raise ValidationError(
                "treatments",
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "%1 is not planned in this consultation."),
                    Term("treatment", treatment),
                ),
            )
        state = reviews[treatment]
        if state.blocking:
            found.append(NotTreated(treatment, state.blocking, True))
            continue
        own = [
            str(f["rule"])
            for f in entries[treatment].get("findings", [])
            if f["severity"] in ("relative", "caution") and not f.get("same_as")
        ]
        found.append(NotTreated(treatment, tuple(own), False))
    return tuple(found)


def _letter(
    session: Session,
    row: Consultation,
    kb: KnowledgeBase,
    found: Sequence[NotTreated],
    reason: str,
    practitioner: User,
    decided_at: dt.datetime,
) -> dict[str, Any]:
    """Everything the letter prints, in the patient's language (each passage saying
    whether it is a translation or the English standing in)."""
    patient = session.get(Patient, row.patient_id)
    assert patient is not None
    clinic = session.execute(select(Clinic).limit(1)).scalar_one()
    settings = clinic.settings or {}
    language = patient.language or "en"
    texts = kb.texts(language)
    results = {
        str(e["treatment"]): e for e in (row.screening or {}).get("result", {}).get("results", [])
    }

    def finding_words(treatment: str, rule: str) -> dict[str, Any]:
        stored: Mapping[str, Any] = next(
            (f for f in results[treatment].get("findings", []) if f["rule"] == rule), {}
        )
        try:
            risk = texts.patient_risk(rule)
            risk_text, risk_translated = risk.text, risk.translated
        except KeyError:  # a rule no longer in the knowledge base: the screened words
            risk_text, risk_translated = str(stored.get("patient_risk", "")), language == "en"
        step = texts.next_step(rule)
        return {
            "rule": rule,
            "severity": str(stored.get("severity", "")),
            "risk": risk_text,
            "risk_translated": risk_translated,
            "next_step": step.text if step is not None else "",
            "next_step_translated": step.translated if step is not None else True,
        }

    qualification = texts.label("qualification", practitioner.qualification or "aesthetician")
    return {
        "language": language,
        "clinic": {
            "name": clinic.name,
            "address": clinic.address,
            "jurisdiction": clinic.jurisdiction,
            "phone": str(settings.get(aftercare_pdf.SETTING) or ""),
            "time_zone": str(settings.get(clinic_zone.SETTING) or ""),
            "paper": paper.paper_for(clinic.jurisdiction, settings.get(paper.SETTING)).name,
        },
        "patient": {
            "name": f"{patient.given_name} {patient.family_name}",
            "date_of_birth": patient.date_of_birth.isoformat(),
        },
        "consultation_date": row.consultation_date.isoformat(),
        "practitioner": {"name": practitioner.display_name, "qualification": qualification.text},
        "treatments": [
            {
                "id": entry.treatment,
                "name": texts.label("treatment", entry.treatment).text,
                "name_translated": texts.label("treatment", entry.treatment).translated,
                "blocked": entry.blocked,
                "findings": [finding_words(entry.treatment, rule) for rule in entry.findings],
            }
            for entry in found
        ],
        "reason": reason,
        "decided_at": decided_at.isoformat(timespec="seconds"),
    }


def _info(row: ConsultationOutcome, closed: bool) -> OutcomeInfo:
    return OutcomeInfo(
        id=row.id,
        consultation_id=row.consultation_id,
        patient_id=row.patient_id,
        practitioner_id=row.practitioner_id,
        reason_kind=row.reason_kind,
        reason=row.reason,
        treatments=tuple(
            NotTreated(str(t["treatment"]), tuple(t["findings"]), bool(t["blocked"]))
            for t in row.treatments
        ),
        language=row.language,
        decided_at=row.decided_at,
        closed=closed,
        letter=dict(row.letter),
    )


def record_not_treated(
    ctx: ServiceContext,
    consultation_id: int,
    expected_version: int,
    *,
    treatments: Sequence[str],
    reason: str,
    kb: KnowledgeBase,
) -> OutcomeInfo:
    """Record that ``treatments`` of a screened consultation were not given, and why.

    A treatment blocked by an absolute finding needs no more reason than its findings; a
    treatment nothing forbade needs the practitioner's reason (ValidationError without
    one). Once per consultation, by the practitioner who runs it, while it is open; never
    for a treatment already consented in it (ValidationError). When every planned
    treatment is then settled (recorded here, signed or re-confirmed, or blocked), the
    consultation ends (:mod:`consult.store.consultation_end`): consented if any of its
    treatments was, else abandoned. Audited.
    """
    user = ctx.require("record that a treatment was not given", Role.PRACTITIONER)
    text = reason.strip()
    if not treatments:
        raise ValidationError(
            "treatments",
            ErrorText(QT_TRANSLATE_NOOP("StoreErrors", "Name the treatments that were not given.")),
        )
    try:
        with ctx.unit_of_work() as session:
            row = session.get(Consultation, consultation_id, with_for_update=True)
            if row is None:
                raise NotFoundError(
                    ErrorText(
                        QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                        consultation_id,
                    )
                )
            if row.version != expected_version:
                raise ConflictError(_CONFLICT)
            if row.status not in _OPEN:
                raise ValidationError(
                    "status",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "This consultation is %1: its outcome cannot change."
                        ),
                        Term("status", row.status),
                    ),
                )
            if row.practitioner_id != user.id:
                raise ValidationError(
                    "practitioner",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors",
                            "Only the practitioner who runs this consultation can record its "
                            "outcome.",
                        )
                    ),
                )
            existing = session.execute(
                select(ConsultationOutcome.id).where(ConsultationOutcome.consultation_id == row.id)
            ).first()
            if existing is not None:
                raise ValidationError(
                    "outcome",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors", "The outcome of this consultation is already recorded."
                        )
                    ),
                )
            found = not_treated(row.screening, row.overrides, treatments)
            consented = consented_treatments(session, row.id)
            for entry in found:
                if entry.treatment in consented:
                    raise ValidationError(
                        "treatments",
                        ErrorText(
                            QT_TRANSLATE_NOOP(
                                "StoreErrors",
                                "%1 is already consented in this consultation: it cannot be "
                                "recorded as not given.",
                            ),
                            Term("treatment", entry.treatment),
                        ),
                    )
            kind = BLOCKED if any(entry.blocked for entry in found) else PRACTITIONER_DECISION
            if not all(entry.blocked for entry in found) and not text:
                raise ValidationError(
                    "reason",
                    ErrorText(
                        QT_TRANSLATE_NOOP(
                            "StoreErrors",
                            "Say why the treatment that nothing forbade was not given.",
                        )
                    ),
                )
            practitioner = session.get(User, user.id)
            assert practitioner is not None
            decided_at = utcnow()
            letter = _letter(session, row, kb, found, text, practitioner, decided_at)
            outcome = ConsultationOutcome(
                consultation_id=row.id,
                patient_id=row.patient_id,
                practitioner_id=user.id,
                outcome=NOT_TREATED,
                reason_kind=kind,
                reason=text,
                treatments=[
                    {"treatment": e.treatment, "findings": list(e.findings), "blocked": e.blocked}
                    for e in found
                ],
                language=str(letter["language"]),
                letter=letter,
                decided_at=decided_at,
            )
            session.add(outcome)
            # Recorded last, after the other treatments were signed (or with them all):
            # the consultation ends (consultation_end decides, in this transaction).
            closed = end_if_settled(session, ctx.actor, row, "consultation.not_treated")
            audit.append(
                session,
                ctx.actor,
                "consultation.not_treated",
                record_type="consultation",
                record_id=row.id,
                patient_id=row.patient_id,
                details={
                    "treatments": {e.treatment: list(e.findings) for e in found},
                    "reason_kind": kind,
                    "reason": text,
                    "closed": closed,
                    "language": outcome.language,
                },
            )
            return _info(outcome, closed)
    except StaleDataError as exc:
        raise ConflictError(_CONFLICT) from exc


def for_consultation(ctx: ServiceContext, consultation_id: int) -> OutcomeInfo | None:
    """The recorded outcome of a consultation, if any."""
    ctx.require("read a consultation's outcome", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.execute(
            select(ConsultationOutcome).where(
                ConsultationOutcome.consultation_id == consultation_id
            )
        ).scalar_one_or_none()
        if row is None:
            return None
        consultation = session.get(Consultation, consultation_id)
        closed = consultation is not None and consultation.status not in _OPEN
        return _info(row, closed)


def letter_pdf(ctx: ServiceContext, consultation_id: int) -> bytes:
    """The patient's letter of a recorded outcome as PDF (the same bytes every time).
    Logged: it carries health data."""
    ctx.require("print a patient's letter", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.execute(
            select(ConsultationOutcome).where(
                ConsultationOutcome.consultation_id == consultation_id
            )
        ).scalar_one_or_none()
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 has no recorded outcome."),
                    consultation_id,
                )
            )
        pdf = render_outcome_letter(row.letter)
        audit.append(
            session,
            ctx.actor,
            "consultation.letter_printed",
            record_type="consultation",
            record_id=consultation_id,
            patient_id=row.patient_id,
            details={"language": row.language, "pdf_sha256": sha256_hex(pdf)},
        )
        _log.debug("letter of consultation %s rendered", consultation_id)
        return pdf
