"""Clinic policy files: a clinic's own, stricter screening rules.

A policy file (``*.yaml`` in the clinic's policy directory) may

- add rules (``rules:``, the same shape as shipped rules; the id must be new and the
  basis ``clinic_policy``), and
- raise the severity of a loaded rule (``overrides:`` with ``rule``, ``severity`` and
  ``reason``; one severity, or one per route).

It can never weaken screening: lowering any rule's severity, or removing a rule
(``remove:``), is refused when the file is loaded, naming the rule. Example::

    description: Stricter rules agreed by the clinic's medical board, 2026
    rules:
      - id: clinic-smoker-filler
        applies_to: {treatments: [ha_filler]}
        condition: {question: smoker, equals: "yes"}
        severity: caution
        message: Smoker. Slower healing.
        patient_risk: Smoking slows healing after filler.
        source: {text: medical board minute 12/2026, basis: clinic_policy}
    overrides:
      - rule: toxin-body-image
        severity: absolute
        reason: the clinic does not treat patients with a positive body-image screen
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any, cast

from consult.domain.knowledge_model import SEVERITY_RANK, Rule, Severity
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.rules import Catalog, build_rule, scope_routes


def _per_route(severity: str | Mapping[str, str], routes: list[str]) -> dict[str, str]:
    if isinstance(severity, str):
        return dict.fromkeys(routes, severity)
    return dict(severity)


def _raise_severity(
    rule: Rule, data: Mapping[str, Any], path: str, file: str, catalog: Catalog
) -> Rule:
    if rule.is_clarify:
        raise KnowledgeError(
            file, f"{path}.rule", f"{rule.id!r} is a clarify rule: it has no severity to raise"
        )
    routes = scope_routes(rule.applies_to, catalog.treatments.values(), catalog.routes)
    new = data["severity"]
    if isinstance(new, dict) and set(new) != set(routes):
        raise KnowledgeError(
            file,
            f"{path}.severity",
            f"a per-route severity for {rule.id!r} must name exactly: {', '.join(routes)}",
        )
    old_by_route = _per_route(rule.severity, routes)
    new_by_route = _per_route(new, routes)
    for route in routes:
        old, raised = old_by_route[route], new_by_route[route]
        if SEVERITY_RANK[raised] < SEVERITY_RANK[old]:
            on = f" on route {route}" if len(routes) > 1 else ""
            raise KnowledgeError(
                file,
                f"{path}.severity",
                f"cannot lower rule {rule.id!r} from {old} to {raised}{on}: "
                "a clinic policy may only make screening stricter",
            )
    # Values were checked by the schema; one severity for every route is kept as one.
    values = set(new_by_route.values())
    severity = (
        cast(Severity, values.pop())
        if len(values) == 1
        else cast(dict[str, Severity], new_by_route)
    )
    note = f"severity raised by clinic policy {Path(file).name}: {data['reason']}"
    return replace(rule, severity=severity, policy_note=note)


def apply_policies(
    rules: dict[str, Rule], doc: Mapping[str, Any], path: Path, catalog: Catalog
) -> dict[str, Rule]:
    """Apply one (schema-valid) policy file to the rules loaded so far; return the result."""
    file = str(path)
    for index, rule_id in enumerate(doc.get("remove", [])):
        existing = rules.get(rule_id)
        if existing is None:
            raise KnowledgeError(file, f"remove[{index}]", f"unknown rule {rule_id!r}")
        severity = existing.severity if isinstance(existing.severity, str) else "per route"
        raise KnowledgeError(
            file,
            f"remove[{index}]",
            f"cannot remove rule {rule_id!r} ({severity}): a clinic policy may only add "
            "rules or raise severities",
        )
    result = dict(rules)
    reference = doc.get("reference", f"clinic policy {path.name}")
    for index, item in enumerate(doc.get("rules", [])):
        rule = build_rule(
            item,
            f"rules[{index}]",
            file,
            catalog,
            "clinic_policy",
            reference,
            result,
            f"policy:{path.name}",
        )
        result[rule.id] = rule
    for index, item in enumerate(doc.get("overrides", [])):
        where = f"overrides[{index}]"
        target = result.get(item["rule"])
        if target is None:
            raise KnowledgeError(file, f"{where}.rule", f"unknown rule {item['rule']!r}")
        result[target.id] = _raise_severity(target, item, where, file, catalog)
    return result
