"""Bad intakes are errors that name the field, never a silent ``clear``."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from consult.domain.errors import IntakeError
from consult.domain.intake import parse_intake
from consult.domain.screening import screen_json
from tests.screening_support import intake, shipped


def _base() -> dict[str, Any]:
    return intake("exosome", "topical", "synthetic")


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[int(last) if last.isdigit() else last] = value

    return change


def _drop(path: str) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        target: Any = data
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        del target[last]

    return change


BAD: list[tuple[str, Callable[[dict[str, Any]], None], str, str]] = [
    # (name, change, field, words in the message)
    ("extra top-level field", _set("notes", "x"), "notes", "unknown field"),
    ("no patient", _drop("patient"), "patient", "required"),
    ("no consultation date", _drop("consultation_date"), "consultation_date", "required"),
    ("no jurisdiction", _drop("jurisdiction"), "jurisdiction", "required"),
    ("no practitioner", _drop("practitioner"), "practitioner", "required"),
    ("patient not an object", _set("patient", "Ann"), "patient", "expected an object"),
    ("patient extra field", _set("patient.name", "Ann"), "patient.name", "unknown field"),
    ("no date of birth", _drop("patient.date_of_birth"), "patient.date_of_birth", "required"),
    ("no sex", _drop("patient.sex_at_birth"), "patient.sex_at_birth", "required"),
    (
        "birth date not ISO",
        _set("patient.date_of_birth", "02/04/1990"),
        "patient.date_of_birth",
        "YYYY-MM-DD",
    ),
    (
        "birth date short",
        _set("patient.date_of_birth", "1990-4-2"),
        "patient.date_of_birth",
        "YYYY-MM-DD",
    ),
    (
        "birth date number",
        _set("patient.date_of_birth", 19900402),
        "patient.date_of_birth",
        "YYYY-MM-DD",
    ),
    (
        "birth date ISO week",
        _set("patient.date_of_birth", "2026-W01-1"),
        "patient.date_of_birth",
        "YYYY-MM-DD",
    ),
    (
        "impossible birth date",
        _set("patient.date_of_birth", "1990-02-30"),
        "patient.date_of_birth",
        "impossible date 1990-02-30",
    ),
    (
        "unknown sex",
        _set("patient.sex_at_birth", "f"),
        "patient.sex_at_birth",
        "expected one of female, male, intersex",
    ),
    (
        "impossible consultation date",
        _set("consultation_date", "2026-02-30"),
        "consultation_date",
        "impossible date",
    ),
    (
        "consultation 13th month",
        _set("consultation_date", "2026-13-01"),
        "consultation_date",
        "impossible date",
    ),
    (
        "born after the consultation",
        _set("patient.date_of_birth", "2026-11-22"),
        "patient.date_of_birth",
        "after the consultation date",
    ),
    (
        "unknown jurisdiction",
        _set("jurisdiction", "UK"),
        "jurisdiction",
        "expected one of GB, EU, US, JP, KR, CN, OTHER",
    ),
    ("lower-case jurisdiction", _set("jurisdiction", "gb"), "jurisdiction", "expected one of"),
    (
        "practitioner not an object",
        _set("practitioner", "doctor"),
        "practitioner",
        "expected an object",
    ),
    (
        "no qualification",
        _drop("practitioner.qualification"),
        "practitioner.qualification",
        "required",
    ),
    (
        "unknown qualification",
        _set("practitioner.qualification", "surgeon"),
        "practitioner.qualification",
        "doctor, dentist, nurse_prescriber, nurse, aesthetician",
    ),
    (
        "practitioner extra field",
        _set("practitioner.name", "Dr X"),
        "practitioner.name",
        "unknown field",
    ),
    ("clinic not an object", _set("clinic", "x"), "clinic", "expected an object"),
    ("clinic extra field", _set("clinic.name", "x"), "clinic.name", "unknown field"),
    (
        "plan a boolean",
        _set("clinic.regenerative_medicine_plan", True),
        "clinic.regenerative_medicine_plan",
        "plan number",
    ),
    (
        "plan a list",
        _set("clinic.regenerative_medicine_plan", ["1"]),
        "clinic.regenerative_medicine_plan",
        "plan number",
    ),
    ("no treatments", _drop("treatments"), "treatments", "non-empty list"),
    ("empty treatments", _set("treatments", []), "treatments", "non-empty list"),
    ("treatments not a list", _set("treatments", {"id": "prp"}), "treatments", "non-empty list"),
    (
        "treatment not an object",
        _set("treatments.0", "exosome"),
        "treatments[0]",
        "expected an object",
    ),
    ("treatment without id", _drop("treatments.0.id"), "treatments[0].id", "required"),
    (
        "treatment extra field",
        _set("treatments.0.site", "face"),
        "treatments[0].site",
        "unknown field",
    ),
    (
        "unknown treatment",
        _set("treatments.0.id", "botox"),
        "treatments[0].id",
        "expected one of exosome",
    ),
    (
        "unknown route",
        _set("treatments.0.route", "oral"),
        "treatments[0].route",
        "expected one of topical, microneedling, intradermal",
    ),
    (
        "route of another treatment",
        _set("treatments.0.route", "intravenous"),
        "treatments[0].route",
        "expected one of",
    ),
    (
        "route left out where there is a choice",
        _drop("treatments.0.route"),
        "treatments[0].route",
        "required for exosome",
    ),
    (
        "route null where there is a choice",
        _set("treatments.0.route", None),
        "treatments[0].route",
        "required for exosome",
    ),
    (
        "source left out where there is a choice",
        _drop("treatments.0.product_source"),
        "treatments[0].product_source",
        "required for exosome",
    ),
    (
        "unknown source",
        _set("treatments.0.product_source", "bovine"),
        "treatments[0].product_source",
        "synthetic, plant, human_allogeneic, animal",
    ),
    (
        "impossible lot expiry",
        _set("treatments.0.lot_expiry", "2026-02-30"),
        "treatments[0].lot_expiry",
        "impossible date",
    ),
    (
        "lot expiry month only",
        _set("treatments.0.lot_expiry", "2026-02"),
        "treatments[0].lot_expiry",
        "YYYY-MM-DD",
    ),
    ("answers not an object", _set("answers", ["pregnant"]), "answers", "expected an object"),
    ("unknown question", _set("answers.pregnent", "no"), "answers.pregnent", "unknown question"),
    (
        "ynu wrong value",
        _set("answers.pregnant", "maybe"),
        "answers.pregnant",
        "expected one of yes, no, unsure",
    ),
    (
        "ynu boolean",
        _set("answers.pregnant", False),
        "answers.pregnant",
        "expected one of yes, no, unsure",
    ),
    (
        "ynu capitalised",
        _set("answers.pregnant", "No"),
        "answers.pregnant",
        "expected one of yes, no, unsure",
    ),
    (
        "unsure for a yes/no question",
        _set("answers.breastfeeding", "unsure"),
        "answers.breastfeeding",
        "expected one of yes, no",
    ),
    ("yn number", _set("answers.smoker", 0), "answers.smoker", "expected one of yes, no"),
    (
        "one wrong value",
        _set("answers.fitzpatrick_type", "VII"),
        "answers.fitzpatrick_type",
        "expected one of I, II, III, IV, V, VI",
    ),
    (
        "one as a list",
        _set("answers.fitzpatrick_type", ["IV"]),
        "answers.fitzpatrick_type",
        "expected one of",
    ),
    (
        "multi not a list",
        _set("answers.anticoagulants", "warfarin"),
        "answers.anticoagulants",
        "expected a list",
    ),
    (
        "multi unknown value",
        _set("answers.anticoagulants", ["warfarin", "coumadin"]),
        "answers.anticoagulants[1]",
        "expected one of warfarin",
    ),
    ("multi non-string", _set("answers.allergies", [1]), "answers.allergies[0]", "expected one of"),
    (
        "multi duplicate",
        _set("answers.allergies", ["egg", "egg"]),
        "answers.allergies",
        "listed twice",
    ),
    (
        "date not ISO",
        _set("answers.isotretinoin_last_date", "last year"),
        "answers.isotretinoin_last_date",
        "YYYY-MM-DD",
    ),
    (
        "impossible answer date",
        _set("answers.isotretinoin_last_date", "2026-02-30"),
        "answers.isotretinoin_last_date",
        "impossible date 2026-02-30",
    ),
    (
        "date as a number",
        _set("answers.last_resurfacing_date", 20260101),
        "answers.last_resurfacing_date",
        "YYYY-MM-DD",
    ),
    (
        "text not a string",
        _set("answers.allergies_other", ["x"]),
        "answers.allergies_other",
        "expected text",
    ),
]


@pytest.mark.parametrize(("name", "change", "field", "words"), BAD, ids=[b[0] for b in BAD])
def test_bad_intake_names_the_field(name, change, field, words) -> None:
    data = copy.deepcopy(_base())
    change(data)
    with pytest.raises(IntakeError) as caught:
        screen_json(data, shipped())
    assert caught.value.field == field
    assert words in caught.value.message
    assert str(caught.value) == f"{field}: {caught.value.message}"


@pytest.mark.parametrize("value", [None, [], "intake", 3])
def test_intake_must_be_an_object(value) -> None:
    with pytest.raises(IntakeError, match=r"^intake: expected an object$"):
        parse_intake(value, shipped())


def test_source_given_for_a_treatment_without_sources() -> None:
    data = intake("botulinum_toxin")
    data["treatments"][0]["product_source"] = "synthetic"
    with pytest.raises(IntakeError) as caught:
        parse_intake(data, shipped())
    assert caught.value.field == "treatments[0].product_source"
    assert "botulinum_toxin has no product source" in str(caught.value)


def test_the_only_source_may_be_given_or_left_out() -> None:
    kb = shipped()
    given = intake("stem_cell_supernatant", "intranasal", "human_allogeneic")
    omitted = intake("stem_cell_supernatant", "intranasal")
    assert parse_intake(given, kb) == parse_intake(omitted, kb)
    wrong = intake("stem_cell_supernatant", "intranasal", "synthetic")
    with pytest.raises(
        IntakeError, match=r"treatments\[0\]\.product_source: expected one of human_allogeneic"
    ):
        parse_intake(wrong, kb)


def test_null_clinic_and_null_route_where_there_is_one() -> None:
    data = intake("botulinum_toxin")
    data["clinic"] = None
    data["treatments"] = [{"id": "botulinum_toxin", "route": None, "product_source": None}]
    parsed = parse_intake(data, shipped())
    assert parsed.treatments[0].route == "intramuscular"
    assert parsed.regenerative_medicine_plan is None


def test_second_treatment_error_names_its_index() -> None:
    data = intake(
        treatments=[{"id": "prp", "route": "injection"}, {"id": "prp", "route": "topical"}]
    )
    with pytest.raises(IntakeError, match=r"^treatments\[1\]\.route: "):
        parse_intake(data, shipped())


def test_answers_to_questions_not_asked_are_still_type_checked() -> None:
    data = intake("botulinum_toxin", sex="male", answers={"pregnant": "perhaps"})
    with pytest.raises(IntakeError, match=r"answers\.pregnant"):
        parse_intake(data, shipped())


@pytest.mark.parametrize(
    ("where", "key", "field"),
    [
        (None, "", '[""]'),
        (None, "two words", '["two words"]'),
        ("answers", "line\nbreak", 'answers["line\\nbreak"]'),
        ("answers", 5, "answers[5]"),
        ("patient", "é", 'patient["\\u00e9"]'),
    ],
)
def test_odd_keys_are_quoted_in_the_field(where, key, field) -> None:
    data = _base()
    (data if where is None else data[where])[key] = "x"
    with pytest.raises(IntakeError) as caught:
        parse_intake(data, shipped())
    assert caught.value.field == field
    assert "\n" not in str(caught.value)
