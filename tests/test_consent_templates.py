"""Consent templates: every treatment has a complete, valid, versioned template."""

from __future__ import annotations

import dataclasses
import re
import shutil
from pathlib import Path

import pytest
import yaml

from consult import resources
from consult.knowledge.consent_templates import (
    JURISDICTIONS,
    REQUIRED_SECTIONS,
    ConsentTemplate,
    ConsentTemplateError,
    SectionKind,
    load_template,
    load_templates,
    render_for,
)

TREATMENTS = (
    "exosome",
    "stem_cell_supernatant",
    "stem_cell_cellular",
    "prp",
    "botulinum_toxin",
    "ha_filler",
    "hyaluronidase",
    "microneedling",
    "chemical_peel",
    "laser_resurfacing",
    "iv_vitamin_c",
)


@pytest.fixture(scope="module")
def templates() -> dict[str, ConsentTemplate]:
    return load_templates()


@pytest.fixture
def consent_dir(tmp_path: Path) -> Path:
    """A writable copy of the shipped templates."""
    target = tmp_path / "consent"
    shutil.copytree(resources.path("consent"), target)
    return target


def _edit(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_every_treatment_has_a_template(templates):
    assert sorted(templates) == sorted(TREATMENTS)
    for treatment, template in templates.items():
        assert template.treatment == treatment
        assert template.title.startswith("Consent to")


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_template_has_every_required_section_and_jurisdiction(templates, treatment):
    template = templates[treatment]
    for section_id, kind in REQUIRED_SECTIONS.items():
        section = template.section(section_id)
        assert section.kind == kind
        for jurisdiction in JURISDICTIONS:
            assert section.text_for(jurisdiction).strip(), (section_id, jurisdiction)
    regulation = template.section("product_and_regulation")
    assert regulation.text_by_jurisdiction is not None
    assert set(regulation.text_by_jurisdiction) == set(JURISDICTIONS)
    # Written out per jurisdiction, not one text copied five times.
    assert len(set(regulation.text_by_jurisdiction.values())) == len(JURISDICTIONS)
    assert "not to have any treatment" in template.section("alternatives").text_for("GB")


SPEAKS_TO_PATIENT = (
    "product_and_regulation",
    "alternatives",
    "aftercare",
    "patient_specific_risks",
    "withdrawal",
    "reflection",
    "photographs",
    "data_processing",
)


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_plain_language(templates, treatment):
    """Short sentences; sections about the patient's choices and actions say "you"."""
    for section in templates[treatment].sections:
        for jurisdiction in JURISDICTIONS:
            text = section.text_for(jurisdiction)
            if section.id in SPEAKS_TO_PATIENT:
                assert re.search(r"\b(you|your)\b", text, re.I), (section.id, jurisdiction)
            # Semicolons separate the items of a list of effects.
            for sentence in re.split(r"(?<=[.?!:;])\s+|\n", text):
                assert len(sentence.split()) <= 40, (section.id, jurisdiction, sentence)


@pytest.mark.parametrize(
    ("treatment", "section", "jurisdiction", "phrases"),
    [
        ("ha_filler", "risks", "GB", ["vascular occlusion", "blindness"]),
        ("botulinum_toxin", "risks", "GB", ["ptosis", "spread"]),
        ("exosome", "risks", "GB", ["granulomas", "weeks to months"]),
        ("stem_cell_supernatant", "risks", "GB", ["granulomas", "weeks to months"]),
        ("exosome", "product_and_regulation", "US", ["No exosome product is approved"]),
        ("exosome", "product_and_regulation", "GB", ["human cells", "cosmetic"]),
        ("exosome", "product_and_regulation", "EU", ["human origin"]),
        (
            "stem_cell_supernatant",
            "product_and_regulation",
            "JP",
            ["outside", "Act on the Safety of Regenerative Medicine", "responsible"],
        ),
        ("stem_cell_cellular", "product_and_regulation", "JP", ["plan number"]),
        ("botulinum_toxin", "product_and_regulation", "GB", ["prescription-only medicine"]),
        ("botulinum_toxin", "product_and_regulation", "EU", ["prescription-only medicine"]),
        ("iv_vitamin_c", "risks", "GB", ["G6PD"]),
    ],
)
def test_key_clinical_content(templates, treatment, section, jurisdiction, phrases):
    text = templates[treatment].section(section).text_for(jurisdiction)
    for phrase in phrases:
        assert phrase in text


def test_version_is_edition_and_content_hash(templates):
    for template in templates.values():
        assert re.fullmatch(rf"{template.edition}\.[0-9a-f]{{12}}", template.version)
        assert template.version.endswith(template.sha256[:12])
    assert load_templates()["ha_filler"].version == templates["ha_filler"].version
    assert len({t.version for t in templates.values()}) == len(templates)


def test_version_changes_when_text_changes(templates):
    template = templates["ha_filler"]
    risks = template.section("risks")
    edited = dataclasses.replace(
        template,
        sections=tuple(
            dataclasses.replace(s, text=(s.text or "") + " Extra.") if s is risks else s
            for s in template.sections
        ),
    )
    assert edited.version != template.version
    assert edited.version.startswith("1.")
    assert dataclasses.replace(template, edition=2).version.startswith("2.")
    # Same content, same version: the version is derived, not stored.
    assert dataclasses.replace(template).version == template.version


def test_version_changes_when_file_text_changes(consent_dir):
    before = load_templates(consent_dir)["botulinum_toxin"].version

    def change(data):
        data["sections"][1]["text_by_jurisdiction"]["JP"] += " Ask us if unsure."

    _edit(consent_dir / "botulinum_toxin.yaml", change)
    after = load_templates(consent_dir)["botulinum_toxin"].version
    assert after != before
    assert after.split(".")[0] == before.split(".")[0]


def test_cannot_set_version_by_hand(templates):
    with pytest.raises(TypeError):
        ConsentTemplate(  # type: ignore[call-arg]
            id="x", treatment="x", edition=1, title="t", sections=(), version="9.abc"
        )


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (
            lambda d: d["sections"][1]["text_by_jurisdiction"].pop("JP"),
            "sections[1] (product_and_regulation).text_by_jurisdiction",
            "'JP' is a required property",
        ),
        (
            lambda d: d["sections"].pop(3),
            "sections",
            "'risks' is missing",
        ),
        (lambda d: d.pop("edition"), "(top level)", "'edition' is a required property"),
        (
            lambda d: d["sections"][0].update(kind="essay"),
            "sections[0] (what_it_is).kind",
            "'essay' is not one of",
        ),
        (
            lambda d: d["sections"][0].update(text=""),
            "sections[0] (what_it_is).text",
            "",
        ),
        (lambda d: d.update(treatment="prp"), "treatment", "named for 'ha_filler'"),
        (
            lambda d: d["sections"][2].update(kind="choice"),
            "sections[2] (benefits).kind",
            "a choice section must be one of",
        ),
        (
            lambda d: d["sections"].append(dict(d["sections"][0])),
            "sections[11] (what_it_is).id",
            "more than once",
        ),
        (
            lambda d: d["sections"][6].pop("override_intro"),
            "sections[6] (patient_specific_risks)",
            "",
        ),
        (
            lambda d: d["sections"][1].update(text="One text for everyone."),
            "sections[1] (product_and_regulation)",
            "",
        ),
    ],
)
def test_errors_name_file_and_key(consent_dir, change, key, problem):
    _edit(consent_dir / "ha_filler.yaml", change)
    with pytest.raises(ConsentTemplateError) as caught:
        load_templates(consent_dir)
    err = caught.value
    assert err.file == "ha_filler.yaml"
    assert err.key.startswith(key)
    assert problem in err.problem
    assert str(err).startswith(f"ha_filler.yaml: {err.key}: ")


