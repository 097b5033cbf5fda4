"""The screening engine's semantics: outcomes, clarify, boundaries, order, result shape."""

from __future__ import annotations

import json

import pytest

from consult.domain.intake import Intake, PlannedTreatment, asked_questions, parse_intake
from consult.domain.screening import screen, screen_json
from tests.screening_support import (
    ANTICOAGULANTS,
    ANTIPLATELETS,
    all_no_answers,
    cancer,
    fired,
    intake,
    only,
    run,
    shipped,
)

TREATMENTS = [
    ("exosome", "topical", "synthetic"),
    ("stem_cell_supernatant", "intradermal", None),
    ("stem_cell_cellular", None, "autologous"),
    ("prp", "injection", None),
    ("botulinum_toxin", None, None),
    ("ha_filler", None, None),
    ("hyaluronidase", None, None),
    ("microneedling", None, None),
    ("chemical_peel", "superficial", None),
    ("laser_resurfacing", "non_ablative", None),
    ("iv_vitamin_c", None, None),
]


def _all(treatments=TREATMENTS):
    return [
        {k: v for k, v in (("id", t), ("route", r), ("product_source", s)) if v is not None}
        for t, r, s in treatments
    ]


# --- outcomes ------------------------------------------------------------------------


def test_all_no_is_clear_for_every_treatment() -> None:
    results = run(intake(treatments=_all([(t, r or None, s) for t, r, s in TREATMENTS])))
    assert [r.treatment for r in results] == [t for t, _, _ in TREATMENTS]
    for result in results:
        assert (result.outcome, result.findings, result.clarify) == ("clear", (), ())


def test_outcome_is_the_strongest_severity_and_findings_are_ordered() -> None:
    answers = {
        "cold_sore_history": "yes",
        "keloid_history": "yes",
        "fitzpatrick_type": "V",
        "recent_sunburn": "yes",
        "photosensitising_medication": "yes",
    }
    result = only(intake("chemical_peel", "superficial", answers=answers))
    assert result.outcome == "absolute"
    assert [(f.severity, f.rule) for f in result.findings] == [
        ("absolute", "peel-sunburn"),
        ("relative", "peel-keloid"),
        ("relative", "peel-photosensitising"),
        ("caution", "peel-cold-sores"),
        ("caution", "peel-fitzpatrick-iv-vi"),
    ]


def test_caution_only_outcome() -> None:
    result = only(intake("prp", "injection", answers={"smoker": "yes"}))
    assert result.outcome == "caution"


def test_relative_outcome() -> None:
    assert only(intake("iv_vitamin_c", answers={"heart_disease": "yes"})).outcome == "relative"


def test_results_in_the_order_given_with_duplicates() -> None:
    treatments = [{"id": "iv_vitamin_c"}, {"id": "botulinum_toxin"}, {"id": "iv_vitamin_c"}]
    results = run(intake(treatments=treatments, answers={"kidney_disease": "yes"}))
    assert [(r.treatment, r.outcome) for r in results] == [
        ("iv_vitamin_c", "absolute"),
        ("botulinum_toxin", "clear"),
        ("iv_vitamin_c", "absolute"),
    ]


def test_result_json_shape() -> None:
    kb = shipped()
    data = intake(
        "exosome", "intradermal", "synthetic", {"anticoagulants": ["warfarin"]}, jurisdiction="US"
    )
    out = screen_json(data, kb)
    assert set(out) == {"rule_set_version", "results"}
    assert out["rule_set_version"] == kb.version
    (entry,) = out["results"]
    assert set(entry) == {"treatment", "route", "outcome", "findings", "clarify"}
    assert entry["treatment"] == "exosome" and entry["route"] == "intradermal"
    assert entry["outcome"] == "relative"
    assert [f["rule"] for f in entry["findings"]] == ["regen-anticoagulant", "regen-us-unapproved"]
    assert entry["clarify"] == []
    json.dumps(out)  # plain JSON


def test_screening_is_deterministic() -> None:
    data = intake("ha_filler", answers={"keloid_history": "yes", "anaphylaxis_history": "yes"})
    assert screen_json(data, shipped()) == screen_json(json.loads(json.dumps(data)), shipped())


