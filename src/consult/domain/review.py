"""What the practitioner must still do with a screening before a treatment goes to consent.

Pure functions over the stored screening result (the intake exchange format's result,
docs/clinical-knowledge.md) and the practitioner's decisions on it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

MIN_JUSTIFICATION = 20
"""A clinical justification has at least this many characters …"""

MIN_JUSTIFICATION_WORDS = 3
"""… and at least this many different words (runs of two or more letters)."""

_WORD = re.compile(r"[^\W\d_]{2,}")
_IDEOGRAPHS = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")


def justification_problem(text: str) -> str | None:
    """Why a clinical justification is not one yet, or None when it says something.

    It must be long enough, use at least three different words (Chinese, Japanese and
    Korean text, written without spaces, counts as words by its characters), and not be
    one character repeated.
    """
    text = " ".join(text.split())
    if len(text) < MIN_JUSTIFICATION:
        return f"Write a clinical justification of at least {MIN_JUSTIFICATION} characters."
    letters = {char.lower() for char in text if char.isalpha()}
    words = {word.lower() for word in _WORD.findall(text)}
    if len(letters) < 3 or len(words | set(_IDEOGRAPHS.findall(text))) < MIN_JUSTIFICATION_WORDS:
        return (
            "Write the clinical reason in words (at least three different words): "
            "what makes it safe to go on for this patient."
        )
    return None


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
        and justification_problem(str(decision.get("justification", ""))) is None
    )


def decision_rule(finding: Mapping[str, Any]) -> str:
    """The rule whose decision covers a finding: its own, or the one it is the same as."""
    return str(finding.get("same_as") or finding["rule"])


def review(
    result: Mapping[str, Any], decisions: Sequence[Mapping[str, Any]]
) -> tuple[TreatmentReview, ...]:
    """Review every treatment of a screening result against the decisions recorded."""
    reviews: list[TreatmentReview] = []
    for entry in result.get("results", []):
        treatment = str(entry["treatment"])
        findings = entry.get("findings", [])
        blocking = tuple(f["rule"] for f in findings if f["severity"] == "absolute")
        # A finding the same as an earlier one is decided with it: one justification.
        own = [f for f in findings if not f.get("same_as")]
        unjustified = tuple(
            f["rule"]
            for f in own
            if f["severity"] == "relative"
            and not _justified(decision_for(decisions, treatment, f["rule"]))
        )
        unacknowledged = tuple(
            f["rule"]
            for f in own
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
