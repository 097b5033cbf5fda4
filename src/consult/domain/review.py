"""What the practitioner must still do with a screening before a treatment goes to consent.

Pure functions over the stored screening result (the intake exchange format's result,
docs/clinical-knowledge.md) and the practitioner's decisions on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

MIN_JUSTIFICATION = 20

Status = Literal["blocked", "clarify", "needs_decision", "ready"]


@dataclass(frozen=True)
class TreatmentReview:
    """One treatment's state after screening and the practitioner's decisions."""

    treatment: str
    outcome: str
    status: Status
    blocking: tuple[str, ...]  # absolute rules
    clarify: tuple[str, ...]  # question ids
    unjustified: tuple[str, ...]  # relative rules without a justification
    unacknowledged: tuple[str, ...]  # caution rules not yet acknowledged

    @property
    def can_consent(self) -> bool:
        """True if the treatment may go on to consent."""
        return self.status == "ready"


def decision_for(
    decisions: Sequence[Mapping[str, Any]], treatment: str, rule: str
) -> Mapping[str, Any] | None:
    """The practitioner's latest decision on one finding, if any."""
    found: Mapping[str, Any] | None = None
    for decision in decisions:
        if decision.get("treatment") == treatment and decision.get("rule") == rule:
            found = decision
    return found


def _justified(decision: Mapping[str, Any] | None) -> bool:
    return (
        decision is not None
        and decision.get("kind") == "justified"
        and len(str(decision.get("justification", "")).strip()) >= MIN_JUSTIFICATION
    )


def review(
    result: Mapping[str, Any], decisions: Sequence[Mapping[str, Any]]
) -> tuple[TreatmentReview, ...]:
    """Review every treatment of a screening result against the decisions recorded."""
    reviews: list[TreatmentReview] = []
    for entry in result.get("results", []):
        treatment = str(entry["treatment"])
        findings = entry.get("findings", [])
        blocking = tuple(f["rule"] for f in findings if f["severity"] == "absolute")
        unjustified = tuple(
            f["rule"]
            for f in findings
            if f["severity"] == "relative"
            and not _justified(decision_for(decisions, treatment, f["rule"]))
        )
        unacknowledged = tuple(
            f["rule"]
            for f in findings
            if f["severity"] == "caution" and decision_for(decisions, treatment, f["rule"]) is None
        )
        clarify = tuple(entry.get("clarify", []))
        status: Status
        # An absolute finding blocks even while an answer still needs clarifying (the
        # clarify list is kept, so the practitioner still sees what to ask).
        if blocking:
            status = "blocked"
        elif entry.get("outcome") == "clarify" or clarify:
            status = "clarify"
        elif unjustified or unacknowledged:
            status = "needs_decision"
        else:
            status = "ready"
        reviews.append(
            TreatmentReview(
                treatment,
                str(entry.get("outcome")),
                status,
                blocking,
                clarify,
                unjustified,
                unacknowledged,
            )
        )
    return tuple(reviews)