def test_route_and_single_source_are_filled_in() -> None:
    results = run(
        intake(
            treatments=[
                {"id": "stem_cell_cellular", "product_source": "autologous"},
                {"id": "prp", "route": "microneedling"},
            ]
        )
    )
    assert [(r.route, r.product_source) for r in results] == [
        ("injection", "autologous"),
        ("microneedling", "autologous"),
    ]


# --- "otherwise" rows ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        (cancer(["breast"], "active"), {"regen-active-cancer"}),
        (cancer(["melanoma"], "remission"), {"regen-melanoma"}),
        (cancer(["blood_or_bone_marrow"], "cured"), {"regen-blood-cancer"}),
        (
            cancer(["melanoma", "blood_or_bone_marrow"], "active"),
            {"regen-active-cancer", "regen-melanoma", "regen-blood-cancer"},
        ),
        (cancer(["breast", "other"], "cured"), {"regen-cancer-history"}),
        (cancer(["non_melanoma_skin"], "remission"), {"regen-cancer-history"}),
    ],
)
def test_regenerative_cancer_rows(answers, expected) -> None:
    assert set(fired(only(intake("exosome", "topical", "plant", answers)))) == expected


def test_autoimmune_otherwise_rows() -> None:
    for treatment, stronger, weaker in (
        ("exosome", "regen-autoimmune-flare", "regen-autoimmune"),
        ("ha_filler", "filler-autoimmune-flare", "filler-autoimmune"),
    ):
        route, source = ("topical", "animal") if treatment == "exosome" else (None, None)
        flare = {
            "autoimmune_disease": "yes",
            "autoimmune_types": ["psoriasis"],
            "autoimmune_status": "flare",
        }
        controlled = dict(flare, autoimmune_status="controlled")
        assert set(fired(only(intake(treatment, route, source, flare)))) == {stronger}
        assert set(fired(only(intake(treatment, route, source, controlled)))) == {weaker}


# --- clarify -------------------------------------------------------------------------


def test_missing_answer_is_clarify_for_every_treatment() -> None:
    data = intake(treatments=_all())
    del data["answers"]["smoker"]
    for result in run(data):
        assert result.outcome == "clarify"
        assert result.clarify == ("smoker",)


def test_null_answer_to_a_yes_no_question_is_missing() -> None:
    data = intake("botulinum_toxin")
    data["answers"]["neuromuscular_disorder"] = None
    assert only(data).clarify == ("neuromuscular_disorder",)


def test_null_date_means_never_not_missing() -> None:
    assert (
        only(intake("microneedling", answers={"isotretinoin_last_date": None})).outcome == "clear"
    )


def test_missing_follow_up_questions_are_clarified_in_questionnaire_order() -> None:
    data = intake("ha_filler", answers={"cancer_history": "yes", "allergies": ["other"]})
    result = only(data)
    assert result.outcome == "clarify"
    assert result.clarify == (
        "cancer_types",
        "cancer_status",
        "cancer_last_treatment_date",
        "allergies_other",
    )


def test_blank_text_answer_is_missing() -> None:
    data = intake(
        "exosome", "topical", "synthetic", {"allergies": ["other"], "allergies_other": "  "}
    )
    assert only(data).clarify == ("allergies_other",)


def test_missing_answers_block_but_findings_are_still_listed() -> None:
    data = intake("iv_vitamin_c", answers={"kidney_disease": "yes"})
    del data["answers"]["fitzpatrick_type"]
    result = only(data)
    assert result.outcome == "clarify"
    assert fired(result) == {"ivc-kidney": "absolute"}


def test_answers_left_out_entirely_are_all_clarified() -> None:
    data = intake("botulinum_toxin")
    data.pop("answers")
    result = only(data)
    kb = shipped()
    assert result.outcome == "clarify"
    assert set(result.clarify) == {q.id for q in asked_questions({}, "female", kb)}


def test_questions_not_asked_count_as_no() -> None:
    # A man's pregnancy answers are not asked, so they are ignored (even "yes").
    data = intake(
        "botulinum_toxin", answers={"pregnant": "yes", "breastfeeding": "yes"}, sex="male"
    )
    assert only(data).outcome == "clear"
    # Follow-up questions of a "no" are ignored too.
    data = intake("prp", "injection", answers={"cancer_history": "no", "cancer_status": "active"})
    assert only(data).outcome == "clear"


