"""A small declarative condition language for screening rules and questionnaire logic.

Conditions are data (a mapping with one operator key) parsed into typed, immutable nodes;
nothing is ever ``eval``-ed. The forms are::

    {all: [C, ...]}   {any: [C, ...]}   {not: C}
    {question: Q, equals: V}            the answer to Q is V
    {question: Q, in: [V, ...]}         the answer to Q is one of the values
    {question: Q, contains: [V, ...]}   the (multi) answer to Q includes any of the values
    {question: Q, within: {months: N}}  the date answer to Q is on or after the consultation
                                        date minus N months (or ``days`` / ``weeks``)
    {asked: Q}                          Q was asked (a question not asked reads as "no",
                                        so a rule on an actual "no" needs this as well)
    {age_below: N}                      whole years on the consultation date, below N
    {jurisdiction: [..]} {qualification: [..]} {sex_at_birth: [..]}
    {treatment: [..]} {route: [..]} {product_source: [..]}
    {clinic_has_regenerative_plan: true|false}
    {lot_expired: true|false}           the product lot recorded is past its expiry date

The parser checks the shape only; whether the question ids and values exist is the
knowledge loader's job, because only it knows the questionnaire.
"""

from __future__ import annotations

import calendar
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, TypeVar

from consult.domain.errors import ConditionError

AnswerValue = str | tuple[str, ...] | date | None
"""An answer as the engine sees it: yn/ynu/one/text -> str (one may be None),
multi -> tuple of values, date -> date or None."""

DateUnit = Literal["days", "weeks", "months"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Facts:
    """Everything a condition may read.

    ``answers`` holds the *effective* answer to every question (a question not asked
    counts as "no" / empty). Questionnaire logic (``asked_when``) only knows the answers
    and the sex at birth; the other facts are None there, and a condition that needs one
    of them raises instead of guessing.
    """

    answers: Mapping[str, AnswerValue]
    sex_at_birth: str
    consultation_date: date | None = None
    age: int | None = None
    jurisdiction: str | None = None
    qualification: str | None = None
    treatment: str | None = None
    route: str | None = None
    product_source: str | None = None
    has_regenerative_plan: bool | None = None
    lot_expiry: date | None = None
    asked: frozenset[str] | None = None


def _need(value: _T | None, what: str) -> _T:
    # A missing fact is a programming error (a rule evaluated without its context), never
    # a quiet "false".
    if value is None:
        raise ValueError(f"this condition needs the {what}, which was not given")
    return value


def subtract_months(day: date, months: int) -> date:
    """``day`` minus whole calendar months, clamped to the end of a shorter month.

    31 August minus 6 months is 28 (or 29) February.
    """
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def age_on(date_of_birth: date, on: date) -> int:
    """Whole years from ``date_of_birth`` to ``on``.

    Someone born on 29 February becomes a year older on 1 March in a common year.
    """
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)


def _words(values: tuple[str, ...]) -> str:
    return values[0] if len(values) == 1 else "one of " + ", ".join(values)


class Condition(ABC):
    """A node of a condition tree."""

    __slots__ = ()

    @abstractmethod
    def evaluate(self, facts: Facts) -> bool:
        """Whether the condition holds for these facts."""

    def evaluate_open(self, facts: Facts, unknown: frozenset[str]) -> bool | None:
        """Three-valued evaluation: None when the outcome depends on an unknown answer.

        ``unknown`` names questions whose answers are not known yet (the follow-up
        questions an answer would open); a test of one of them is neither true nor false,
        and ``all``/``any``/``not`` combine such results as Kleene's logic does.
        """
        return self.evaluate(facts)

    @abstractmethod
    def describe(self) -> str:
        """The condition in plain English, for the knowledge report."""

    def describe_negated(self) -> str:
        """The negation in plain English; leaves override this to read naturally."""
        return f"not ({self.describe()})"

    def children(self) -> tuple[Condition, ...]:
        """The direct sub-conditions (none for a leaf)."""
        return ()

    def walk(self) -> Iterator[Condition]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children():
            yield from child.walk()

    def questions(self) -> frozenset[str]:
        """The ids of every question this condition reads."""
        return frozenset(node.question for node in self.walk() if isinstance(node, QuestionTest))


def _grouped(node: Condition) -> str:
    text = node.describe()
    return f"({text})" if isinstance(node, All | AnyOf) and len(node.items) > 1 else text


@dataclass(frozen=True, slots=True)
class All(Condition):
    """Every sub-condition holds."""

    items: tuple[Condition, ...]

    def evaluate(self, facts: Facts) -> bool:
        return all(item.evaluate(facts) for item in self.items)

    def evaluate_open(self, facts: Facts, unknown: frozenset[str]) -> bool | None:
        results = [item.evaluate_open(facts, unknown) for item in self.items]
        if False in results:
            return False
        return None if None in results else True

    def describe(self) -> str:
        return " and ".join(_grouped(item) for item in self.items)

    def children(self) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class AnyOf(Condition):
    """At least one sub-condition holds."""

    items: tuple[Condition, ...]

    def evaluate(self, facts: Facts) -> bool:
        return any(item.evaluate(facts) for item in self.items)

    def evaluate_open(self, facts: Facts, unknown: frozenset[str]) -> bool | None:
        results = [item.evaluate_open(facts, unknown) for item in self.items]
        if True in results:
            return True
        return None if None in results else False

    def describe(self) -> str:
        return " or ".join(_grouped(item) for item in self.items)

    def children(self) -> tuple[Condition, ...]:
        return self.items


