"""The knowledge report: every rule, by treatment, with its condition in words.

For managers and reviewers (``consult knowledge report``): what each treatment is
screened for, how strongly, and on whose authority (a label, guidance, law, a seed
document, or the clinic's own policy).
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Literal

from consult.domain.knowledge_model import KnowledgeBase, Rule, Treatment

ReportFormat = Literal["md", "html"]

_BASIS_WORDS: Mapping[str, str] = {
    "label": "product label",
    "guidance": "clinical guidance",
    "law": "law or regulator",
    "seed": "seed document",
    "clinic_policy": "clinic policy",
}


def severity_words(rule: Rule) -> str:
    """The severity of a rule in words, per route where it depends on the route."""
    if isinstance(rule.severity, str):
        return rule.severity
    return ", ".join(f"{route}: {severity}" for route, severity in rule.severity.items())


def condition_words(rule: Rule) -> str:
    """The rule's condition in plain English, with its "otherwise" clause."""
    text = rule.condition.describe()
    if rule.otherwise:
        text += f", unless {' or '.join(rule.otherwise)} applies"
    return text


def source_words(rule: Rule) -> str:
    """The rule's source, its basis, and any clinic policy change."""
    cited = rule.source.text or "no document named"
    text = f"{cited} ({_BASIS_WORDS[rule.source.basis]}; {rule.source.reference})"
    if rule.origin != "shipped":
        text += f"; added by {rule.origin}"
    if rule.policy_note:
        text += f"; {rule.policy_note}"
    return text


def _rules_for(kb: KnowledgeBase, treatment: Treatment) -> list[Rule]:
    return [rule for rule in kb.rules if treatment.id in rule.applies_to.treatments]


def _rows(kb: KnowledgeBase, treatment: Treatment) -> list[tuple[str, str, str, str, str]]:
    rows = []
    for rule in _rules_for(kb, treatment):
        rows.append(
            (
                rule.id,
                rule.applies_to.wording,
                severity_words(rule),
                condition_words(rule),
                source_words(rule),
            )
        )
    return rows


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _markdown(kb: KnowledgeBase) -> str:
    lines = [
        "# Consult screening rules",
        "",
        f"Rule set version `{kb.version}`: {len(kb.rules)} rules, "
        f"{len(kb.questions)} questions, {len(kb.treatments)} treatments.",
        "",
    ]
    for treatment in kb.treatments:
        routes = ", ".join(treatment.routes)
        lines += [f"## {treatment.name} (`{treatment.id}`)", "", f"Routes: {routes}.", ""]
        lines += [
            "| rule | applies to | severity | condition | source |",
            "|---|---|---|---|---|",
        ]
        for row in _rows(kb, treatment):
            cells = [f"`{row[0]}`", *(_md_cell(cell) for cell in row[1:])]
            lines.append("| " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


def _html(kb: KnowledgeBase) -> str:
    esc = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>Consult screening rules</title>',
        "<style>body{font-family:sans-serif}table{border-collapse:collapse}"
        "td,th{border:1px solid #999;padding:4px;vertical-align:top}</style></head><body>",
        "<h1>Consult screening rules</h1>",
        f"<p>Rule set version <code>{esc(kb.version)}</code>: {len(kb.rules)} rules, "
        f"{len(kb.questions)} questions, {len(kb.treatments)} treatments.</p>",
    ]
    for treatment in kb.treatments:
        parts.append(f"<h2>{esc(treatment.name)} (<code>{esc(treatment.id)}</code>)</h2>")
        parts.append(f"<p>Routes: {esc(', '.join(treatment.routes))}.</p>")
        parts.append(
            "<table><tr><th>rule</th><th>applies to</th><th>severity</th>"
            "<th>condition</th><th>source</th></tr>"
        )
        for row in _rows(kb, treatment):
            cells = [f"<code>{esc(row[0])}</code>", *(esc(cell) for cell in row[1:])]
            parts.append("<tr>" + "".join(f"<td>{cell}</td>" for cell in cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render_report(kb: KnowledgeBase, fmt: ReportFormat = "md") -> str:
    """Every rule by treatment, with severity, condition in words and source."""
    return _html(kb) if fmt == "html" else _markdown(kb)
