"""What checking a form found: one line per check, and the verdict.

Shared by the checks themselves (:mod:`consult.proof.verification`,
:mod:`consult.proof.record_check`), ``consult verify`` and the app's Verify a form
dialog, which say the same report in their own way.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

__all__ = ["Check", "FormReport", "Outcome"]


class Outcome(enum.StrEnum):
    """How one check ended."""

    OK = "ok"
    FAILED = "FAILED"
    NOTE = "note"
    """Said for the reader, neither proof nor failure (a form without a timestamp)."""


@dataclass(frozen=True)
class Check:
    """One line of the report: what was checked, how it ended and what was found."""

    name: str
    outcome: Outcome
    detail: str


@dataclass(frozen=True)
class FormReport:
    """Everything :func:`consult.proof.verification.verify_form` found about one file."""

    document_number: str | None
    checks: tuple[Check, ...]
    signer: str | None = None
    """The signer's name as its certificate gives it (None: no signature could be read)."""

    @property
    def ok(self) -> bool:
        """True when nothing failed and something was proved."""
        outcomes = {check.outcome for check in self.checks}
        return Outcome.OK in outcomes and Outcome.FAILED not in outcomes

    @property
    def failed(self) -> list[str]:
        """The names of the checks that failed, in order."""
        return [check.name for check in self.checks if check.outcome is Outcome.FAILED]

    def lines(self) -> list[str]:
        """The report as printed: one line per check, then the verdict naming what failed."""
        width = max(len(outcome.value) for outcome in Outcome)
        lines = [f"  {c.outcome.value:<{width}}  {c.name}: {c.detail}" for c in self.checks]
        if self.ok:
            lines.append("Verified: the clinic signed this form, and it is unchanged since.")
        else:
            lines.append("Not verified: " + ", ".join(self.failed or ["nothing could be proved"]))
        return lines
