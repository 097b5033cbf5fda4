"""The knowledge report: the document a clinical lead reviews and signs for a rule set.

``consult knowledge report`` prints it as Markdown or HTML, or writes it as a PDF
(``consult.documents.knowledge_report_pdf``). All three are renderings of one
:class:`KnowledgeReport`, built here by :func:`build_report`:

1. a title page: the knowledge base's title and edition, the rule-set version, the date
   and the counts;
2. the changes since the previous edition (the snapshot that ``previous`` in
   ``knowledge.yaml`` names): questions added and removed, and rules removed, added and
   changed, by rule file;
3. every rule, by treatment: severity, what it applies to, its condition in words, the
   practitioner's message, the patient's sentence and its source with its basis;
4. the coverage of the questionnaire: every question with the rules that read it, or
   the reason why none does (and the answer values no rule reads);
5. the outcome precedence and the route classes in words;
6. the sign-off block.

Sources are shown as users see them (the document's title, never an internal code).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal

from consult import resources
from consult.domain.knowledge_model import KnowledgeBase, Rule, Treatment
from consult.knowledge.loader import read_yaml

ReportFormat = Literal["md", "html"]

BASIS_WORDS: Mapping[str, str] = {
    "label": "product label",
    "guidance": "clinical guidance",
    "law": "law or regulator",
    "publication": "publication",
    "clinic_policy": "clinic policy",
}
# The first edition filed the sources of the regenerative rules under a basis of their
# own; the second edition calls them publications.
_PREVIOUS_BASIS_WORDS: Mapping[str, str] = {**BASIS_WORDS, "seed": "source document"}
# How the first edition's sources named a document of the catalogue ("<code> 001").
_DOCUMENT_CODE = re.compile(r"\bseed[ -]?(\d{3})\b", re.IGNORECASE)

PRECEDENCE = "absolute > clarify > relative > caution > clear"

SHORT_VERSION_LENGTH = 12


# --------------------------------------------------------------------------- words


def severity_words(rule: Rule) -> str:
    """The severity of a rule in words, per route where it depends on the route."""
    if isinstance(rule.severity, str):
        return rule.severity
    return ", ".join(f"{route}: {severity}" for route, severity in rule.severity.items())


def severity_for_treatment(rule: Rule, treatment: Treatment) -> str:
    """The severity of a rule for one treatment: one word, or per route where they differ."""
    if isinstance(rule.severity, str):
        return rule.severity
    # In the order of the treatment's routes, as the reader knows them.
    mine = {route: rule.severity[route] for route in treatment.routes if route in rule.severity}
    if len(set(mine.values())) == 1:
        return next(iter(mine.values()))
    return ", ".join(f"{route}: {severity}" for route, severity in mine.items())


def condition_words(rule: Rule) -> str:
    """The rule's condition in plain English, with its "otherwise" clause."""
    text = rule.condition.describe()
    if rule.otherwise:
        text += f", unless {' or '.join(rule.otherwise)} applies"
    return text


def policy_words(rule: Rule) -> str:
    """Whether a clinic policy added the rule or raised its severity (empty if neither)."""
    notes = []
    if rule.origin.startswith("policy:"):
        notes.append(f"added by clinic policy {rule.origin.removeprefix('policy:')}")
    elif rule.origin != "shipped":
        notes.append(f"added by {rule.origin}")
    if rule.policy_note:
        notes.append(rule.policy_note)
    return "; ".join(notes)


def source_words(rule: Rule) -> str:
    """The rule's source as users see it, with its basis and any clinic policy change."""
    text = f"{rule.source.cited} ({BASIS_WORDS[rule.source.basis]})"
    note = policy_words(rule)
    return f"{text}; {note}" if note else text


# --------------------------------------------------------------------------- the report


@dataclass(frozen=True)
class RuleEntry:
    """One rule as listed under a treatment."""

    id: str
    severity: str
    applies_to: str
    condition: str
    message: str
    patient_risk: str
    source: str
    basis: str
    policy: str = ""


@dataclass(frozen=True)
class TreatmentEntry:
    """A treatment with every rule that applies to it."""

    id: str
    name: str
    routes: tuple[str, ...]
    rules: tuple[RuleEntry, ...]


@dataclass(frozen=True)
class FieldChange:
    """One part of a rule that changed; ``old`` and ``new`` are empty when not shown."""

    what: str
    old: str = ""
    new: str = ""

    @property
    def words(self) -> str:
        """The change in words: "severity: relative → absolute", or "message"."""
        if not self.old and not self.new:
            return self.what
        return f"{self.what}: {self.old or 'none'} → {self.new or 'none'}"


