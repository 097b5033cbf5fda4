"""What the consent step of a consultation has to do, read off the GUI thread.

:class:`~consult.ui.consent.dialog.ConsentDialog` opens at once and reads here, on a pool
thread, which treatments are still to consent and then each one's text: the database and
the consent templates (parsed from YAML the first time, about a second) never hold the
window up.
"""

from __future__ import annotations

from dataclasses import dataclass

from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.services import consents, outcomes, reconfirmation
from consult.store.services import consultations as consultation_service
from consult.store.services import patients as patient_service
from consult.store.services.consents import ConsentText
from consult.store.services.context import ServiceContext
from consult.ui.consent.templates import consent_templates
from consult.ui.shell.knowledge import knowledge


@dataclass(frozen=True)
class ConsentPlan:
    """The treatments of one consultation still to consent, in order."""

    patient: PatientInfo
    pending: tuple[str, ...]  # ready for consent, not yet signed nor recorded not given
    all_signed: bool  # some treatment could go to consent, and every one is signed


def consented_treatments(ctx: ServiceContext, info: ConsultationInfo) -> frozenset[str]:
    """The treatments consented in the consultation ``info``: signed, or re-confirmed at
    this visit (issue 21). Raises StoreError."""
    return frozenset(
        {
            c.treatment_id
            for c in consents.for_patient(ctx, info.patient_id)
            if c.consultation_id == info.id
        }
        | {
            r.treatment_id
            for r in reconfirmation.for_patient(ctx, info.patient_id)
            if r.consultation_id == info.id
        }
    )


def read_plan(
    ctx: ServiceContext, consultation_id: int, patient: PatientInfo | None
) -> ConsentPlan:
    """Which treatments of the consultation are ready for consent and not yet signed
    (the patient is read too unless ``patient`` is theirs). One its outcome records as
    not given is settled: it is not offered (nor counted). Raises StoreError."""
    info = consultation_service.get(ctx, consultation_id)
    if patient is None or patient.id != info.patient_id:
        patient = patient_service.get(ctx, info.patient_id)
    done = consented_treatments(ctx, info)
    outcome = outcomes.for_consultation(ctx, consultation_id)
    not_given = {t.treatment for t in outcome.treatments} if outcome is not None else set()
    ready = [
        r.treatment
        for r in consultation_service.reviews(info)
        if r.can_consent and r.treatment not in not_given
    ]
    pending = tuple(t for t in ready if t not in done)
    return ConsentPlan(patient, pending, bool(ready) and not pending)


def read_text(ctx: ServiceContext, consultation_id: int, treatment_id: str) -> ConsentText:
    """The consent text of one treatment, with the patient's risks, in the patient's
    language (the knowledge base translates the risks, as when it is sealed). Raises
    StoreError."""
    return consents.consent_text(
        ctx, consultation_id, treatment_id, consent_templates(), knowledge()
    )


@dataclass(frozen=True)
class StepPlan:
    """What one treatment's consent takes: a re-confirmation with one signature
    (``text`` None), or the full consent (``check`` says why, at a repeat visit)."""

    treatment_id: str
    check: reconfirmation.ReconfirmCheck
    text: ConsentText | None


def read_step(ctx: ServiceContext, consultation_id: int, treatment_id: str) -> StepPlan:
    """Whether the treatment's consent may be re-confirmed (docs/repeat-visits.md), and
    if not, its consent text. Raises StoreError."""
    check = reconfirmation.check(
        ctx, consultation_id, treatment_id, consent_templates(), knowledge()
    )
    if check.allowed:
        return StepPlan(treatment_id, check, None)
    return StepPlan(treatment_id, check, read_text(ctx, consultation_id, treatment_id))
