"""Repeat visits: how long a signed consent stands, and when one signature re-confirms it.

A consent stands for a number of days after it was signed (the clinic's
``consent_validity_days`` for its treatment; 0: for its own visit only), or, where it
covers a planned course, for the course's weeks and sessions. Within that, a repeat visit
screens the current answers with the current rules and compares them with the visit the
consent was signed on (:func:`compare`): if nothing a rule reads has changed, the
findings are the same, and the consent text and the product are those signed, the
patient re-confirms the consent with one signature on a short form (schema
``consult.reconfirmation/1``). Anything else needs a full consent, and
:class:`Difference` says why, so that the practitioner can tell the patient.

Pure: the store gathers the facts (:mod:`consult.store.services.consent_validity`).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from consult.domain.canonical import jcs_bytes, sha256_hex
from consult.domain.conditions import AgeBelow, AnswerValue, age_on
from consult.domain.consent_document import RECONFIRMATION_SCHEMA, SealedDocument
from consult.domain.knowledge_model import KnowledgeBase

SCHEMA = RECONFIRMATION_SCHEMA
"""The schema of a sealed re-confirmation: RFC 8785 canonical JSON, as a consent's."""

SETTING = "consent_validity_days"
"""The clinic setting: days a consent stands, per treatment id."""

DEFAULT_VALIDITY_DAYS: Mapping[str, int] = {
    "botulinum_toxin": 365,
    "ha_filler": 365,
    "hyaluronidase": 0,
    "microneedling": 180,
    "chemical_peel": 180,
    "laser_resurfacing": 365,
    "exosome": 0,
    "prp": 0,
    "stem_cell_cellular": 0,
    "stem_cell_supernatant": 0,
    "iv_vitamin_c": 0,
}
"""Days a consent stands when the clinic has not said otherwise; 0: every visit (the
regenerative treatments and IV infusions, whose risks are weighed afresh each time)."""


class Confirmed(enum.StrEnum):
    """How a section of a repeat visit's intake was confirmed: its answers as at the
    last visit (copied and kept), or copied to be updated. Saved with the draft, so that
    a draft reopened at the intake still knows which sections were confirmed."""

    UNCHANGED = "unchanged"
    UPDATE = "update"


MAX_VALIDITY_DAYS = 3 * 365
"""No consent stands for more than three years: the clinic setting is refused above."""


def validity_days(settings: Mapping[str, object], treatment_id: str) -> int:
    """The days a consent for ``treatment_id`` stands under the clinic's ``settings``
    (its own value where it set one, else the default; 0 for a treatment without one)."""
    chosen = settings.get(SETTING)
    if isinstance(chosen, Mapping):
        value = chosen.get(treatment_id)
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    return DEFAULT_VALIDITY_DAYS.get(treatment_id, 0)


def check_validity_setting(value: object, treatments: Iterable[str]) -> dict[str, int]:
    """The setting as stored: a mapping of known treatment ids to 0..3 years of days.
    Raises ValueError naming what is wrong."""
    if not isinstance(value, Mapping):
        raise ValueError("give the days per treatment, e.g. {botulinum_toxin: 365}")
    known = set(treatments)
    clean: dict[str, int] = {}
    for treatment_id, days in value.items():
        if treatment_id not in known:
            raise ValueError(f"unknown treatment {treatment_id!r}")
        if isinstance(days, bool) or not isinstance(days, int):
            raise ValueError(f"{treatment_id}: days must be a whole number")
        if not 0 <= days <= MAX_VALIDITY_DAYS:
            raise ValueError(f"{treatment_id}: 0 to {MAX_VALIDITY_DAYS} days")
        clean[str(treatment_id)] = days
    return clean


# Courses ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CourseLimit:
    """The longest course a consent template allows (its ``course`` field)."""

    max_sessions: int
    max_weeks: int


@dataclass(frozen=True)
class CoursePlan:
    """A planned course: ``sessions`` visits over ``weeks`` weeks, the first the one of
    the consent itself."""

    sessions: int
    weeks: int

    def to_json(self) -> dict[str, int]:
        """As the sealed consent records it."""
        return {"sessions": self.sessions, "weeks": self.weeks}

    @classmethod
    def from_json(cls, data: object) -> CoursePlan | None:
        """The course a sealed consent records, or None (a single treatment)."""
        if not isinstance(data, Mapping):
            return None
        sessions, weeks = data.get("sessions"), data.get("weeks")
        if isinstance(sessions, int) and isinstance(weeks, int):
            return cls(sessions, weeks)
        return None


def check_course(plan: CoursePlan, limit: CourseLimit | None) -> CoursePlan:
    """``plan`` if the template allows it; ValueError saying why not."""
    if limit is None:
        raise ValueError("this consent does not cover a course of treatments")
    if not 2 <= plan.sessions <= limit.max_sessions:
        raise ValueError(f"a course has 2 to {limit.max_sessions} sessions")
    if not 1 <= plan.weeks <= limit.max_weeks:
        raise ValueError(f"a course lasts 1 to {limit.max_weeks} weeks")
    return plan


def course_entry(
    limit: CourseLimit | None, requested: Mapping[str, int] | None
) -> dict[str, object]:
    """What a consent record says of its course: ``{"course": {...}}`` for a course the
    template allows, nothing for a single treatment (``requested`` None). ValueError if
    the template does not allow it."""
    if requested is None:
        return {}
    try:
        plan = CoursePlan(int(requested["sessions"]), int(requested["weeks"]))
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError("give the course's sessions and weeks") from exc
    return {"course": check_course(plan, limit).to_json()}


# Where a signed consent stands ----------------------------------------------------------


