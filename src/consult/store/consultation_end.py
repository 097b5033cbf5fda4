"""Ending a consultation once every planned treatment is settled, in the transaction of
the write that settled the last one (a signing, a re-confirmation, a recorded outcome).

:mod:`consult.domain.consultation_end` decides; this reads what it decides on (the
consents signed and re-confirmed in the consultation, the treatments its outcome records
as not given) and writes the status with an audit entry. The callers lock the
consultation's row first (``SELECT … FOR UPDATE``), so on PostgreSQL two workstations
settling its last two treatments at once are taken one after the other, and the second
sees the first's write; SQLite writes one transaction at a time and refuses (busy) one
that read before the other's commit. Either way the consultation never stays open with
everything settled (tests/test_consultation_end_service.py).
"""

from __future__ import annotations

import logging

from sqlalchemy import select
from sqlalchemy.orm import Session

from consult.domain.consultation_end import Settlement, settlement
from consult.domain.review import review
from consult.domain.states import ConsultationStatus, ConsultationStep
from consult.store import audit
from consult.store.errors import QT_TRANSLATE_NOOP, ErrorText, Term, ValidationError
from consult.store.models import (
    ConsentReconfirmation,
    ConsentRecord,
    Consultation,
    ConsultationOutcome,
)

_log = logging.getLogger(__name__)

CLOSED = "consultation.closed"
"""The audit event of a consultation ended by the write that settled its last treatment."""

_OPEN = (ConsultationStatus.DRAFT, ConsultationStatus.SCREENED)


def consented_treatments(session: Session, consultation_id: int) -> set[str]:
    """The treatments consented in a consultation: signed (whatever became of the form
    since: withdrawn and voided ones were signed too) or re-confirmed in it."""
    return set(
        session.execute(
            select(ConsentRecord.treatment_id).where(
                ConsentRecord.consultation_id == consultation_id
            )
        ).scalars()
    ) | set(
        session.execute(
            select(ConsentReconfirmation.treatment_id).where(
                ConsentReconfirmation.consultation_id == consultation_id
            )
        ).scalars()
    )


def not_treated_treatments(session: Session, consultation_id: int) -> set[str]:
    """The treatments a consultation's recorded outcome says were not given."""
    recorded = session.execute(
        select(ConsultationOutcome.treatments).where(
            ConsultationOutcome.consultation_id == consultation_id
        )
    ).scalar_one_or_none()
    return {str(entry["treatment"]) for entry in recorded or ()}


def refuse_not_given(session: Session, row: Consultation, treatment_id: str) -> None:
    """Refuse to take consent (signed or re-confirmed) for a treatment the consultation's
    outcome records as not given: it is settled, its letter handed over; consenting to it
    would contradict the record."""
    if treatment_id in not_treated_treatments(session, row.id):
        raise ValidationError(
            "treatment",
            ErrorText(
                QT_TRANSLATE_NOOP(
                    "StoreErrors",
                    "%1 is recorded as not given in this consultation: it cannot go to consent.",
                ),
                Term("treatment", treatment_id),
            ),
        )


def settlement_of(session: Session, row: Consultation) -> Settlement:
    """Where each planned treatment of ``row`` stands (flush the caller's writes first)."""
    return settlement(
        [str(t["id"]) for t in row.treatments],
        review(row.screening["result"], row.overrides) if row.screening is not None else (),
        consented_treatments(session, row.id),
        not_treated_treatments(session, row.id),
    )


def end_if_settled(session: Session, actor: audit.Actor, row: Consultation, by: str) -> bool:
    """End the open consultation ``row`` if every planned treatment is now settled:
    consented if any was, else abandoned; audited (``by``: the event that settled the
    last one). A closed consultation is left as it is. True if it was ended now."""
    session.flush()
    if row.status not in _OPEN:
        return False
    settled = settlement_of(session, row)
    status = settled.status
    if status is None:
        return False
    row.status = status
    if status == ConsultationStatus.CONSENTED:
        row.step = ConsultationStep.CONSENT
    session.flush()
    audit.append(
        session,
        actor,
        CLOSED,
        record_type="consultation",
        record_id=row.id,
        patient_id=row.patient_id,
        details={
            "status": str(status),
            "by": by,
            "consented": list(settled.consented),
            "not_treated": list(settled.not_treated),
            "blocked": list(settled.blocked),
        },
    )
    _log.info("consultation %s ended %s by %s", row.id, status, by)
    return True
