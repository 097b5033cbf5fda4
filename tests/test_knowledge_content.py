"""The shipped data says what CLINICAL.md says (sections 2 and 3, and the drug groups)."""

from __future__ import annotations

from consult.domain.conditions import Contains
from consult.domain.knowledge_model import YES_NO, YES_NO_UNSURE
from tests.screening_support import ANTICOAGULANTS, ANTIPLATELETS, shipped

FEMALE_OR_INTERSEX = "the sex at birth is one of female, intersex"

# id: (type, asked when, values) from CLINICAL.md section 2.
QUESTIONS = {
    "pregnant": ("ynu", FEMALE_OR_INTERSEX, ()),
    "breastfeeding": ("yn", FEMALE_OR_INTERSEX, ()),
    "trying_to_conceive": ("yn", FEMALE_OR_INTERSEX, ()),
    "cancer_history": ("yn", None, ()),
    "cancer_types": (
        "multi",
        "cancer_history is yes",
        ("melanoma", "non_melanoma_skin", "breast", "blood_or_bone_marrow", "other"),
    ),
    "cancer_status": ("one", "cancer_history is yes", ("active", "remission", "cured")),
    "cancer_last_treatment_date": ("date", "cancer_history is yes", ()),
    "autoimmune_disease": ("ynu", None, ()),
    "autoimmune_types": (
        "multi",
        "autoimmune_disease is yes",
        (
            "rheumatoid_arthritis",
            "lupus",
            "multiple_sclerosis",
            "psoriasis",
            "scleroderma",
            "inflammatory_bowel_disease",
            "thyroid",
            "other",
        ),
    ),
    "autoimmune_status": ("one", "autoimmune_disease is yes", ("flare", "controlled")),
    "immunosuppressed": ("yn", None, ()),
    "systemic_steroids_recent": ("yn", None, ()),
    "anticoagulants": ("multi", None, (*ANTICOAGULANTS, *ANTIPLATELETS, "nsaid")),
    "bleeding_supplements": (
        "multi",
        None,
        ("fish_oil", "vitamin_e", "ginkgo", "garlic", "ginseng", "st_johns_wort"),
    ),
    "bleeding_disorder": ("ynu", None, ()),
    "platelet_disorder": ("yn", None, ()),
    "allergies": (
        "multi",
        None,
        (
            "lidocaine",
            "hyaluronic_acid",
            "hyaluronidase",
            "bee_or_wasp_venom",
            "botulinum_toxin",
            "human_albumin",
            "cows_milk_protein",
            "egg",
            "latex",
            "chlorhexidine",
            "other",
        ),
    ),
    "allergies_other": ("text", "allergies includes other", ()),
    "anaphylaxis_history": ("yn", None, ()),
    "neuromuscular_disorder": ("yn", None, ()),
    "aminoglycosides_current": ("yn", None, ()),
    "active_skin_infection": ("yn", None, ()),
    "inflammatory_skin_flare": ("yn", None, ()),
    "cold_sore_history": ("yn", None, ()),
    "keloid_history": ("yn", None, ()),
    "recent_sunburn": ("yn", None, ()),
    "fitzpatrick_type": ("one", None, ("I", "II", "III", "IV", "V", "VI")),
    "isotretinoin_last_date": ("date", None, ()),
    "topical_retinoid_last_date": ("date", None, ()),
    "photosensitising_medication": ("yn", None, ()),
    "last_resurfacing_date": ("date", None, ()),
    "recent_dental_or_vaccine": ("yn", None, ()),
    "permanent_filler_in_area": ("yn", None, ()),
    "current_illness_or_fever": ("yn", None, ()),
    "kidney_disease": ("yn", None, ()),
    "heart_disease": ("yn", None, ()),
    "liver_disease": ("yn", None, ()),
    "g6pd_deficiency": ("ynu", None, ()),
    "haemochromatosis": ("yn", None, ()),
    "smoker": ("yn", None, ()),
    "body_image_concern": ("yn", None, ()),
}

# id: (routes, product sources) from CLINICAL.md section 3.
TREATMENTS = {
    "exosome": (
        ("topical", "microneedling", "intradermal"),
        ("synthetic", "plant", "human_allogeneic", "animal"),
    ),
    "stem_cell_supernatant": (("intradermal", "intravenous", "intranasal"), ("human_allogeneic",)),
    "stem_cell_cellular": (("injection",), ("autologous", "human_allogeneic")),
    "prp": (("injection", "microneedling"), ("autologous",)),
    "botulinum_toxin": (("intramuscular",), ()),
    "ha_filler": (("injection",), ()),
    "hyaluronidase": (("injection",), ()),
    "microneedling": (("microneedling",), ()),
    "chemical_peel": (("superficial", "medium"), ()),
    "laser_resurfacing": (("non_ablative", "ablative"), ()),
    "iv_vitamin_c": (("intravenous",), ()),
}


