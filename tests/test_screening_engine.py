"""The screening engine's semantics: outcomes and their precedence, clarify and "unsure",
boundaries, order, result shape (second edition of the knowledge base)."""

from __future__ import annotations

import json

import pytest

from consult.domain.intake import Intake, PlannedTreatment, asked_questions, parse_intake
from consult.domain.screening import screen, screen_json
from tests.screening_support import (
    ANTICOAGULANTS,
    ANTIPLATELETS,
    NEUTRAL,
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
    results = run(intake(treatments=_all(), **NEUTRAL))
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


def test_results_in_the_order_given_one_treatment_by_two_routes() -> None:
    treatments = [
        {"id": "chemical_peel", "route": "medium"},
        {"id": "botulinum_toxin"},
        {"id": "chemical_peel", "route": "superficial"},
    ]
    results = run(intake(treatments=treatments, answers={"isotretinoin_last_date": "2026-10-01"}))
    assert [(r.treatment, r.route, r.outcome) for r in results] == [
        ("chemical_peel", "medium", "absolute"),
        ("botulinum_toxin", "intramuscular", "clear"),
        ("chemical_peel", "superficial", "relative"),
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
    assert [f["rule"] for f in entry["findings"]] == ["reg-us-unapproved", "regen-anticoagulant"]
    assert [f["basis"] for f in entry["findings"]] == ["law", "publication"]
    for finding in entry["findings"]:
        assert set(finding) == {"rule", "severity", "message", "patient_risk", "source", "basis"}
    # The source names the document, never an internal code.
    assert entry["findings"][1]["source"].startswith(
        "It's Me and You Clinic, “Exosome Therapy for Skin Rejuvenation”"
    )
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
    data = intake(treatments=_all(), **NEUTRAL)
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


def test_an_absolute_finding_wins_over_a_missing_answer_which_is_still_listed() -> None:
    data = intake("iv_vitamin_c", answers={"kidney_disease": "yes"})
    del data["answers"]["fitzpatrick_type"]
    result = only(data)
    assert result.outcome == "absolute"
    assert result.clarify == ("fitzpatrick_type",)
    assert fired(result) == {"ivc-kidney": "absolute"}


def test_a_missing_answer_wins_over_relative_and_caution_findings() -> None:
    data = intake("iv_vitamin_c", answers={"heart_disease": "yes", "diabetes": "yes"})
    del data["answers"]["smoker"]
    result = only(data)
    assert result.outcome == "clarify"
    assert fired(result) == {"ivc-heart": "relative", "ivc-diabetes": "caution"}


def test_a_question_asked_only_for_iv_vitamin_c_clarifies_only_iv_vitamin_c() -> None:
    treatments = [{"id": "iv_vitamin_c"}, {"id": "botulinum_toxin"}]
    data = intake(treatments=treatments)
    del data["answers"]["kidney_disease"]
    iv, toxin = run(data)
    assert (iv.outcome, iv.clarify) == ("clarify", ("kidney_disease",))
    assert (toxin.outcome, toxin.clarify) == ("clear", ())


def test_answers_left_out_entirely_are_all_clarified() -> None:
    data = intake("botulinum_toxin")
    data.pop("answers")
    result = only(data)
    kb = shipped()
    assert result.outcome == "clarify"
    asked = {q.id for q in asked_questions({}, "female", kb, ["botulinum_toxin"])}
    assert set(result.clarify) == asked
    assert "g6pd_deficiency" not in asked and "kidney_disease" not in asked


def test_questions_not_asked_may_carry_only_their_not_asked_default() -> None:
    # "no" to a man's pregnancy questions is what the rules read anyway: accepted.
    data = intake("botulinum_toxin", answers={"pregnant": "no"}, sex="male")
    assert only(data).outcome == "clear"
    # An empty list, or null, for a follow-up question of a "no" likewise.
    data = intake("prp", "injection", answers={"cancer_types": [], "cancer_status": None})
    assert only(data).outcome == "clear"


def test_male_need_not_answer_pregnancy_questions() -> None:
    data = intake("botulinum_toxin", sex="male")
    for qid in ("pregnant", "breastfeeding", "trying_to_conceive"):
        del data["answers"][qid]
    assert only(data).outcome == "clear"


@pytest.mark.parametrize("sex", ["female", "intersex"])
def test_pregnant_unsure_is_clarify_only_where_yes_is_absolute(sex) -> None:
    # "yes" is absolute for all but hyaluronidase and IV vitamin C, where it is relative:
    # there "unsure" gives that relative finding, and says so.
    results = run(intake(treatments=_all(), answers={"pregnant": "unsure"}, sex=sex, **NEUTRAL))
    for result in results:
        if result.treatment in ("hyaluronidase", "iv_vitamin_c"):
            assert (result.outcome, result.clarify) == ("relative", ()), result.treatment
            (finding,) = result.findings
            assert finding.rule.endswith("-pregnant") and "unsure" in finding.message
        else:
            assert (result.outcome, result.clarify) == ("clarify", ("pregnant",)), result.treatment
            assert result.findings == ()


def test_g6pd_unsure_is_clarify_only_for_iv_vitamin_c() -> None:
    results = run(intake(treatments=_all(), answers={"g6pd_deficiency": "unsure"}, **NEUTRAL))
    for result in results:
        expected = ("g6pd_deficiency",) if result.treatment == "iv_vitamin_c" else ()
        assert result.clarify == expected, result.treatment
        assert result.outcome == ("clarify" if expected else "clear")


def test_autoimmune_unsure_clarifies_where_yes_opens_an_absolute_flare() -> None:
    results = {
        r.treatment: r
        for r in run(intake(treatments=_all(), answers={"autoimmune_disease": "unsure"}, **NEUTRAL))
    }
    readers = {"exosome", "stem_cell_supernatant", "stem_cell_cellular", "ha_filler"}
    for treatment, result in results.items():
        assert result.clarify == (("autoimmune_disease",) if treatment in readers else ()), (
            treatment
        )


def test_bleeding_disorder_unsure_follows_what_yes_would_give() -> None:
    answers = {"bleeding_disorder": "unsure"}

    def screened(treatment, route=None, source=None):
        return only(intake(treatment, route, source, answers, **NEUTRAL))

    # Nothing reads it for a topical or intranasal regenerative product, nor for IV.
    assert screened("exosome", "topical", "synthetic").outcome == "clear"
    assert screened("stem_cell_supernatant", "intranasal").outcome == "clear"
    assert screened("iv_vitamin_c").outcome == "clear"
    # "yes" is relative: "unsure" gives that finding, marked as unsure.
    for treatment, route, source, rule in (
        ("exosome", "intradermal", "synthetic", "regen-bleeding-disorder"),
        ("botulinum_toxin", None, None, "toxin-anticoagulant-bleeding-disorder"),
        ("prp", "injection", None, "prp-bleeding-disorder"),
    ):
        result = screened(treatment, route, source)
        assert (result.outcome, result.clarify, fired(result)) == (
            "relative",
            (),
            {rule: "relative"},
        )
        assert "“unsure”" in result.findings[0].message
    # "yes" is absolute (microneedling route, filler): clarify.
    for treatment, route, source in (
        ("exosome", "microneedling", "synthetic"),
        ("prp", "microneedling", None),
        ("ha_filler", None, None),
    ):
        result = screened(treatment, route, source)
        assert (result.outcome, result.clarify) == ("clarify", ("bleeding_disorder",))


def test_an_absolute_finding_wins_over_unsure_which_is_still_listed() -> None:
    result = only(intake("botulinum_toxin", answers={"pregnant": "unsure", "breastfeeding": "yes"}))
    assert result.outcome == "absolute"
    assert result.clarify == ("pregnant",)
    assert fired(result) == {"toxin-pregnant-breastfeeding": "absolute"}


def test_several_clarify_reasons_are_merged_in_questionnaire_order() -> None:
    data = intake(
        "iv_vitamin_c",
        answers={"g6pd_deficiency": "unsure", "pregnant": "unsure", "autoimmune_disease": "unsure"},
    )
    del data["answers"]["smoker"]
    result = only(data)
    # Pregnancy is relative for IV vitamin C, so "unsure" there is a finding, not a clarify;
    # no IV rule reads autoimmune disease.
    assert result.clarify == ("g6pd_deficiency", "smoker")
    assert fired(result) == {"ivc-pregnant": "relative"}
    assert result.outcome == "clarify"


def test_unsure_findings_from_two_questions_are_each_marked() -> None:
    result = only(
        intake(
            "botulinum_toxin",
            answers={"bleeding_disorder": "unsure", "anticoagulants": ["warfarin"]},
        )
    )
    # The rule already fires on warfarin: it is not repeated for the unsure answer.
    (finding,) = result.findings
    assert finding.rule == "toxin-anticoagulant-bleeding-disorder"
    assert "unsure" not in finding.message


# --- date and age boundaries ---------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "last", "within"),
    [
        ("2026-11-21", "2026-05-21", True),  # exactly 6 calendar months
        ("2026-11-21", "2026-05-20", False),  # the day before
        ("2026-11-21", "2026-11-21", True),  # today
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
            data = intake(treatment, route, source, lot_expiry=expiry, **NEUTRAL)
            result = only(data)
            assert ("all-lot-expired" in fired(result)) is expired
            assert result.outcome == ("absolute" if expired else "clear")


def test_lot_expiry_is_per_treatment() -> None:
    treatments = [{"id": "ha_filler", "lot_expiry": "2020-01-01"}, {"id": "hyaluronidase"}]
    assert [r.outcome for r in run(intake(treatments=treatments))] == ["absolute", "clear"]


# --- jurisdictions and qualifications ------------------------------------------------

QUALIFICATIONS = ["doctor", "dentist", "nurse_prescriber", "nurse", "aesthetician"]


@pytest.mark.parametrize("jurisdiction", ["GB", "EU", "US", "JP", "KR", "CN", "OTHER"])
@pytest.mark.parametrize("qualification", QUALIFICATIONS)
def test_regenerative_jurisdiction_and_qualification(jurisdiction, qualification) -> None:
    """The second edition's qualification and regulatory rows, written out from the text."""
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
    aesthetician = qualification == "aesthetician"
    j = jurisdiction

    def when(*pairs):
        return {rule for condition, rule in pairs if condition}

    other = (j == "OTHER", "reg-other-jurisdiction")
    assert rules[0] == when((j == "US", "reg-us-topical-exosome"), other)
    assert rules[1] == when(
        (aesthetician, "qual-regen-invasive-aesthetician"),
        (j in ("GB", "EU"), "regen-human-derived-gb-eu"),
        (j == "GB", "regen-gb-exosome-intradermal"),
        (j == "EU", "reg-eu-exosome-intradermal"),
        (j == "US", "reg-us-unapproved"),
        (j == "JP" and not doctor, "qual-jp-exosome-not-doctor"),
        (j == "CN", "reg-cn-human-derived"),
        other,
    )
    assert rules[2] == when(
        (aesthetician, "qual-regen-invasive-aesthetician"),
        (not doctor, "regen-iv-non-doctor"),
        (j in ("GB", "EU"), "regen-human-derived-gb-eu"),
        (j == "US", "reg-us-unapproved"),
        (j == "JP" and not doctor, "qual-jp-supernatant-not-doctor"),
        (j == "CN", "reg-cn-human-derived"),
        (j == "KR", "reg-kr-no-plan"),
        other,
    )
    assert rules[3] == when(
        (aesthetician, "qual-regen-invasive-aesthetician"),
        (not doctor, "qual-cellular-not-doctor"),
        (j == "JP", "regen-jp-cellular-no-plan"),
        (j == "US", "reg-us-unapproved"),
        (j == "CN", "reg-cn-cellular"),
        (j == "KR", "reg-kr-no-plan"),
        other,
    )


def test_a_registered_plan_lifts_the_plan_rows_in_japan_and_korea() -> None:
    for jurisdiction, treatment, rule in (
        (
            "JP",
            {"id": "stem_cell_cellular", "product_source": "autologous"},
            "regen-jp-cellular-no-plan",
        ),
        ("JP", {"id": "prp", "route": "injection"}, "reg-jp-prp-no-plan"),
        ("KR", {"id": "stem_cell_cellular", "product_source": "autologous"}, "reg-kr-no-plan"),
        ("KR", {"id": "stem_cell_supernatant", "route": "intravenous"}, "reg-kr-no-plan"),
    ):
        without = only(intake(treatments=[treatment], jurisdiction=jurisdiction))
        assert fired(without).get(rule) == "absolute", (jurisdiction, treatment)
        planned = only(intake(treatments=[treatment], jurisdiction=jurisdiction, plan="P-7"))
        assert rule not in fired(planned)
    # Culture supernatant in Korea needs a plan only when given intravenously.
    intradermal = {"id": "stem_cell_supernatant", "route": "intradermal"}
    assert "reg-kr-no-plan" not in fired(only(intake(treatments=[intradermal], jurisdiction="KR")))


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
    assert fired(only(intake("exosome", "microneedling", "plant", answers, **NEUTRAL))) == {
        "regen-anticoagulant": "relative",
        "microneedling-anticoagulant": "relative",
    }


@pytest.mark.parametrize("drug", [*ANTIPLATELETS, "nsaid"])
def test_each_antiplatelet_and_nsaid(drug) -> None:
    answers = {"anticoagulants": [drug]}
    assert fired(only(intake("botulinum_toxin", answers=answers))) == {
        "toxin-antiplatelet-nsaid": "caution"
    }
    assert fired(
        only(intake("stem_cell_supernatant", "intradermal", None, answers, **NEUTRAL))
    ) == {"regen-antiplatelet-bruising": "caution"}
    prp = fired(only(intake("prp", "injection", None, answers, **NEUTRAL)))
    # Antiplatelets block the very platelets PRP concentrates (second edition): relative.
    assert prp == (
        {"prp-nsaid": "caution"} if drug == "nsaid" else {"prp-antiplatelet": "relative"}
    )


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
    ids = [q.id for q in asked_questions({}, "male", kb, ["ha_filler"])]
    assert "pregnant" not in ids and "cancer_types" not in ids and "g6pd_deficiency" not in ids
    ids = [
        q.id
        for q in asked_questions(
            {"cancer_history": "yes", "allergies": ["other"]}, "intersex", kb, ["iv_vitamin_c"]
        )
    ]
    assert "g6pd_deficiency" in ids and "diabetes" in ids
    assert "g6pd_test_normal" not in ids  # opens only on a "no"
    assert "g6pd_test_normal" in [
        q.id
        for q in asked_questions({"g6pd_deficiency": "no"}, "male", kb, ["iv_vitamin_c", "prp"])
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
    patient = parse_intake(intake("iv_vitamin_c"), kb).patient
    ids = [q.id for q in asked_questions(odd, patient, kb, ["iv_vitamin_c"])]
    assert "cancer_types" not in ids and "allergies_other" in ids and "autoimmune_status" in ids
    assert all_no_answers().keys() <= {q.id for q in kb.questions}


def test_the_same_finding_from_two_tables_is_marked_as_one() -> None:
    # Exosome with microneedling and an anticoagulant: the regenerative and the
    # microneedling tables both raise it; it is shown and justified once.
    result = only(
        intake("exosome", "microneedling", "plant", {"anticoagulants": ["warfarin"]}, **NEUTRAL)
    )
    by_rule = {f.rule: f for f in result.findings}
    assert by_rule["microneedling-anticoagulant"].same_as is None
    assert by_rule["regen-anticoagulant"].same_as == "microneedling-anticoagulant"
    entry = result.to_json()["findings"]
    assert [f.get("same_as") for f in entry] == [None, "microneedling-anticoagulant"]
    # Different conditions are different findings, whatever the severity.
    alone = only(intake("prp", "injection", answers={"smoker": "yes"}, **NEUTRAL))
    assert all(f.same_as is None for f in alone.findings)
