"""The patient's own answers: what the patient answered in patient mode, kept beside the
answers the practitioner settles on.

In patient mode (issue 19, docs/patient-mode.md) the patient answers the health questions
on their own screen; the answers are saved as the patient goes through the ordinary
draft (``consultations.save``). When the practitioner takes the consultation back,
:func:`record_given` keeps a copy of them as the patient's own. The practitioner may then
change an answer after discussing it with the patient: :func:`note_practitioner_changes`
records each such change beside the patient's answer and audits it ("changed by
practitioner after discussion"), so that the sealed form can show both.

Stored in ``consultation.patient_answers`` (migration 0011) as::

    {"answers": {question id: answer as the patient gave it},
     "language": the language the patient read the questions in,
     "given_at": ISO time the practitioner took the consultation back,
     "changed": {question id: {"answer": the practitioner's answer, "at": ISO time,
                               "by": user id}}}

The column is written with an UPDATE that leaves the consultation's ``version`` alone:
keeping the patient's answers is not a change of the draft, and the wizard's own writes,
made on the version they know, must not be refused because of it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.roles import Role
from consult.store import audit
from consult.store.errors import (
    QT_TRANSLATE_NOOP,
    ErrorText,
    NotFoundError,
    Term,
    ValidationError,
)
from consult.store.models import ConsentRecord, Consultation, utcnow
from consult.store.services.consultations import OPEN_STATUSES
from consult.store.services.context import ServiceContext

CHANGED_REASON = "changed by practitioner after discussion"
"""Why an answer differs from the patient's own, as the audit log and the form say it."""
_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PatientAnswers:
    """The patient's own answers to one consultation, and the practitioner's changes."""

    consultation_id: int
    answers: dict[str, Any]
    language: str
    given_at: str
    changed: dict[str, dict[str, Any]] = field(default_factory=dict)

    def differing(self, answers: Mapping[str, Any]) -> list[str]:
        """The questions the patient answered whose answer in ``answers`` is not theirs."""
        return differing(self.answers, answers)


def differing(patient: Mapping[str, Any], answers: Mapping[str, Any]) -> list[str]:
    """The questions answered in ``patient`` whose answer in ``answers`` is another
    (missing counts as another), in the order of ``patient``."""
    return [
        question_id
        for question_id, value in patient.items()
        if question_id not in answers or answers[question_id] != value
    ]


def _info(consultation_id: int, stored: Mapping[str, Any]) -> PatientAnswers:
    return PatientAnswers(
        consultation_id=consultation_id,
        answers=dict(stored.get("answers", {})),
        language=str(stored.get("language", "")),
        given_at=str(stored.get("given_at", "")),
        changed={str(k): dict(v) for k, v in dict(stored.get("changed", {})).items()},
    )


def _row(session: Session, consultation_id: int) -> Consultation:
    # Locked like every change of a consultation (signing locks the same row).
    row = session.get(Consultation, consultation_id, with_for_update=True)
    if row is None:
        raise NotFoundError(
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."), consultation_id
            )
        )
    return row


def _check_open(session: Session, row: Consultation, user_id: int) -> None:
    if row.status not in OPEN_STATUSES:
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP("StoreErrors", "This consultation is %1: it cannot change."),
                Term("status", row.status),
            ),
        )
    if row.practitioner_id != user_id:
        raise ValidationError(
            "practitioner",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "Only the practitioner who started this consultation can change it.",
                )
            ),
        )
    signed = select(ConsentRecord.id).where(ConsentRecord.consultation_id == row.id).limit(1)
    if session.execute(signed).first() is not None:
        raise ValidationError(
            "status",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "A consent of this consultation is already signed: its answers are sealed.",
                )
            ),
        )


def _store(session: Session, row: Consultation, stored: Mapping[str, Any]) -> None:
    # An UPDATE statement, not the ORM's flush: the row's version stays as it is.
    session.execute(
        update(Consultation)
        .where(Consultation.id == row.id)
        .values(patient_answers=dict(stored))
        .execution_options(synchronize_session=False)
    )