@dataclass(frozen=True)
class RuleChange:
    """A rule of both editions that differs between them."""

    id: str
    changes: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RuleSummary:
    """A rule added or removed, in words."""

    id: str
    severity: str
    applies_to: str
    condition: str
    message: str
    note: str = ""


@dataclass(frozen=True)
class ChangeGroup:
    """The changes of one rule file (a treatment, a group or a theme)."""

    id: str
    title: str
    file: str
    removed: tuple[RuleSummary, ...]
    added: tuple[RuleSummary, ...]
    changed: tuple[RuleChange, ...]


@dataclass(frozen=True)
class QuestionSummary:
    """A question added to or removed from the questionnaire."""

    id: str
    label: str


@dataclass(frozen=True)
class ChangeList:
    """The rule set in force against the previous edition's snapshot."""

    previous_edition: int
    previous_version: str
    groups: tuple[ChangeGroup, ...]
    questions_added: tuple[QuestionSummary, ...]
    questions_removed: tuple[QuestionSummary, ...]
    questions_known: bool
    unchanged: int

    @property
    def removed(self) -> int:
        """How many rules were removed."""
        return sum(len(group.removed) for group in self.groups)

    @property
    def added(self) -> int:
        """How many rules were added."""
        return sum(len(group.added) for group in self.groups)

    @property
    def changed(self) -> int:
        """How many rules were changed."""
        return sum(len(group.changed) for group in self.groups)


@dataclass(frozen=True)
class InformationOnlyValue:
    """An answer value that no rule reads, with the reason."""

    id: str
    label: str
    reason: str


@dataclass(frozen=True)
class CoverageRow:
    """A question, with the rules that read it or why no rule does."""

    id: str
    label: str
    section: str
    read_by: tuple[str, ...]
    asked_for: tuple[str, ...]
    asked_when: str
    opened_by: tuple[str, ...]
    information_only: str
    values: tuple[InformationOnlyValue, ...] = ()

    @property
    def covered(self) -> bool:
        """Read by a rule, or information only with a reason."""
        return bool(self.read_by) or bool(self.information_only)

    @property
    def status(self) -> str:
        """Who reads the answer, in words."""
        if self.read_by:
            count = len(self.read_by)
            return f"read by {count} rule{'s' if count != 1 else ''}"
        if self.information_only:
            return "information only"
        return "NOT READ by any rule, and no reason given"

    @property
    def asked(self) -> str:
        """When the question is asked, in words."""
        parts = []
        if self.asked_for:
            parts.append(f"asked only for {', '.join(self.asked_for)}")
        if self.asked_when:
            opened = f" (opened by {', '.join(self.opened_by)})" if self.opened_by else ""
            parts.append(f"asked when {self.asked_when}{opened}")
        return "; ".join(parts) or "always asked"


@dataclass(frozen=True)
class OutcomeEntry:
    """One outcome of screening a treatment, and what it means in the app."""

    name: str
    meaning: str


@dataclass(frozen=True)
class RouteEntry:
    """A route, whether it is invasive, and the treatments given by it."""

    id: str
    label: str
    invasive: bool
    treatments: tuple[str, ...]


@dataclass(frozen=True)
class GroupEntry:
    """A named group of treatments that rules can address together."""

    id: str
    label: str
    treatments: tuple[str, ...]


@dataclass(frozen=True)
class KnowledgeReport:
    """Everything the report says, whatever it is rendered as."""

    title: str
    edition: int
    version: str
    today: date
    questions: int
    treatment_count: int
    rules: int
    policy_added: int
    policy_raised: int
    changes: ChangeList | None
    treatments: tuple[TreatmentEntry, ...]
    coverage: tuple[CoverageRow, ...]
    outcomes: tuple[OutcomeEntry, ...]
    outcome_notes: tuple[str, ...]
    routes: tuple[RouteEntry, ...]
    groups: tuple[GroupEntry, ...]
    sign_off: str

    @property
    def route_note(self) -> str:
        """Which routes are invasive, in one sentence."""
        gentle = [route.id for route in self.routes if not route.invasive]
        unless = f" except {' and '.join(gentle)}" if gentle else ""
        return (
            f'Every route is invasive{unless}. A rule marked "invasive routes only" is '
            "checked only when the treatment is given by an invasive route."
        )

    @property
    def short_version(self) -> str:
        """The rule-set version shortened, as printed in the PDF's footer."""
        return self.version[:SHORT_VERSION_LENGTH]

    @property
    def information_only_values(self) -> tuple[tuple[str, InformationOnlyValue], ...]:
        """(question id, value) for every answer value that no rule reads."""
        return tuple((row.id, value) for row in self.coverage for value in row.values)


