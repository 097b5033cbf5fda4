"""When a consultation ends by itself, and with which status (issue 21).

A consultation plans one or more treatments. Each is settled in one of three ways: its
consent is signed (or a course's consent re-confirmed at this visit), it is recorded as
not treated (:mod:`consult.store.services.outcomes`: declined by the practitioner or the
patient, or blocked), or an absolute finding blocks it, which no decision can lift, so
it can never go to consent. Signing and recording happen one at a time and in either
order; whichever settles the last open treatment ends the consultation. This module is
the one place that decides that, so that a signing, a re-confirmation and a recorded
outcome never disagree on it.

The status it ends with is what a clinic register and the Today page should show: the
consultation is *consented* when at least one of its treatments was consented, the rest
being not treated (a patient who had the filler but not the toxin was treated under a
signed consent; the toxin's outcome and letter stand beside it); it is *abandoned*
(closed without consent) when none was. A treatment awaiting the practitioner (a
question to clarify, a finding to decide on, or simply ready for consent) keeps the
consultation open: ending it there would take that decision from them.

What is consented is what was signed, whatever happened to the form afterwards: a
withdrawn or voided consent was signed in this consultation, and withdrawing or voiding
it never reopens or re-labels the consultation.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from consult.domain.review import TreatmentReview
from consult.domain.states import ConsultationStatus


@dataclass(frozen=True)
class Settlement:
    """Where each planned treatment of a consultation stands, in the plan's order."""

    consented: tuple[str, ...]
    """Signed, or re-confirmed at this visit."""
    not_treated: tuple[str, ...]
    """Recorded as not given (and not consented)."""
    blocked: tuple[str, ...]
    """Blocked by an absolute finding, with no outcome recorded for them."""
    pending: tuple[str, ...]
    """Still open: ready for consent, or awaiting the practitioner's decision."""

    @property
    def settled(self) -> bool:
        """Whether every planned treatment is settled (a consultation planning nothing
        is never settled: nothing was done in it that could end it)."""
        planned = self.consented or self.not_treated or self.blocked
        return bool(planned) and not self.pending

    @property
    def status(self) -> ConsultationStatus | None:
        """The status the consultation ends with once settled; None while it is not."""
        if not self.settled:
            return None
        if self.consented:
            return ConsultationStatus.CONSENTED
        return ConsultationStatus.ABANDONED


def settlement(
    planned: Sequence[str],
    reviews: Sequence[TreatmentReview],
    consented: Collection[str],
    not_treated: Collection[str],
) -> Settlement:
    """Settle each of the ``planned`` treatments against the screening's ``reviews``,
    the treatments ``consented`` (signed or re-confirmed in this consultation) and those
    recorded ``not_treated``.

    A treatment both consented and recorded not treated (the services refuse the second
    of the two; a record written before they did) counts as consented: a signed consent
    is never undone by a later record. A planned treatment the screening does not name
    is pending: it has not been screened, so nothing about it is settled.
    """
    blocked_by_screening = {r.treatment for r in reviews if r.status == "blocked"}
    consented_ = set(consented)
    not_treated_ = set(not_treated)
    lists: dict[str, list[str]] = {"consented": [], "not_treated": [], "blocked": [], "pending": []}
    for treatment in dict.fromkeys(planned):
        if treatment in consented_:
            lists["consented"].append(treatment)
        elif treatment in not_treated_:
            lists["not_treated"].append(treatment)
        elif treatment in blocked_by_screening:
            lists["blocked"].append(treatment)
        else:
            lists["pending"].append(treatment)
    return Settlement(
        consented=tuple(lists["consented"]),
        not_treated=tuple(lists["not_treated"]),
        blocked=tuple(lists["blocked"]),
        pending=tuple(lists["pending"]),
    )
