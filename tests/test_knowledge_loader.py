"""The knowledge loader: broken files are refused with the file, key path and reason."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from consult import resources
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.loader import load_knowledge, read_yaml
from tests.screening_support import shipped


@pytest.fixture
def root(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base to break."""
    target = tmp_path / "knowledge"
    shutil.copytree(resources.path("knowledge"), target)
    return target


def replace(root: Path, relative: str, old: str, new: str, count: int = 1) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def refused(root: Path, relative: str, key: str, words: str) -> KnowledgeError:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    message = str(caught.value)
    assert caught.value.file == str(root / relative), message
    assert caught.value.path == key, message
    assert words in caught.value.message, message
    assert message.startswith(f"{root / relative}: ")
    return caught.value


def test_shipped_knowledge_loads() -> None:
    kb = shipped()
    assert len(kb.rules) == 142
    assert len(kb.questions) == 43
    assert kb.edition == 2
    assert len(kb.treatments) == 11
    assert len(kb.version) == 64


def test_copy_loads_with_the_same_version(root: Path) -> None:
    assert load_knowledge(root).version == shipped().version


def test_version_changes_with_any_content(root: Path) -> None:
    replace(
        root, "rules/prp.yaml", "message: Smoker. Reduced effect.", "message: Smoker. Less effect."
    )
    assert load_knowledge(root).version != shipped().version


def test_version_ignores_comments_and_formatting(root: Path) -> None:
    replace(
        root, "rules/prp.yaml", "group: prp\n", "# an added comment\ngroup: prp  # and another\n"
    )
    replace(root, "rules/prp.yaml", "{treatments: [prp]}", "\n      treatments: [prp]")
    assert load_knowledge(root).version == shipped().version


# --- YAML level ----------------------------------------------------------------------


def test_yaml_syntax_error_names_line(root: Path) -> None:
    replace(root, "rules/prp.yaml", "rules:\n", "rules: [\n")
    error = refused(root, "rules/prp.yaml", error_path(root), "not valid YAML")
    assert "line" in error.path


def error_path(root: Path) -> str:
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(root)
    return caught.value.path


def test_duplicate_yaml_key_is_refused(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        "    severity: absolute\n",
        "    severity: absolute\n    severity: caution\n",
    )
    with pytest.raises(
        KnowledgeError, match=r"prp\.yaml: line \d+, column \d+: .*duplicate key 'severity'"
    ):
        load_knowledge(root)


def test_empty_file(root: Path) -> None:
    (root / "rules" / "prp.yaml").write_text("# nothing\n", encoding="utf-8")
    refused(root, "rules/prp.yaml", "", "the file is empty")


def test_missing_file(root: Path) -> None:
    (root / "treatments.yaml").unlink()
    refused(root, "treatments.yaml", "", "file not found")


def test_unreadable_file(root: Path) -> None:
    (root / "treatments.yaml").write_bytes(b"\xff\xfe\x00bad")
    refused(root, "treatments.yaml", "", "cannot be read")


def test_no_rule_files(root: Path) -> None:
    for path in (root / "rules").glob("*.yaml"):
        path.unlink()
    with pytest.raises(KnowledgeError, match="no rule files"):
        load_knowledge(root)