OUTCOMES: tuple[OutcomeEntry, ...] = (
    OutcomeEntry(
        "absolute",
        "The treatment cannot be consented in this consultation.",
    ),
    OutcomeEntry(
        "clarify",
        'An answer is missing, or is "unsure" where "yes" could lead to an absolute '
        "finding. The practitioner must clarify it before consent.",
    ),
    OutcomeEntry(
        "relative",
        "Only with a written clinical justification, which is recorded, printed on the "
        "consent form and listed for managers.",
    ),
    OutcomeEntry(
        "caution",
        "The treatment may proceed; the risk is shown to the practitioner and printed "
        "among the patient-specific risks on the consent form.",
    ),
    OutcomeEntry("clear", "No rule fired and nothing is left to clarify."),
)

OUTCOME_NOTES: tuple[str, ...] = (
    "A treatment's outcome is the first that applies, in this order: " + PRECEDENCE + ".",
    "An absolute finding blocks the treatment even while something else still needs "
    "clarifying; the questions to clarify are still listed.",
    'An answer "unsure" is read as "yes" would be. Where "yes" could lead to an absolute '
    "finding (directly, or through the follow-up questions it opens), the question is to "
    'clarify. Where "yes" gives a relative or caution finding, "unsure" gives that '
    "finding, with a note in its message that the answer was unsure.",
    "A question that is asked and left unanswered is to clarify for every treatment it is "
    "asked for; a missing answer never passes as clear.",
)


def _sign_off(title: str, edition: int, version: str) -> str:
    return (
        f"I have reviewed the screening rules of rule-set version {version} ({title}, "
        f"edition {edition}) as set out in this report: the changes since the previous "
        "edition, every rule with its severity, condition, messages and source, the "
        "coverage of the questionnaire and the outcome precedence. I approve them for "
        "screening patients at this clinic."
    )


def _rule_entry(rule: Rule, treatment: Treatment) -> RuleEntry:
    return RuleEntry(
        id=rule.id,
        severity=severity_for_treatment(rule, treatment),
        applies_to=rule.applies_to.wording,
        condition=condition_words(rule),
        message=rule.message,
        patient_risk=rule.patient_risk,
        source=rule.source.cited,
        basis=BASIS_WORDS[rule.source.basis],
        policy=policy_words(rule),
    )


def _treatment_entries(kb: KnowledgeBase) -> tuple[TreatmentEntry, ...]:
    return tuple(
        TreatmentEntry(
            id=treatment.id,
            name=treatment.name,
            routes=treatment.routes,
            rules=tuple(
                _rule_entry(rule, treatment)
                for rule in kb.rules
                if treatment.id in rule.applies_to.treatments
            ),
        )
        for treatment in kb.treatments
    )


def coverage(kb: KnowledgeBase) -> list[CoverageRow]:
    """Every question, in questionnaire order, with the rules that read it or why none does.

    The same test as the loader's: a question is read by at least one rule, or is
    information only with a reason. Answer values that no rule reads are listed with
    their question.
    """
    sections = {section.id: section.title for section in kb.sections}
    names = {treatment.id: treatment.name for treatment in kb.treatments}
    rows = []
    for question in kb.questions:
        read_by = tuple(rule.id for rule in kb.rules if question.id in rule.condition.questions())
        # In the order of the treatments file, as the reader knows them.
        asked_for = tuple(names[t.id] for t in kb.treatments if t.id in question.asked_for)
        asked_for += tuple(sorted(tid for tid in question.asked_for if tid not in names))
        when = question.asked_when
        rows.append(
            CoverageRow(
                id=question.id,
                label=question.label,
                section=sections.get(question.section, question.section),
                read_by=read_by,
                asked_for=asked_for,
                asked_when=when.describe() if when is not None else "",
                opened_by=tuple(sorted(when.questions(), key=kb.question_order))
                if when is not None
                else (),
                information_only=question.information_only,
                values=tuple(
                    InformationOnlyValue(choice.id, choice.label, choice.information_only)
                    for choice in question.values
                    if choice.information_only
                ),
            )
        )
    return rows


def _route_entries(kb: KnowledgeBase) -> tuple[RouteEntry, ...]:
    return tuple(
        RouteEntry(
            id=route.id,
            label=route.label,
            invasive=route.invasive,
            treatments=tuple(t.name for t in kb.treatments if route.id in t.routes),
        )
        for route in kb.routes
    )