def test_male_need_not_answer_pregnancy_questions() -> None:
    data = intake("botulinum_toxin", sex="male")
    for qid in ("pregnant", "breastfeeding", "trying_to_conceive"):
        del data["answers"][qid]
    assert only(data).outcome == "clear"


@pytest.mark.parametrize("sex", ["female", "intersex"])
def test_pregnant_unsure_is_clarify_for_every_treatment(sex) -> None:
    for result in run(intake(treatments=_all(), answers={"pregnant": "unsure"}, sex=sex)):
        assert result.outcome == "clarify", result.treatment
        assert result.clarify == ("pregnant",)


def test_g6pd_unsure_is_clarify_only_for_iv_vitamin_c() -> None:
    results = run(intake(treatments=_all(), answers={"g6pd_deficiency": "unsure"}))
    for result in results:
        expected = ("g6pd_deficiency",) if result.treatment == "iv_vitamin_c" else ()
        assert result.clarify == expected, result.treatment
        assert result.outcome == ("clarify" if expected else "clear")


def test_autoimmune_unsure_clarifies_only_where_a_rule_reads_it() -> None:
    results = {
        r.treatment: r
        for r in run(intake(treatments=_all(), answers={"autoimmune_disease": "unsure"}))
    }
    readers = {"exosome", "stem_cell_supernatant", "stem_cell_cellular", "ha_filler"}
    for treatment, result in results.items():
        assert result.clarify == (("autoimmune_disease",) if treatment in readers else ()), (
            treatment
        )


def test_bleeding_disorder_unsure_depends_on_the_route() -> None:
    answers = {"bleeding_disorder": "unsure"}
    assert only(intake("exosome", "topical", "synthetic", answers)).outcome == "clear"
    assert only(intake("exosome", "intradermal", "synthetic", answers)).clarify == (
        "bleeding_disorder",
    )
    assert only(intake("stem_cell_supernatant", "intranasal", None, answers)).outcome == "clear"
    assert only(intake("iv_vitamin_c", answers=answers)).outcome == "clear"
    assert only(intake("botulinum_toxin", answers=answers)).clarify == ("bleeding_disorder",)


def test_unsure_is_clarify_even_when_an_absolute_finding_exists() -> None:
    result = only(intake("botulinum_toxin", answers={"pregnant": "unsure", "breastfeeding": "yes"}))
    assert result.outcome == "clarify"
    assert result.clarify == ("pregnant",)
    assert fired(result) == {"toxin-pregnant-breastfeeding": "absolute"}


def test_several_clarify_reasons_are_merged_in_questionnaire_order() -> None:
    data = intake("iv_vitamin_c", answers={"g6pd_deficiency": "unsure", "pregnant": "unsure"})
    del data["answers"]["smoker"]
    assert only(data).clarify == ("pregnant", "g6pd_deficiency", "smoker")


# --- date and age boundaries ---------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "last", "within"),
    [
        ("2026-11-21", "2026-05-21", True),  # exactly 6 calendar months
        ("2026-11-21", "2026-05-20", False),  # the day before
        ("2026-11-21", "2026-11-21", True),  # today
        ("2026-11-21", "2027-01-01", True),  # a date after the consultation is within
        ("2026-08-31", "2026-02-28", True),  # 31 Aug minus 6 months = 28 Feb
        ("2026-08-31", "2026-02-27", False),
        ("2028-08-31", "2028-02-29", True),  # leap year: 29 Feb
        ("2028-08-31", "2028-02-28", False),
        ("2026-03-31", "2025-09-30", True),  # 31 Mar minus 6 months = 30 Sep
        ("2026-03-31", "2025-09-29", False),
        ("2026-05-15", "2025-11-15", True),  # across a year
        ("2026-05-15", "2025-11-14", False),
    ],
)
def test_isotretinoin_within_6_calendar_months(on, last, within) -> None:
    result = only(intake("microneedling", answers={"isotretinoin_last_date": last}, on=on))
    assert ("microneedling-isotretinoin" in fired(result)) is within


