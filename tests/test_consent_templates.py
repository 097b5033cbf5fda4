"""Consent templates: every treatment has a complete, valid, versioned template."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from consult import resources
from consult.domain import jurisdictions
from consult.knowledge.consent_templates import (
    JURISDICTIONS,
    PRODUCT_SOURCES,
    REQUIRED_SECTIONS,
    ConsentTemplate,
    ConsentTemplateError,
    SectionKind,
    load_template,
    load_templates,
    render_for,
    template_from_data,
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
    # Written out per jurisdiction, not one text copied seven times.
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
    assert edited.version.startswith(f"{template.edition}.")
    assert dataclasses.replace(template, edition=9).version.startswith("9.")
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
        path.read_text(encoding="utf-8").replace("edition: 2\n", "edition: 2\nedition: 3\n"),
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


# --- second edition: South Korea and China, and the changed texts ---------------------

PER_JURISDICTION = ("product_and_regulation", "data_processing")

FIRST_EDITION_VERSIONS = {
    # The versions printed on forms signed with the first edition of the templates.
    "botulinum_toxin": "1.9ee4de4632c4",
    "chemical_peel": "1.b6b31cdd4347",
    "exosome": "1.0ec4f7eb2f90",
    "ha_filler": "1.5ba55f4dd340",
    "hyaluronidase": "1.b7b6405b752b",
    "iv_vitamin_c": "1.ff20c7369089",
    "laser_resurfacing": "1.bc24e0509629",
    "microneedling": "1.e4fe189e5f0a",
    "prp": "1.59821752e558",
    "stem_cell_cellular": "1.fdb45e4b9e75",
    "stem_cell_supernatant": "1.0533e36684fe",
}


def test_templates_cover_the_app_s_jurisdictions():
    assert JURISDICTIONS == jurisdictions.JURISDICTIONS
    assert {"KR", "CN"} <= set(JURISDICTIONS)
    schema = json.loads(resources.path("consent", "schema.json").read_text(encoding="utf-8"))
    by_jurisdiction = schema["$defs"]["by_jurisdiction"]
    assert by_jurisdiction["required"] == list(JURISDICTIONS)
    assert list(by_jurisdiction["properties"]) == list(JURISDICTIONS)
    assert list(schema["$defs"]["by_product_source"]["properties"]) == list(PRODUCT_SOURCES)


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_every_template_has_korean_and_chinese_texts(templates, treatment):
    template = templates[treatment]
    for section_id in PER_JURISDICTION:
        by_j = template.section(section_id).text_by_jurisdiction
        assert by_j is not None
        assert list(by_j) == list(JURISDICTIONS)
        kr, cn = by_j["KR"], by_j["CN"]
        # Written for the country, not copied from another jurisdiction.
        assert kr not in {text for j, text in by_j.items() if j != "KR"}, section_id
        assert cn not in {text for j, text in by_j.items() if j != "CN"}, section_id
        assert "Korea" in kr and "China" in cn, section_id
    regulation = template.section("product_and_regulation").text_by_jurisdiction
    assert regulation is not None
    # Each names the country's regulator or the law that applies.
    assert re.search(r"MFDS|Advanced Regenerative Bio Act|medical act", regulation["KR"])
    assert re.search(r"NMPA|Medical Cosmetology|licensed medical institution", regulation["CN"])
    privacy = template.section("data_processing").text_by_jurisdiction
    assert privacy is not None
    assert "Personal Information Protection Act" in privacy["KR"]
    assert "Personal Information Protection Law" in privacy["CN"]


@pytest.mark.parametrize(
    ("treatment", "jurisdiction", "phrases"),
    [
        ("stem_cell_cellular", "KR", ["Advanced Regenerative Bio Act", "designated", "approved"]),
        ("stem_cell_cellular", "CN", ["registered clinical research", "does not give"]),
        ("stem_cell_supernatant", "CN", ["prohibited cosmetic ingredients", "does not give"]),
        ("exosome", "KR", ["human cells or tissues", "culture-derived", "only a doctor"]),
        ("exosome", "CN", ["human cells, tissues and their products", "NMPA"]),
        ("botulinum_toxin", "KR", ["prescription medicine", "MFDS", "only a doctor"]),
        ("botulinum_toxin", "CN", ["prescription medicine", "NMPA", "licensed doctor"]),
        ("ha_filler", "KR", ["medical devices", "MFDS", "only a doctor"]),
        ("ha_filler", "CN", ["class III medical devices", "NMPA", "licensed doctor"]),
        ("ha_filler", "CN", ["Administrative Measures for Medical Cosmetology"]),
    ],
)
def test_key_korean_and_chinese_content(templates, treatment, jurisdiction, phrases):
    text = templates[treatment].section("product_and_regulation").text_for(jurisdiction)
    for phrase in phrases:
        assert phrase in text


def test_exosome_risks_name_donor_derived_infection_for_human_products_only(templates):
    template = templates["exosome"]
    for jurisdiction in JURISDICTIONS:

        def risks(source: str | None, jurisdiction: str = jurisdiction) -> str:
            sections = render_for(template, jurisdiction, [], [], product_source=source)
            return next(s.text for s in sections if s.id == "risks")

        human = risks("human_allogeneic")
        assert "donor-derived infection" in human
        assert human.startswith(template.section("risks").text_for(jurisdiction) + "\n")
        for other in ("synthetic", "plant", "animal", None):
            assert "donor" not in risks(other), other
            assert risks(other) == template.section("risks").text_for(jurisdiction)


def test_product_source_text_changes_nothing_else(templates):
    template = templates["exosome"]
    human = render_for(template, "US", [], [], product_source="human_allogeneic")
    synthetic = render_for(template, "US", [], [], product_source="synthetic")
    differ = [a.id for a, b in zip(human, synthetic, strict=True) if a.text != b.text]
    assert differ == ["risks"]
    with pytest.raises(ValueError, match="unknown product source"):
        render_for(template, "US", [], [], product_source="human")
    # A template without source-specific text renders the same for every source.
    filler = templates["ha_filler"]
    assert render_for(filler, "GB", [], [], product_source="synthetic") == render_for(
        filler, "GB", [], []
    )


def test_exosome_gb_and_eu_texts_cover_the_routes(templates):
    regulation = templates["exosome"].section("product_and_regulation")
    gb = regulation.text_for("GB")
    assert "needling" in gb and "below the surface" in gb and "dermis" in gb
    assert "not injected" in gb
    eu = regulation.text_for("EU")
    # Intradermal is refused in the EU, microneedling needs a practitioner's reason.
    assert "1223/2009" in eu and "outside of the body" in eu and "not injected" in eu
    assert "microneedling" in eu.lower() and "below the surface" in eu
    assert "writes down why" in eu


def test_hyaluronidase_reflection_gives_way_to_the_emergency(templates):
    reflection = templates["hyaluronidase"].section("reflection").text_for("GB")
    first = reflection.splitlines()[0]
    assert "blood vessel may be blocked" in first
    assert "emergency" in first and "should not wait" in first
    # The usual time to think still applies to the other reasons.
    assert "you do not have to decide today" in reflection
    for treatment in set(TREATMENTS) - {"hyaluronidase"}:
        assert "emergency" not in templates[treatment].section("reflection").text_for("GB")


@pytest.mark.parametrize("treatment", TREATMENTS)
def test_photograph_consent_can_be_withdrawn(templates, treatment):
    for jurisdiction in JURISDICTIONS:
        text = templates[treatment].section("photographs").text_for(jurisdiction)
        assert "withdraw this consent later" in text
        assert "take no more photographs" in text


def test_iv_vitamin_c_g6pd_test_and_glucose_meters(templates):
    template = templates["iv_vitamin_c"]
    risks = template.section("risks").text_for("GB")
    assert "normal G6PD blood test result is needed" in risks
    assert "Before your first drip" in risks
    assert "haemolysis" in risks
    assert "glucose" in risks and "falsely high" in risks
    assert "laboratory" in risks and "diabetes" in risks
    aftercare = template.section("aftercare").text_for("GB")
    assert "falsely high" in aftercare and "laboratory test" in aftercare
    assert "result must be normal" in template.section("what_it_is").text_for("GB")


def test_second_edition_keeps_first_edition_forms_apart(templates):
    assert sorted(FIRST_EDITION_VERSIONS) == sorted(templates)
    for treatment, template in templates.items():
        assert template.edition == 2
        assert template.version != FIRST_EDITION_VERSIONS[treatment]


def test_product_source_text_is_part_of_the_version(consent_dir):
    before = load_templates(consent_dir)["exosome"]

    def change(data):
        risks = next(s for s in data["sections"] if s["id"] == "risks")
        risks["text_by_product_source"]["human_allogeneic"] += " Ask us about testing."

    _edit(consent_dir / "exosome.yaml", change)
    after = load_templates(consent_dir)["exosome"]
    assert after.version != before.version
    assert after.section("risks").text_for("GB", "human_allogeneic").endswith("testing.")


@pytest.mark.parametrize(
    ("change", "key", "problem"),
    [
        (
            lambda s: s["risks"]["text_by_product_source"].update(donor="Text."),
            "sections[3] (risks).text_by_product_source",
            "Additional properties are not allowed",
        ),
        (
            lambda s: s["risks"].update(text_by_product_source={}),
            "sections[3] (risks).text_by_product_source",
            "",
        ),
        (
            lambda s: s["patient_specific_risks"].update(
                text_by_product_source={"human_allogeneic": "Text."}
            ),
            "sections[6] (patient_specific_risks)",
            "",
        ),
    ],
)
def test_product_source_text_is_validated(consent_dir, change, key, problem):
    _edit(consent_dir / "exosome.yaml", lambda d: change({s["id"]: s for s in d["sections"]}))
    with pytest.raises(ConsentTemplateError) as caught:
        load_templates(consent_dir)
    assert caught.value.file == "exosome.yaml"
    assert caught.value.key.startswith(key)
    assert problem in caught.value.problem


def test_template_from_data_reads_product_source_text(templates):
    raw = yaml.safe_load(resources.path("consent", "exosome.yaml").read_text(encoding="utf-8"))
    built = template_from_data(raw, name="exosome.yaml", expected_treatment="exosome")
    assert built.version == templates["exosome"].version
    additions = built.section("risks").text_by_product_source
    assert additions is not None and list(additions) == ["human_allogeneic"]


def test_product_sources_are_the_knowledge_base_s(templates):
    from tests.screening_support import shipped

    kb = shipped()
    assert set(PRODUCT_SOURCES) == {c.id for c in kb.product_sources}
    for treatment, template in templates.items():
        for section in template.sections:
            # Text for a source the treatment never has would never be shown.
            additions = section.text_by_product_source or {}
            assert set(additions) <= set(kb.treatment(treatment).product_sources), section.id