def _group_entries(kb: KnowledgeBase) -> tuple[GroupEntry, ...]:
    names = {treatment.id: treatment.name for treatment in kb.treatments}
    return tuple(
        GroupEntry(group.id, group.label, tuple(names.get(t, t) for t in group.treatments))
        for group in kb.groups
    )


# --------------------------------------------------------------------------- changes


def _about(root: Path) -> Mapping[str, Any]:
    data = read_yaml(root / "knowledge.yaml")
    return data if isinstance(data, Mapping) else {}


def _group_title(kb: KnowledgeBase, group_id: str) -> str:
    for treatment in kb.treatments:
        if treatment.id == group_id:
            return treatment.name
    for group in kb.groups:
        if group.id == group_id:
            return group.label
    return group_id.replace("_", " ").capitalize()


def _previous_source(kb: KnowledgeBase, text: str) -> str:
    """A first-edition source with its document codes replaced by the documents' names."""

    def name(match: re.Match[str]) -> str:
        try:
            return kb.document(f"seed-{match.group(1)}").citation
        except KeyError:
            return "a document of the first edition"

    return _DOCUMENT_CODE.sub(name, text)


def _source_changed(kb: KnowledgeBase, old: Mapping[str, Any], rule: Rule) -> bool:
    before = _previous_source(kb, str(old.get("source", "")))
    if not before:
        # The first edition printed a source without a document as "no document named";
        # the second prints the rule file's reference. Both say: no document.
        return bool(rule.source.text) or rule.source.document is not None
    return before != rule.source.cited


def _compare(kb: KnowledgeBase, old: Mapping[str, Any], rule: Rule) -> tuple[FieldChange, ...]:
    changes: list[FieldChange] = []
    if old.get("group") != rule.group:
        changes.append(FieldChange("rule file", str(old.get("group", "")), rule.group))
    if old.get("applies_to") != rule.applies_to.wording:
        changes.append(
            FieldChange("applies to", str(old.get("applies_to", "")), rule.applies_to.wording)
        )
    if old.get("condition") != condition_words(rule):
        changes.append(
            FieldChange("condition", str(old.get("condition", "")), condition_words(rule))
        )
    if old.get("severity") != severity_words(rule):
        changes.append(FieldChange("severity", str(old.get("severity", "")), severity_words(rule)))
    if old.get("message") != rule.message:
        changes.append(FieldChange("message"))
    if old.get("patient_risk") != rule.patient_risk:
        changes.append(FieldChange("patient risk"))
    if _source_changed(kb, old, rule):
        before = _previous_source(kb, str(old.get("source", ""))) or "no document named"
        changes.append(FieldChange("source", before, rule.source.cited))
    basis = str(old.get("basis", ""))
    if basis != rule.source.basis:
        changes.append(
            FieldChange(
                "basis",
                _PREVIOUS_BASIS_WORDS.get(basis, basis),
                BASIS_WORDS[rule.source.basis],
            )
        )
    return tuple(changes)


def _summary(rule: Rule) -> RuleSummary:
    return RuleSummary(
        id=rule.id,
        severity=severity_words(rule),
        applies_to=rule.applies_to.wording,
        condition=condition_words(rule),
        message=rule.message,
        note=policy_words(rule),
    )


def _old_summary(old: Mapping[str, Any]) -> RuleSummary:
    return RuleSummary(
        id=str(old["id"]),
        severity=str(old.get("severity", "")),
        applies_to=str(old.get("applies_to", "")),
        condition=str(old.get("condition", "")),
        message=str(old.get("message", "")),
    )


