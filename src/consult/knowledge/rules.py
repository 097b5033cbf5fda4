"""What the knowledge base's loader and a clinic's policy files share: the catalog of
everything a rule may name, the check of a condition against it, and building one rule.

Shipped rules (:mod:`consult.knowledge.loader`) and a clinic's own rules
(:mod:`consult.knowledge.policy`) are checked by the same code, so a policy file can name
nothing a shipped rule could not.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from consult.domain.conditions import parse_condition
from consult.domain.errors import ConditionError
from consult.domain.knowledge_model import (
    AppliesTo,
    Basis,
    Choice,
    Document,
    Question,
    QuestionType,
    Route,
    Rule,
    RuleSeverity,
    Section,
    Severity,
    Source,
    Treatment,
    TreatmentGroup,
)
from consult.knowledge.errors import KnowledgeError


@dataclass
class Catalog:
    """What rules and conditions may refer to, built from the first two files."""

    sexes: dict[str, Choice]
    jurisdictions: dict[str, Choice]
    qualifications: dict[str, Choice]
    sections: dict[str, Section]
    questions: dict[str, Question]
    routes: dict[str, Route]
    sources: dict[str, Choice]
    groups: dict[str, TreatmentGroup]
    treatments: dict[str, Treatment]
    question_ids: tuple[str, ...] = ()
    documents: dict[str, Document] = field(default_factory=dict)

    def fact_values(self, fact: str) -> Sequence[str]:
        """The allowed values of a consultation fact used in a condition."""
        table: Mapping[str, Iterable[str]] = {
            "jurisdiction": self.jurisdictions,
            "qualification": self.qualifications,
            "sex_at_birth": self.sexes,
            "treatment": self.treatments,
            "route": self.routes,
            "product_source": self.sources,
        }
        return list(table[fact])


_ASKED_WHEN_FORMS = frozenset({"all", "any", "not", "question", "sex_at_birth"})
_FACT_KEYS = (
    "jurisdiction",
    "qualification",
    "sex_at_birth",
    "treatment",
    "route",
    "product_source",
)


def check_condition(
    data: Mapping[str, Any],
    path: str,
    file: str,
    catalog: Catalog,
    asked_when: bool = False,
) -> None:
    """Check what a (schema-valid) condition refers to.

    For ``asked_when`` the catalog holds only the questions above the one being read.
    """
    if asked_when and not set(data) <= _ASKED_WHEN_FORMS | {
        "equals",
        "in",
        "contains",
    }:
        raise KnowledgeError(
            file, path, "asked_when may only test earlier answers and sex_at_birth"
        )
    if "question" in data:
        qid = data["question"]
        question = catalog.questions.get(qid)
        if question is None:
            if asked_when and qid in catalog.question_ids:
                raise KnowledgeError(
                    file, f"{path}.question", f"asked_when may only read questions above: {qid!r}"
                )
            raise KnowledgeError(file, f"{path}.question", f"unknown question {qid!r}")
        operator = next(key for key in data if key != "question")
        allowed_types: dict[str, tuple[QuestionType, ...]] = {
            "equals": ("yn", "ynu", "one"),
            "in": ("yn", "ynu", "one"),
            "contains": ("multi",),
            "within": ("date",),
        }
        if question.type not in allowed_types[operator]:
            raise KnowledgeError(
                file,
                f"{path}.{operator}",
                f"{operator!r} cannot test {qid!r}, a {question.type} question",
            )
        if operator == "within":
            return
        values = [data[operator]] if operator == "equals" else data[operator]
        for value in values:
            if value not in question.value_ids:
                raise KnowledgeError(
                    file,
                    f"{path}.{operator}",
                    f"{value!r} is not a value of {qid!r} "
                    f"(expected one of {', '.join(question.value_ids)})",
                )
        return
    ((key, value),) = data.items()
    if key == "asked" and value not in catalog.questions:
        raise KnowledgeError(file, f"{path}.asked", f"unknown question {value!r}")
    if key in ("all", "any"):
        for index, item in enumerate(value):
            check_condition(item, f"{path}.{key}[{index}]", file, catalog, asked_when)
    elif key == "not":
        check_condition(value, f"{path}.not", file, catalog, asked_when)
    elif key in _FACT_KEYS:
        allowed = catalog.fact_values(key)
        for item in value:
            if item not in allowed:
                raise KnowledgeError(
                    file,
                    f"{path}.{key}",
                    f"unknown {key} {item!r} (expected one of {', '.join(allowed)})",
                )


def parse_checked(data: object, path: str, file: str) -> Any:
    """The parsed condition; a refusal names the file (the schema catches most first)."""
    try:
        return parse_condition(data, path)
    except ConditionError as exc:  # pragma: no cover - the schema catches these first
        raise KnowledgeError(file, exc.path, exc.message) from None


def scope(
    applies_to: AppliesTo, catalog_treatments: Iterable[Treatment], routes: Mapping[str, Route]
) -> list[tuple[str, str, str | None]]:
    """Every (treatment, route, product source) a rule applies to."""
    found: list[tuple[str, str, str | None]] = []
    for treatment in catalog_treatments:
        sources: tuple[str | None, ...] = treatment.product_sources or (None,)
        for route_id in treatment.routes:
            for source in sources:
                if applies_to.matches(treatment.id, routes[route_id], source):
                    found.append((treatment.id, route_id, source))
    return found


def _applies_to(data: Mapping[str, Any], path: str, file: str, catalog: Catalog) -> AppliesTo:
    chosen: list[str] = []
    wording: list[str] = []
    if data.get("treatments") == "all":
        chosen = list(catalog.treatments)
        wording.append("every treatment")
    else:
        for index, treatment in enumerate(data.get("treatments", [])):
            if treatment not in catalog.treatments:
                raise KnowledgeError(
                    file, f"{path}.treatments[{index}]", f"unknown treatment {treatment!r}"
                )
            chosen.append(treatment)
        if chosen:
            wording.append(", ".join(chosen))
    for index, group_id in enumerate(data.get("groups", [])):
        group = catalog.groups.get(group_id)
        if group is None:
            raise KnowledgeError(
                file, f"{path}.groups[{index}]", f"unknown treatment group {group_id!r}"
            )
        chosen.extend(t for t in group.treatments if t not in chosen)
        wording.append(f"{group.label.lower()} ({', '.join(group.treatments)})")
    selected = [catalog.treatments[t] for t in chosen]
    narrowing: dict[str, frozenset[str] | None] = {"routes": None, "product_sources": None}
    for key in ("routes", "product_sources"):
        if key not in data:
            continue
        for index, value in enumerate(data[key]):
            if not any(value in getattr(t, key) for t in selected):
                raise KnowledgeError(
                    file,
                    f"{path}.{key}[{index}]",
                    f"{value!r} is not a {key[:-1].replace('_', ' ')} of any treatment "
                    "the rule applies to",
                )
        narrowing[key] = frozenset(data[key])
        wording.append(f"{key.replace('_', ' ')}: {', '.join(data[key])}")
    if data.get("invasive_route", False):
        wording.append("invasive routes only")
    for index, qid in enumerate(data.get("where_read", [])):
        if qid not in catalog.questions:
            raise KnowledgeError(file, f"{path}.where_read[{index}]", f"unknown question {qid!r}")
    if data.get("where_read"):
        wording.append(f"where another rule of the treatment reads {', '.join(data['where_read'])}")
    applies = AppliesTo(
        treatments=frozenset(chosen),
        routes=narrowing["routes"],
        product_sources=narrowing["product_sources"],
        invasive_route=bool(data.get("invasive_route", False)),
        where_read=frozenset(data.get("where_read", [])),
        wording="; ".join(wording),
    )
    if not scope(applies, selected, catalog.routes):
        raise KnowledgeError(file, path, "the rule applies to no treatment, route and source")
    return applies


def scope_routes(
    applies: AppliesTo, catalog_treatments: Iterable[Treatment], routes: Mapping[str, Route]
) -> list[str]:
    """The routes a rule applies to, in treatment order, without repeats."""
    found: list[str] = []
    for _, route, _ in scope(applies, catalog_treatments, routes):
        if route not in found:
            found.append(route)
    return found


def build_rule(
    item: Mapping[str, Any],
    path: str,
    file: str,
    catalog: Catalog,
    group: str,
    reference: str,
    known: Mapping[str, Rule],
    origin: str,
) -> Rule:
    """One rule from its (schema-valid) data, checked against the catalog and earlier rules."""
    rule_id = item["id"]
    if rule_id in known:
        raise KnowledgeError(file, f"{path}.id", f"duplicate rule id {rule_id!r}")
    applies = _applies_to(item["applies_to"], f"{path}.applies_to", file, catalog)
    check_condition(item["condition"], f"{path}.condition", file, catalog)
    condition = parse_checked(item["condition"], f"{path}.condition", file)
    raw_severity = item["severity"]
    severity: RuleSeverity | Mapping[str, Severity]
    if isinstance(raw_severity, dict):
        expected = scope_routes(applies, catalog.treatments.values(), catalog.routes)
        if set(raw_severity) != set(expected):
            raise KnowledgeError(
                file,
                f"{path}.severity",
                "a per-route severity must name exactly the routes the rule applies to: "
                + ", ".join(expected),
            )
        severity = dict(raw_severity)
    else:
        severity = raw_severity
    if severity == "clarify" and not condition.questions():
        raise KnowledgeError(file, f"{path}.condition", "a clarify rule must read a question")
    if applies.where_read and severity != "clarify":
        raise KnowledgeError(
            file, f"{path}.applies_to.where_read", "only a clarify rule may use where_read"
        )
    otherwise = tuple(item.get("otherwise", []))
    for index, other in enumerate(otherwise):
        stronger = known.get(other)
        if stronger is None:
            raise KnowledgeError(
                file,
                f"{path}.otherwise[{index}]",
                f"{other!r} is not a rule defined before this one",
            )
        if stronger.is_clarify:
            raise KnowledgeError(file, f"{path}.otherwise[{index}]", f"{other!r} is a clarify rule")
    source = item["source"]
    basis: Basis = source["basis"]
    document: Document | None = None
    if "document" in source:
        document = catalog.documents.get(source["document"])
        if document is None:
            raise KnowledgeError(
                file, f"{path}.source.document", f"unknown document {source['document']!r}"
            )
    return Rule(
        id=rule_id,
        group=group,
        applies_to=applies,
        condition=condition,
        severity=severity,
        message=item["message"],
        patient_risk=item["patient_risk"],
        source=Source(source["text"], basis, reference, document),
        otherwise=otherwise,
        origin=origin,
        next_step=item.get("next_step", ""),
    )