@pytest.mark.parametrize(
    ("on", "last", "within"),
    [
        ("2026-03-01", "2026-01-31", True),  # 30 days before 1 Mar 2026 is 30 Jan
        ("2026-03-01", "2026-01-30", True),
        ("2026-03-01", "2026-01-29", False),
        ("2028-03-01", "2028-01-31", True),  # leap year: 30 days before is 31 Jan
        ("2028-03-01", "2028-01-30", False),
    ],
)
def test_resurfacing_within_30_days(on, last, within) -> None:
    result = only(intake("microneedling", answers={"last_resurfacing_date": last}, on=on))
    assert ("microneedling-recent-resurfacing" in fired(result)) is within


@pytest.mark.parametrize(
    ("born", "on", "minor"),
    [
        ("2008-11-21", "2026-11-20", True),  # the day before the 18th birthday
        ("2008-11-21", "2026-11-21", False),  # on the 18th birthday
        ("2008-02-29", "2026-02-28", True),  # leap-day birthday: still 17 on 28 Feb
        ("2008-02-29", "2026-03-01", False),  # 18 on 1 March of a common year
        ("2012-02-29", "2030-02-28", True),
        ("2012-02-29", "2030-03-01", False),
        ("2000-01-01", "2026-11-21", False),
        ("2026-11-21", "2026-11-21", True),  # born today
    ],
)
def test_age_below_18_in_gb_and_elsewhere(born, on, minor) -> None:
    for jurisdiction, rule in (("GB", "toxin-under-18-gb"), ("EU", "toxin-under-18")):
        result = only(intake("botulinum_toxin", born=born, on=on, jurisdiction=jurisdiction))
        assert (rule in fired(result)) is minor


def test_lot_expiry_is_absolute_only_after_the_expiry_date() -> None:
    for expiry, expired in (("2026-11-20", True), ("2026-11-21", False), ("2027-01-01", False)):
        for treatment, route, source in TREATMENTS:
            data = intake(treatment, route, source, lot_expiry=expiry)
            result = only(data)
            assert ("all-lot-expired" in fired(result)) is expired
            assert result.outcome == ("absolute" if expired else "clear")


def test_lot_expiry_is_per_treatment() -> None:
    treatments = [{"id": "ha_filler", "lot_expiry": "2020-01-01"}, {"id": "hyaluronidase"}]
    assert [r.outcome for r in run(intake(treatments=treatments))] == ["absolute", "clear"]


# --- jurisdictions and qualifications ------------------------------------------------

QUALIFICATIONS = ["doctor", "dentist", "nurse_prescriber", "nurse", "aesthetician"]


@pytest.mark.parametrize("jurisdiction", ["GB", "EU", "US", "JP", "OTHER"])
@pytest.mark.parametrize("qualification", QUALIFICATIONS)
def test_regenerative_jurisdiction_and_qualification(jurisdiction, qualification) -> None:
    treatments = [
        {"id": "exosome", "route": "topical", "product_source": "synthetic"},
        {"id": "exosome", "route": "intradermal", "product_source": "human_allogeneic"},
        {"id": "stem_cell_supernatant", "route": "intravenous"},
        {"id": "stem_cell_cellular", "product_source": "autologous"},
    ]
    results = run(
        intake(treatments=treatments, jurisdiction=jurisdiction, qualification=qualification)
    )
    rules = [set(fired(r)) for r in results]
    doctor = qualification == "doctor"
    expected_topical = set()
    if jurisdiction == "US":
        expected_topical.add("regen-us-unapproved")
    if jurisdiction == "JP" and not doctor:
        expected_topical.add("regen-jp-non-doctor")
    assert rules[0] == expected_topical
    expected_intradermal = set(expected_topical)
    if jurisdiction in ("GB", "EU"):
        expected_intradermal.add("regen-human-derived-gb-eu")
    if jurisdiction == "GB":
        expected_intradermal.add("regen-gb-exosome-intradermal")
    assert rules[1] == expected_intradermal
    expected_iv = set(expected_topical)
    if jurisdiction in ("GB", "EU"):
        expected_iv.add("regen-human-derived-gb-eu")  # supernatant is human-derived
    if not doctor:
        expected_iv.add("regen-iv-non-doctor")
    assert rules[2] == expected_iv
    expected_cells = set(expected_topical)
    if jurisdiction == "JP":
        expected_cells.add("regen-jp-cellular-no-plan")
    assert rules[3] == expected_cells


