"""Clinic policy files: stricter rules are applied; weakening is refused at load."""

from __future__ import annotations

from pathlib import Path

import pytest

from consult.domain.intake import parse_intake
from consult.domain.screening import screen
from consult.knowledge.errors import KnowledgeError
from consult.knowledge.loader import load_knowledge
from tests.screening_support import fired, intake, shipped

NEW_RULE = """
description: Stricter rules of the clinic's medical board
rules:
  - id: clinic-smoker-filler
    applies_to: {treatments: [ha_filler]}
    condition: {question: smoker, equals: "yes"}
    severity: caution
    message: Smoker. Slower healing.
    patient_risk: Smoking slows healing after filler.
    source: {text: medical board minute 12/2026, basis: clinic_policy}
"""

RAISE = """
overrides:
  - rule: toxin-body-image
    severity: absolute
    reason: the clinic does not treat a positive body-image screen
  - rule: laser-fitzpatrick-iv-vi
    severity: {ablative: absolute, non_ablative: relative}
    reason: pigmentation complaints in 2025
"""


def write(directory: Path, name: str, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    path.write_text(text, encoding="utf-8")
    return path


def screen_with(kb, **kwargs):
    return screen(parse_intake(intake(**kwargs), kb), kb).results[0]


def test_no_policy_dir_or_empty_dir_changes_nothing(tmp_path: Path) -> None:
    assert load_knowledge(policy_dir=tmp_path / "missing").version == shipped().version
    assert load_knowledge(policy_dir=tmp_path).version == shipped().version


def test_policy_adds_a_rule(tmp_path: Path) -> None:
    write(tmp_path, "board.yaml", NEW_RULE)
    kb = load_knowledge(policy_dir=tmp_path)
    assert kb.version != shipped().version
    rule = kb.rule("clinic-smoker-filler")
    assert rule.origin == "policy:board.yaml"
    assert rule.source.basis == "clinic_policy"
    result = screen_with(kb, treatment="ha_filler", answers={"smoker": "yes"})
    assert fired(result) == {"clinic-smoker-filler": "caution"}
    assert result.outcome == "caution"


def test_policy_raises_severities(tmp_path: Path) -> None:
    write(tmp_path, "raise.yaml", RAISE)
    kb = load_knowledge(policy_dir=tmp_path)
    assert kb.rule("toxin-body-image").severity == "absolute"
    assert "raise.yaml" in kb.rule("toxin-body-image").policy_note
    result = screen_with(kb, treatment="botulinum_toxin", answers={"body_image_concern": "yes"})
    assert result.outcome == "absolute"
    ablative = screen_with(
        kb, treatment="laser_resurfacing", route="ablative", answers={"fitzpatrick_type": "V"}
    )
    assert fired(ablative) == {"laser-fitzpatrick-iv-vi": "absolute"}


def test_raising_a_per_route_rule_to_one_severity(tmp_path: Path) -> None:
    write(
        tmp_path,
        "p.yaml",
        "overrides:\n  - {rule: peel-isotretinoin, severity: absolute, reason: r}\n",
    )
    kb = load_knowledge(policy_dir=tmp_path)
    assert kb.rule("peel-isotretinoin").severity == "absolute"


def test_keeping_the_same_severity_is_allowed(tmp_path: Path) -> None:
    write(
        tmp_path,
        "p.yaml",
        "overrides:\n  - {rule: toxin-neuromuscular, severity: absolute, reason: r}\n",
    )
    assert load_knowledge(policy_dir=tmp_path).rule("toxin-neuromuscular").severity == "absolute"


def test_policy_version_depends_on_the_policy_content(tmp_path: Path) -> None:
    write(tmp_path / "a", "p.yaml", NEW_RULE)
    write(tmp_path / "b", "p.yaml", NEW_RULE.replace("Slower healing.", "Slow healing."))
    first = load_knowledge(policy_dir=tmp_path / "a").version
    assert first == load_knowledge(policy_dir=tmp_path / "a").version
    assert first != load_knowledge(policy_dir=tmp_path / "b").version


@pytest.mark.parametrize(
    ("text", "key", "words"),
    [
        (
            "overrides:\n  - {rule: toxin-neuromuscular, severity: relative, reason: fewer}\n",
            "overrides[0].severity",
            "cannot lower rule 'toxin-neuromuscular' from absolute to relative",
        ),
        (
            "overrides:\n  - {rule: prp-smoker, severity: absolute, reason: r}\n"
            "  - {rule: toxin-body-image, severity: caution, reason: r}\n",
            "overrides[1].severity",
            "cannot lower rule 'toxin-body-image' from relative to caution",
        ),
        (
            "overrides:\n  - rule: laser-isotretinoin\n"
            "    severity: {ablative: relative, non_ablative: relative}\n    reason: r\n",
            "overrides[0].severity",
            "cannot lower rule 'laser-isotretinoin' from absolute to relative on route ablative",
        ),
        (
            "overrides:\n  - {rule: peel-isotretinoin, severity: relative, reason: r}\n",
            "overrides[0].severity",
            "from absolute to relative on route medium",
        ),
        (
            "remove: [all-lot-expired]\n",
            "remove[0]",
            "cannot remove rule 'all-lot-expired' (absolute)",
        ),
        ("remove: [prp-smoker]\n", "remove[0]", "cannot remove rule 'prp-smoker' (caution)"),
        ("remove: [laser-isotretinoin]\n", "remove[0]", "(per route)"),
        ("remove: [no-such-rule]\n", "remove[0]", "unknown rule 'no-such-rule'"),
        (
            "overrides:\n  - {rule: no-such-rule, severity: absolute, reason: r}\n",
            "overrides[0].rule",
            "unknown rule 'no-such-rule'",
        ),
        (
            "rules:\n"
            "  - id: clinic-g6pd-unsure\n"
            "    applies_to: {treatments: [iv_vitamin_c]}\n"
            "    condition: {question: g6pd_deficiency, equals: unsure}\n"
            "    severity: clarify\n"
            "    message: G6PD status unknown.\n"
            "    patient_risk: A G6PD test is needed first.\n"
            "    source: {text: board minute 4, basis: clinic_policy}\n"
            "overrides:\n  - {rule: clinic-g6pd-unsure, severity: absolute, reason: r}\n",
            "overrides[0].rule",
            "clarify rule",
        ),
        (
            "overrides:\n  - rule: laser-isotretinoin\n"
            "    severity: {ablative: absolute}\n    reason: r\n",
            "overrides[0].severity",
            "must name exactly: non_ablative, ablative",
        ),
        (
            "overrides:\n  - {rule: prp-smoker, severity: absolute}\n",
            "overrides[0]",
            "'reason' is a required property",
        ),
        (
            NEW_RULE.replace("id: clinic-smoker-filler", "id: prp-smoker"),
            "rules[0].id",
            "duplicate rule id 'prp-smoker'",
        ),
        (
            NEW_RULE.replace("basis: clinic_policy", "basis: label"),
            "rules[0].source.basis",
            "'clinic_policy' was expected",
        ),
        (
            NEW_RULE.replace("question: smoker", "question: smokes"),
            "rules[0].condition.question",
            "unknown question 'smokes'",
        ),
        ("weaken: [prp-smoker]\n", "", "Additional properties are not allowed"),
    ],
)
def test_weakening_or_broken_policy_is_refused(
    tmp_path: Path, text: str, key: str, words: str
) -> None:
    path = write(tmp_path, "clinic.yaml", text)
    with pytest.raises(KnowledgeError) as caught:
        load_knowledge(policy_dir=tmp_path)
    assert caught.value.file == str(path)
    assert caught.value.path == key, str(caught.value)
    assert words in caught.value.message, str(caught.value)


def test_policy_rule_may_defer_to_a_shipped_rule(tmp_path: Path) -> None:
    text = NEW_RULE.replace(
        "    severity: caution\n",
        "    severity: caution\n    otherwise: [filler-anticoagulant]\n",
    )
    write(tmp_path, "p.yaml", text)
    kb = load_knowledge(policy_dir=tmp_path)
    both = screen_with(
        kb, treatment="ha_filler", answers={"smoker": "yes", "anticoagulants": ["warfarin"]}
    )
    assert fired(both) == {"filler-anticoagulant": "relative"}


def test_later_policy_file_can_raise_an_earlier_policy_rule(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", NEW_RULE)
    write(
        tmp_path,
        "b.yaml",
        "overrides:\n  - {rule: clinic-smoker-filler, severity: relative, reason: r}\n",
    )
    kb = load_knowledge(policy_dir=tmp_path)
    assert kb.rule("clinic-smoker-filler").severity == "relative"