def change_list(kb: KnowledgeBase, snapshot: Mapping[str, Any]) -> ChangeList:
    """The rules in force against a previous edition's snapshot, by rule file."""
    previous: dict[str, Mapping[str, Any]] = {str(r["id"]): r for r in snapshot.get("rules", [])}
    current = {rule.id: rule for rule in kb.rules}
    order: list[str] = []
    for group in [rule.group for rule in kb.rules] + [
        str(r.get("group", "")) for r in previous.values()
    ]:
        if group not in order:
            order.append(group)
    removed: dict[str, list[RuleSummary]] = {group: [] for group in order}
    added: dict[str, list[RuleSummary]] = {group: [] for group in order}
    changed: dict[str, list[RuleChange]] = {group: [] for group in order}
    unchanged = 0
    for rule_id, old in previous.items():
        if rule_id not in current:
            removed[str(old.get("group", ""))].append(_old_summary(old))
    for rule in kb.rules:
        old_rule = previous.get(rule.id)
        if old_rule is None:
            added[rule.group].append(_summary(rule))
            continue
        differences = _compare(kb, old_rule, rule)
        if differences:
            changed[rule.group].append(RuleChange(rule.id, differences))
        else:
            unchanged += 1
    groups = tuple(
        ChangeGroup(
            id=group,
            title=_group_title(kb, group),
            file="" if group == "clinic_policy" else f"rules/{group}.yaml",
            removed=tuple(removed[group]),
            added=tuple(added[group]),
            changed=tuple(changed[group]),
        )
        for group in order
        if removed[group] or added[group] or changed[group]
    )
    labels = {question.id: question.label for question in kb.questions}
    known = "questions" in snapshot
    before = [str(q) for q in snapshot.get("questions", [])]
    return ChangeList(
        previous_edition=int(snapshot.get("edition", 0)),
        previous_version=str(snapshot.get("rule_set_version", "")),
        groups=groups,
        questions_added=tuple(
            QuestionSummary(q.id, q.label) for q in kb.questions if known and q.id not in before
        ),
        questions_removed=tuple(QuestionSummary(q, "") for q in before if q not in labels),
        questions_known=known,
        unchanged=unchanged,
    )


def _snapshot(root: Path, about: Mapping[str, Any]) -> Mapping[str, Any] | None:
    previous = about.get("previous")
    if not isinstance(previous, str) or not previous:
        return None
    with (root / previous).open(encoding="utf-8") as file:
        data = json.load(file)
    return data if isinstance(data, Mapping) else None


def build_report(kb: KnowledgeBase, today: date, root: Path | None = None) -> KnowledgeReport:
    """The whole report for a knowledge base (``root``: its directory, default the shipped)."""
    root = resources.path("knowledge") if root is None else root
    about = _about(root)
    title = str(about.get("title") or "Consult clinical knowledge base")
    snapshot = _snapshot(root, about)
    return KnowledgeReport(
        title=title,
        edition=kb.edition,
        version=kb.version,
        today=today,
        questions=len(kb.questions),
        treatment_count=len(kb.treatments),
        rules=len(kb.rules),
        policy_added=sum(1 for rule in kb.rules if rule.origin != "shipped"),
        policy_raised=sum(1 for rule in kb.rules if rule.policy_note),
        changes=change_list(kb, snapshot) if snapshot is not None else None,
        treatments=_treatment_entries(kb),
        coverage=tuple(coverage(kb)),
        outcomes=OUTCOMES,
        outcome_notes=OUTCOME_NOTES,
        routes=_route_entries(kb),
        groups=_group_entries(kb),
        sign_off=_sign_off(title, kb.edition, kb.version),
    )


# --------------------------------------------------------------------------- Markdown

SECTION_TITLES: Mapping[str, str] = {
    "changes": "Changes since the previous edition",
    "rules": "Every rule, by treatment",
    "coverage": "Coverage of the questionnaire",
    "outcomes": "Outcomes and route classes",
    "sign_off": "Sign-off",
}
SIGN_OFF_FIELDS: tuple[str, ...] = ("Name", "Role", "Date", "Signature")
REPORT_HEADING = "Consult screening rules: review and sign-off"


def _md_cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ") or " "


def _md_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_md_cell(cell) for cell in row) + " |" for row in rows]
    return [*lines, ""]


def _md_code(text: str) -> str:
    return f"`{text}`"


def _md_changes(report: KnowledgeReport) -> list[str]:
    lines = [f"## 1. {SECTION_TITLES['changes']}", ""]
    changes = report.changes
    if changes is None:
        return [*lines, "This is the first edition: there is no previous rule set to compare.", ""]
    lines += [
        f"Compared with edition {changes.previous_edition} (rule-set version "
        f"`{changes.previous_version}`): {changes.removed} rules removed, {changes.added} "
        f"added and {changes.changed} changed; {changes.unchanged} unchanged.",
        "",
        "A source that named a document by an internal code, and now names it by its "
        "title, is not counted as changed for that alone.",
        "",
        "### Questions",
        "",
    ]
    if not changes.questions_known:
        lines += ["The previous edition's snapshot does not list its questions.", ""]
    else:
        added = [f"`{q.id}` ({q.label})" for q in changes.questions_added]
        removed = [f"`{q.id}`" for q in changes.questions_removed]
        lines.append(f"- Added: {'; '.join(added) if added else 'none'}.")
        lines.append(f"- Removed: {', '.join(removed) if removed else 'none'}.")
        lines.append("")
    for group in changes.groups:
        where = f" ({group.file})" if group.file else ""
        lines += [f"### {group.title}{where}", ""]
        if group.removed:
            lines += ["Removed:", ""]
            lines += [
                f"- `{r.id}` ({r.severity}; {r.applies_to}): {r.condition}. {r.message}"
                for r in group.removed
            ]
            lines.append("")
        if group.added:
            lines += ["Added:", ""]
            lines += [
                f"- `{r.id}` ({r.severity}; {r.applies_to}): {r.condition}."
                + (f" ({r.note})" if r.note else "")
                for r in group.added
            ]
            lines.append("")
        if group.changed:
            lines += ["Changed:", ""]
            lines += [
                f"- `{c.id}`: {'; '.join(change.words for change in c.changes)}."
                for c in group.changed
            ]
            lines.append("")
    return lines