@dataclass(frozen=True, slots=True)
class Not(Condition):
    """The sub-condition does not hold."""

    item: Condition

    def evaluate(self, facts: Facts) -> bool:
        return not self.item.evaluate(facts)

    def evaluate_open(self, facts: Facts, unknown: frozenset[str]) -> bool | None:
        result = self.item.evaluate_open(facts, unknown)
        return None if result is None else not result

    def describe(self) -> str:
        return self.item.describe_negated()

    def describe_negated(self) -> str:
        return self.item.describe()

    def children(self) -> tuple[Condition, ...]:
        return (self.item,)


class QuestionTest(Condition):
    """A leaf that reads the answer to one question."""

    __slots__ = ()
    question: str

    def evaluate_open(self, facts: Facts, unknown: frozenset[str]) -> bool | None:
        return None if self.question in unknown else self.evaluate(facts)


@dataclass(frozen=True, slots=True)
class Equals(QuestionTest):
    """The answer is exactly one value."""

    question: str
    value: str

    def evaluate(self, facts: Facts) -> bool:
        return facts.answers[self.question] == self.value

    def describe(self) -> str:
        return f"{self.question} is {self.value}"

    def describe_negated(self) -> str:
        return f"{self.question} is not {self.value}"


@dataclass(frozen=True, slots=True)
class In(QuestionTest):
    """The answer is one of several values."""

    question: str
    values: tuple[str, ...]

    def evaluate(self, facts: Facts) -> bool:
        return facts.answers[self.question] in self.values

    def describe(self) -> str:
        return f"{self.question} is {_words(self.values)}"

    def describe_negated(self) -> str:
        return f"{self.question} is not {_words(self.values)}"


@dataclass(frozen=True, slots=True)
class Contains(QuestionTest):
    """A multiple-choice answer includes any of the values."""

    question: str
    values: tuple[str, ...]

    def evaluate(self, facts: Facts) -> bool:
        answer = facts.answers[self.question]
        return isinstance(answer, tuple) and any(value in answer for value in self.values)

    def describe(self) -> str:
        if len(self.values) == 1:
            return f"{self.question} includes {self.values[0]}"
        return f"{self.question} includes any of {', '.join(self.values)}"

    def describe_negated(self) -> str:
        return f"{self.question} includes none of {', '.join(self.values)}"


@dataclass(frozen=True, slots=True)
class Within(QuestionTest):
    """A date answer is on or after the consultation date minus an interval."""

    question: str
    amount: int
    unit: DateUnit

    def cutoff(self, consultation_date: date) -> date:
        """The earliest date that still counts as within the interval."""
        if self.unit == "months":
            return subtract_months(consultation_date, self.amount)
        days = self.amount * 7 if self.unit == "weeks" else self.amount
        return consultation_date - timedelta(days=days)

    def evaluate(self, facts: Facts) -> bool:
        answer = facts.answers[self.question]
        if not isinstance(answer, date):
            return False  # null means never
        return answer >= self.cutoff(_need(facts.consultation_date, "consultation date"))

    def describe(self) -> str:
        unit = self.unit[:-1] if self.amount == 1 else self.unit
        return f"{self.question} is within {self.amount} {unit} before the consultation"


@dataclass(frozen=True, slots=True)
class Asked(QuestionTest):
    """The question was asked in this consultation (its asked_when held, and it is asked
    for a planned treatment)."""

    question: str

    def evaluate(self, facts: Facts) -> bool:
        return self.question in _need(facts.asked, "questions asked")

    def describe(self) -> str:
        return f"{self.question} was asked"

    def describe_negated(self) -> str:
        return f"{self.question} was not asked"


@dataclass(frozen=True, slots=True)
class AgeBelow(Condition):
    """The patient's age in whole years on the consultation date is below a limit."""

    years: int

    def evaluate(self, facts: Facts) -> bool:
        return _need(facts.age, "patient's age") < self.years

    def describe(self) -> str:
        return f"the patient is under {self.years}"

    def describe_negated(self) -> str:
        return f"the patient is {self.years} or older"


_FACT_WORDS: dict[str, str] = {
    "jurisdiction": "the jurisdiction",
    "qualification": "the practitioner's qualification",
    "sex_at_birth": "the sex at birth",
    "treatment": "the treatment",
    "route": "the route",
    "product_source": "the product source",
}

FactName = Literal[
    "jurisdiction", "qualification", "sex_at_birth", "treatment", "route", "product_source"
]


