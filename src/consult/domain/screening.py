"""The screening engine: an intake against the rules of each planned treatment.

Pure and deterministic. For each treatment (in the order given) the result lists every
finding, strongest first, and the questions to clarify. The outcome follows the
precedence ``absolute`` > ``clarify`` > ``relative`` > ``caution`` > ``clear``: an absolute
finding blocks even while another answer still needs clarifying (the clarify list is
still given).

A question asked for the treatment and left unanswered is to clarify. An "unsure" answer
is read as "yes" would be: where "yes" could lead to an absolute finding (directly, or
through the follow-up questions "yes" opens) it is to clarify; where "yes" gives a
relative or caution finding, "unsure" gives that finding, and its message says so.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from consult.domain.conditions import Facts
from consult.domain.intake import Intake, answer_state, parse_intake
from consult.domain.knowledge_model import SEVERITY_RANK, KnowledgeBase, Rule, Severity

Outcome = Literal["clear", "caution", "relative", "absolute", "clarify"]


@dataclass(frozen=True)
class Finding:
    """A rule that fired for a treatment.

    ``same_as`` names an earlier finding of the same treatment raised by another rule on
    the same condition with the same severity (for example the anticoagulant rows of the
    regenerative and the microneedling tables, for exosome with microneedling): it is one
    finding for the practitioner, shown and justified once.
    """

    rule: str
    severity: Severity
    message: str
    patient_risk: str
    source: str
    basis: str
    same_as: str | None = None

    def to_json(self) -> dict[str, str]:
        """The finding in the exchange format (``same_as`` only where there is one)."""
        data = {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.message,
            "patient_risk": self.patient_risk,
            "source": self.source,
            "basis": self.basis,
        }
        if self.same_as is not None:
            data["same_as"] = self.same_as
        return data


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
        """The result in the intake exchange format (``consult screen``'s output)."""
        return {
            "rule_set_version": self.rule_set_version,
            "results": [result.to_json() for result in self.results],
        }


def _finding_order(finding: Finding) -> tuple[int, str]:
    return (-SEVERITY_RANK[finding.severity], finding.rule)


def _finding(rule: Rule, route: str, note: str = "") -> Finding:
    return Finding(
        rule=rule.id,
        severity=rule.severity_for(route),
        message=f"{rule.message} {note}" if note else rule.message,
        patient_risk=rule.patient_risk,
        source=rule.source.cited,
        basis=rule.source.basis,
    )


def _fire(rules: tuple[Rule, ...], facts: Facts) -> dict[str, bool]:
    # Rules come in load order, and an "otherwise" rule may only name earlier rules, so
    # the stronger rows have been decided before the row that defers to them.
    fired: dict[str, bool] = {}
    for rule in rules:
        stronger = rule.otherwise and any(fired.get(other) for other in rule.otherwise)
        fired[rule.id] = not stronger and rule.condition.evaluate(facts)
    return fired


def _fire_if_yes(
    rules: tuple[Rule, ...], facts: Facts, unknown: frozenset[str]
) -> dict[str, bool | None]:
    # The same, three-valued: None where the outcome hangs on a follow-up question that
    # the answer "yes" would open.
    fired: dict[str, bool | None] = {}
    for rule in rules:
        stronger = [fired.get(other, False) for other in rule.otherwise]
        result = rule.condition.evaluate_open(facts, unknown)
        if True in stronger or result is False:
            fired[rule.id] = False
        elif None in stronger:
            fired[rule.id] = None
        else:
            fired[rule.id] = result
    return fired


def _same_findings(findings: list[Finding], kb: KnowledgeBase) -> list[Finding]:
    # Findings come sorted; the first of each (condition, severity) stands for the rest.
    first: dict[tuple[object, str], str] = {}
    marked: list[Finding] = []
    for finding in findings:
        key = (kb.rule(finding.rule).condition, finding.severity)
        if key in first:
            finding = replace(finding, same_as=first[key])
        else:
            first[key] = finding.rule
        marked.append(finding)
    return marked


def _unsure_note(kb: KnowledgeBase, question_id: str) -> str:
    label = kb.question(question_id).label
    return f"(The answer to “{label}” was “unsure”: this finding is what “yes” would give.)"


def screen(intake: Intake, kb: KnowledgeBase) -> ScreeningResult:
    """Screen a validated intake against the knowledge base."""
    state = answer_state(intake, kb)
    unsure = [qid for qid, value in state.effective.items() if value == "unsure"]
    age = intake.age
    has_plan = intake.regenerative_medicine_plan is not None
    asked = frozenset(state.asked)
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
            asked=asked,
        )
        fired = _fire(plan.rules, facts)
        findings = [_finding(rule, planned.route) for rule in plan.rules if fired[rule.id]]
        clarify = {qid for qid in state.missing if kb.question(qid).asked_for_treatment(planned.id)}
        for question_id in unsure:
            if not kb.question(question_id).asked_for_treatment(planned.id):
                continue
            answers = dict(state.effective)
            answers[question_id] = "yes"
            if_yes = _fire_if_yes(
                plan.rules, replace(facts, answers=answers), kb.follow_ups(question_id)
            )
            # The rules that "yes" (or what "yes" opens) could make fire.
            reach = kb.follow_ups(question_id) | {question_id}
            opened = [
                rule
                for rule in plan.rules
                if if_yes[rule.id] is not False and rule.condition.questions() & reach
            ]
            if any(rule.severity_for(planned.route) == "absolute" for rule in opened):
                clarify.add(question_id)
                continue
            for rule in opened:
                if fired[rule.id]:
                    continue
                fired[rule.id] = True
                findings.append(_finding(rule, planned.route, _unsure_note(kb, question_id)))
        for rule in plan.clarify_rules:
            if rule.condition.evaluate(facts):
                clarify |= rule.condition.questions()
        findings.sort(key=_finding_order)
        outcome: Outcome
        if findings and findings[0].severity == "absolute":
            outcome = "absolute"
        elif clarify:
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
                findings=tuple(_same_findings(findings, kb)),
                clarify=tuple(sorted(clarify, key=kb.question_order)),
            )
        )
    return ScreeningResult(kb.version, tuple(results))


def screen_json(data: object, kb: KnowledgeBase) -> dict[str, object]:
    """Validate an intake in the exchange format, screen it, and return the result JSON.

    Raises :class:`~consult.domain.errors.IntakeError` on bad input.
    """
    return screen(parse_intake(data, kb), kb).to_json()