class Validity(enum.StrEnum):
    """Where a patient's latest consent for a treatment stands on a given day."""

    VALID = "valid"
    EXPIRED = "expired"
    EVERY_VISIT = "every_visit"
    """The treatment is consented afresh at every visit (validity 0)."""
    COURSE_COMPLETE = "course_complete"
    WITHDRAWN = "withdrawn"
    VOIDED = "voided"


@dataclass(frozen=True)
class Standing:
    """A consent's standing: its validity on ``day``, until when, and the course so far."""

    validity: Validity
    valid_until: dt.date | None
    course: CoursePlan | None = None
    sessions_done: int = 1
    """Sessions given under it: the consent's own and each re-confirmation's."""

    @property
    def next_session(self) -> int:
        """The number the next session under the consent would have."""
        return self.sessions_done + 1


def standing(
    *,
    signed_on: dt.date,
    state: str,
    days: int,
    course: CoursePlan | None,
    sessions_done: int,
    day: dt.date,
) -> Standing:
    """A signed consent's standing on ``day``.

    ``state`` is the register's (signed, withdrawn, voided). A course stands for its
    weeks and sessions; any other consent for ``days`` after it was signed (the last
    day included; 0: only its own visit, never re-confirmed)."""
    if course is not None:
        until: dt.date | None = signed_on + dt.timedelta(weeks=course.weeks)
    else:
        until = signed_on + dt.timedelta(days=days) if days > 0 else None
    if state == "withdrawn":
        validity = Validity.WITHDRAWN
    elif state == "voided":
        validity = Validity.VOIDED
    elif until is None:
        validity = Validity.EVERY_VISIT
    elif course is not None and sessions_done >= course.sessions:
        validity = Validity.COURSE_COMPLETE
    elif day > until:
        validity = Validity.EXPIRED
    else:
        validity = Validity.VALID
    return Standing(validity, until, course, sessions_done)


# What a repeat visit changed ------------------------------------------------------------


class Change(enum.StrEnum):
    """Why a repeat visit needs a full consent."""

    NO_CONSENT = "no_consent"
    NOT_VALID = "not_valid"
    """Expired, withdrawn, voided, for every visit, or its course complete."""
    ANSWER = "answer"
    """An answer a rule reads is not the answer the consent was given on."""
    AGE = "age"
    """The patient crossed an age a rule reads (turned 18, say)."""
    FINDINGS = "findings"
    """The screening finds other things than it did (a new rule, a new answer)."""
    TEMPLATE = "template"
    """The consent text is a new version."""
    PRODUCT = "product"
    """Another product, or another route."""


@dataclass(frozen=True)
class Difference:
    """One reason a full consent is needed, with what it names (question or rule ids,
    versions, products)."""

    change: Change
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class VisitFacts:
    """What a comparison reads of one visit, for one treatment."""

    date_of_birth: dt.date
    consultation_date: dt.date
    effective_answers: Mapping[str, AnswerValue]
    findings: frozenset[str]
    """The rule ids of the treatment's findings."""
    template_version: str
    product_id: int | None
    route: str


def rule_reads(kb: KnowledgeBase, treatment: str, route: str, source: str | None) -> frozenset[str]:
    """The questions the current rules for a treatment read (its clarify rules too)."""
    plan = kb.plan(treatment, route, source)
    questions = set(plan.reads)
    for rule in plan.clarify_rules:
        questions |= rule.condition.questions()
    return frozenset(questions)


def age_limits(kb: KnowledgeBase, treatment: str, route: str, source: str | None) -> frozenset[int]:
    """The ages the current rules for a treatment test (``age_below``)."""
    plan = kb.plan(treatment, route, source)
    return frozenset(
        node.years
        for rule in (*plan.rules, *plan.clarify_rules)
        for node in rule.condition.walk()
        if isinstance(node, AgeBelow)
    )


def compare(
    before: VisitFacts,
    now: VisitFacts,
    *,
    reads: frozenset[str],
    ages: frozenset[int],
) -> tuple[Difference, ...]:
    """What makes ``now`` need a full consent although ``before`` was consented; empty:
    the patient may re-confirm. ``reads`` and ``ages``: what the current rules read
    (:func:`rule_reads`, :func:`age_limits`)."""
    found: list[Difference] = []
    answers = sorted(
        q for q in reads if before.effective_answers.get(q) != now.effective_answers.get(q)
    )
    if answers:
        found.append(Difference(Change.ANSWER, tuple(answers)))
    then = age_on(before.date_of_birth, before.consultation_date)
    age = age_on(now.date_of_birth, now.consultation_date)
    crossed = sorted(str(limit) for limit in ages if (then < limit) != (age < limit))
    if crossed:
        found.append(Difference(Change.AGE, tuple(crossed)))
    if now.findings != before.findings:
        new = sorted(now.findings - before.findings)
        gone = sorted(before.findings - now.findings)
        found.append(Difference(Change.FINDINGS, (*new, *(f"-{rule}" for rule in gone))))
    if now.template_version != before.template_version:
        found.append(Difference(Change.TEMPLATE, (before.template_version, now.template_version)))
    if now.product_id != before.product_id or now.route != before.route:
        found.append(Difference(Change.PRODUCT, (before.route, now.route)))
    return tuple(found)


def reconfirmation_number(year: int, consultation_id: int, position: int) -> str:
    """A re-confirmation's number: like a consent's, with R for C."""
    return f"R-{year}-{consultation_id:06d}-{position}"


def seal_reconfirmation(document: Mapping[str, object]) -> SealedDocument:
    """Freeze a re-confirmation record: its RFC 8785 JSON and their SHA-256."""
    data = dict(document)
    if data.get("schema") != SCHEMA:
        raise ValueError(f"a re-confirmation must declare schema {SCHEMA!r}")
    raw = jcs_bytes(data)
    return SealedDocument(data, raw, sha256_hex(raw))
