"""The intake: who, when, where, which treatments, and the answers; validated in full.

:func:`parse_intake` turns the intake exchange format (docs/clinical-knowledge.md; decoded
from JSON) into an :class:`Intake`, or raises :class:`IntakeError` naming the field.
:func:`asked_questions` tells the wizard which questions to show for partial answers.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from consult.domain.conditions import AnswerValue, FactIn, Facts, age_on
from consult.domain.errors import IntakeError
from consult.domain.knowledge_model import KnowledgeBase, Question

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_PLAIN_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*", re.ASCII)
_TOP_LEVEL = (
    "patient",
    "consultation_date",
    "jurisdiction",
    "practitioner",
    "clinic",
    "treatments",
    "answers",
)
_REQUIRED_TOP_LEVEL = ("patient", "consultation_date", "jurisdiction", "practitioner")


@dataclass(frozen=True)
class Patient:
    """The patient facts screening needs."""

    date_of_birth: date
    sex_at_birth: str


@dataclass(frozen=True)
class PlannedTreatment:
    """A treatment of the consultation, with its route and product source resolved.

    ``lot_expiry`` is the expiry date of the product lot recorded for it, if any.
    """

    id: str
    route: str
    product_source: str | None = None
    lot_expiry: date | None = None


@dataclass(frozen=True)
class Intake:
    """A validated intake. ``answers`` holds only the answers given (None = unanswered,
    except for date questions where None means never)."""

    patient: Patient
    consultation_date: date
    jurisdiction: str
    qualification: str
    regenerative_medicine_plan: str | None
    treatments: tuple[PlannedTreatment, ...]
    answers: Mapping[str, AnswerValue]

    @property
    def age(self) -> int:
        """Whole years on the consultation date."""
        return age_on(self.patient.date_of_birth, self.consultation_date)

    def to_json(self) -> dict[str, object]:
        """The intake in the exchange format (route and source always written out)."""
        treatments: list[dict[str, object]] = []
        for treatment in self.treatments:
            entry: dict[str, object] = {"id": treatment.id, "route": treatment.route}
            if treatment.product_source is not None:
                entry["product_source"] = treatment.product_source
            if treatment.lot_expiry is not None:
                entry["lot_expiry"] = treatment.lot_expiry.isoformat()
            treatments.append(entry)
        answers: dict[str, object] = {}
        for question_id, value in self.answers.items():
            if isinstance(value, tuple):
                answers[question_id] = list(value)
            elif isinstance(value, date):
                answers[question_id] = value.isoformat()
            else:
                answers[question_id] = value
        return {
            "patient": {
                "date_of_birth": self.patient.date_of_birth.isoformat(),
                "sex_at_birth": self.patient.sex_at_birth,
            },
            "consultation_date": self.consultation_date.isoformat(),
            "jurisdiction": self.jurisdiction,
            "practitioner": {"qualification": self.qualification},
            "clinic": {"regenerative_medicine_plan": self.regenerative_medicine_plan},
            "treatments": treatments,
            "answers": answers,
        }


@dataclass(frozen=True)
class AnswerState:
    """The answers as the rules read them, and what is still missing.

    ``effective`` has every question: a question not asked counts as "no" / empty.
    ``missing`` lists asked questions without an answer, in questionnaire order.
    """

    effective: Mapping[str, AnswerValue]
    asked: tuple[str, ...]
    missing: tuple[str, ...]


def _one_of(values: tuple[str, ...]) -> str:
    return "expected one of " + ", ".join(values)


def _field(prefix: str, key: object) -> str:
    # An odd key (empty, spaces, a newline) is quoted so the field stays visible on one line.
    if isinstance(key, str) and _PLAIN_KEY.fullmatch(key):
        return f"{prefix}.{key}" if prefix else key
    quoted = json.dumps(key) if isinstance(key, str) else repr(key)
    return f"{prefix}[{quoted}]"


def _mapping(value: object, field: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise IntakeError(field, "expected an object")
    return value


def _check_keys(
    value: Mapping[str, object], allowed: tuple[str, ...], required: tuple[str, ...], prefix: str
) -> None:
    for key in value:
        if key not in allowed:
            raise IntakeError(_field(prefix, key), "unknown field")
    for key in required:
        if key not in value:
            raise IntakeError(_field(prefix, key), "required")


def _date(value: object, field: str) -> date:
    if not isinstance(value, str) or not _ISO_DATE.fullmatch(value):
        raise IntakeError(field, "expected a date as YYYY-MM-DD")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise IntakeError(field, f"impossible date {value}") from None


def _choice(value: object, allowed: tuple[str, ...], field: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise IntakeError(field, _one_of(allowed))
    return value


def _answer(question: Question, value: object, field: str) -> AnswerValue:
    # None is "not answered yet", except for a date, where it means never.
    if value is None:
        return None
    if question.type == "date":
        return _date(value, field)
    if question.type == "text":
        if not isinstance(value, str):
            raise IntakeError(field, "expected text")
        return value
    allowed = question.value_ids
    if question.type != "multi":
        return _choice(value, allowed, field)
    if not isinstance(value, list):
        raise IntakeError(field, "expected a list (empty for none) of " + ", ".join(allowed))
    for index, item in enumerate(value):
        _choice(item, allowed, f"{field}[{index}]")
    if len(set(value)) != len(value):
        raise IntakeError(field, "a value is listed twice")
    return tuple(value)


def _treatment(entry: object, index: int, kb: KnowledgeBase) -> PlannedTreatment:
    prefix = f"treatments[{index}]"
    data = _mapping(entry, prefix)
    _check_keys(data, ("id", "route", "product_source", "lot_expiry"), ("id",), prefix)
    known = tuple(treatment.id for treatment in kb.treatments)
    treatment = kb.treatment(_choice(data["id"], known, prefix + ".id"))
    route = _pick(data.get("route"), treatment.routes, f"{prefix}.route", treatment.id)
    source: str | None = None
    if treatment.product_sources:
        source = _pick(
            data.get("product_source"),
            treatment.product_sources,
            f"{prefix}.product_source",
            treatment.id,
        )
    elif data.get("product_source") is not None:
        raise IntakeError(f"{prefix}.product_source", f"{treatment.id} has no product source")
    lot = data.get("lot_expiry")
    lot_expiry = None if lot is None else _date(lot, f"{prefix}.lot_expiry")
    return PlannedTreatment(treatment.id, route, source, lot_expiry)


def _pick(value: object, allowed: tuple[str, ...], field: str, treatment: str) -> str:
    # Left out (or null) is only allowed where there is nothing to choose.
    if value is None:
        if len(allowed) == 1:
            return allowed[0]
        raise IntakeError(field, f"required for {treatment}: {_one_of(allowed)}")
    return _choice(value, allowed, field)


def _plan_number(clinic: object) -> str | None:
    if clinic is None:
        return None
    data = _mapping(clinic, "clinic")
    _check_keys(data, ("regenerative_medicine_plan",), (), "clinic")
    plan = data.get("regenerative_medicine_plan")
    field = "clinic.regenerative_medicine_plan"
    if plan is None:
        return None
    if isinstance(plan, bool) or not isinstance(plan, str | int):
        raise IntakeError(field, "expected the plan number as text, or null")
    # A blank number is no plan: the rules then treat the clinic as having none.
    text = str(plan).strip()
    return text or None


MAX_AGE = 120
"""A date of birth that makes the patient this old or older is taken for a typing error."""

MAX_DAYS_AHEAD = 366
"""A consultation date may lie at most this many days after today."""


def parse_intake(data: object, kb: KnowledgeBase, today: date | None = None) -> Intake:
    """Validate an intake in the exchange format and return it; raise IntakeError.

    Every field is checked: unknown or missing fields, unknown treatments, routes,
    product sources, question ids and values, wrong answer types, impossible dates, a
    date of birth after the consultation or 120 years or more before it, a consultation
    more than 366 days after ``today`` (default: the machine's local date), the same
    treatment and route planned twice, a date answer after the consultation or before
    the birth, and an answer to a question that was not asked. Unanswered questions are
    not an error here: screening asks to clarify them.
    """
    today = date.today() if today is None else today
    root = _mapping(data, "intake")
    _check_keys(root, _TOP_LEVEL, _REQUIRED_TOP_LEVEL, "")
    patient_data = _mapping(root["patient"], "patient")
    _check_keys(
        patient_data,
        ("date_of_birth", "sex_at_birth"),
        ("date_of_birth", "sex_at_birth"),
        "patient",
    )
    born = _date(patient_data["date_of_birth"], "patient.date_of_birth")
    sexes = tuple(choice.id for choice in kb.sexes)
    sex = _choice(patient_data["sex_at_birth"], sexes, "patient.sex_at_birth")
    consulted = _date(root["consultation_date"], "consultation_date")
    if (consulted - today).days > MAX_DAYS_AHEAD:
        raise IntakeError(
            "consultation_date",
            f"{consulted.isoformat()} is more than {MAX_DAYS_AHEAD} days after today "
            f"({today.isoformat()})",
        )
    if born > consulted:
        raise IntakeError("patient.date_of_birth", "after the consultation date")
    if age_on(born, consulted) >= MAX_AGE:
        raise IntakeError(
            "patient.date_of_birth",
            f"the patient would be {MAX_AGE} or older on the consultation date",
        )
    jurisdictions = tuple(choice.id for choice in kb.jurisdictions)
    jurisdiction = _choice(root["jurisdiction"], jurisdictions, "jurisdiction")
    practitioner = _mapping(root["practitioner"], "practitioner")
    _check_keys(practitioner, ("qualification",), ("qualification",), "practitioner")
    qualifications = tuple(choice.id for choice in kb.qualifications)
    qualification = _choice(
        practitioner["qualification"], qualifications, "practitioner.qualification"
    )
    plan = _plan_number(root.get("clinic"))
    entries = root.get("treatments")
    if not isinstance(entries, list) or not entries:
        raise IntakeError("treatments", "expected a non-empty list of treatments")
    treatments: list[PlannedTreatment] = []
    for index, entry in enumerate(entries):
        planned = _treatment(entry, index, kb)
        for earlier in treatments:
            if (earlier.id, earlier.route) == (planned.id, planned.route):
                raise IntakeError(
                    f"treatments[{index}]",
                    f"{planned.id} by the {planned.route} route is already planned",
                )
        treatments.append(planned)
    answers_data = _mapping(root.get("answers", {}), "answers")
    answers: dict[str, AnswerValue] = {}
    for question_id, value in answers_data.items():
        field = _field("answers", question_id)
        try:
            question = kb.question(question_id)
        except KeyError:
            raise IntakeError(field, "unknown question") from None
        answer = _answer(question, value, field)
        if isinstance(answer, date):
            if answer > consulted:
                raise IntakeError(field, "after the consultation date")
            if answer < born:
                raise IntakeError(field, "before the date of birth")
        answers[question_id] = answer
    check_asked(answers, sex, kb, (treatment.id for treatment in treatments))
    return Intake(
        patient=Patient(born, sex),
        consultation_date=consulted,
        jurisdiction=jurisdiction,
        qualification=qualification,
        regenerative_medicine_plan=plan,
        treatments=tuple(treatments),
        answers=MappingProxyType(answers),
    )


def _is_answer(question: Question, value: object) -> bool:
    # Whether a stored value counts as an answer to an asked question.
    if question.type == "date":
        return True
    if question.type == "text":
        return isinstance(value, str) and bool(value.strip())
    return value is not None


def _as_answer(value: object) -> AnswerValue:
    # Validated intakes hold tuples and dates already; the wizard's raw answers hold lists
    # and strings, and anything else there is not (yet) an answer.
    if isinstance(value, list | tuple):
        return tuple(item for item in value if isinstance(item, str))
    if isinstance(value, str | date):
        return value
    return None


def _walk(
    answers: Mapping[str, object], sex_at_birth: str, kb: KnowledgeBase, planned: frozenset[str]
) -> AnswerState:
    # Questions are visited in order; a question's asked_when only reads earlier questions
    # (the loader checks this), so one pass sees every answer it depends on.
    effective: dict[str, AnswerValue] = {q.id: q.not_asked_value for q in kb.questions}
    facts = Facts(answers=effective, sex_at_birth=sex_at_birth)
    asked: list[str] = []
    missing: list[str] = []
    for question in kb.questions:
        if not question.asked_for_any(planned):
            continue
        if question.asked_when is not None and not question.asked_when.evaluate(facts):
            continue
        asked.append(question.id)
        value = answers.get(question.id)
        if question.id in answers and _is_answer(question, value):
            effective[question.id] = _as_answer(value)
        else:
            # Unanswered is not "no": a question opened by a "no" waits for the answer.
            effective[question.id] = None
            missing.append(question.id)
    return AnswerState(MappingProxyType(effective), tuple(asked), tuple(missing))


def _shown(value: AnswerValue) -> str:
    # asked_when reads yes/no, one-value and multi answers only (the loader checks this).
    if isinstance(value, tuple):
        return json.dumps(list(value), ensure_ascii=False)
    return json.dumps(value, ensure_ascii=False)


def _not_asked_reason(
    question: Question,
    state: AnswerState,
    sex_at_birth: str,
    planned: frozenset[str],
    kb: KnowledgeBase,
) -> str:
    # Why a question was not asked, in the terms of the intake: the treatments it is asked
    # for, or the answers (and sex at birth) its asked_when reads.
    if not question.asked_for_any(planned):
        needs = sorted(question.asked_for)
        if len(needs) == 1:
            return f"it is asked only for {needs[0]}, which is not planned"
        return f"it is asked only for {', '.join(needs)}, none of which is planned"
    # Asked for a planned treatment, yet not asked: its asked_when is false.
    assert question.asked_when is not None
    parts: list[str] = []
    if any(
        isinstance(node, FactIn) and node.fact == "sex_at_birth"
        for node in question.asked_when.walk()
    ):
        parts.append(f"sex_at_birth is {_shown(sex_at_birth)}")
    for parent in sorted(question.asked_when.questions(), key=kb.question_order):
        if parent in state.missing:
            parts.append(f"{parent} is not answered")
        elif parent not in state.asked:
            parts.append(f"{parent} is not asked")
        else:
            parts.append(f"{parent} is {_shown(state.effective[parent])}")
    return " and ".join(parts)


def _is_not_asked_default(question: Question, value: AnswerValue) -> bool:
    # "no" for yes/no questions, an empty list for multi, null for the others: what an
    # unasked question reads. (An empty text is an answer given, not the default.)
    if value is None:
        return True
    return question.type in ("yn", "ynu", "multi") and value == question.not_asked_value


def check_asked(
    answers: Mapping[str, AnswerValue],
    sex_at_birth: str,
    kb: KnowledgeBase,
    treatments: Iterable[str],
) -> None:
    """Refuse an answer to a question that was not asked (IntakeError naming the field).

    A question is not asked when its ``asked_when`` is false or none of the treatments it
    is asked for is planned. Its not-asked default ("no", an empty list, nothing) is
    accepted, since that is what the rules read anyway.
    """
    planned = frozenset(treatments)
    state = _walk(answers, sex_at_birth, kb, planned)
    asked = frozenset(state.asked)
    for question in kb.questions:
        if question.id in asked or question.id not in answers:
            continue
        if _is_not_asked_default(question, answers[question.id]):
            continue
        reason = _not_asked_reason(question, state, sex_at_birth, planned, kb)
        raise IntakeError(_field("answers", question.id), f"not asked, because {reason}")


def answer_state(intake: Intake, kb: KnowledgeBase) -> AnswerState:
    """The effective answers of a validated intake, and the asked questions left unanswered."""
    planned = frozenset(treatment.id for treatment in intake.treatments)
    return _walk(intake.answers, intake.patient.sex_at_birth, kb, planned)


def asked_questions(
    answers: Mapping[str, object],
    patient: Patient | str,
    kb: KnowledgeBase,
    treatments: Iterable[str],
) -> tuple[Question, ...]:
    """The questions to show, in order, given the answers so far and the planned treatments.

    ``answers`` may be partial and unvalidated (JSON values as the wizard holds them);
    ``patient`` is a :class:`Patient` or just the sex at birth; ``treatments`` are the ids
    of the planned treatments (a question asked only for others is not shown).
    """
    sex = patient.sex_at_birth if isinstance(patient, Patient) else patient
    state = _walk(answers, sex, kb, frozenset(treatments))
    return tuple(kb.question(question_id) for question_id in state.asked)
