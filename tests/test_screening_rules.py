"""Every shipped rule: a case that fires it and a near miss that does not.

The expected severities are written here from the clinical knowledge base (second
edition), not read from the YAML, so a wrong severity in the data fails a test.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.screening_support import autoimmune, cancer, fired, intake, only, shipped

E = ("exosome", "topical", "synthetic")
EI = ("exosome", "intradermal", "synthetic")
EM = ("exosome", "microneedling", "synthetic")
EH = ("exosome", "topical", "human_allogeneic")
SI = ("stem_cell_supernatant", "intradermal", None)
SV = ("stem_cell_supernatant", "intravenous", None)
SN = ("stem_cell_supernatant", "intranasal", None)
CA = ("stem_cell_cellular", "injection", "autologous")
BT = ("botulinum_toxin", None, None)
FL = ("ha_filler", None, None)
HY = ("hyaluronidase", None, None)
PI = ("prp", "injection", None)
PM = ("prp", "microneedling", None)
MN = ("microneedling", None, None)
PS = ("chemical_peel", "superficial", None)
PD = ("chemical_peel", "medium", None)
LA = ("laser_resurfacing", "ablative", None)
LN = ("laser_resurfacing", "non_ablative", None)
IV = ("iv_vitamin_c", None, None)
CH = ("stem_cell_cellular", "injection", "human_allogeneic")
JP = {"jurisdiction": "JP", "plan": "JP-1"}

# Consultation 2026-11-21: 6 months before is 2026-05-21; 30 days before is 2026-10-22;
# 5 days before is 2026-11-16; 14 days before is 2026-11-07.


def c(
    treatment: tuple[str, str | None, str | None], answers: dict[str, Any] | None = None, **ctx: Any
) -> dict[str, Any]:
    """Keyword arguments for ``intake``."""
    return {
        "treatment": treatment[0],
        "route": treatment[1],
        "source": treatment[2],
        "answers": answers or {},
        **ctx,
    }


Y = "yes"

# (rule, severity when it fires, firing case, near miss)
CASES: list[tuple[str, str, dict[str, Any], dict[str, Any]]] = [
    # --- regenerative ---
    (
        "regen-active-cancer",
        "absolute",
        c(E, cancer(["breast"], "active")),
        c(E, cancer(["breast"], "remission")),
    ),
    (
        "regen-melanoma",
        "absolute",
        c(SI, cancer(["melanoma"], "cured")),
        c(SI, cancer(["non_melanoma_skin"], "cured")),
    ),
    (
        "regen-blood-cancer",
        "absolute",
        c(CA, cancer(["blood_or_bone_marrow"], "cured")),
        c(CA, cancer(["breast"], "cured")),
    ),
    (
        "regen-cancer-history",
        "relative",
        c(E, cancer(["breast"], "cured")),
        c(E, cancer(["melanoma"], "cured")),
    ),
    (
        "regen-pregnant-breastfeeding",
        "absolute",
        c(E, {"breastfeeding": Y}),
        c(E, {"trying_to_conceive": Y}),
    ),
    (
        "regen-trying-to-conceive",
        "caution",
        c(E, {"trying_to_conceive": Y}),
        c(E, {"breastfeeding": "no", "trying_to_conceive": "no"}, sex="male"),
    ),
    (
        "regen-autoimmune-flare",
        "absolute",
        c(E, autoimmune("flare")),
        c(E, autoimmune("controlled")),
    ),
    ("regen-autoimmune", "relative", c(E, autoimmune("controlled")), c(E, autoimmune("flare"))),
    (
        "regen-immunosuppressed",
        "relative",
        c(E, {"immunosuppressed": Y}),
        c(E, {"systemic_steroids_recent": Y}),
    ),
    (
        "regen-anticoagulant",
        "relative",
        c(EI, {"anticoagulants": ["warfarin"]}),
        c(E, {"anticoagulants": ["warfarin"]}),
    ),
    (
        "regen-antiplatelet-bruising",
        "caution",
        c(EI, {"bleeding_supplements": ["ginkgo"]}),
        c(E, {"anticoagulants": ["aspirin"]}),
    ),
    (
        "regen-bleeding-disorder",
        "relative",
        c(SI, {"bleeding_disorder": Y}),
        c(SN, {"bleeding_disorder": Y}),
    ),
    (
        "regen-active-skin-infection",
        "absolute",
        c(E, {"active_skin_infection": Y}),
        c(E, {"cold_sore_history": Y}),
    ),
    (
        "regen-inflammatory-skin-flare",
        "relative",
        c(E, {"inflammatory_skin_flare": Y}),
        c(E, {"keloid_history": Y}),
    ),
    (
        "regen-illness-fever",
        "absolute",
        c(E, {"current_illness_or_fever": Y}),
        c(E, {"recent_dental_or_vaccine": Y}),
    ),
    (
        "regen-other-allergy",
        "caution",
        c(E, {"allergies": ["other"], "allergies_other": "propolis"}),
        c(E, {"allergies": ["latex"]}),
    ),
    ("regen-human-derived-gb-eu", "absolute", c(EH, jurisdiction="EU"), c(EH, jurisdiction="US")),
    ("regen-gb-exosome-intradermal", "absolute", c(EI, jurisdiction="GB"), c(E, jurisdiction="GB")),
    (
        "regen-iv-non-doctor",
        "absolute",
        c(SV, qualification="nurse_prescriber"),
        c(SI, qualification="nurse_prescriber"),
    ),
    (
        "regen-jp-cellular-no-plan",
        "absolute",
        c(CA, jurisdiction="JP"),
        c(CA, jurisdiction="JP", plan="PB3150001"),
    ),
    # --- botulinum toxin ---
    (
        "toxin-pregnant-breastfeeding",
        "absolute",
        c(BT, {"pregnant": Y}),
        c(BT, {"trying_to_conceive": Y}),
    ),
    (
        "toxin-neuromuscular",
        "absolute",
        c(BT, {"neuromuscular_disorder": Y}),
        c(BT, {"aminoglycosides_current": Y}),
    ),
    (
        "toxin-toxin-or-albumin-allergy",
        "absolute",
        c(BT, {"allergies": ["human_albumin"]}),
        c(BT, {"allergies": ["egg"]}),
    ),
    (
        "toxin-milk-protein-allergy",
        "relative",
        c(BT, {"allergies": ["cows_milk_protein"]}),
        c(BT, {"allergies": ["egg"]}),
    ),
    (
        "toxin-active-skin-infection",
        "absolute",
        c(BT, {"active_skin_infection": Y}),
        c(BT, {"inflammatory_skin_flare": Y}),
    ),
    (
        "toxin-anticoagulant-bleeding-disorder",
        "relative",
        c(BT, {"anticoagulants": ["apixaban"]}),
        c(BT, {"anticoagulants": ["aspirin"]}),
    ),
    (
        "toxin-antiplatelet-nsaid",
        "caution",
        c(BT, {"anticoagulants": ["nsaid"]}),
        c(BT, {"bleeding_supplements": ["fish_oil"]}),
    ),
    (
        "toxin-aminoglycosides",
        "relative",
        c(BT, {"aminoglycosides_current": Y}),
        c(BT, {"photosensitising_medication": Y}),
    ),
    (
        "toxin-under-18-gb",
        "absolute",
        c(BT, born="2008-11-22", jurisdiction="GB"),
        c(BT, born="2008-11-21", jurisdiction="GB"),
    ),
    (
        "toxin-under-18",
        "relative",
        c(BT, born="2008-11-22", jurisdiction="US"),
        c(BT, born="2008-11-22", jurisdiction="GB"),
    ),
    ("toxin-body-image", "relative", c(BT, {"body_image_concern": Y}), c(BT, {"smoker": Y})),
    # --- hyaluronic acid filler ---
    (
        "filler-pregnant-breastfeeding",
        "absolute",
        c(FL, {"pregnant": Y}),
        c(FL, {"pregnant": "no"}, sex="male"),
    ),
    (
        "filler-ha-allergy",
        "absolute",
        c(FL, {"allergies": ["hyaluronic_acid"]}),
        c(FL, {"allergies": ["hyaluronidase"]}),
    ),
    (
        "filler-lidocaine-allergy",
        "relative",
        c(FL, {"allergies": ["lidocaine"]}),
        c(FL, {"allergies": ["chlorhexidine"]}),
    ),
    (
        "filler-active-skin-infection",
        "absolute",
        c(FL, {"active_skin_infection": Y}),
        c(FL, {"cold_sore_history": Y}),
    ),
    (
        "filler-inflammatory-skin-flare",
        "absolute",
        c(FL, {"inflammatory_skin_flare": Y}),
        c(FL, {"recent_sunburn": Y}),
    ),
    (
        "filler-autoimmune-flare",
        "absolute",
        c(FL, autoimmune("flare")),
        c(FL, autoimmune("controlled")),
    ),
    ("filler-autoimmune", "relative", c(FL, autoimmune("controlled")), c(FL, autoimmune("flare"))),
    (
        "filler-bleeding-disorder",
        "absolute",
        c(FL, {"bleeding_disorder": Y}),
        c(FL, {"platelet_disorder": Y}),
    ),
    (
        "filler-anticoagulant",
        "relative",
        c(FL, {"anticoagulants": ["heparin"]}),
        c(FL, {"anticoagulants": ["clopidogrel"]}),
    ),
    (
        "filler-antiplatelet-bruising",
        "caution",
        c(FL, {"bleeding_supplements": ["garlic"]}),
        c(FL, {"anticoagulants": ["warfarin"]}),
    ),
    (
        "filler-anaphylaxis",
        "relative",
        c(FL, {"anaphylaxis_history": Y}),
        c(FL, {"allergies": ["latex"]}),
    ),
    (
        "filler-recent-dental-vaccine",
        "caution",
        c(FL, {"recent_dental_or_vaccine": Y}),
        c(FL, {"current_illness_or_fever": Y}),
    ),
    (
        "filler-permanent-filler",
        "relative",
        c(FL, {"permanent_filler_in_area": Y}),
        c(FL, {"keloid_history": Y}),
    ),
    (
        "filler-keloid",
        "caution",
        c(FL, {"keloid_history": Y}),
        c(FL, {"permanent_filler_in_area": Y}),
    ),
    (
        "filler-active-cancer",
        "relative",
        c(FL, cancer(["breast"], "active")),
        c(FL, cancer(["breast"], "remission")),
    ),
    (
        "filler-under-18-gb",
        "absolute",
        c(FL, born="2008-11-22", jurisdiction="GB"),
        c(FL, born="2008-11-21", jurisdiction="GB"),
    ),
    (
        "filler-under-18",
        "relative",
        c(FL, born="2008-11-22", jurisdiction="JP"),
        c(FL, born="2008-11-21", jurisdiction="JP"),
    ),
    ("filler-body-image", "relative", c(FL, {"body_image_concern": Y}), c(FL, {"smoker": Y})),
    # --- hyaluronidase ---
    (
        "hyaluronidase-allergy",
        "absolute",
        c(HY, {"allergies": ["hyaluronidase"]}),
        c(HY, {"allergies": ["hyaluronic_acid"]}),
    ),
    (
        "hyaluronidase-venom-allergy",
        "relative",
        c(HY, {"allergies": ["bee_or_wasp_venom"]}),
        c(HY, {"allergies": ["latex"]}),
    ),
    (
        "hyaluronidase-active-skin-infection",
        "absolute",
        c(HY, {"active_skin_infection": Y}),
        c(HY, {"inflammatory_skin_flare": Y}),
    ),
    ("hyaluronidase-pregnant", "relative", c(HY, {"pregnant": Y}), c(HY, {"breastfeeding": Y})),
    # --- PRP ---
    (
        "prp-platelet-disorder",
        "absolute",
        c(PI, {"platelet_disorder": Y}),
        c(PI, {"bleeding_disorder": Y}),
    ),
    (
        "prp-blood-cancer",
        "absolute",
        c(PI, cancer(["blood_or_bone_marrow"], "cured")),
        c(PI, cancer(["breast"], "cured")),
    ),
    (
        "prp-active-cancer",
        "absolute",
        c(PM, cancer(["breast"], "active")),
        c(PM, cancer(["breast"], "remission")),
    ),
    (
        "prp-illness-fever",
        "absolute",
        c(PI, {"current_illness_or_fever": Y}),
        c(PI, {"immunosuppressed": Y}),
    ),
    (
        "prp-active-skin-infection",
        "absolute",
        c(PI, {"active_skin_infection": Y}),
        c(PI, {"cold_sore_history": Y}),
    ),
    (
        "prp-pregnant-breastfeeding",
        "absolute",
        c(PI, {"breastfeeding": Y}),
        c(PI, {"breastfeeding": "no"}, sex="male"),
    ),
    (
        "prp-bleeding-disorder",
        "relative",
        c(PI, {"bleeding_disorder": Y}),
        c(PI, {"platelet_disorder": Y}),
    ),
    (
        "prp-anticoagulant",
        "relative",
        c(PI, {"anticoagulants": ["dabigatran"]}),
        c(PI, {"anticoagulants": ["ticagrelor"]}),
    ),
    (
        "prp-nsaid",
        "caution",
        c(PI, {"anticoagulants": ["nsaid"]}),
        c(PI, {"anticoagulants": ["aspirin"]}),
    ),
    (
        "prp-systemic-steroids",
        "relative",
        c(PI, {"systemic_steroids_recent": Y}),
        c(PI, {"immunosuppressed": Y}),
    ),
    ("prp-smoker", "caution", c(PI, {"smoker": Y}), c(PI, {"body_image_concern": Y})),
    # --- microneedling (the treatment, and the microneedling route of exosome and PRP) ---
    (
        "microneedling-active-skin-infection",
        "absolute",
        c(MN, {"active_skin_infection": Y}),
        c(PI, {"active_skin_infection": Y}),
    ),
    (
        "microneedling-inflammatory-skin-flare",
        "absolute",
        c(EM, {"inflammatory_skin_flare": Y}),
        c(E, {"inflammatory_skin_flare": Y}),
    ),
    (
        "microneedling-keloid",
        "absolute",
        c(PM, {"keloid_history": Y}),
        c(PI, {"keloid_history": Y}),
    ),
    (
        "microneedling-pregnant-breastfeeding",
        "absolute",
        c(EM, {"pregnant": Y}),
        c(EI, {"pregnant": Y}),
    ),
    (
        "microneedling-bleeding-disorder",
        "absolute",
        c(MN, {"bleeding_disorder": Y}),
        c(MN, {"platelet_disorder": Y}),
    ),
    (
        "microneedling-anticoagulant",
        "relative",
        c(MN, {"anticoagulants": ["edoxaban"]}),
        c(MN, {"anticoagulants": ["prasugrel"]}),
    ),
    (
        "microneedling-recent-resurfacing",
        "absolute",
        c(MN, {"last_resurfacing_date": "2026-10-22"}),
        c(MN, {"last_resurfacing_date": "2026-10-21"}),
    ),
    (
        "microneedling-isotretinoin",
        "relative",
        c(MN, {"isotretinoin_last_date": "2026-05-21"}),
        c(MN, {"isotretinoin_last_date": "2026-05-20"}),
    ),
    (
        "microneedling-lidocaine-allergy",
        "relative",
        c(PM, {"allergies": ["lidocaine"]}),
        c(PI, {"allergies": ["lidocaine"]}),
    ),
    (
        "microneedling-cold-sores",
        "caution",
        c(MN, {"cold_sore_history": Y}),
        c(MN, {"recent_sunburn": Y}),
    ),
    (
        "microneedling-skin-cancer",
        "absolute",
        c(MN, cancer(["non_melanoma_skin"], "active")),
        c(MN, cancer(["non_melanoma_skin"], "remission")),
    ),
    # --- chemical peel ---
    (
        "peel-skin-infection-or-flare",
        "absolute",
        c(PS, {"inflammatory_skin_flare": Y}),
        c(PS, {"cold_sore_history": Y}),
    ),
    (
        "peel-pregnant-breastfeeding",
        "absolute",
        c(PD, {"breastfeeding": Y}),
        c(PD, {"trying_to_conceive": Y}),
    ),
    ("peel-sunburn", "absolute", c(PS, {"recent_sunburn": Y}), c(PS, {"keloid_history": Y})),
    (
        "peel-isotretinoin",
        "relative",
        c(PS, {"isotretinoin_last_date": "2026-05-21"}),
        c(PS, {"isotretinoin_last_date": "2026-05-20"}),
    ),
    (
        "peel-isotretinoin",
        "absolute",
        c(PD, {"isotretinoin_last_date": "2026-11-21"}),
        c(PD, {"isotretinoin_last_date": "2026-05-20"}),
    ),
    (
        "peel-topical-retinoid",
        "relative",
        c(PS, {"topical_retinoid_last_date": "2026-11-16"}),
        c(PS, {"topical_retinoid_last_date": "2026-11-15"}),
    ),
    (
        "peel-photosensitising",
        "relative",
        c(PS, {"photosensitising_medication": Y}),
        c(PS, {"recent_sunburn": "no"}),
    ),
    ("peel-keloid", "relative", c(PD, {"keloid_history": Y}), c(PD, {"cold_sore_history": Y})),
    ("peel-cold-sores", "caution", c(PS, {"cold_sore_history": Y}), c(PS, {"keloid_history": Y})),
    (
        "peel-fitzpatrick-iv-vi",
        "caution",
        c(PS, {"fitzpatrick_type": "IV"}),
        c(PS, {"fitzpatrick_type": "III"}),
    ),
    (
        "peel-melanoma",
        "absolute",
        c(PS, cancer(["melanoma"], "active")),
        c(PS, cancer(["melanoma"], "remission")),
    ),
    # --- laser resurfacing ---
    (
        "laser-active-skin-infection",
        "absolute",
        c(LA, {"active_skin_infection": Y}),
        c(LA, {"cold_sore_history": Y}),
    ),
    ("laser-pregnant", "absolute", c(LN, {"pregnant": Y}), c(LN, {"breastfeeding": Y})),
    (
        "laser-sunburn",
        "absolute",
        c(LN, {"recent_sunburn": Y}),
        c(LN, {"photosensitising_medication": Y}),
    ),
    (
        "laser-isotretinoin",
        "absolute",
        c(LA, {"isotretinoin_last_date": "2026-05-21"}),
        c(LA, {"isotretinoin_last_date": "2026-05-20"}),
    ),
    (
        "laser-isotretinoin",
        "relative",
        c(LN, {"isotretinoin_last_date": "2026-05-21"}),
        c(LN, {"isotretinoin_last_date": "2026-05-20"}),
    ),
    (
        "laser-topical-retinoid",
        "relative",
        c(LA, {"topical_retinoid_last_date": "2026-11-07"}),
        c(LA, {"topical_retinoid_last_date": "2026-11-06"}),
    ),
    (
        "laser-photosensitising",
        "relative",
        c(LA, {"photosensitising_medication": Y}),
        c(LA, {"recent_sunburn": "no"}),
    ),
    ("laser-keloid", "relative", c(LN, {"keloid_history": Y}), c(LN, {"cold_sore_history": Y})),
    (
        "laser-fitzpatrick-iv-vi",
        "relative",
        c(LA, {"fitzpatrick_type": "VI"}),
        c(LA, {"fitzpatrick_type": "I"}),
    ),
    (
        "laser-fitzpatrick-iv-vi",
        "caution",
        c(LN, {"fitzpatrick_type": "V"}),
        c(LN, {"fitzpatrick_type": "III"}),
    ),
    ("laser-cold-sores", "caution", c(LN, {"cold_sore_history": Y}), c(LN, {"keloid_history": Y})),
    # --- IV high-dose vitamin C ---
    ("ivc-g6pd", "absolute", c(IV, {"g6pd_deficiency": Y}), c(IV, {"haemochromatosis": Y})),
    ("ivc-kidney", "absolute", c(IV, {"kidney_disease": Y}), c(IV, {"liver_disease": Y})),
    (
        "ivc-haemochromatosis",
        "absolute",
        c(IV, {"haemochromatosis": Y}),
        c(IV, {"liver_disease": Y}),
    ),
    ("ivc-heart", "relative", c(IV, {"heart_disease": Y}), c(IV, {"kidney_disease": Y})),
    ("ivc-pregnant", "relative", c(IV, {"pregnant": Y}), c(IV, {"breastfeeding": Y})),
    (
        "ivc-illness-fever",
        "relative",
        c(IV, {"current_illness_or_fever": Y}),
        c(IV, {"immunosuppressed": Y}),
    ),
    # --- every treatment ---
    ("all-lot-expired", "absolute", c(FL, lot_expiry="2026-11-20"), c(FL, lot_expiry="2026-11-21")),
    # --- second edition: who may give the treatment (qualification) ---
    (
        "qual-regen-invasive-aesthetician",
        "absolute",
        c(EM, qualification="aesthetician", **JP),
        c(E, qualification="aesthetician", **JP),
    ),
    (
        "qual-regen-invasive-aesthetician",
        "absolute",
        c(SI, qualification="aesthetician", **JP),
        c(SN, qualification="aesthetician", **JP),
    ),
    (
        "qual-cellular-not-doctor",
        "absolute",
        c(CA, qualification="nurse_prescriber"),
        c(CA, qualification="doctor"),
    ),
    (
        "qual-jp-supernatant-not-doctor",
        "absolute",
        c(SN, qualification="dentist", **JP),
        c(SN, qualification="dentist", jurisdiction="KR"),
    ),
    (
        "qual-jp-exosome-not-doctor",
        "absolute",
        c(EH, qualification="nurse", **JP),
        c(E, qualification="nurse", **JP),
    ),
    (
        "qual-jp-exosome-not-doctor",
        "absolute",
        c(EI, qualification="nurse_prescriber", **JP),
        c(EI, qualification="doctor", **JP),
    ),
    (
        "qual-toxin-aesthetician",
        "absolute",
        c(BT, qualification="aesthetician"),
        c(BT, qualification="nurse"),
    ),
    ("qual-toxin-nurse", "caution", c(BT, qualification="nurse"), c(BT, qualification="dentist")),
    (
        "qual-hyaluronidase-aesthetician",
        "absolute",
        c(HY, qualification="aesthetician"),
        c(HY, qualification="nurse"),
    ),
    (
        "qual-filler-aesthetician-us-jp",
        "absolute",
        c(FL, qualification="aesthetician", jurisdiction="US"),
        c(FL, qualification="aesthetician", jurisdiction="KR"),
    ),
    (
        "qual-filler-aesthetician",
        "relative",
        c(FL, qualification="aesthetician", jurisdiction="CN"),
        c(FL, qualification="aesthetician", **JP),
    ),
    (
        "qual-prp-aesthetician",
        "absolute",
        c(PM, qualification="aesthetician"),
        c(PM, qualification="nurse"),
    ),
    ("qual-ivc-aesthetician", "absolute", c(IV, qualification="aesthetician"), c(IV)),
    (
        "qual-ablative-laser-aesthetician",
        "absolute",
        c(LA, qualification="aesthetician"),
        c(LN, qualification="aesthetician"),
    ),
    (
        "qual-medium-peel-aesthetician",
        "relative",
        c(PD, qualification="aesthetician"),
        c(PS, qualification="aesthetician"),
    ),
    (
        "qual-jp-skin-procedure-aesthetician",
        "absolute",
        c(MN, qualification="aesthetician", **JP),
        c(MN, qualification="aesthetician"),
    ),
    (
        "qual-jp-skin-procedure-aesthetician",
        "absolute",
        c(LN, qualification="aesthetician", **JP),
        c(PS, qualification="aesthetician", **JP),
    ),
    (
        "qual-jp-skin-procedure-aesthetician",
        "absolute",
        c(EM, qualification="aesthetician", **JP),
        c(EM, qualification="nurse", **JP),
    ),
    # --- second edition: age ---
    ("age-regen-ivc-under-18", "absolute", c(IV, born="2008-11-22"), c(IV, born="2008-11-21")),
    ("age-regen-ivc-under-18", "absolute", c(CA, born="2010-01-01"), c(CA, born="1990-01-01")),
    (
        "age-skin-procedure-under-18",
        "relative",
        c(PS, born="2008-11-22"),
        c(PS, born="2008-11-21"),
    ),
    ("age-skin-procedure-under-18", "relative", c(HY, born="2012-06-01"), c(BT, born="1990-01-01")),
    (
        "age-microneedling-route-under-18",
        "relative",
        c(EM, born="2009-01-01", **JP),
        c(E, born="2009-01-01", **JP),
    ),
    # --- second edition: regulatory status ---
    ("reg-us-unapproved", "relative", c(SN, jurisdiction="US"), c(SN, **JP)),
    ("reg-us-unapproved", "relative", c(EM, jurisdiction="US"), c(E, jurisdiction="US")),
    ("reg-us-unapproved", "relative", c(CA, jurisdiction="US"), c(CA, jurisdiction="OTHER")),
    ("reg-us-topical-exosome", "caution", c(E, jurisdiction="US"), c(EI, jurisdiction="US")),
    (
        "reg-eu-exosome-intradermal",
        "absolute",
        c(EI, jurisdiction="EU"),
        c(EI, jurisdiction="OTHER"),
    ),
    ("reg-gb-eu-exosome-microneedling", "relative", c(EM), c(E)),
    (
        "reg-gb-eu-exosome-microneedling",
        "relative",
        c(EM, jurisdiction="EU"),
        c(EM, jurisdiction="US"),
    ),
    ("reg-cn-human-derived", "absolute", c(EH, jurisdiction="CN"), c(E, jurisdiction="CN")),
    (
        "reg-cn-human-derived",
        "absolute",
        c(CH, jurisdiction="CN"),
        c(CH, jurisdiction="KR", plan="K1"),
    ),
    ("reg-cn-cellular", "absolute", c(CA, jurisdiction="CN"), c(CA, **JP)),
    ("reg-kr-no-plan", "absolute", c(CA, jurisdiction="KR"), c(CA, jurisdiction="KR", plan="K-1")),
    ("reg-kr-no-plan", "absolute", c(SV, jurisdiction="KR"), c(SI, jurisdiction="KR")),
    ("reg-jp-prp-no-plan", "absolute", c(PI, jurisdiction="JP"), c(PI, **JP)),
    ("reg-other-jurisdiction", "caution", c(E, jurisdiction="OTHER"), c(PI, jurisdiction="OTHER")),
    # --- second edition: rows added to the treatments ---
    (
        "all-chlorhexidine-allergy",
        "caution",
        c(BT, {"allergies": ["chlorhexidine"]}),
        c(BT, {"allergies": ["latex"]}),
    ),
    (
        "all-latex-allergy",
        "caution",
        c(IV, {"allergies": ["latex"]}),
        c(IV, {"allergies": ["egg"]}),
    ),
    (
        "all-recent-cancer-treatment",
        "relative",
        c(PS, {**cancer(["breast"], "remission"), "cancer_last_treatment_date": "2026-05-21"}),
        c(PS, {**cancer(["breast"], "remission"), "cancer_last_treatment_date": "2026-05-20"}),
    ),
    (
        "anaphylaxis-emergency-plan",
        "relative",
        c(BT, {"anaphylaxis_history": Y}),
        c(MN, {"anaphylaxis_history": Y}),
    ),
    (
        "anaphylaxis-emergency-plan",
        "relative",
        c(E, {"anaphylaxis_history": Y}, **JP),
        c(E, {"anaphylaxis_history": "no"}, **JP),
    ),
    (
        "anaphylaxis-skin-procedure",
        "caution",
        c(MN, {"anaphylaxis_history": Y}),
        c(FL, {"anaphylaxis_history": Y}),
    ),
    (
        "anaphylaxis-skin-procedure",
        "caution",
        c(PM, {"anaphylaxis_history": Y}),
        c(PI, {"anaphylaxis_history": Y}),
    ),
    (
        "immunosuppressed-healing",
        "relative",
        c(FL, {"immunosuppressed": Y}),
        c(BT, {"immunosuppressed": Y}),
    ),
    (
        "immunosuppressed-healing",
        "relative",
        c(LA, {"immunosuppressed": Y}),
        c(LN, {"immunosuppressed": Y}),
    ),
    (
        "immunosuppressed-healing",
        "relative",
        c(EM, {"immunosuppressed": Y}, **JP),
        c(E, {"immunosuppressed": Y}, **JP),
    ),
    (
        "immunosuppressed-caution",
        "caution",
        c(PS, {"immunosuppressed": Y}),
        c(PD, {"immunosuppressed": Y}),
    ),
    (
        "immunosuppressed-caution",
        "caution",
        c(BT, {"immunosuppressed": Y}),
        c(HY, {"immunosuppressed": Y}),
    ),
    (
        "recent-resurfacing-peel-laser",
        "relative",
        c(PS, {"last_resurfacing_date": "2026-10-22"}),
        c(PS, {"last_resurfacing_date": "2026-10-21"}),
    ),
    (
        "recent-resurfacing-peel-laser",
        "absolute",
        c(PD, {"last_resurfacing_date": "2026-11-21"}),
        c(PD, {"last_resurfacing_date": None}),
    ),
    (
        "recent-resurfacing-peel-laser",
        "relative",
        c(LN, {"last_resurfacing_date": "2026-11-01"}),
        c(LN, {"last_resurfacing_date": "2026-01-01"}),
    ),
    (
        "recent-resurfacing-peel-laser",
        "absolute",
        c(LA, {"last_resurfacing_date": "2026-10-30"}),
        c(MN, {"last_resurfacing_date": "2026-09-01"}),
    ),
    (
        "prp-antiplatelet",
        "relative",
        c(PI, {"anticoagulants": ["clopidogrel"]}, **JP),
        c(PI, {"anticoagulants": ["nsaid"]}, **JP),
    ),
    (
        "prp-injection-lidocaine-allergy",
        "relative",
        c(PI, {"allergies": ["lidocaine"]}, **JP),
        c(PM, {"allergies": ["lidocaine"]}, **JP),
    ),
    (
        "microneedling-sunburn",
        "relative",
        c(MN, {"recent_sunburn": Y}),
        c(MN, {"cold_sore_history": Y}),
    ),
    (
        "laser-lidocaine-allergy",
        "relative",
        c(LN, {"allergies": ["lidocaine"]}),
        c(PS, {"allergies": ["lidocaine"]}),
    ),
    (
        "toxin-trying-to-conceive",
        "caution",
        c(BT, {"trying_to_conceive": Y}),
        c(FL, {"trying_to_conceive": Y}),
    ),
    (
        "ivc-g6pd-test-not-normal",
        "absolute",
        c(IV, {"g6pd_test_normal": "no"}),
        c(IV, {"g6pd_test_normal": Y}),
    ),
    ("ivc-diabetes", "caution", c(IV, {"diabetes": Y}), c(IV, {"smoker": Y})),
]


def _id(case: tuple[str, str, dict[str, Any], dict[str, Any]]) -> str:
    return f"{case[0]}:{case[2]['treatment']}:{case[2]['route']}"


def test_every_rule_has_cases() -> None:
    assert {case[0] for case in CASES} == {rule.id for rule in shipped().rules}


def test_shipped_rule_count() -> None:
    assert len(shipped().rules) == 142


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_rule_fires(case: tuple[str, str, dict[str, Any], dict[str, Any]]) -> None:
    rule, severity, firing, _ = case
    assert fired(only(intake(**firing))).get(rule) == severity


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_near_miss_does_not_fire(case: tuple[str, str, dict[str, Any], dict[str, Any]]) -> None:
    rule, _, _, miss = case
    assert rule not in fired(only(intake(**miss)))


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_finding_carries_message_risk_and_source(
    case: tuple[str, str, dict[str, Any], dict[str, Any]],
) -> None:
    rule, _, firing, _ = case
    (finding,) = [f for f in only(intake(**firing)).findings if f.rule == rule]
    assert finding.message and finding.patient_risk and finding.source
    assert "seed" not in finding.source.lower()
    assert set(finding.to_json()) - {"same_as"} == {
        "rule",
        "severity",
        "message",
        "patient_risk",
        "source",
        "basis",
    }
