"""The screening engine: an intake against the rules of each planned treatment.

Pure and deterministic. For each treatment (in the order given) the result lists every
finding, strongest first, and the questions to clarify. The outcome is ``clarify`` when
an asked question is unanswered, when an "unsure" answer is read by a rule of that
treatment, or when a clarify rule fires; otherwise the strongest severity found, or
``clear``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from consult.domain.conditions import Facts
from consult.domain.intake import Intake, answer_state, parse_intake
from consult.domain.knowledge_model import SEVERITY_RANK, KnowledgeBase, Severity

Outcome = Literal["clear", "caution", "relative", "absolute", "clarify"]


@dataclass(frozen=True)
class Finding:
    """A rule that fired for a treatment."""

    rule: str
    severity: Severity
    message: str
    patient_risk: str
    source: str
    basis: str

    def to_json(self) -> dict[str, str]:
        """The finding in the exchange format."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "patient_risk": self.patient_risk,
            "source": self.source,
        }


@dataclass(frozen=True)
class TreatmentResult:
    """The screening of one planned treatment."""

    treatment: str
    route: str
    product_source: str | None
    outcome: Outcome
    findings: tuple[Finding, ...]
    clarify: tuple[str, ...]

    def to_json(self) -> dict[str, object]:
        """The result in the exchange format."""
        return {
            "treatment": self.treatment,
            "route": self.route,
            "outcome": self.outcome,
            "findings": [finding.to_json() for finding in self.findings],
            "clarify": list(self.clarify),
        }


@dataclass(frozen=True)
class ScreeningResult:
    """The screening of a whole intake, under one rule-set version."""

    rule_set_version: str
    results: tuple[TreatmentResult, ...]

    def to_json(self) -> dict[str, object]:
        """The result in the exchange format of CLINICAL.md section 1."""
        return {
            "rule_set_version": self.rule_set_version,
            "results": [result.to_json() for result in self.results],
        }


def _finding_order(finding: Finding) -> tuple[int, str]:
    return (-SEVERITY_RANK[finding.severity], finding.rule)


def screen(intake: Intake, kb: KnowledgeBase) -> ScreeningResult:
    """Screen a validated intake against the knowledge base."""
    state = answer_state(intake, kb)
    unsure = frozenset(qid for qid, value in state.effective.items() if value == "unsure")
    age = intake.age
    has_plan = intake.regenerative_medicine_plan is not None
    results: list[TreatmentResult] = []
    for planned in intake.treatments:
        plan = kb.plan(planned.id, planned.route, planned.product_source)
        facts = Facts(
            answers=state.effective,
            sex_at_birth=intake.patient.sex_at_birth,
            consultation_date=intake.consultation_date,
            age=age,
            jurisdiction=intake.jurisdiction,
            qualification=intake.qualification,
            treatment=planned.id,
            route=planned.route,
            product_source=planned.product_source,
            has_regenerative_plan=has_plan,
            lot_expiry=planned.lot_expiry,
        )
        fired: set[str] = set()
        findings: list[Finding] = []
        # Rules come in load order, and an "otherwise" rule may only name earlier rules,
        # so the stronger rows have been decided before the row that defers to them.
        for rule in plan.rules:
            if fired.intersection(rule.otherwise) or not rule.condition.evaluate(facts):
                continue
            fired.add(rule.id)
            findings.append(
                Finding(
                    rule=rule.id,
                    severity=rule.severity_for(planned.route),
                    message=rule.message,
                    patient_risk=rule.patient_risk,
                    source=rule.source.cited,
                    basis=rule.source.basis,
                )
            )
        clarify = set(state.missing) | (unsure & plan.reads)
        for rule in plan.clarify_rules:
            if rule.condition.evaluate(facts):
                clarify |= rule.condition.questions()
        findings.sort(key=_finding_order)
        outcome: Outcome
        if clarify:
            outcome = "clarify"
        elif findings:
            outcome = findings[0].severity
        else:
            outcome = "clear"
        results.append(
            TreatmentResult(
                treatment=planned.id,
                route=planned.route,
                product_source=planned.product_source,
                outcome=outcome,
                findings=tuple(findings),
                clarify=tuple(sorted(clarify, key=kb.question_order)),
            )
        )
    return ScreeningResult(kb.version, tuple(results))


def screen_json(data: object, kb: KnowledgeBase) -> dict[str, object]:
    """Validate an intake in the exchange format, screen it, and return the result JSON.

    Raises :class:`~consult.domain.errors.IntakeError` on bad input.
    """
    return screen(parse_intake(data, kb), kb).to_json()
