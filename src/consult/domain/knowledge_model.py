"""The clinical knowledge base as immutable values: questions, treatments and rules.

``consult.knowledge.load_knowledge`` builds a :class:`KnowledgeBase` from the files in
``resources/knowledge`` (and the clinic's policy files) and checks that it is consistent;
the screening engine only reads it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from consult.domain.conditions import AnswerValue, Condition
from consult.domain.knowledge_texts import (
    SOURCE_LANGUAGE,
    KnowledgeTexts,
    LocalText,
    TextKind,
    label_key,
    question_key,
    rule_key,
    section_key,
    value_key,
)

QuestionType = Literal["yn", "ynu", "date", "multi", "one", "text"]
Severity = Literal["absolute", "relative", "caution"]
RuleSeverity = Literal["absolute", "relative", "caution", "clarify"]
Basis = Literal["label", "guidance", "law", "publication", "clinic_policy"]
LabelKind = Literal["treatment", "route", "product_source", "qualification", "jurisdiction", "sex"]
"""What :meth:`KnowledgeBase.label` names."""

SEVERITY_RANK: Mapping[str, int] = MappingProxyType({"caution": 1, "relative": 2, "absolute": 3})
"""Strength of a finding: absolute > relative > caution."""

YES_NO: tuple[str, ...] = ("yes", "no")
YES_NO_UNSURE: tuple[str, ...] = ("yes", "no", "unsure")


@dataclass(frozen=True)
class Choice:
    """One value of a question or of an intake field, with its patient-readable label."""

    id: str
    label: str
    group: str | None = None
    information_only: str = ""


@dataclass(frozen=True)
class Section:
    """A page of the questionnaire."""

    id: str
    title: str
    help: str = ""


@dataclass(frozen=True)
class Question:
    """One intake question."""

    id: str
    type: QuestionType
    label: str
    section: str
    values: tuple[Choice, ...] = ()
    help: str = ""
    asked_when: Condition | None = None
    asked_for: frozenset[str] = frozenset()
    information_only: str = ""

    def asked_for_treatment(self, treatment: str) -> bool:
        """Whether the question is asked for this treatment (no ``asked_for``: every one)."""
        return not self.asked_for or treatment in self.asked_for

    def asked_for_any(self, treatments: Iterable[str]) -> bool:
        """Whether the question is asked for at least one of the planned treatments."""
        return not self.asked_for or not self.asked_for.isdisjoint(treatments)

    @property
    def value_ids(self) -> tuple[str, ...]:
        """The allowed values (yes/no[/unsure] for yn and ynu questions)."""
        if self.type == "yn":
            return YES_NO
        if self.type == "ynu":
            return YES_NO_UNSURE
        return tuple(choice.id for choice in self.values)

    @property
    def not_asked_value(self) -> AnswerValue:
        """What the rules read when the question is not asked: "no", empty or none."""
        if self.type in ("yn", "ynu"):
            return "no"
        if self.type == "multi":
            return ()
        if self.type == "text":
            return ""
        return None


@dataclass(frozen=True)
class Route:
    """A way of giving a treatment (or, for peels and lasers, its depth or kind)."""

    id: str
    label: str
    invasive: bool


@dataclass(frozen=True)
class Treatment:
    """A treatment the clinic may plan."""

    id: str
    name: str
    routes: tuple[str, ...]
    product_sources: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    notes: str = ""


@dataclass(frozen=True)
class TreatmentGroup:
    """A named set of treatments, e.g. "regenerative"."""

    id: str
    label: str
    treatments: tuple[str, ...]


@dataclass(frozen=True)
class Document:
    """A document that rules cite (one of the texts the knowledge base was built from)."""

    id: str
    title: str
    author: str = ""

    @property
    def citation(self) -> str:
        """The document as a reader would look it up: author, then title in quotes."""
        quoted = f"“{self.title}”"
        return f"{self.author}, {quoted}" if self.author else quoted


@dataclass(frozen=True)
class Source:
    """Where a rule comes from.

    ``text`` says what the source says or why (possibly empty); ``document`` is the cited
    document, if the rule rests on one of the knowledge base's documents; ``reference``
    names the table of the knowledge base the rule came from; ``basis`` tells a label,
    guidance, law or a publication from the clinic's own policy.
    """

    text: str
    basis: Basis
    reference: str
    document: Document | None = None

    @property
    def cited(self) -> str:
        """The source as shown with a finding: the document named, then the text."""
        if self.document is None:
            return self.text or self.reference
        if not self.text:
            return self.document.citation
        return f"{self.document.citation}: {self.text}"


@dataclass(frozen=True)
class AppliesTo:
    """Which planned treatments a rule applies to.

    ``treatments`` is resolved (groups expanded). ``routes`` and ``product_sources``
    narrow it when given; ``invasive_route`` keeps only invasive routes. ``where_read``
    (for clarify rules) keeps the rule only where another rule of the treatment reads
    every one of these questions.
    """

    treatments: frozenset[str]
    routes: frozenset[str] | None = None
    product_sources: frozenset[str] | None = None
    invasive_route: bool = False
    where_read: frozenset[str] = frozenset()
    wording: str = ""

    def matches(self, treatment: str, route: Route, product_source: str | None) -> bool:
        """Whether the rule applies to this treatment, route and product source."""
        return (
            treatment in self.treatments
            and (self.routes is None or route.id in self.routes)
            and (self.product_sources is None or product_source in self.product_sources)
            and (route.invasive or not self.invasive_route)
        )


@dataclass(frozen=True)
class Rule:
    """A contraindication: when ``condition`` holds, the treatment gets a finding.

    ``severity`` is one severity, or one per route (e.g. a superficial peel: relative, a
    medium peel: absolute). A ``clarify`` rule adds the questions it reads to the list to
    clarify instead of giving a finding. ``otherwise`` names stronger rules of the same
    group: this rule fires only when none of them did. ``origin`` is "shipped" or
    "policy:<file>"; ``policy_note`` says when a clinic policy raised the severity.
    ``next_step`` (optional, translatable like ``patient_risk``) tells a patient who is not
    treated because of this rule what to do next: the letter of a blocked consultation
    (:mod:`consult.documents.outcome_letter_pdf`) prints it.
    """

    id: str
    group: str
    applies_to: AppliesTo
    condition: Condition
    severity: RuleSeverity | Mapping[str, Severity]
    message: str
    patient_risk: str
    source: Source
    otherwise: tuple[str, ...] = ()
    origin: str = "shipped"
    policy_note: str = ""
    next_step: str = ""

    def severity_for(self, route: str) -> Severity:
        """The severity of a finding of this rule on a route (a clarify rule has none)."""
        if isinstance(self.severity, str):
            if self.severity == "clarify":
                raise ValueError(f"{self.id} is a clarify rule: it gives no finding")
            return self.severity
        return self.severity[route]

    @property
    def is_clarify(self) -> bool:
        """Whether this rule asks to clarify rather than giving a finding."""
        return self.severity == "clarify"


@dataclass(frozen=True)
class ScreeningPlan:
    """The rules that apply to one treatment, route and product source, ready to run."""

    rules: tuple[Rule, ...]
    clarify_rules: tuple[Rule, ...]
    reads: frozenset[str]


@dataclass(frozen=True)
class KnowledgeBase:
    """The whole clinical knowledge base in force, with its rule-set version."""

    version: str
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    routes: tuple[Route, ...]
    product_sources: tuple[Choice, ...]
    groups: tuple[TreatmentGroup, ...]
    treatments: tuple[Treatment, ...]
    rules: tuple[Rule, ...]
    jurisdictions: tuple[Choice, ...]
    qualifications: tuple[Choice, ...]
    sexes: tuple[Choice, ...]
    documents: tuple[Document, ...] = ()
    edition: int = 1
    answers: tuple[Choice, ...] = ()
    """The implicit answers of yn, ynu, multi and date questions (``context.answers``),
    listed so that they are translated as data (:meth:`KnowledgeTexts.answer`)."""
    translations: Mapping[str, Mapping[str, str]] = field(
        default_factory=lambda: MappingProxyType({}), repr=False, compare=False
    )
    """Per language (the folders of ``resources/knowledge/translations``), the valid
    translations by key: stale and orphan entries were dropped by the loader. Not part of
    the rule-set version, nor of equality: translating changes no clinical content."""
    _plans: Mapping[tuple[str, str, str | None], ScreeningPlan] = field(
        init=False, repr=False, compare=False
    )
    _order: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _follow_ups: Mapping[str, frozenset[str]] = field(init=False, repr=False, compare=False)
    _rules: Mapping[str, Rule] = field(init=False, repr=False, compare=False)
    _english: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # Every treatment has at most a dozen route/source combinations, so the rules that
        # apply to each are worked out once here rather than on every screening.
        routes = {route.id: route for route in self.routes}
        plans: dict[tuple[str, str, str | None], ScreeningPlan] = {}
        for treatment in self.treatments:
            sources: tuple[str | None, ...] = treatment.product_sources or (None,)
            for route_id in treatment.routes:
                for source in sources:
                    applicable = [
                        rule
                        for rule in self.rules
                        if rule.applies_to.matches(treatment.id, routes[route_id], source)
                    ]
                    plain = tuple(rule for rule in applicable if not rule.is_clarify)
                    reads = frozenset().union(*(rule.condition.questions() for rule in plain))
                    clarify = tuple(
                        rule
                        for rule in applicable
                        if rule.is_clarify and rule.applies_to.where_read <= reads
                    )
                    plans[(treatment.id, route_id, source)] = ScreeningPlan(plain, clarify, reads)
        object.__setattr__(self, "_plans", MappingProxyType(plans))
        order = {question.id: index for index, question in enumerate(self.questions)}
        object.__setattr__(self, "_order", MappingProxyType(order))
        # A question's asked_when reads only questions above it, so walking the
        # questionnaire backwards finds every question an answer opens, however deep.
        opens: dict[str, set[str]] = {question.id: set() for question in self.questions}
        for question in reversed(self.questions):
            if question.asked_when is not None:
                for parent in question.asked_when.questions():
                    opens[parent] |= {question.id} | opens[question.id]
        object.__setattr__(self, "_rules", MappingProxyType({r.id: r for r in self.rules}))
        follow_ups = {qid: frozenset(found) for qid, found in opens.items()}
        object.__setattr__(self, "_follow_ups", MappingProxyType(follow_ups))
        object.__setattr__(self, "_english", MappingProxyType(self.source_texts()))

    def source_texts(self) -> dict[str, str]:
        """Every patient-facing English text (and each rule's message) by translation key.

        The keys are those of the translation files (docs/translations.md); a text that is
        empty (a question without help) has no key: there is nothing to translate.
        """
        found: dict[str, str] = {}

        def put(key: str, text: str) -> None:
            if text:
                found[key] = text

        context: tuple[tuple[TextKind, tuple[Choice, ...]], ...] = (
            ("sex", self.sexes),
            ("jurisdiction", self.jurisdictions),
            ("qualification", self.qualifications),
            ("answer", self.answers),
        )
        for kind, choices in context:
            for choice in choices:
                put(label_key(kind, choice.id), choice.label)
        for section in self.sections:
            put(section_key(section.id, "title"), section.title)
            put(section_key(section.id, "help"), section.help)
        for question in self.questions:
            put(question_key(question.id, "label"), question.label)
            put(question_key(question.id, "help"), question.help)
            for value in question.values:
                put(value_key(question.id, value.id), value.label)
        for route in self.routes:
            put(label_key("route", route.id), route.label)
        for source in self.product_sources:
            put(label_key("product_source", source.id), source.label)
        for group in self.groups:
            put(label_key("group", group.id), group.label)
        for treatment in self.treatments:
            put(label_key("treatment", treatment.id), treatment.name)
        for rule in self.rules:
            put(rule_key(rule.id, "patient_risk"), rule.patient_risk)
            put(rule_key(rule.id, "message"), rule.message)
            put(rule_key(rule.id, "next_step"), rule.next_step)
        return found

    @property
    def languages(self) -> tuple[str, ...]:
        """The languages the knowledge base can be read in: English, then each language
        with a translation folder (complete or not), in alphabetical order."""
        return (SOURCE_LANGUAGE, *sorted(set(self.translations) - {SOURCE_LANGUAGE}))

    def texts(self, language: str) -> KnowledgeTexts:
        """The patient-facing texts in ``language``: each lookup says whether it is a
        translation or the English fallback. English (and a language without any
        translation) answers the source text."""
        return KnowledgeTexts(language, self._english, self.translations.get(language, {}))

    def text(self, language: str, key: str) -> LocalText:
        """One text by its translation key (KeyError if the knowledge base has none)."""
        return self.texts(language).text(key)

    def follow_ups(self, question_id: str) -> frozenset[str]:
        """The questions an answer to this one can open (directly or further down)."""
        return self._follow_ups[question_id]

    def document(self, document_id: str) -> Document:
        """A cited document by id (KeyError if unknown)."""
        for document in self.documents:
            if document.id == document_id:
                return document
        raise KeyError(document_id)

    def plan(self, treatment: str, route: str, product_source: str | None) -> ScreeningPlan:
        """The rules for a treatment given by a validated intake."""
        return self._plans[(treatment, route, product_source)]

    def question_order(self, question_id: str) -> int:
        """The position of a question in the questionnaire (for stable lists)."""
        return self._order[question_id]

    def question(self, question_id: str) -> Question:
        """A question by id (KeyError if unknown)."""
        return self.questions[self._order[question_id]]

    def treatment(self, treatment_id: str) -> Treatment:
        """A treatment by id (KeyError if unknown)."""
        for treatment in self.treatments:
            if treatment.id == treatment_id:
                return treatment
        raise KeyError(treatment_id)

    def route(self, route_id: str) -> Route:
        """A route by id (KeyError if unknown)."""
        for route in self.routes:
            if route.id == route_id:
                return route
        raise KeyError(route_id)

    def rule(self, rule_id: str) -> Rule:
        """A rule by id (KeyError if unknown)."""
        return self._rules[rule_id]

    def label(self, kind: LabelKind, value_id: str) -> str:
        """The one name of a treatment, route, product source, qualification, jurisdiction
        or sex at birth, as the knowledge base writes it; the id itself if it is unknown
        (a record written under an older knowledge base still shows)."""
        if kind == "treatment":
            for treatment in self.treatments:
                if treatment.id == value_id:
                    return treatment.name
            return value_id
        tables: dict[str, tuple[Choice, ...] | tuple[Route, ...]] = {
            "route": self.routes,
            "product_source": self.product_sources,
            "qualification": self.qualifications,
            "jurisdiction": self.jurisdictions,
            "sex": self.sexes,
        }
        for choice in tables[kind]:
            if choice.id == value_id:
                return choice.label
        return value_id
