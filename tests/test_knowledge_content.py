"""The shipped data says what the clinical knowledge base (second edition) says: questions,
treatments, drug groups, sources and what each question is asked for."""

from __future__ import annotations

from consult.domain.conditions import Contains
from consult.domain.knowledge_model import YES_NO, YES_NO_UNSURE
from tests.screening_support import ANTICOAGULANTS, ANTIPLATELETS, shipped

FEMALE_OR_INTERSEX = "the sex at birth is one of female, intersex"

# id: (type, asked when, values) from the knowledge base's questions.
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
    "g6pd_test_normal": ("yn", "g6pd_deficiency is no", ()),
    "haemochromatosis": ("yn", None, ()),
    "diabetes": ("yn", None, ()),
    "smoker": ("yn", None, ()),
    "body_image_concern": ("yn", None, ()),
}

# id: (routes, product sources) from the knowledge base's treatments.
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
    assert [c.id for c in kb.jurisdictions] == ["GB", "EU", "US", "JP", "KR", "CN", "OTHER"]
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
                assert values in (
                    ANTICOAGULANTS,
                    ANTIPLATELETS,
                    [*ANTIPLATELETS, "nsaid"],
                    ["nsaid"],
                ), rule.id
            if isinstance(node, Contains) and node.question == "bleeding_supplements":
                assert node.values == kb.question("bleeding_supplements").value_ids, rule.id


def test_every_rule_has_wording_and_a_known_basis() -> None:
    for rule in shipped().rules:
        assert rule.message and rule.patient_risk and rule.source.reference
        assert rule.source.basis in {"label", "guidance", "law", "publication", "clinic_policy"}
        if "clinic policy" in rule.source.text:
            assert rule.source.basis == "clinic_policy", rule.id
        # A source shown to a user names the document, never an internal code.
        assert "seed" not in rule.source.cited.lower(), rule.id
        if rule.source.document is not None:
            assert rule.source.document.title in rule.source.cited


def test_documents_are_named_in_full() -> None:
    kb = shipped()
    assert [d.id for d in kb.documents] == [f"seed-00{n}" for n in range(5)]
    assert kb.document("seed-001").citation == (
        "It's Me and You Clinic, “Exosome Therapy for Skin Rejuvenation”"
    )
    assert kb.rule("regen-active-cancer").source.cited == (
        "It's Me and You Clinic, “Exosome Therapy for Skin Rejuvenation”: "
        '"Patients with active cancer should avoid exosome therapy"'
    )
    # A document with nothing quoted from it is cited alone.
    assert kb.rule("regen-pregnant-breastfeeding").source.cited == (
        "It's Me and You Clinic, “Exosome Therapy for Skin Rejuvenation”"
    )
    # A rule with no document and no text is cited by the table it comes from.
    assert kb.rule("peel-pregnant-breastfeeding").source.cited.startswith(
        "Consult clinical knowledge base, second edition"
    )
    try:
        kb.document("seed-009")
    except KeyError:
        pass
    else:
        raise AssertionError("unknown document")


def test_questions_asked_only_for_iv_vitamin_c() -> None:
    kb = shipped()
    only_iv = {q.id for q in kb.questions if q.asked_for}
    assert only_iv == {
        "g6pd_deficiency",
        "g6pd_test_normal",
        "kidney_disease",
        "heart_disease",
        "haemochromatosis",
        "diabetes",
    }
    for qid in only_iv:
        assert kb.question(qid).asked_for == {"iv_vitamin_c"}


def test_every_question_is_read_by_a_rule_or_says_why_not() -> None:
    kb = shipped()
    read: set[str] = set()
    for rule in kb.rules:
        read |= rule.condition.questions()
    for question in kb.questions:
        assert (question.id in read) != bool(question.information_only), question.id
    assert {q.id for q in kb.questions if q.information_only} == {
        "autoimmune_types",
        "liver_disease",
        "allergies_other",
    }
    # Egg allergy is kept for the practitioner only, and says so.
    egg = next(c for c in kb.question("allergies").values if c.id == "egg")
    assert egg.information_only
    assert not any(
        isinstance(node, Contains) and "egg" in node.values
        for rule in kb.rules
        for node in rule.condition.walk()
    )


def test_microneedling_rules_cover_the_microneedling_route_of_exosome_and_prp() -> None:
    kb = shipped()
    microneedling = {r.id for r in kb.rules if r.group == "microneedling"}
    assert len(microneedling) == 12
    for treatment, source in (("microneedling", None), ("exosome", "plant"), ("prp", "autologous")):
        plan = kb.plan(treatment, "microneedling", source)
        assert microneedling <= {r.id for r in plan.rules}
    assert not microneedling & {r.id for r in kb.plan("prp", "injection", "autologous").rules}
    assert not microneedling & {r.id for r in kb.plan("exosome", "topical", "plant").rules}


def test_regenerative_rules_cover_the_three_regenerative_treatments() -> None:
    kb = shipped()
    regenerative = [r for r in kb.rules if r.group == "regenerative"]
    assert len(regenerative) == 20
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
    assert kb.rule("laser-fitzpatrick-iv-vi").severity_for("ablative") == "relative"
