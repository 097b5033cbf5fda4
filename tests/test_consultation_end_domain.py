"""When a consultation ends by itself (consult.domain.consultation_end): every branch.

Each planned treatment is settled by a signed (or re-confirmed) consent, by the outcome
recording it not given, or by an absolute finding blocking it; a consultation ends once
all are, consented if any treatment was consented, else abandoned (closed without
consent).
"""

from __future__ import annotations

import pytest

from consult.domain.consultation_end import Settlement, settlement
from consult.domain.review import Status, TreatmentReview
from consult.domain.states import ConsultationStatus

FILLER, TOXIN, PEEL = "ha_filler", "botulinum_toxin", "chemical_peel"


def reviewed(treatment: str, status: Status) -> TreatmentReview:
    """One treatment's review, as consult.domain.review.review makes it."""
    blocking = ("filler-pregnant-breastfeeding",) if status == "blocked" else ()
    clarify = ("pregnant",) if status == "clarify" else ()
    unjustified = ("filler-anticoagulant",) if status == "needs_decision" else ()
    outcome = {"blocked": "blocked", "clarify": "clarify"}.get(status, "clear")
    return TreatmentReview(treatment, outcome, status, blocking, clarify, unjustified, ())


READY = (reviewed(FILLER, "ready"), reviewed(TOXIN, "ready"))


def test_every_treatment_signed_ends_consented() -> None:
    end = settlement([FILLER, TOXIN], READY, consented={FILLER, TOXIN}, not_treated=())
    assert end == Settlement((FILLER, TOXIN), (), (), ())
    assert end.settled and end.status == ConsultationStatus.CONSENTED


def test_one_signed_and_one_not_treated_ends_consented() -> None:
    end = settlement([FILLER, TOXIN], READY, consented=[FILLER], not_treated=[TOXIN])
    assert end == Settlement((FILLER,), (TOXIN,), (), ())
    assert end.status == ConsultationStatus.CONSENTED


def test_every_treatment_not_treated_ends_abandoned() -> None:
    end = settlement([FILLER, TOXIN], READY, consented=(), not_treated=[TOXIN, FILLER])
    assert end == Settlement((), (FILLER, TOXIN), (), ())  # in the plan's order
    assert end.settled and end.status == ConsultationStatus.ABANDONED


def test_one_signed_and_one_still_ready_stays_open() -> None:
    end = settlement([FILLER, TOXIN], READY, consented=[FILLER], not_treated=())
    assert end.pending == (TOXIN,)
    assert not end.settled and end.status is None


def test_one_not_treated_and_one_still_ready_stays_open() -> None:
    end = settlement([FILLER, TOXIN], READY, consented=(), not_treated=[TOXIN])
    assert end == Settlement((), (TOXIN,), (), (FILLER,))
    assert end.status is None


def test_a_blocked_treatment_is_settled_by_the_screening() -> None:
    """An absolute finding no decision lifts: it can never go to consent, so signing
    the others ends the consultation, as it always did."""
    reviews = (reviewed(FILLER, "blocked"), reviewed(TOXIN, "ready"))
    end = settlement([FILLER, TOXIN], reviews, consented=[TOXIN], not_treated=())
    assert end == Settlement((TOXIN,), (), (FILLER,), ())
    assert end.status == ConsultationStatus.CONSENTED
    # Recorded as not given, it counts as such (its letter stands).
    end = settlement([FILLER, TOXIN], reviews, consented=[TOXIN], not_treated=[FILLER])
    assert end == Settlement((TOXIN,), (FILLER,), (), ())


def test_blocked_and_not_treated_without_consent_ends_abandoned() -> None:
    reviews = (reviewed(FILLER, "blocked"), reviewed(TOXIN, "ready"))
    end = settlement([FILLER, TOXIN], reviews, consented=(), not_treated=[TOXIN])
    assert end == Settlement((), (TOXIN,), (FILLER,), ())
    assert end.status == ConsultationStatus.ABANDONED


@pytest.mark.parametrize("status", ["clarify", "needs_decision"])
def test_a_treatment_awaiting_the_practitioner_keeps_it_open(status: Status) -> None:
    """A question to clarify or a finding to decide on is the practitioner's to settle:
    signing the other treatment does not take that decision from them."""
    reviews = (reviewed(FILLER, "ready"), reviewed(TOXIN, status))
    end = settlement([FILLER, TOXIN], reviews, consented=[FILLER], not_treated=())
    assert end.pending == (TOXIN,) and end.status is None
    # Recorded as not given (the practitioner's decision), it is settled.
    end = settlement([FILLER, TOXIN], reviews, consented=[FILLER], not_treated=[TOXIN])
    assert end.status == ConsultationStatus.CONSENTED


def test_a_treatment_the_screening_does_not_name_is_pending() -> None:
    end = settlement([FILLER, PEEL], READY, consented=[FILLER], not_treated=())
    assert end.pending == (PEEL,) and end.status is None


def test_a_signed_consent_outweighs_a_record_of_not_treated() -> None:
    """Both recorded for one treatment (the services refuse the second; an old record):
    what was signed stands."""
    end = settlement([FILLER], READY, consented=[FILLER], not_treated=[FILLER])
    assert end == Settlement((FILLER,), (), (), ())
    assert end.status == ConsultationStatus.CONSENTED


def test_a_treatment_planned_twice_is_settled_once() -> None:
    end = settlement([FILLER, FILLER], READY, consented=[FILLER], not_treated=())
    assert end == Settlement((FILLER,), (), (), ())


def test_a_consultation_planning_nothing_never_ends_by_itself() -> None:
    end = settlement([], READY, consented=(), not_treated=())
    assert end == Settlement((), (), (), ())
    assert not end.settled and end.status is None


def test_no_screening_leaves_every_unsigned_treatment_pending() -> None:
    end = settlement([FILLER, TOXIN], (), consented=(), not_treated=())
    assert end.pending == (FILLER, TOXIN) and end.status is None
