"""Input with no silent guessing (second edition): an intake that contradicts itself is an
error that names the field; strict JSON reading (duplicate keys, BOM, depth, size)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest

from consult.domain.conditions import Asked, Facts, Not, parse_condition
from consult.domain.errors import ConditionError, IntakeError
from consult.domain.intake import check_asked, parse_intake
from consult.domain.knowledge_model import Choice, KnowledgeBase, Question
from consult.domain.screening import screen
from consult.domain.strict_json import MAX_BYTES, StrictJSONError, decode, loads
from consult.knowledge.loader import load_knowledge
from tests.screening_support import NEUTRAL, cancer, intake, only, shipped

TODAY = dt.date(2026, 11, 21)


def refused(data: dict[str, Any], field: str, words: str, today: dt.date = TODAY) -> str:
    with pytest.raises(IntakeError) as caught:
        parse_intake(data, shipped(), today)
    assert caught.value.field == field, str(caught.value)
    assert words in caught.value.message, str(caught.value)
    return str(caught.value)


# --- answers to questions that were not asked ------------------------------------------


def test_follow_up_of_a_no_names_the_field_and_the_reason() -> None:
    data = intake("exosome", "topical", "synthetic", {"cancer_types": ["melanoma"]})
    message = refused(data, "answers.cancer_types", 'not asked, because cancer_history is "no"')
    assert message == 'answers.cancer_types: not asked, because cancer_history is "no"'


def test_pregnancy_answer_for_a_male_patient() -> None:
    data = intake("botulinum_toxin", answers={"pregnant": "yes"}, sex="male")
    refused(data, "answers.pregnant", 'not asked, because sex_at_birth is "male"')
    data = intake("botulinum_toxin", answers={"trying_to_conceive": "yes"}, sex="male")
    refused(data, "answers.trying_to_conceive", "sex_at_birth")


def test_unsure_to_pregnancy_for_a_male_patient() -> None:
    data = intake("ha_filler", answers={"pregnant": "unsure"}, sex="male")
    refused(data, "answers.pregnant", "not asked")


def test_question_asked_only_for_another_treatment() -> None:
    data = intake("botulinum_toxin", answers={"g6pd_deficiency": "yes"})
    refused(
        data,
        "answers.g6pd_deficiency",
        "not asked, because it is asked only for iv_vitamin_c, which is not planned",
    )
    data = intake("ha_filler", answers={"diabetes": "yes"})
    refused(data, "answers.diabetes", "iv_vitamin_c")


def test_follow_up_of_an_unanswered_or_unasked_question() -> None:
    data = intake("iv_vitamin_c", answers={"g6pd_test_normal": "yes"})
    del data["answers"]["g6pd_deficiency"]
    refused(data, "answers.g6pd_test_normal", "g6pd_deficiency is not answered")
    data = intake("prp", "injection", answers={"g6pd_test_normal": "yes"})
    refused(data, "answers.g6pd_test_normal", "asked only for iv_vitamin_c")


def test_follow_up_of_an_other_allergy_and_autoimmune_no() -> None:
    refused(
        intake("ha_filler", answers={"allergies_other": "penicillin"}),
        "answers.allergies_other",
        "allergies is []",
    )
    refused(
        intake("ha_filler", answers={"autoimmune_status": "flare"}),
        "answers.autoimmune_status",
        'autoimmune_disease is "no"',
    )


@pytest.mark.parametrize(
    ("question", "value"),
    [
        ("cancer_types", []),
        ("cancer_status", None),
        ("cancer_last_treatment_date", None),
        ("allergies_other", None),
        ("autoimmune_status", None),
    ],
)
def test_the_not_asked_default_is_accepted(question: str, value: Any) -> None:
    assert only(intake("ha_filler", answers={question: value})).outcome == "clear"


def test_an_empty_text_for_a_question_not_asked_is_an_answer_given() -> None:
    data = intake("ha_filler", answers={"allergies_other": ""})
    refused(data, "answers.allergies_other", "not asked")


def test_no_to_questions_asked_for_other_treatments_is_accepted() -> None:
    answers = {"g6pd_deficiency": "no", "kidney_disease": "no", "diabetes": "no"}
    assert only(intake("botulinum_toxin", answers=answers)).outcome == "clear"


def test_check_asked_is_what_the_services_call() -> None:
    kb = shipped()
    check_asked({"cancer_history": "yes", "cancer_types": ("breast",)}, "female", kb, ["prp"])
    with pytest.raises(IntakeError, match=r"answers\.cancer_types: not asked"):
        check_asked({"cancer_history": "no", "cancer_types": ("breast",)}, "female", kb, ["prp"])
    with pytest.raises(IntakeError, match=r"answers\.diabetes"):
        check_asked({"diabetes": "yes"}, "female", kb, ["prp"])
    check_asked({"diabetes": "yes"}, "female", kb, ["prp", "iv_vitamin_c"])


# --- dates --------------------------------------------------------------------------


def test_date_answer_after_the_consultation() -> None:
    data = intake("microneedling", answers={"isotretinoin_last_date": "2026-11-22"})
    refused(data, "answers.isotretinoin_last_date", "after the consultation date")
    same_day = intake("microneedling", answers={"isotretinoin_last_date": "2026-11-21"})
    assert "microneedling-isotretinoin" in {f.rule for f in only(same_day).findings}


def test_date_answer_before_the_birth() -> None:
    answers = {**cancer(["breast"]), "cancer_last_treatment_date": "1986-05-09"}
    data = intake("ha_filler", answers=answers, born="1986-05-10")
    refused(data, "answers.cancer_last_treatment_date", "before the date of birth")
    answers["cancer_last_treatment_date"] = "1986-05-10"
    assert only(intake("ha_filler", answers=answers, born="1986-05-10")).outcome == "clear"


def test_age_120_or_more_is_a_typing_error() -> None:
    refused(
        intake("botulinum_toxin", born="1906-11-21"),
        "patient.date_of_birth",
        "120 or older",
    )
    assert only(intake("botulinum_toxin", born="1906-11-22")).outcome == "clear"  # 119


def test_consultation_more_than_366_days_after_today() -> None:
    data = intake("botulinum_toxin", on="2027-11-23")
    refused(data, "consultation_date", "more than 366 days after today (2026-11-21)")
    parse_intake(intake("botulinum_toxin", on="2027-11-22"), shipped(), TODAY)  # 366 days


def test_today_defaults_to_the_machines_date() -> None:
    far = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    with pytest.raises(IntakeError, match="more than 366 days after today"):
        parse_intake(intake("botulinum_toxin", on=far), shipped())


# --- treatments ---------------------------------------------------------------------


def test_the_same_treatment_and_route_twice_is_refused_whatever_the_source() -> None:
    treatments = [
        {"id": "exosome", "route": "topical", "product_source": "synthetic"},
        {"id": "exosome", "route": "topical", "product_source": "plant"},
    ]
    refused(intake(treatments=treatments), "treatments[1]", "already planned")
    refused(
        intake(treatments=[{"id": "botulinum_toxin"}, {"id": "botulinum_toxin"}]),
        "treatments[1]",
        "botulinum_toxin by the intramuscular route is already planned",
    )


def test_one_treatment_by_two_routes_is_two_treatments() -> None:
    treatments = [
        {"id": "exosome", "route": "topical", "product_source": "synthetic"},
        {"id": "exosome", "route": "microneedling", "product_source": "synthetic"},
    ]
    parsed = parse_intake(intake(treatments=treatments), shipped(), TODAY)
    assert [t.route for t in parsed.treatments] == ["topical", "microneedling"]


# --- strict JSON --------------------------------------------------------------------


def test_duplicate_keys_are_refused_at_any_depth_even_with_equal_values() -> None:
    with pytest.raises(StrictJSONError, match='the key "a" appears twice'):
        loads('{"a": 1, "a": 1}')
    with pytest.raises(StrictJSONError, match='"pregnant" appears twice'):
        loads('{"answers": {"pregnant": "no", "pregnant": "yes"}}')
    with pytest.raises(StrictJSONError, match='"id" appears twice'):
        loads('{"treatments": [{"id": "prp", "id": "prp"}]}')


def test_byte_order_mark_is_accepted() -> None:
    text = json.dumps(intake("botulinum_toxin"))
    assert loads("\ufeff" + text) == json.loads(text)
    assert decode(b"\xef\xbb\xbf" + text.encode()) == text


def test_nesting_limit_is_64() -> None:
    assert loads("[" * 64 + "]" * 64) is not None
    with pytest.raises(StrictJSONError, match="nested more than 64 levels deep"):
        loads("[" * 65 + "]" * 65)
    # Brackets inside strings do not count; escaped quotes do not end a string.
    assert loads('["' + "[" * 100 + '\\"{"]') == ["[" * 100 + '"{']
    with pytest.raises(StrictJSONError, match="line 2, column 65"):
        loads("\n" + "{" * 0 + "[" * 65 + "]" * 65)


def test_size_limit_is_one_mebibyte() -> None:
    with pytest.raises(StrictJSONError, match="1 MiB"):
        decode(b" " * (MAX_BYTES + 1))
    with pytest.raises(StrictJSONError, match="1 MiB"):
        loads(" " * MAX_BYTES + "1")
    assert loads(" " * (MAX_BYTES - 1) + "1") == 1


def test_bad_json_and_bad_bytes() -> None:
    with pytest.raises(StrictJSONError, match="invalid JSON at line 1, column 2"):
        loads("{")
    with pytest.raises(StrictJSONError, match="not UTF-8"):
        decode(b"\xff\xfe{}")


# --- the reasons, on knowledge bases shaped otherwise -------------------------------


def _with_questions(*changed: Question) -> KnowledgeBase:
    kb = shipped()
    by_id = {question.id: question for question in changed}
    questions = [by_id.pop(q.id, q) for q in kb.questions]
    return dataclasses.replace(kb, questions=(*questions, *by_id.values()))


def test_reason_names_every_treatment_a_question_is_asked_for() -> None:
    diabetes = dataclasses.replace(
        shipped().question("diabetes"), asked_for=frozenset({"iv_vitamin_c", "prp"})
    )
    kb = _with_questions(diabetes)
    with pytest.raises(IntakeError) as caught:
        check_asked({"diabetes": "yes"}, "female", kb, ["ha_filler"])
    assert caught.value.message == (
        "not asked, because it is asked only for iv_vitamin_c, prp, none of which is planned"
    )
    check_asked({"diabetes": "yes"}, "female", kb, ["prp"])


def test_reason_for_a_follow_up_of_a_question_not_asked() -> None:
    stage = Question(
        id="melanoma_stage",
        type="one",
        label="Which stage?",
        section="medical_history",
        values=(Choice("early", "Early"),),
        asked_when=parse_condition({"question": "cancer_types", "contains": ["melanoma"]}),
    )
    kb = _with_questions(stage)
    with pytest.raises(IntakeError) as caught:
        check_asked({"cancer_history": "no", "melanoma_stage": "early"}, "male", kb, ["prp"])
    assert caught.value.message == "not asked, because cancer_types is not asked"


def test_asked_condition() -> None:
    asked = parse_condition({"asked": "g6pd_test_normal"})
    assert asked == Asked("g6pd_test_normal")
    assert asked.describe() == "g6pd_test_normal was asked"
    assert Not(asked).describe() == "g6pd_test_normal was not asked"
    assert asked.questions() == {"g6pd_test_normal"}
    with pytest.raises(ConditionError, match="expected a question id"):
        parse_condition({"asked": ""})
    with pytest.raises(ValueError, match="questions asked"):
        asked.evaluate(Facts(answers={}, sex_at_birth="female"))


def test_g6pd_test_rule_fires_only_on_an_actual_no() -> None:
    # With G6PD deficiency "yes" the test question is not asked: its "no" default must
    # not fire the rule (the absolute G6PD rule fires instead).
    result = only(intake("iv_vitamin_c", answers={"g6pd_deficiency": "yes"}))
    assert {f.rule for f in result.findings} == {"ivc-g6pd"}
    result = only(intake("iv_vitamin_c", answers={"g6pd_test_normal": "no"}))
    assert {f.rule for f in result.findings} == {"ivc-g6pd-test-not-normal"}


def test_clarify_rules_of_a_clinic_policy_still_clarify(tmp_path: Path) -> None:
    (tmp_path / "clinic.yaml").write_text(
        "rules:\n"
        "  - id: clinic-smoker-clarify\n"
        "    applies_to: {treatments: [prp]}\n"
        '    condition: {question: smoker, equals: "yes"}\n'
        "    severity: clarify\n"
        "    message: Ask how much the patient smokes.\n"
        "    patient_risk: Smoking may reduce the effect.\n"
        "    source: {text: board minute 7, basis: clinic_policy}\n",
        encoding="utf-8",
    )
    kb = load_knowledge(policy_dir=tmp_path)
    data = intake("prp", "injection", answers={"smoker": "yes"}, **NEUTRAL)
    (result,) = screen(parse_intake(data, kb, TODAY), kb).results
    assert (result.outcome, result.clarify) == ("clarify", ("smoker",))
    assert {f.rule for f in result.findings} == {"prp-smoker"}
    data = intake("prp", "injection", answers={"smoker": "no"}, **NEUTRAL)
    (result,) = screen(parse_intake(data, kb, TODAY), kb).results
    assert (result.outcome, result.clarify) == ("clear", ())