def record_given(
    ctx: ServiceContext,
    consultation_id: int,
    answers: Mapping[str, Any],
    language: str,
    kb: KnowledgeBase,
) -> PatientAnswers:
    """Keep ``answers`` as the patient's own (the practitioner took the consultation back).

    A second hand-over replaces the patient's answers, and forgets the practitioner's
    changes to the questions the patient answered again. Only the consultation's own
    practitioner may, while it is open; the audit entry names how many questions were
    answered, never the answers.
    """
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    for question_id in answers:
        try:
            kb.question(question_id)
        except KeyError:
            raise ValidationError(f"answers.{question_id}", "unknown question") from None
    with ctx.unit_of_work() as session:
        row = _row(session, consultation_id)
        _check_open(session, row, user.id)
        before = _info(row.id, row.patient_answers or {})
        changed = {q: c for q, c in before.changed.items() if q not in answers}
        stored = {
            "answers": dict(answers),
            "language": language,
            "given_at": utcnow().isoformat(timespec="seconds"),
            "changed": changed,
        }
        _store(session, row, stored)
        audit.append(
            session,
            ctx.actor,
            "consultation.patient_answered",
            record_type="consultation",
            record_id=row.id,
            patient_id=row.patient_id,
            details={"questions": len(answers), "language": language},
        )
        _log.info("consultation %s: %d answers given by the patient", row.id, len(answers))
        return _info(row.id, stored)


def note_practitioner_changes(
    ctx: ServiceContext, consultation_id: int, answers: Mapping[str, Any]
) -> PatientAnswers | None:
    """Record where ``answers`` (the practitioner's, as they now stand) differ from the
    patient's own: each new difference is kept beside the patient's answer and audited
    ("changed by practitioner after discussion"); an answer set back to the patient's is
    no longer a change (and that is audited too). None if the patient answered nothing in
    patient mode."""
    user = ctx.require("run a consultation", Role.PRACTITIONER)
    with ctx.unit_of_work() as session:
        row = _row(session, consultation_id)
        if row.patient_answers is None:
            return None
        _check_open(session, row, user.id)
        before = _info(row.id, row.patient_answers)
        changed = dict(before.changed)
        events: list[tuple[str, str]] = []
        for question_id in before.answers:
            differs = question_id in before.differing(answers)
            now = answers.get(question_id)
            if differs and changed.get(question_id, {}).get("answer") != now:
                changed[question_id] = {
                    "answer": now,
                    "at": utcnow().isoformat(timespec="seconds"),
                    "by": user.id,
                }
                events.append(("consultation.answer_changed_by_practitioner", question_id))
            elif not differs and question_id in changed:
                del changed[question_id]
                events.append(("consultation.answer_restored_to_patients", question_id))
        if not events:
            return before
        stored = {**row.patient_answers, "changed": changed}
        _store(session, row, stored)
        for event, question_id in events:
            audit.append(
                session,
                ctx.actor,
                event,
                record_type="consultation",
                record_id=row.id,
                patient_id=row.patient_id,
                details={
                    "question": question_id,
                    "reason": CHANGED_REASON
                    if event.endswith("by_practitioner")
                    else "set back to the patient's own answer",
                },
            )
        return _info(row.id, stored)


def get(ctx: ServiceContext, consultation_id: int) -> PatientAnswers | None:
    """The patient's own answers to a consultation (None if they gave none in patient
    mode): practitioners and managers, as the consultation itself."""
    ctx.require("read a consultation's intake", Role.PRACTITIONER, Role.MANAGER)
    with ctx.unit_of_work() as session:
        row = session.get(Consultation, consultation_id)
        if row is None:
            raise NotFoundError(
                ErrorText(
                    QT_TRANSLATE_NOOP("StoreErrors", "Consultation %1 does not exist."),
                    consultation_id,
                )
            )
        return None if row.patient_answers is None else _info(row.id, row.patient_answers)


def patient_answer_of(row: Consultation, question_id: str) -> tuple[bool, Any]:
    """(differs, the patient's own answer) for one question of a consultation: whether
    the patient answered it in patient mode with another answer than the one stored."""
    stored = row.patient_answers or {}
    own = dict(stored.get("answers", {}))
    if question_id not in own:
        return False, None
    return question_id in differing(own, row.answers), own[question_id]
