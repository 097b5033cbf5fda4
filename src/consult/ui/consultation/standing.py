"""Where each planned treatment of an open consultation stands, read for its summary.

A consultation's treatments are settled one at a time, in the consent dialog (a form
signed, a course re-confirmed) and in the Not-treated dialog (an outcome recorded), and
either may be left before every treatment is. The wizard's summary must then say which
treatments are consented, which were recorded as not treated and why, and which still
wait for consent, and offer consent and the Not-treated letter only for what is left.
:func:`read_standing` reads that (off the GUI thread: it asks the database) and lets
:mod:`consult.domain.consultation_end` decide what is settled, as the services do when
they end the consultation, so that the summary never disagrees with them.
"""

from __future__ import annotations

from dataclasses import dataclass

from consult.domain.consultation_end import Settlement, settlement
from consult.store.dto import ConsultationInfo
from consult.store.services import consents, outcomes, reconfirmation
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.store.services.outcomes import NotTreated, OutcomeInfo


@dataclass(frozen=True)
class Standing:
    """A consultation as stored, the outcome recorded for it (if any), and where each of
    its planned treatments stands."""

    info: ConsultationInfo
    outcome: OutcomeInfo | None
    settlement: Settlement
    reconfirmed: frozenset[str] = frozenset()
    """The consented treatments re-confirmed at this visit (the others were signed)."""

    def not_given(self, treatment: str) -> NotTreated | None:
        """What the recorded outcome says of ``treatment`` (None: not recorded)."""
        if self.outcome is None:
            return None
        return next((t for t in self.outcome.treatments if t.treatment == treatment), None)

    @property
    def outcome_recordable(self) -> bool:
        """Whether an outcome can still be recorded: the services record one per
        consultation (:func:`consult.store.services.outcomes.record_not_treated`), so
        once it is, the Not-treated letter is not offered again."""
        return self.outcome is None


def standing_of(
    info: ConsultationInfo,
    signed: frozenset[str] = frozenset(),
    reconfirmed: frozenset[str] = frozenset(),
    outcome: OutcomeInfo | None = None,
) -> Standing:
    """Where the treatments of ``info`` stand, given those whose consent was ``signed``
    or ``reconfirmed`` in it and its recorded ``outcome`` (without them: as a
    consultation in which nothing is settled yet but what the screening blocks)."""
    not_treated = {t.treatment for t in outcome.treatments} if outcome is not None else set()
    return Standing(
        info,
        outcome,
        settlement(
            [str(t["id"]) for t in info.treatments],
            consultation_service.reviews(info),
            signed | reconfirmed,
            not_treated,
        ),
        reconfirmed - signed,
    )


def read_standing(ctx: ServiceContext, consultation_id: int) -> Standing:
    """Read the consultation, the treatments consented in it and its outcome again (off
    the GUI thread: a signing or a recorded outcome since the wizard last read it settled
    some of its treatments). Raises StoreError."""
    info = consultation_service.get(ctx, consultation_id)
    signed = frozenset(
        c.treatment_id
        for c in consents.for_patient(ctx, info.patient_id)
        if c.consultation_id == info.id
    )
    reconfirmed = frozenset(
        r.treatment_id
        for r in reconfirmation.for_patient(ctx, info.patient_id)
        if r.consultation_id == info.id
    )
    return standing_of(info, signed, reconfirmed, outcomes.for_consultation(ctx, consultation_id))