def _md_rules(report: KnowledgeReport) -> list[str]:
    lines = [f"## 2. {SECTION_TITLES['rules']}", ""]
    for treatment in report.treatments:
        lines += [
            f"### {treatment.name} (`{treatment.id}`)",
            "",
            f"Routes: {', '.join(treatment.routes)}. Rules: {len(treatment.rules)}.",
            "",
        ]
        for rule in treatment.rules:
            lines += [
                f"#### `{rule.id}`: {rule.severity}",
                "",
                f"- Applies to: {rule.applies_to}",
                f"- Condition: {rule.condition}",
                f"- Message: {rule.message}",
                f"- Patient risk: {rule.patient_risk}",
                f"- Source: {rule.source} ({rule.basis})",
            ]
            if rule.policy:
                lines.append(f"- Clinic policy: {rule.policy}")
            lines.append("")
    return lines


def _md_coverage(report: KnowledgeReport) -> list[str]:
    lines = [
        f"## 3. {SECTION_TITLES['coverage']}",
        "",
        "Every question, in the order the patient sees them, with the rules that read its "
        "answer. A question that no rule reads says why (information only).",
        "",
    ]
    rows = [
        (
            _md_code(row.id),
            row.asked,
            ", ".join(row.read_by) if row.read_by else row.status,
            row.information_only,
        )
        for row in report.coverage
    ]
    lines += _md_table(("question", "asked", "read by", "information only: why"), rows)
    lines += ["Answer values that no rule reads:", ""]
    values = [
        (_md_code(question), f"{value.label} (`{value.id}`)", value.reason)
        for question, value in report.information_only_values
    ]
    lines += _md_table(("question", "value", "information only: why"), values)
    return lines


def _md_outcomes(report: KnowledgeReport) -> list[str]:
    lines = [
        f"## 4. {SECTION_TITLES['outcomes']}",
        "",
        f"Outcome precedence: **{PRECEDENCE}**.",
        "",
    ]
    lines += _md_table(
        ("outcome", "what it means in the app"), [(o.name, o.meaning) for o in report.outcomes]
    )
    lines += [f"- {note}" for note in report.outcome_notes]
    lines += ["", "Routes:", "", report.route_note, ""]
    lines += _md_table(
        ("route", "label", "invasive", "treatments"),
        [
            (_md_code(r.id), r.label, "yes" if r.invasive else "no", ", ".join(r.treatments))
            for r in report.routes
        ],
    )
    lines += ["Treatment groups:", ""]
    lines += _md_table(
        ("group", "label", "treatments"),
        [(_md_code(g.id), g.label, ", ".join(g.treatments)) for g in report.groups],
    )
    return lines


def _md_sign_off(report: KnowledgeReport) -> list[str]:
    lines = [f"## 5. {SECTION_TITLES['sign_off']}", "", report.sign_off, "", "Clinical lead:", ""]
    lines += [f"- {field}: ______________________________" for field in SIGN_OFF_FIELDS]
    return lines


def render_markdown(report: KnowledgeReport) -> str:
    """The report as Markdown (no trailing newline)."""
    lines = [
        f"# {REPORT_HEADING}",
        "",
        f"**{report.title}**, edition {report.edition}",
        "",
        *_md_table(
            ("", ""),
            [
                ("Rule-set version", _md_code(report.version)),
                ("Date of this report", report.today.isoformat()),
                ("Rules", str(report.rules)),
                (
                    "of which by clinic policy",
                    f"{report.policy_added} added, {report.policy_raised} raised",
                ),
                ("Questions", str(report.questions)),
                ("Treatments", str(report.treatment_count)),
            ],
        ),
        *_md_changes(report),
        *_md_rules(report),
        *_md_coverage(report),
        *_md_outcomes(report),
        *_md_sign_off(report),
    ]
    return "\n".join(lines).rstrip("\n")


# --------------------------------------------------------------------------- HTML