def test_yes_and_no_are_text_and_dates_stay_text(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_text("a: yes\nb: no\nc: on\nd: 2026-01-01\ne: true\n", encoding="utf-8")
    assert read_yaml(path) == {"a": "yes", "b": "no", "c": "on", "d": "2026-01-01", "e": True}


def test_unquoted_yes_in_a_rule_still_means_yes(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        'condition: {question: smoker, equals: "yes"}',
        "condition: {question: smoker, equals: yes}",
    )
    # Read as the text "yes", so the content (and the version) is unchanged.
    assert load_knowledge(root).version == shipped().version


# --- schema level --------------------------------------------------------------------


def test_unknown_severity(root: Path) -> None:
    replace(root, "rules/prp.yaml", "severity: caution", "severity: sever")
    refused(root, "rules/prp.yaml", "rules[8].severity", "is not valid")


def test_missing_patient_risk(root: Path) -> None:
    replace(
        root,
        "rules/hyaluronidase.yaml",
        "    patient_risk: You are allergic to hyaluronidase, so it cannot be given.\n",
        "",
    )
    refused(root, "rules/hyaluronidase.yaml", "rules[0]", "'patient_risk' is a required property")


def test_unknown_basis(root: Path) -> None:
    replace(root, "rules/hyaluronidase.yaml", "basis: label}", "basis: hearsay}")
    refused(root, "rules/hyaluronidase.yaml", "rules[0].source.basis", "'hearsay' is not one of")


def test_unknown_condition_operator(root: Path) -> None:
    replace(
        root, "rules/prp.yaml", '{question: smoker, equals: "yes"}', '{question: smoker, is: "yes"}'
    )
    refused(root, "rules/prp.yaml", "rules[10].condition", "'is'")


def test_unknown_question_type(root: Path) -> None:
    replace(root, "questionnaire.yaml", "type: yn\n", "type: yesno\n")
    refused(root, "questionnaire.yaml", "questions[1].type", "'yesno' is not one of")


def test_multi_question_without_values(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        "    type: multi\n    label: Which kind of cancer?",
        "    type: text\n    label: Which kind of cancer?",
    )
    refused(
        root, "questionnaire.yaml", "questions[4].values", "a text question has no list of values"
    )


def test_one_question_needs_values(root: Path) -> None:
    replace(root, "questionnaire.yaml", "    type: text\n", "    type: one\n")
    refused(root, "questionnaire.yaml", "questions[31]", "'values' is a required property")


# --- meaning -------------------------------------------------------------------------


def test_unknown_question_in_a_rule(root: Path) -> None:
    replace(root, "rules/prp.yaml", "question: smoker", "question: smokes")
    refused(root, "rules/prp.yaml", "rules[10].condition.question", "unknown question 'smokes'")


def test_value_not_of_the_question(root: Path) -> None:
    replace(
        root, "rules/hyaluronidase.yaml", "contains: [bee_or_wasp_venom]", "contains: [bee_venom]"
    )
    refused(
        root,
        "rules/hyaluronidase.yaml",
        "rules[1].condition.contains",
        "'bee_venom' is not a value of 'allergies'",
    )


def test_unsure_for_a_yes_no_question(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        'question: smoker, equals: "yes"',
        "question: smoker, equals: unsure",
    )
    refused(
        root, "rules/prp.yaml", "rules[10].condition.equals", "'unsure' is not a value of 'smoker'"
    )


def test_nested_value_error_names_the_nested_path(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        '{question: breastfeeding, equals: "yes"}',
        '{question: breastfeeding, equals: "Y"}',
    )
    refused(
        root,
        "rules/prp.yaml",
        "rules[5].condition.any[1].equals",
        "'Y' is not a value of 'breastfeeding'",
    )


def test_operator_not_for_the_question_type(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        'question: smoker, equals: "yes"',
        'question: smoker, contains: ["yes"]',
    )
    refused(
        root,
        "rules/prp.yaml",
        "rules[10].condition.contains",
        "'contains' cannot test 'smoker', a yn question",
    )


def test_within_on_a_non_date(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        'question: smoker, equals: "yes"',
        "question: smoker, within: {days: 3}",
    )
    refused(root, "rules/prp.yaml", "rules[10].condition.within", "'within' cannot test 'smoker'")


def test_unknown_jurisdiction_in_a_condition(root: Path) -> None:
    replace(
        root,
        "rules/regulatory.yaml",
        "condition: {jurisdiction: [CN]}",
        "condition: {jurisdiction: [PRC]}",
    )
    refused(
        root,
        "rules/regulatory.yaml",
        "rules[4].condition.jurisdiction",
        "unknown jurisdiction 'PRC'",
    )


def test_unknown_treatment_in_applies_to(root: Path) -> None:
    replace(root, "rules/prp.yaml", "{treatments: [prp]}", "{treatments: [prp_therapy]}")
    refused(
        root,
        "rules/prp.yaml",
        "rules[0].applies_to.treatments[0]",
        "unknown treatment 'prp_therapy'",
    )


def test_unknown_group_in_applies_to(root: Path) -> None:
    replace(root, "rules/regenerative.yaml", "{groups: [regenerative]}", "{groups: [regen]}")
    refused(
        root,
        "rules/regenerative.yaml",
        "rules[0].applies_to.groups[0]",
        "unknown treatment group 'regen'",
    )


def test_route_not_of_the_treatment(root: Path) -> None:
    replace(
        root,
        "rules/regenerative.yaml",
        "{treatments: [exosome], routes: [intradermal]}",
        "{treatments: [exosome], routes: [intravenous]}",
    )
    refused(
        root,
        "rules/regenerative.yaml",
        "rules[17].applies_to.routes[0]",
        "'intravenous' is not a route of any treatment",
    )


def test_source_not_of_the_treatment(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        "{treatments: [prp]}",
        "{treatments: [prp], product_sources: [synthetic]}",
    )
    refused(
        root, "rules/prp.yaml", "rules[0].applies_to.product_sources[0]", "not a product source"
    )


def test_rule_that_applies_to_nothing(root: Path) -> None:
    replace(
        root,
        "rules/prp.yaml",
        "{treatments: [prp]}",
        "{treatments: [prp], routes: [microneedling], product_sources: [autologous],"
        " invasive_route: true}",
    )
    load_knowledge(root)  # still applies: microneedling is invasive
    replace(
        root,
        "rules/regenerative.yaml",
        "{treatments: [exosome], routes: [intradermal]}",
        "{treatments: [exosome], routes: [topical], invasive_route: true}",
    )
    refused(root, "rules/regenerative.yaml", "rules[17].applies_to", "applies to no treatment")


def test_per_route_severity_must_name_every_route(root: Path) -> None:
    replace(
        root,
        "rules/chemical_peel.yaml",
        "{superficial: relative, medium: absolute}",
        "{superficial: relative}",
    )
    refused(root, "rules/chemical_peel.yaml", "rules[3].severity", "superficial, medium")


def test_per_route_severity_with_a_foreign_route(root: Path) -> None:
    replace(
        root,
        "rules/chemical_peel.yaml",
        "{superficial: relative, medium: absolute}",
        "{superficial: relative, medium: absolute, deep: absolute}",
    )
    refused(root, "rules/chemical_peel.yaml", "rules[3].severity", "exactly the routes")


def test_duplicate_rule_id_across_files(root: Path) -> None:
    replace(root, "rules/prp.yaml", "id: prp-smoker", "id: toxin-body-image")
    refused(root, "rules/prp.yaml", "rules[10].id", "duplicate rule id 'toxin-body-image'")


def test_duplicate_group_across_files(root: Path) -> None:
    replace(root, "rules/prp.yaml", "group: prp", "group: microneedling")
    refused(root, "rules/prp.yaml", "group", "also in")


def test_otherwise_must_name_an_earlier_rule(root: Path) -> None:
    replace(
        root,
        "rules/regenerative.yaml",
        "otherwise: [regen-autoimmune-flare]",
        "otherwise: [regen-immunosuppressed]",
    )
    refused(
        root,
        "rules/regenerative.yaml",
        "rules[7].otherwise[0]",
        "not a rule defined before this one",
    )


CLARIFY_RULE = """rules:
  - id: ivc-g6pd-unsure
    applies_to: {treatments: [iv_vitamin_c]}
    condition: {question: g6pd_deficiency, equals: unsure}
    severity: clarify
    message: G6PD status unknown.
    patient_risk: A blood test for G6PD deficiency is needed first.
    source: {text: a G6PD result is needed, basis: guidance}
"""


def with_clarify_rule(root: Path, where_read: str = "") -> None:
    """A clarify rule first in iv_vitamin_c.yaml (the shipped rules have none)."""
    rule = CLARIFY_RULE
    if where_read:
        rule = rule.replace("[iv_vitamin_c]}", f"[iv_vitamin_c], where_read: [{where_read}]}}")
    replace(root, "rules/iv_vitamin_c.yaml", "rules:\n", rule)


def test_a_clarify_rule_loads(root: Path) -> None:
    with_clarify_rule(root)
    assert load_knowledge(root).rule("ivc-g6pd-unsure").is_clarify


def test_otherwise_cannot_name_a_clarify_rule(root: Path) -> None:
    with_clarify_rule(root)
    replace(
        root,
        "rules/iv_vitamin_c.yaml",
        "  - id: ivc-kidney\n",
        "  - id: ivc-kidney\n    otherwise: [ivc-g6pd-unsure]\n",
    )
    refused(root, "rules/iv_vitamin_c.yaml", "rules[2].otherwise[0]", "is a clarify rule")


def test_clarify_rule_must_read_a_question(root: Path) -> None:
    with_clarify_rule(root)
    replace(
        root,
        "rules/iv_vitamin_c.yaml",
        "condition: {question: g6pd_deficiency, equals: unsure}",
        "condition: {age_below: 18}",
    )
    refused(
        root, "rules/iv_vitamin_c.yaml", "rules[0].condition", "a clarify rule must read a question"
    )


def test_where_read_only_on_clarify_rules(root: Path) -> None:
    replace(
        root,
        "rules/every_treatment.yaml",
        "{treatments: all}",
        "{treatments: all, where_read: [pregnant]}",
    )
    refused(
        root, "rules/every_treatment.yaml", "rules[0].applies_to.where_read", "only a clarify rule"
    )


def test_where_read_unknown_question(root: Path) -> None:
    with_clarify_rule(root, where_read="pregnancy")
    refused(
        root,
        "rules/iv_vitamin_c.yaml",
        "rules[0].applies_to.where_read[0]",
        "unknown question 'pregnancy'",
    )


def test_duplicate_question_id(root: Path) -> None:
    replace(root, "questionnaire.yaml", "  - id: breastfeeding\n", "  - id: pregnant\n")
    refused(root, "questionnaire.yaml", "questions[1].id", "duplicate question id 'pregnant'")


def test_duplicate_value_id(root: Path) -> None:
    replace(
        root, "questionnaire.yaml", "{id: ginkgo, label: Ginkgo}", "{id: garlic, label: Ginkgo}"
    )
    refused(root, "questionnaire.yaml", "questions[24].values[3].id", "duplicate value id 'garlic'")


def test_unknown_section(root: Path) -> None:
    replace(root, "questionnaire.yaml", "    section: wellbeing\n", "    section: lifestyle\n")
    refused(root, "questionnaire.yaml", "questions[41].section", "unknown section 'lifestyle'")


def test_asked_when_reads_a_later_question(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        'asked_when: {question: cancer_history, equals: "yes"}',
        'asked_when: {question: smoker, equals: "yes"}',
    )
    refused(
        root,
        "questionnaire.yaml",
        "questions[4].asked_when.question",
        "only read questions above: 'smoker'",
    )


def test_asked_when_reads_itself(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        "asked_when: {question: allergies, contains: [other]}",
        "asked_when: {question: allergies_other, equals: x}",
    )
    refused(
        root, "questionnaire.yaml", "questions[31].asked_when.question", "only read questions above"
    )


def test_asked_when_unknown_question(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        "asked_when: {question: allergies, contains: [other]}",
        "asked_when: {question: allergy, contains: [other]}",
    )
    refused(
        root,
        "questionnaire.yaml",
        "questions[31].asked_when.question",
        "unknown question 'allergy'",
    )


def test_asked_when_cannot_read_consultation_facts(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        "asked_when: {sex_at_birth: [female, intersex]}",
        "asked_when: {age_below: 60}",
    )
    refused(root, "questionnaire.yaml", "questions[0].asked_when", "asked_when may only test")


def test_asked_when_unknown_sex(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        "asked_when: {sex_at_birth: [female, intersex]}",
        "asked_when: {sex_at_birth: [woman]}",
    )
    refused(
        root,
        "questionnaire.yaml",
        "questions[0].asked_when.sex_at_birth",
        "unknown sex_at_birth 'woman'",
    )


def test_asked_when_nested_forms_are_checked(root: Path) -> None:
    replace(
        root,
        "questionnaire.yaml",
        "asked_when: {sex_at_birth: [female, intersex]}",
        "asked_when: {not: {any: [{sex_at_birth: [male]}, {lot_expired: true}]}}",
    )
    refused(
        root, "questionnaire.yaml", "questions[0].asked_when.not.any[1]", "asked_when may only test"
    )


def test_treatment_with_unknown_route(root: Path) -> None:
    replace(root, "treatments.yaml", "routes: [intravenous]\n", "routes: [drip]\n")
    refused(root, "treatments.yaml", "treatments[10].routes[0]", "unknown route 'drip'")


def test_treatment_with_unknown_source(root: Path) -> None:
    replace(
        root, "treatments.yaml", "product_sources: [autologous]\n", "product_sources: [own_blood]\n"
    )
    refused(
        root,
        "treatments.yaml",
        "treatments[3].product_sources[0]",
        "unknown product_source 'own_blood'",
    )


def test_group_with_unknown_treatment(root: Path) -> None:
    replace(
        root,
        "treatments.yaml",
        "treatments: [exosome, stem_cell_supernatant, stem_cell_cellular]",
        "treatments: [exosome, stem_cells]",
    )
    refused(root, "treatments.yaml", "groups[0].treatments[1]", "unknown treatment 'stem_cells'")


def test_duplicate_treatment(root: Path) -> None:
    replace(root, "treatments.yaml", "  - id: hyaluronidase\n", "  - id: ha_filler\n")
    refused(root, "treatments.yaml", "treatments[6].id", "duplicate treatment id 'ha_filler'")


def test_duplicate_jurisdiction(root: Path) -> None:
    replace(root, "questionnaire.yaml", "{id: OTHER, label: Other}", "{id: GB, label: Other}")
    refused(root, "questionnaire.yaml", "context.jurisdictions[6].id", "duplicate value id 'GB'")


# --- the cache -----------------------------------------------------------------------


def test_cache_gives_the_same_knowledge_base_and_is_rebuilt_on_change(
    root: Path, tmp_path: Path
) -> None:
    cache = tmp_path / "cache"
    first = load_knowledge(root, cache_dir=cache)
    (written,) = cache.glob("knowledge-*.json")
    again = load_knowledge(root, cache_dir=cache)
    assert again == first and again.version == shipped().version
    assert list(cache.glob("knowledge-*.json")) == [written]
    # A changed file is a new key: the old entry is replaced, the new rules apply.
    replace(
        root, "rules/prp.yaml", "message: Smoker. Reduced effect.", "message: Smoker. Less effect."
    )
    changed = load_knowledge(root, cache_dir=cache)
    assert changed.version != first.version
    assert changed.rule("prp-smoker").message == "Smoker. Less effect."
    (rewritten,) = cache.glob("knowledge-*.json")
    assert rewritten != written


def test_a_cached_entry_is_still_checked_for_meaning(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_knowledge(root, cache_dir=cache)
    (written,) = cache.glob("knowledge-*.json")
    # Someone edits the cache itself: the semantic checks still refuse a broken rule.
    text = written.read_text(encoding="utf-8").replace('"question": "smoker"', '"question": "x"')
    written.write_text(text, encoding="utf-8")
    with pytest.raises(KnowledgeError, match="unknown question 'x'"):
        load_knowledge(root, cache_dir=cache)


def test_a_broken_file_is_refused_with_or_without_a_cache(root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_knowledge(root, cache_dir=cache)
    replace(root, "rules/prp.yaml", "severity: caution", "severity: mild")
    with pytest.raises(KnowledgeError, match=r"rules/prp\.yaml"):
        load_knowledge(root, cache_dir=cache)
    (root / "rules" / "prp.yaml").unlink()
    (root / "rules" / "prp.yaml").mkdir()
    with pytest.raises(KnowledgeError):
        load_knowledge(root, cache_dir=cache)


def test_an_unwritable_or_corrupt_cache_is_only_slower(root: Path, tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert load_knowledge(root, cache_dir=blocked / "cache").version == shipped().version
    cache = tmp_path / "cache"
    load_knowledge(root, cache_dir=cache)
    (written,) = cache.glob("knowledge-*.json")
    written.write_text("[1, 2", encoding="utf-8")
    assert load_knowledge(root, cache_dir=cache).version == shipped().version
    written.write_text("[1, 2]", encoding="utf-8")
    assert load_knowledge(root, cache_dir=cache).version == shipped().version


def test_a_file_nested_too_deep_is_refused_not_a_crash(root: Path) -> None:
    path = root / "rules" / "prp.yaml"
    path.write_text("rules: " + "[" * 65 + "]" * 65 + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="nested more than 64 levels deep"):
        load_knowledge(root)
    path.write_text("rules: " + "[" * 50_000 + "]" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match="nested more than 64 levels deep"):
        load_knowledge(root)