def test_per_jurisdiction_text_is_required_for_regulation(consent_dir):
    def change(data):
        section = data["sections"][1]
        section["text"] = section.pop("text_by_jurisdiction")["GB"]

    _edit(consent_dir / "prp.yaml", change)
    with pytest.raises(ConsentTemplateError, match=r"prp\.yaml: .*product_and_regulation"):
        load_templates(consent_dir)


def test_duplicate_yaml_keys_are_rejected(consent_dir):
    path = consent_dir / "prp.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("edition: 1\n", "edition: 1\nedition: 2\n"),
        encoding="utf-8",
    )
    with pytest.raises(ConsentTemplateError, match=r"(?s)prp\.yaml: .*duplicate key 'edition'"):
        load_templates(consent_dir)


def test_invalid_yaml_and_empty_directory(tmp_path):
    with pytest.raises(ConsentTemplateError, match="no consent templates"):
        load_templates(tmp_path)
    bad = tmp_path / "prp.yaml"
    bad.write_text("id: [unclosed\n", encoding="utf-8")
    with pytest.raises(ConsentTemplateError, match=r"prp\.yaml: is not valid YAML"):
        load_template(bad)


def test_render_for_picks_the_jurisdiction_text(templates):
    template = templates["exosome"]
    for jurisdiction in JURISDICTIONS:
        rendered = {s.id: s for s in render_for(template, jurisdiction, [], [])}
        assert [s.id for s in template.sections] == list(rendered)
        assert rendered["product_and_regulation"].text == template.section(
            "product_and_regulation"
        ).text_for(jurisdiction)
        assert rendered["risks"].text == template.section("risks").text
    with pytest.raises(ValueError, match="unknown jurisdiction"):
        render_for(template, "FR", [], [])


def test_render_for_patient_specific_risks(templates):
    template = templates["ha_filler"]
    section = template.section("patient_specific_risks")
    none = {s.id: s for s in render_for(template, "GB", [], [])}
    assert none["patient_specific_risks"].text == section.text_if_none

    rendered = {
        s.id: s
        for s in render_for(
            template,
            "GB",
            ["You bruise easily.", " ", "You bruise easily.", "Cold sores may flare."],
            [("Anticoagulant: bruising.", "Cannula, pressure for 10 minutes")],
        )
    }
    text = rendered["patient_specific_risks"].text
    assert text.splitlines() == [
        section.text,
        "• You bruise easily.",
        "• Cold sores may flare.",
        section.override_intro,
        "• Anticoagulant: bruising — Cannula, pressure for 10 minutes",
    ]
    assert rendered["patient_specific_risks"].kind is SectionKind.PATIENT_SPECIFIC_RISKS
    assert rendered["patient_specific_risks"].to_dict()["text"] == text


def test_render_for_rejects_override_without_justification(templates):
    with pytest.raises(ValueError, match="justification"):
        render_for(templates["prp"], "GB", ["Risk."], [("Rule message", "  ")])


def test_choice_sections_are_questions(templates):
    for template in templates.values():
        for section_id in ("photographs", "data_processing"):
            section = template.section(section_id)
            assert section.kind is SectionKind.CHOICE
            for jurisdiction in JURISDICTIONS:
                assert section.text_for(jurisdiction).endswith("?")
