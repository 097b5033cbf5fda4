"""The condition language: parsing, evaluation, wording, and the date helpers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from consult.domain.conditions import (
    AgeBelow,
    All,
    AnyOf,
    Contains,
    Equals,
    FactIn,
    Facts,
    HasRegenerativePlan,
    In,
    LotExpired,
    Not,
    Within,
    age_on,
    parse_condition,
    subtract_months,
)
from consult.domain.errors import ConditionError

ANSWERS: dict[str, Any] = {
    "pregnant": "unsure",
    "fitzpatrick_type": "IV",
    "allergies": ("egg", "latex"),
    "cancer_status": None,
    "isotretinoin_last_date": date(2026, 5, 21),
    "last_resurfacing_date": None,
}


def facts(**overrides: Any) -> Facts:
    values: dict[str, Any] = {
        "answers": ANSWERS,
        "sex_at_birth": "female",
        "consultation_date": date(2026, 11, 21),
        "age": 17,
        "jurisdiction": "GB",
        "qualification": "nurse",
        "treatment": "exosome",
        "route": "topical",
        "product_source": "plant",
        "has_regenerative_plan": False,
        "lot_expiry": None,
    }
    values.update(overrides)
    return Facts(**values)


# --- parsing -------------------------------------------------------------------------


def test_parse_every_form() -> None:
    data = {
        "all": [
            {"question": "pregnant", "equals": "unsure"},
            {"question": "fitzpatrick_type", "in": ["IV", "V"]},
            {"question": "allergies", "contains": ["latex"]},
            {"question": "isotretinoin_last_date", "within": {"months": 6}},
            {"any": [{"age_below": 18}, {"not": {"jurisdiction": ["US"]}}]},
            {"qualification": ["nurse"]},
            {"sex_at_birth": ["female"]},
            {"treatment": ["exosome"]},
            {"route": ["topical"]},
            {"product_source": ["plant"]},
            {"clinic_has_regenerative_plan": False},
            {"lot_expired": False},
        ]
    }
    condition = parse_condition(data)
    assert isinstance(condition, All)
    assert condition.items[0] == Equals("pregnant", "unsure")
    assert condition.items[1] == In("fitzpatrick_type", ("IV", "V"))
    assert condition.items[2] == Contains("allergies", ("latex",))
    assert condition.items[3] == Within("isotretinoin_last_date", 6, "months")
    assert condition.items[4] == AnyOf((AgeBelow(18), Not(FactIn("jurisdiction", ("US",)))))
    assert condition.items[10] == HasRegenerativePlan(False)
    assert condition.items[11] == LotExpired(False)
    assert condition.evaluate(facts())
    assert condition.questions() == {
        "pregnant",
        "fitzpatrick_type",
        "allergies",
        "isotretinoin_last_date",
    }
    assert len(list(condition.walk())) == 16


@pytest.mark.parametrize(
    ("data", "path", "words"),
    [
        (None, "condition", "expected a mapping"),
        ({}, "condition", "expected a mapping"),
        ([{"age_below": 1}], "condition", "expected a mapping"),
        ({"age_below": 18, "jurisdiction": ["GB"]}, "condition", "exactly one operator"),
        ({"frobnicate": 1}, "condition.frobnicate", "unknown operator"),
        ({"all": []}, "condition.all", "non-empty list of conditions"),
        ({"any": {"age_below": 1}}, "condition.any", "non-empty list of conditions"),
        ({"all": [{"age_below": 0}]}, "condition.all[0].age_below", "at least 1"),
        ({"not": {"age_below": True}}, "condition.not.age_below", "at least 1"),
        ({"age_below": "18"}, "condition.age_below", "whole number"),
        ({"jurisdiction": "GB"}, "condition.jurisdiction", "non-empty list of strings"),
        ({"jurisdiction": []}, "condition.jurisdiction", "non-empty list of strings"),
        ({"route": ["topical", 3]}, "condition.route[1]", "expected a string"),
        ({"route": ["topical", "topical"]}, "condition.route", "listed twice"),
        (
            {"clinic_has_regenerative_plan": "no"},
            "condition.clinic_has_regenerative_plan",
            "true or false",
        ),
        ({"lot_expired": 1}, "condition.lot_expired", "true or false"),
        ({"question": 3, "equals": "yes"}, "condition.question", "question id"),
        ({"question": "", "equals": "yes"}, "condition.question", "question id"),
        ({"question": "smoker"}, "condition", "exactly one of equals, in, contains, within"),
        ({"question": "smoker", "equals": "yes", "in": ["no"]}, "condition", "exactly one of"),
        ({"question": "smoker", "equals": True}, "condition.equals", "expected a string"),
        ({"question": "smoker", "in": "yes"}, "condition.in", "non-empty list"),
        ({"question": "allergies", "contains": []}, "condition.contains", "non-empty list"),
        ({"question": "x", "within": 6}, "condition.within", "days, weeks, months"),
        (
            {"question": "x", "within": {"days": 1, "weeks": 1}},
            "condition.within",
            "days, weeks, months",
        ),
        ({"question": "x", "within": {"years": 1}}, "condition.within", "unknown unit 'years'"),
        ({"question": "x", "within": {"days": 0}}, "condition.within.days", "at least 1"),
        ({"question": "x", "between": [1, 2]}, "condition.between", "unknown operator"),
    ],
)
def test_parse_errors_name_the_key_path(data: Any, path: str, words: str) -> None:
    with pytest.raises(ConditionError) as caught:
        parse_condition(data)
    assert caught.value.path == path
    assert words in caught.value.message
    assert str(caught.value).startswith(f"{path}: ")


# --- evaluation ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"question": "pregnant", "equals": "yes"}, False),
        ({"question": "pregnant", "equals": "unsure"}, True),
        ({"question": "fitzpatrick_type", "in": ["IV", "V", "VI"]}, True),
        ({"question": "fitzpatrick_type", "in": ["I"]}, False),
        ({"question": "cancer_status", "in": ["active"]}, False),
        ({"question": "allergies", "contains": ["other", "latex"]}, True),
        ({"question": "allergies", "contains": ["other"]}, False),
        ({"question": "pregnant", "contains": ["unsure"]}, False),  # not a list answer
        ({"question": "isotretinoin_last_date", "within": {"months": 6}}, True),
        ({"question": "isotretinoin_last_date", "within": {"weeks": 26}}, False),
        ({"question": "isotretinoin_last_date", "within": {"weeks": 27}}, True),
        ({"question": "isotretinoin_last_date", "within": {"days": 184}}, True),
        ({"question": "isotretinoin_last_date", "within": {"days": 183}}, False),
        ({"question": "last_resurfacing_date", "within": {"days": 1000}}, False),  # never
        ({"age_below": 18}, True),
        ({"age_below": 17}, False),
        ({"jurisdiction": ["GB", "EU"]}, True),
        ({"not": {"qualification": ["doctor"]}}, True),
        ({"treatment": ["prp"]}, False),
        ({"route": ["topical"]}, True),
        ({"product_source": ["human_allogeneic"]}, False),
        ({"sex_at_birth": ["female", "intersex"]}, True),
        ({"clinic_has_regenerative_plan": True}, False),
        ({"clinic_has_regenerative_plan": False}, True),
        ({"lot_expired": True}, False),
        ({"lot_expired": False}, True),
        ({"all": [{"age_below": 18}, {"jurisdiction": ["US"]}]}, False),
        ({"any": [{"age_below": 10}, {"jurisdiction": ["GB"]}]}, True),
        ({"any": [{"age_below": 10}, {"jurisdiction": ["US"]}]}, False),
    ],
)
def test_evaluate(data: dict[str, Any], expected: bool) -> None:
    assert parse_condition(data).evaluate(facts()) is expected


def test_lot_expired() -> None:
    expired = LotExpired(True)
    assert expired.evaluate(facts(lot_expiry=date(2026, 11, 20)))
    assert not expired.evaluate(facts(lot_expiry=date(2026, 11, 21)))
    assert not expired.evaluate(facts(lot_expiry=None))
    assert LotExpired(False).evaluate(facts(lot_expiry=date(2026, 11, 22)))


@pytest.mark.parametrize(
    ("condition", "what"),
    [
        (AgeBelow(18), "age"),
        (FactIn("jurisdiction", ("GB",)), "jurisdiction"),
        (FactIn("route", ("topical",)), "route"),
        (HasRegenerativePlan(True), "plan"),
        (LotExpired(True), "consultation date"),
        (Within("isotretinoin_last_date", 6, "months"), "consultation date"),
    ],
)
def test_missing_facts_raise_instead_of_guessing(condition: Any, what: str) -> None:
    bare = Facts(answers=ANSWERS, sex_at_birth="female")
    with pytest.raises(ValueError, match=what):
        condition.evaluate(bare)


def test_unknown_question_is_a_key_error_not_false() -> None:
    with pytest.raises(KeyError):
        Equals("nope", "yes").evaluate(facts())


# --- wording -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "text"),
    [
        ({"question": "pregnant", "equals": "yes"}, "pregnant is yes"),
        ({"not": {"question": "pregnant", "equals": "yes"}}, "pregnant is not yes"),
        ({"question": "fitzpatrick_type", "in": ["IV", "V"]}, "fitzpatrick_type is one of IV, V"),
        ({"not": {"question": "fitzpatrick_type", "in": ["IV"]}}, "fitzpatrick_type is not IV"),
        ({"question": "allergies", "contains": ["other"]}, "allergies includes other"),
        (
            {"question": "allergies", "contains": ["egg", "latex"]},
            "allergies includes any of egg, latex",
        ),
        ({"not": {"question": "allergies", "contains": ["egg"]}}, "allergies includes none of egg"),
        (
            {"question": "d", "within": {"months": 6}},
            "d is within 6 months before the consultation",
        ),
        ({"question": "d", "within": {"days": 1}}, "d is within 1 day before the consultation"),
        ({"question": "d", "within": {"weeks": 2}}, "d is within 2 weeks before the consultation"),
        (
            {"not": {"question": "d", "within": {"weeks": 2}}},
            "not (d is within 2 weeks before the consultation)",
        ),
        ({"age_below": 18}, "the patient is under 18"),
        ({"not": {"age_below": 18}}, "the patient is 18 or older"),
        ({"jurisdiction": ["GB"]}, "the jurisdiction is GB"),
        ({"not": {"qualification": ["doctor"]}}, "the practitioner's qualification is not doctor"),
        ({"not": {"not": {"route": ["topical"]}}}, "the route is topical"),
        (
            {"clinic_has_regenerative_plan": False},
            "the clinic has no registered regenerative-medicine plan number",
        ),
        (
            {"not": {"clinic_has_regenerative_plan": False}},
            "the clinic has a registered regenerative-medicine plan number",
        ),
        (
            {"lot_expired": True},
            "the product lot recorded for the treatment is past its expiry date",
        ),
        (
            {"not": {"lot_expired": True}},
            "the product lot recorded for the treatment is not past its expiry date",
        ),
        (
            {
                "all": [
                    {"age_below": 18},
                    {"any": [{"jurisdiction": ["GB"]}, {"jurisdiction": ["EU"]}]},
                ]
            },
            "the patient is under 18 and (the jurisdiction is GB or the jurisdiction is EU)",
        ),
        (
            {"any": [{"all": [{"age_below": 18}]}, {"route": ["medium"]}]},
            "the patient is under 18 or the route is medium",
        ),
        (
            {"not": {"all": [{"age_below": 18}, {"route": ["medium"]}]}},
            "not (the patient is under 18 and the route is medium)",
        ),
    ],
)
def test_describe(data: dict[str, Any], text: str) -> None:
    assert parse_condition(data).describe() == text


# --- dates ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 8, 31), 6, date(2026, 2, 28)),
        (date(2028, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 3, 31), 1, date(2026, 2, 28)),
        (date(2026, 1, 15), 1, date(2025, 12, 15)),
        (date(2026, 5, 31), 6, date(2025, 11, 30)),
        (date(2026, 11, 21), 6, date(2026, 5, 21)),
        (date(2026, 11, 21), 24, date(2024, 11, 21)),
        (date(2026, 12, 31), 12, date(2025, 12, 31)),
    ],
)
def test_subtract_months(day: date, months: int, expected: date) -> None:
    assert subtract_months(day, months) == expected


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2008, 11, 21), date(2026, 11, 20), 17),
        (date(2008, 11, 21), date(2026, 11, 21), 18),
        (date(2008, 2, 29), date(2026, 2, 28), 17),
        (date(2008, 2, 29), date(2026, 3, 1), 18),
        (date(2008, 2, 29), date(2028, 2, 29), 20),
        (date(2008, 12, 31), date(2026, 1, 1), 17),
        (date(2026, 1, 1), date(2026, 1, 1), 0),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age