def test_questions_match_section_2() -> None:
    kb = shipped()
    assert {q.id for q in kb.questions} == set(QUESTIONS)
    for question in kb.questions:
        kind, asked_when, values = QUESTIONS[question.id]
        assert question.type == kind, question.id
        described = None if question.asked_when is None else question.asked_when.describe()
        assert described == asked_when, question.id
        if kind in ("multi", "one"):
            assert question.value_ids == values, question.id
        assert question.label and question.section in {s.id for s in kb.sections}
        assert all(choice.label for choice in question.values)
    assert kb.question("pregnant").value_ids == YES_NO_UNSURE
    assert kb.question("smoker").value_ids == YES_NO


def test_context_values_match_section_1() -> None:
    kb = shipped()
    assert [c.id for c in kb.sexes] == ["female", "male", "intersex"]
    assert [c.id for c in kb.jurisdictions] == ["GB", "EU", "US", "JP", "OTHER"]
    assert [c.id for c in kb.qualifications] == [
        "doctor",
        "dentist",
        "nurse_prescriber",
        "nurse",
        "aesthetician",
    ]


def test_treatments_match_section_3() -> None:
    kb = shipped()
    assert [t.id for t in kb.treatments] == list(TREATMENTS)
    for treatment in kb.treatments:
        assert (treatment.routes, treatment.product_sources) == TREATMENTS[treatment.id]
    (group,) = kb.groups
    assert (group.id, group.treatments) == (
        "regenerative",
        ("exosome", "stem_cell_supernatant", "stem_cell_cellular"),
    )
    assert kb.treatment("exosome").groups == ("regenerative",)


def test_invasive_means_every_route_but_topical_and_intranasal() -> None:
    assert {r.id for r in shipped().routes if not r.invasive} == {"topical", "intranasal"}


def test_drug_groups_are_used_exactly() -> None:
    kb = shipped()
    groups = {c.id: c.group for c in kb.question("anticoagulants").values}
    assert [k for k, g in groups.items() if g == "anticoagulant"] == ANTICOAGULANTS
    assert [k for k, g in groups.items() if g == "antiplatelet"] == ANTIPLATELETS
    for rule in kb.rules:
        for node in rule.condition.walk():
            if isinstance(node, Contains) and node.question == "anticoagulants":
                values = list(node.values)
                assert values in (ANTICOAGULANTS, [*ANTIPLATELETS, "nsaid"], ["nsaid"]), rule.id
            if isinstance(node, Contains) and node.question == "bleeding_supplements":
                assert node.values == kb.question("bleeding_supplements").value_ids, rule.id


def test_every_rule_has_wording_and_a_known_basis() -> None:
    for rule in shipped().rules:
        assert rule.message and rule.patient_risk and rule.source.reference
        assert rule.source.basis in {"label", "guidance", "law", "seed", "clinic_policy"}
        if "clinic policy" in rule.source.text:
            assert rule.source.basis == "clinic_policy", rule.id
        if rule.source.text.startswith("seed"):
            assert rule.source.basis == "seed", rule.id


def test_microneedling_rules_cover_the_microneedling_route_of_exosome_and_prp() -> None:
    kb = shipped()
    microneedling = {r.id for r in kb.rules if r.group == "microneedling"}
    assert len(microneedling) == 11
    for treatment, source in (("microneedling", None), ("exosome", "plant"), ("prp", "autologous")):
        plan = kb.plan(treatment, "microneedling", source)
        assert microneedling <= {r.id for r in plan.rules}
    assert not microneedling & {r.id for r in kb.plan("prp", "injection", "autologous").rules}
    assert not microneedling & {r.id for r in kb.plan("exosome", "topical", "plant").rules}


def test_regenerative_rules_cover_the_three_regenerative_treatments() -> None:
    kb = shipped()
    regenerative = [r for r in kb.rules if r.group == "regenerative"]
    assert len(regenerative) == 22
    assert kb.rule("regen-active-cancer").applies_to.treatments == {
        "exosome",
        "stem_cell_supernatant",
        "stem_cell_cellular",
    }


def test_lookups_raise_for_unknown_ids() -> None:
    kb = shipped()
    for lookup in (kb.rule, kb.treatment, kb.route, kb.question):
        try:
            lookup("nope")
        except KeyError:
            continue
        raise AssertionError(lookup)
    assert kb.route("topical").invasive is False
    import pytest

    with pytest.raises(ValueError, match="clarify rule"):
        kb.rule("ivc-g6pd-unsure").severity_for("intravenous")