_CSS = (
    "body{font-family:'DejaVu Sans',sans-serif;font-size:14px;max-width:72rem;margin:1rem auto;"
    "padding:0 1rem;color:#1a1a1a}"
    "table{border-collapse:collapse;margin:.5rem 0 1rem}"
    "td,th{border:1px solid #999;padding:4px 6px;vertical-align:top;text-align:left}"
    "th{background:#ececec}"
    ".title{page-break-after:always;margin-bottom:3rem}"
    ".sev{font-weight:bold;white-space:nowrap}"
    ".sign td{height:2.2rem;min-width:24rem}"
    "@media print{body{max-width:none}h2{page-break-before:always}"
    "tr{page-break-inside:avoid}thead{display:table-header-group}}"
)


def _h(text: str) -> str:
    return html.escape(text)


def _html_table(header: Sequence[str], rows: Iterable[Sequence[str]]) -> list[str]:
    """A table; the cells are markup already escaped by the caller."""
    parts = [
        "<table>",
        "<thead><tr>" + "".join(f"<th>{_h(h)}</th>" for h in header) + "</tr></thead>",
        "<tbody>",
    ]
    parts += ["<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>" for row in rows]
    return [*parts, "</tbody></table>"]


def _html_changes(report: KnowledgeReport) -> list[str]:
    parts = [f'<h2 id="changes">1. {_h(SECTION_TITLES["changes"])}</h2>']
    changes = report.changes
    if changes is None:
        return [*parts, "<p>This is the first edition: there is no previous rule set.</p>"]
    parts += [
        f"<p>Compared with edition {changes.previous_edition} (rule-set version "
        f"<code>{_h(changes.previous_version)}</code>): {changes.removed} rules removed, "
        f"{changes.added} added and {changes.changed} changed; {changes.unchanged} "
        "unchanged.</p>",
        "<p>A source that named a document by an internal code, and now names it by its "
        "title, is not counted as changed for that alone.</p>",
        "<h3>Questions</h3>",
    ]
    if not changes.questions_known:
        parts.append("<p>The previous edition's snapshot does not list its questions.</p>")
    else:
        added = "; ".join(
            f"<code>{_h(q.id)}</code> ({_h(q.label)})" for q in changes.questions_added
        )
        removed = ", ".join(f"<code>{_h(q.id)}</code>" for q in changes.questions_removed)
        parts.append(
            f"<ul><li>Added: {added or 'none'}.</li><li>Removed: {removed or 'none'}.</li></ul>"
        )
    for group in changes.groups:
        where = f" ({_h(group.file)})" if group.file else ""
        parts.append(f"<h3>{_h(group.title)}{where}</h3>")
        header = ("change", "rule", "severity", "applies to", "condition / what changed")
        rows: list[tuple[str, ...]] = []
        for r in group.removed:
            rows.append(
                (
                    "removed",
                    f"<code>{_h(r.id)}</code>",
                    _h(r.severity),
                    _h(r.applies_to),
                    f"{_h(r.condition)}<br>{_h(r.message)}",
                )
            )
        for r in group.added:
            note = f"<br><em>{_h(r.note)}</em>" if r.note else ""
            rows.append(
                (
                    "added",
                    f"<code>{_h(r.id)}</code>",
                    _h(r.severity),
                    _h(r.applies_to),
                    _h(r.condition) + note,
                )
            )
        for c in group.changed:
            rows.append(
                (
                    "changed",
                    f"<code>{_h(c.id)}</code>",
                    "",
                    "",
                    "<br>".join(_h(change.words) for change in c.changes),
                )
            )
        parts += _html_table(header, rows)
    return parts


def _html_rules(report: KnowledgeReport) -> list[str]:
    parts = [f'<h2 id="rules">2. {_h(SECTION_TITLES["rules"])}</h2>']
    header = (
        "rule",
        "severity",
        "applies to",
        "condition",
        "message",
        "patient risk",
        "source",
    )
    for treatment in report.treatments:
        parts.append(
            f'<h3 id="t-{_h(treatment.id)}">{_h(treatment.name)} '
            f"(<code>{_h(treatment.id)}</code>)</h3>"
        )
        parts.append(
            f"<p>Routes: {_h(', '.join(treatment.routes))}. Rules: {len(treatment.rules)}.</p>"
        )
        rows = []
        for rule in treatment.rules:
            policy = f"<br><em>{_h(rule.policy)}</em>" if rule.policy else ""
            rows.append(
                (
                    f"<code>{_h(rule.id)}</code>",
                    f'<span class="sev">{_h(rule.severity)}</span>',
                    _h(rule.applies_to),
                    _h(rule.condition),
                    _h(rule.message),
                    _h(rule.patient_risk),
                    f"{_h(rule.source)} ({_h(rule.basis)}){policy}",
                )
            )
        parts += _html_table(header, rows)
    return parts