def test_blank_plan_number_is_no_plan_and_a_number_is_a_plan() -> None:
    cells = ("stem_cell_cellular", None, "human_allogeneic")
    blank = only(intake(*cells, jurisdiction="JP", plan="  "))
    assert "regen-jp-cellular-no-plan" in fired(blank)
    data = intake(*cells, jurisdiction="JP")
    data["clinic"] = {"regenerative_medicine_plan": 3150001}
    assert "regen-jp-cellular-no-plan" not in fired(only(data))
    data.pop("clinic")
    assert "regen-jp-cellular-no-plan" in fired(only(data))


# --- drug groups ---------------------------------------------------------------------


@pytest.mark.parametrize("drug", ANTICOAGULANTS)
def test_each_anticoagulant(drug) -> None:
    answers = {"anticoagulants": [drug]}
    assert fired(only(intake("ha_filler", answers=answers))) == {"filler-anticoagulant": "relative"}
    assert fired(only(intake("exosome", "microneedling", "plant", answers))) == {
        "regen-anticoagulant": "relative",
        "microneedling-anticoagulant": "relative",
    }


@pytest.mark.parametrize("drug", [*ANTIPLATELETS, "nsaid"])
def test_each_antiplatelet_and_nsaid(drug) -> None:
    answers = {"anticoagulants": [drug]}
    assert fired(only(intake("botulinum_toxin", answers=answers))) == {
        "toxin-antiplatelet-nsaid": "caution"
    }
    assert fired(only(intake("stem_cell_supernatant", "intradermal", None, answers))) == {
        "regen-antiplatelet-bruising": "caution"
    }
    prp = fired(only(intake("prp", "injection", None, answers)))
    assert prp == ({"prp-nsaid": "caution"} if drug == "nsaid" else {})


# --- the API -------------------------------------------------------------------------


def test_screen_takes_a_built_intake() -> None:
    kb = shipped()
    parsed = parse_intake(intake("iv_vitamin_c"), kb)
    built = Intake(
        patient=parsed.patient,
        consultation_date=parsed.consultation_date,
        jurisdiction="GB",
        qualification="nurse",
        regenerative_medicine_plan=None,
        treatments=(PlannedTreatment("laser_resurfacing", "ablative"),),
        answers={**parsed.answers, "fitzpatrick_type": "IV"},
    )
    result = screen(built, kb)
    assert fired(result.results[0]) == {"laser-fitzpatrick-iv-vi": "relative"}


def test_intake_round_trips_through_json() -> None:
    kb = shipped()
    data = intake(
        "exosome", "topical", "plant", cancer(["breast"]), lot_expiry="2027-01-01", plan="X1"
    )
    data["answers"]["isotretinoin_last_date"] = "2026-01-02"
    parsed = parse_intake(data, kb)
    again = parse_intake(parsed.to_json(), kb)
    assert again == parsed
    assert screen(again, kb) == screen(parsed, kb)
    plain = parse_intake(intake("botulinum_toxin"), kb)
    written = plain.to_json()
    assert written["treatments"] == [{"id": "botulinum_toxin", "route": "intramuscular"}]
    assert parse_intake(written, kb) == plain


def test_asked_questions_for_the_wizard() -> None:
    kb = shipped()
    ids = [q.id for q in asked_questions({}, "male", kb)]
    assert "pregnant" not in ids and "cancer_types" not in ids
    ids = [
        q.id
        for q in asked_questions({"cancer_history": "yes", "allergies": ["other"]}, "intersex", kb)
    ]
    for qid in (
        "pregnant",
        "cancer_types",
        "cancer_status",
        "cancer_last_treatment_date",
        "allergies_other",
    ):
        assert qid in ids
    assert "autoimmune_types" not in ids
    # Raw, partial and odd values from a form are tolerated.
    odd = {"cancer_history": 5, "allergies": ("other", 3), "autoimmune_disease": "yes"}
    ids = [q.id for q in asked_questions(odd, parse_intake(intake("iv_vitamin_c"), kb).patient, kb)]
    assert "cancer_types" not in ids and "allergies_other" in ids and "autoimmune_status" in ids
    assert all_no_answers().keys() <= {q.id for q in kb.questions}