@dataclass(frozen=True, slots=True)
class FactIn(Condition):
    """A fact of the consultation (jurisdiction, qualification …) is one of some values."""

    fact: FactName
    values: tuple[str, ...]

    def evaluate(self, facts: Facts) -> bool:
        value: str | None = getattr(facts, self.fact)
        return _need(value, _FACT_WORDS[self.fact]) in self.values

    def describe(self) -> str:
        return f"{_FACT_WORDS[self.fact]} is {_words(self.values)}"

    def describe_negated(self) -> str:
        return f"{_FACT_WORDS[self.fact]} is not {_words(self.values)}"


@dataclass(frozen=True, slots=True)
class HasRegenerativePlan(Condition):
    """The clinic has (or, with ``expected`` false, has not) a registered plan number."""

    expected: bool

    def evaluate(self, facts: Facts) -> bool:
        return _need(facts.has_regenerative_plan, "clinic's plan") is self.expected

    def describe(self) -> str:
        has = "has a" if self.expected else "has no"
        return f"the clinic {has} registered regenerative-medicine plan number"

    def describe_negated(self) -> str:
        return HasRegenerativePlan(not self.expected).describe()


@dataclass(frozen=True, slots=True)
class LotExpired(Condition):
    """The product lot recorded for the treatment is past its expiry date.

    A lot is usable up to and including its expiry date; no lot recorded is not expired.
    """

    expected: bool

    def evaluate(self, facts: Facts) -> bool:
        today = _need(facts.consultation_date, "consultation date")
        expired = facts.lot_expiry is not None and today > facts.lot_expiry
        return expired is self.expected

    def describe(self) -> str:
        verb = "is" if self.expected else "is not"
        return f"the product lot recorded for the treatment {verb} past its expiry date"

    def describe_negated(self) -> str:
        return LotExpired(not self.expected).describe()


_FACTS: dict[str, FactName] = {
    "jurisdiction": "jurisdiction",
    "qualification": "qualification",
    "sex_at_birth": "sex_at_birth",
    "treatment": "treatment",
    "route": "route",
    "product_source": "product_source",
}
_UNITS: tuple[DateUnit, ...] = ("days", "weeks", "months")


def _strings(value: object, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise ConditionError(path, "expected a non-empty list of strings")
    for index, item in enumerate(value):
        if not isinstance(item, str):
            raise ConditionError(f"{path}[{index}]", "expected a string")
    if len(set(value)) != len(value):
        raise ConditionError(path, "a value is listed twice")
    return tuple(value)


def _positive_int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConditionError(path, "expected a whole number of at least 1")
    return value


def _flag(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise ConditionError(path, "expected true or false")
    return value


def _parse_question(data: Mapping[str, object], path: str) -> Condition:
    question = data["question"]
    if not isinstance(question, str) or not question:
        raise ConditionError(f"{path}.question", "expected a question id")
    operators = sorted(set(data) - {"question"})
    if len(operators) != 1:
        raise ConditionError(
            path, "a question test needs exactly one of equals, in, contains, within"
        )
    operator = operators[0]
    value = data[operator]
    where = f"{path}.{operator}"
    if operator == "equals":
        if not isinstance(value, str):
            raise ConditionError(where, "expected a string")
        return Equals(question, value)
    if operator == "in":
        return In(question, _strings(value, where))
    if operator == "contains":
        return Contains(question, _strings(value, where))
    if operator == "within":
        if not isinstance(value, Mapping) or len(value) != 1:
            raise ConditionError(where, "expected one of days, weeks, months with a number")
        ((unit, amount),) = value.items()
        if unit not in _UNITS:
            raise ConditionError(where, f"unknown unit {unit!r} (expected days, weeks, months)")
        return Within(question, _positive_int(amount, f"{where}.{unit}"), unit)
    raise ConditionError(where, "unknown operator (expected equals, in, contains, within)")


def parse_condition(data: object, path: str = "condition") -> Condition:
    """Parse a condition from data (a mapping); raise ConditionError naming the key path."""
    if not isinstance(data, Mapping) or not data:
        raise ConditionError(path, "expected a mapping with one operator")
    if "question" in data:
        return _parse_question(data, path)
    if len(data) != 1:
        raise ConditionError(path, f"expected exactly one operator, got {', '.join(data)}")
    ((key, value),) = data.items()
    where = f"{path}.{key}"
    if key in ("all", "any"):
        if not isinstance(value, list) or not value:
            raise ConditionError(where, "expected a non-empty list of conditions")
        items = tuple(parse_condition(item, f"{where}[{i}]") for i, item in enumerate(value))
        return All(items) if key == "all" else AnyOf(items)
    if key == "not":
        return Not(parse_condition(value, where))
    if key == "age_below":
        return AgeBelow(_positive_int(value, where))
    if key == "asked":
        if not isinstance(value, str) or not value:
            raise ConditionError(where, "expected a question id")
        return Asked(value)
    fact = _FACTS.get(key)
    if fact is not None:
        return FactIn(fact, _strings(value, where))
    if key == "clinic_has_regenerative_plan":
        return HasRegenerativePlan(_flag(value, where))
    if key == "lot_expired":
        return LotExpired(_flag(value, where))
    raise ConditionError(where, "unknown operator")