def _html_coverage(report: KnowledgeReport) -> list[str]:
    parts = [
        f'<h2 id="coverage">3. {_h(SECTION_TITLES["coverage"])}</h2>',
        "<p>Every question, in the order the patient sees them, with the rules that read "
        "its answer. A question that no rule reads says why (information only).</p>",
    ]
    rows = [
        (
            f"<code>{_h(row.id)}</code><br>{_h(row.label)}",
            _h(row.asked),
            _h(", ".join(row.read_by)) if row.read_by else f"<strong>{_h(row.status)}</strong>",
            _h(row.information_only),
        )
        for row in report.coverage
    ]
    parts += _html_table(("question", "asked", "read by", "information only: why"), rows)
    parts.append("<h3>Answer values that no rule reads</h3>")
    values = [
        (f"<code>{_h(q)}</code>", f"{_h(v.label)} (<code>{_h(v.id)}</code>)", _h(v.reason))
        for q, v in report.information_only_values
    ]
    parts += _html_table(("question", "value", "information only: why"), values)
    return parts


def _html_outcomes(report: KnowledgeReport) -> list[str]:
    parts = [
        f'<h2 id="outcomes">4. {_h(SECTION_TITLES["outcomes"])}</h2>',
        f"<p>Outcome precedence: <strong>{_h(PRECEDENCE)}</strong>.</p>",
    ]
    parts += _html_table(
        ("outcome", "what it means in the app"),
        [(f'<span class="sev">{_h(o.name)}</span>', _h(o.meaning)) for o in report.outcomes],
    )
    parts.append("<ul>" + "".join(f"<li>{_h(n)}</li>" for n in report.outcome_notes) + "</ul>")
    parts.append("<h3>Routes</h3>")
    parts.append(f"<p>{_h(report.route_note)}</p>")
    parts += _html_table(
        ("route", "label", "invasive", "treatments"),
        [
            (
                f"<code>{_h(r.id)}</code>",
                _h(r.label),
                "yes" if r.invasive else "no",
                _h(", ".join(r.treatments)),
            )
            for r in report.routes
        ],
    )
    parts.append("<h3>Treatment groups</h3>")
    parts += _html_table(
        ("group", "label", "treatments"),
        [
            (f"<code>{_h(g.id)}</code>", _h(g.label), _h(", ".join(g.treatments)))
            for g in report.groups
        ],
    )
    return parts


def _html_sign_off(report: KnowledgeReport) -> list[str]:
    parts = [
        f'<h2 id="sign-off">5. {_h(SECTION_TITLES["sign_off"])}</h2>',
        f"<p>{_h(report.sign_off)}</p>",
        "<p><strong>Clinical lead</strong></p>",
        '<table class="sign"><tbody>',
    ]
    parts += [f"<tr><th>{_h(field)}</th><td></td></tr>" for field in SIGN_OFF_FIELDS]
    return [*parts, "</tbody></table>"]


def render_html(report: KnowledgeReport) -> str:
    """The report as one HTML page."""
    heading = f"{report.title}, edition {report.edition}"
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="en"><head><meta charset="utf-8"><title>{_h(REPORT_HEADING)}: '
        f"{_h(heading)}</title>",
        f"<style>{_CSS}</style></head><body>",
        '<section class="title">',
        f"<h1>{_h(REPORT_HEADING)}</h1>",
        f"<p><strong>{_h(report.title)}</strong>, edition {report.edition}</p>",
        *_html_table(
            ("", ""),
            [
                ("Rule-set version", f"<code>{_h(report.version)}</code>"),
                ("Date of this report", _h(report.today.isoformat())),
                ("Rules", str(report.rules)),
                (
                    "of which by clinic policy",
                    f"{report.policy_added} added, {report.policy_raised} raised",
                ),
                ("Questions", str(report.questions)),
                ("Treatments", str(report.treatment_count)),
            ],
        ),
        "</section>",
        *_html_changes(report),
        *_html_rules(report),
        *_html_coverage(report),
        *_html_outcomes(report),
        *_html_sign_off(report),
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


def render_report(kb: KnowledgeBase, fmt: ReportFormat = "md", today: date | None = None) -> str:
    """The whole report for the shipped knowledge base (with the clinic's policy) as text."""
    report = build_report(kb, today or date.today())
    return render_html(report) if fmt == "html" else render_markdown(report)
