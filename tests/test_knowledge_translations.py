"""Translations of the knowledge base and the consent templates as data (issue 18).

Behaviour is tested on small translation files written into a copy of the shipped
knowledge base (the copy has no translations of its own); one test reads the real shipped
translation files and asserts they are well formed (not that they are complete).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from consult import resources
from consult.domain.knowledge_texts import LocalText
from consult.knowledge.consent_templates import (
    SectionKind,
    load_template,
    load_templates,
    render_for,
)
from consult.knowledge.loader import load_knowledge
from consult.knowledge.translation_coverage import coverage, knowledge_sources
from consult.knowledge.translation_skeleton import update_language
from consult.knowledge.translations import offered_languages

ROOT = Path(__file__).resolve().parents[1]

PREGNANT = "Are you pregnant, or could you be pregnant?"
BLOOD_CANCER_RISK = (
    "Because you have had a cancer of the blood or bone marrow, your own blood cannot be "
    "used for this treatment."
)


@pytest.fixture
def kb_root(tmp_path: Path) -> Path:
    """A copy of the shipped knowledge base, without its translations."""
    root = tmp_path / "knowledge"
    shutil.copytree(
        resources.path("knowledge"), root, ignore=shutil.ignore_patterns("translations")
    )
    return root


@pytest.fixture
def consent_root(tmp_path: Path) -> Path:
    """The PRP consent template alone, without translations."""
    root = tmp_path / "consent"
    root.mkdir()
    shutil.copy(resources.path("consent", "prp.yaml"), root / "prp.yaml")
    return root


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def questionnaire_ja(root: Path, extra: str = "") -> Path:
    return write(
        root / "translations" / "ja" / "questionnaire.yaml",
        "language: ja\n"
        "entries:\n"
        "  questions.pregnant.label:\n"
        f"    en: {PREGNANT}\n"
        "    ja: 妊娠していますか？\n"
        "  questions.breastfeeding.label:\n"
        "    en: Are you breast-feeding?\n"  # the source now says "breastfeeding": stale
        "    ja: 授乳中ですか？\n"
        "  sections.pregnancy.title:\n"
        "    en: Pregnancy and breastfeeding\n"
        "    ja: null\n"  # a placeholder: missing
        "  context.jurisdictions.JP.label:\n"
        "    en: Japan\n"
        "    ja: 日本\n" + extra,
    )


def rules_ja(root: Path) -> Path:
    return write(
        root / "translations" / "ja" / "rules" / "prp.yaml",
        "language: ja\n"
        "entries:\n"
        "  rules.prp-blood-cancer.patient_risk:\n"
        # Folded differently from the source (one line there): the same words, not stale.
        "    en: >-\n"
        "      Because you have had a cancer of the blood or bone marrow,\n"
        "      your own blood cannot be used for this treatment.\n"
        "    ja: 血液または骨髄のがんの既往があるため、ご自身の血液は使用できません。\n",
    )


def test_the_files_and_the_loaded_knowledge_base_name_the_same_texts() -> None:
    # The loader checks translations against each source file; the lookup reads the
    # loaded knowledge base: both must know every text by the same key.
    from_files: dict[str, str] = {}
    for texts in knowledge_sources(resources.path("knowledge")).values():
        from_files.update(texts)
    assert from_files == load_knowledge().source_texts()
    assert len(from_files) > 400


# --- the lookup ------------------------------------------------------------------------


def test_a_translation_is_used_and_flagged_translated(kb_root: Path) -> None:
    questionnaire_ja(kb_root)
    rules_ja(kb_root)
    kb = load_knowledge(kb_root)
    texts = kb.texts("ja")
    assert texts.question_label("pregnant") == LocalText("妊娠していますか？", True, "ja")
    assert texts.label("jurisdiction", "JP") == LocalText("日本", True, "ja")
    risk = texts.patient_risk("prp-blood-cancer")
    assert risk.translated and risk.text.startswith("血液または骨髄")
    assert kb.text("ja", "questions.pregnant.label").text == "妊娠していますか？"
    assert kb.languages == ("en", "ja")


def test_stale_placeholder_and_absent_fall_back_to_english_marked(kb_root: Path) -> None:
    questionnaire_ja(kb_root)
    texts = load_knowledge(kb_root).texts("ja")
    stale = texts.question_label("breastfeeding")
    assert stale == LocalText("Are you breastfeeding?", False, "ja")
    assert texts.section_title("pregnancy") == LocalText("Pregnancy and breastfeeding", False, "ja")
    assert texts.label("treatment", "prp") == LocalText("Platelet-rich plasma", False, "ja")
    assert not texts.message("prp-blood-cancer").translated
    assert texts.value_label("cancer_types", "blood_or_bone_marrow").translated is False


def test_english_is_the_source_always_translated(kb_root: Path) -> None:
    questionnaire_ja(kb_root)
    kb = load_knowledge(kb_root)
    english = kb.texts("en")
    assert english.question_label("pregnant") == LocalText(PREGNANT, True, "en")
    assert english.label("treatment", "prp").text == kb.label("treatment", "prp")
    assert english.patient_risk("prp-blood-cancer") == LocalText(BLOOD_CANCER_RISK, True, "en")
    assert english.coverage()[0] == english.coverage()[1]


def test_a_language_without_a_folder_is_english_marked_and_unknown_ids_show(
    kb_root: Path,
) -> None:
    kb = load_knowledge(kb_root)
    assert kb.languages == ("en",)
    greek = kb.texts("el")
    assert greek.question_label("pregnant") == LocalText(PREGNANT, False, "el")
    assert greek.label("treatment", "retired") == LocalText("retired", False, "el")
    assert kb.texts("en").label("treatment", "retired") == LocalText("retired", True, "en")
    assert greek.question_help("breastfeeding") == LocalText("", False, "el")
    with pytest.raises(KeyError):
        greek.question_label("no_such_question")


def test_an_orphan_key_is_logged_and_ignored_at_run_time(
    kb_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    questionnaire_ja(kb_root, "  questions.pregnnat.label:\n    en: Typo\n    ja: 誤り\n")
    with caplog.at_level(logging.WARNING):
        kb = load_knowledge(kb_root)
    assert "questions.pregnnat.label: names nothing in the source" in caplog.text
    assert kb.texts("ja").question_label("pregnant").translated
    assert not kb.texts("ja").has("questions.pregnnat.label")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("language: ja\nentries:\n  title:\n    en: Consent\n    ja: ''\n", "entries.title"),
        ("language: ko\nentries: {}\n", "but the file is in the 'ja' folder"),
        ("language: ja\nentries:\n  title: {en: A, ja: B, ko: C}\n", "entries.title"),
        ("language: ja\nentries: [\n", "not valid YAML"),
        ("language: ja\nentries:\n  title: {en: A, ja: B}\n  title: {en: A, ja: C}\n", "dupl"),
    ],
)
def test_a_malformed_file_is_logged_not_fatal_and_an_error_for_the_check(
    kb_root: Path, caplog: pytest.LogCaptureFixture, text: str, problem: str
) -> None:
    path = write(kb_root / "translations" / "ja" / "treatments.yaml", text)
    questionnaire_ja(kb_root)
    with caplog.at_level(logging.WARNING):
        kb = load_knowledge(kb_root)
    assert str(path) in caplog.text and problem in caplog.text
    assert kb.texts("ja").question_label("pregnant").translated  # the other file still works
    found = coverage("ja", kb_root, resources.path("consent"))
    assert any(problem in p and str(path) in p for p in found.problems)


# --- the rule-set version and the cache ------------------------------------------------


def test_translations_do_not_change_the_rule_set_version(kb_root: Path) -> None:
    before = load_knowledge(kb_root).version
    questionnaire_ja(kb_root)
    rules_ja(kb_root)
    assert load_knowledge(kb_root).version == before
    assert before == load_knowledge(kb_root, cache_dir=kb_root.parent / "cache").version


def test_the_cache_follows_a_changed_translation_file(kb_root: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    path = questionnaire_ja(kb_root)
    first = load_knowledge(kb_root, cache_dir=cache)
    assert first.texts("ja").question_label("pregnant").text == "妊娠していますか？"
    [cached] = cache.glob("knowledge-*.json")
    assert "translations/ja/questionnaire.yaml" in cached.read_text(encoding="utf-8")
    again = load_knowledge(kb_root, cache_dir=cache)  # from the cache
    assert again.texts("ja").question_label("pregnant").text == "妊娠していますか？"
    path.write_text(
        path.read_text(encoding="utf-8").replace("妊娠していますか？", "妊娠中ですか？"),
        encoding="utf-8",
    )
    changed = load_knowledge(kb_root, cache_dir=cache)
    assert changed.texts("ja").question_label("pregnant").text == "妊娠中ですか？"
    assert [p.name for p in cache.glob("knowledge-*.json")] != [cached.name]
    assert changed.version == first.version


# --- consent templates -----------------------------------------------------------------


def prp_ja(consent_root: Path, body: str) -> Path:
    return write(
        consent_root / "translations" / "ja" / "prp.yaml", "language: ja\nentries:\n" + body
    )


def test_render_in_english_is_unchanged_and_never_untranslated(consent_root: Path) -> None:
    prp_ja(
        consent_root,
        "  title:\n    en: Consent to platelet-rich plasma (PRP) treatment\n"
        "    ja: 多血小板血漿（PRP）療法に関する同意書\n",
    )
    template = load_template(consent_root / "prp.yaml")
    plain = render_for(template, "JP", ["A risk."], [("A rule.", "Agreed.")])
    english = render_for(template, "JP", ["A risk."], [("A rule.", "Agreed.")], language="en")
    assert plain == english
    assert not any(section.untranslated for section in english)
    assert template.title_for("en") == LocalText(template.title, True, "en")
    assert template.translation_version("en") is None


def test_render_in_japanese_marks_every_section_that_fell_back(consent_root: Path) -> None:
    template_en = load_template(consent_root / "prp.yaml")
    what = template_en.section("what_it_is")
    prp_ja(
        consent_root,
        "  title:\n"
        "    en: Consent to platelet-rich plasma (PRP) treatment\n"
        "    ja: 多血小板血漿（PRP）療法に関する同意書\n"
        "  sections.what_it_is.heading:\n"
        f"    en: {what.heading}\n"
        "    ja: この治療について\n"
        "  sections.what_it_is.text:\n"
        f'    en: "{what.text}"\n'
        "    ja: PRPはご自身の血液から作ります。\n"
        "  sections.risks.heading:\n"
        "    en: Risks and side effects\n"
        "    ja: リスクと副作用\n",
    )
    template = load_template(consent_root / "prp.yaml")
    assert template.version == template_en.version  # the English version as is
    assert template.languages == ("en", "ja")
    assert template.title_for("ja") == LocalText(
        "多血小板血漿（PRP）療法に関する同意書", True, "ja"
    )
    sections = {s.id: s for s in render_for(template, "JP", [], [], language="ja")}
    assert sections["what_it_is"].heading == "この治療について"
    assert sections["what_it_is"].text == "PRPはご自身の血液から作ります。"
    assert not sections["what_it_is"].untranslated
    assert sections["what_it_is"].language == "ja"
    # The heading is translated, the text is not: the section is marked.
    assert sections["risks"].heading == "リスクと副作用"
    assert sections["risks"].text == template.section("risks").text_for("JP")
    assert sections["risks"].untranslated
    assert all(sections[s].untranslated for s in ("benefits", "patient_specific_risks"))
    version = template.translation_version("ja")
    assert version is not None and version.startswith("ja.")
    assert template.translation_version("ko") is None


def test_the_patient_risks_carry_their_own_flag(consent_root: Path) -> None:
    section = load_template(consent_root / "prp.yaml").section("patient_specific_risks")
    intro = section.text_for("JP")
    prp_ja(
        consent_root,
        f"  sections.patient_specific_risks.heading:\n    en: {section.heading}\n"
        "    ja: ご自身に当てはまるリスク\n"
        "  sections.patient_specific_risks.text:\n"
        f'    en: "{intro}"\n    ja: 次のリスクが当てはまります。\n',
    )
    template = load_template(consent_root / "prp.yaml")

    def render(*risks: str | LocalText) -> tuple[str, bool]:
        [found] = [
            s
            for s in render_for(template, "JP", list(risks), [], language="ja")
            if s.kind is SectionKind.PATIENT_SPECIFIC_RISKS
        ]
        return found.text, found.untranslated

    translated = LocalText("出血しやすくなります。", True, "ja")
    text, untranslated = render(translated, translated)
    assert text == "次のリスクが当てはまります。\n• 出血しやすくなります。"  # once
    assert not untranslated
    assert render(translated, LocalText("Bleeding.", False, "ja"))[1]
    assert render("A plain string is not known to be Japanese.")[1]
    assert render(LocalText("English text", True, "en"))[1]


def test_a_bad_consent_translation_leaves_the_english_template_working(
    consent_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    prp_ja(consent_root, "  title: {en: Consent, ja: ''}\n")
    with caplog.at_level(logging.WARNING):
        templates = load_templates(consent_root)
    assert "consent translation ignored" in caplog.text
    assert templates["prp"].languages == ("en",)
    assert all(s.untranslated for s in render_for(templates["prp"], "JP", [], [], language="ja"))


def test_the_translation_version_changes_with_the_translation(consent_root: Path) -> None:
    body = "  title:\n    en: Consent to platelet-rich plasma (PRP) treatment\n    ja: {}\n"
    prp_ja(consent_root, body.format("同意書"))
    first = load_template(consent_root / "prp.yaml").translation_version("ja")
    prp_ja(consent_root, body.format("同意書（PRP）"))
    second = load_template(consent_root / "prp.yaml").translation_version("ja")
    assert first is not None and second is not None and first != second


# --- the languages offered, coverage, the command line ---------------------------------


def test_the_languages_offered_are_the_folders_present(kb_root: Path, consent_root: Path) -> None:
    assert offered_languages(kb_root, consent_root) == ("en",)
    (consent_root / "translations" / "el").mkdir(parents=True)
    (kb_root / "translations" / "ja").mkdir(parents=True)
    assert offered_languages(kb_root, consent_root) == ("en", "el", "ja")


def consult(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, CONSULT_HOME=str(home))
    environment.pop("CONSULT_DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_knowledge_check_reports_coverage_and_fails_only_on_errors(
    kb_root: Path, consent_root: Path, tmp_path: Path
) -> None:
    questionnaire_ja(kb_root)
    rules_ja(kb_root)
    args = ("knowledge", "check", str(kb_root), "--consent-dir", str(consent_root))
    result = consult(tmp_path, *args)
    assert result.returncode == 0, result.stderr
    assert "Translations into ja (translated / stale / missing of total):" in result.stdout
    counts = re.findall(r"^  (\w+) +(\d+) / +(\d+) / +(\d+) of (\d+)$", result.stdout, re.M)
    table = {name: tuple(int(n) for n in numbers) for name, *numbers in counts}
    assert table["questions"] == (1, 1, 61, 63)
    assert table["patient_risk"] == (1, 0, 141, 142)
    assert table["sections"] == (0, 0, 10, 10)
    assert table["context"][0] == 1
    assert table["consent"] == (0, 0, 37, 37)
    incomplete = consult(tmp_path, *args, "--require-complete", "ja")
    assert incomplete.returncode == 1
    assert "questions.breastfeeding.label (stale)" in incomplete.stderr
    assert "rules.prp-smoker.patient_risk (missing)" in incomplete.stderr
    assert ".message (missing)" not in incomplete.stderr  # messages are optional
    questionnaire_ja(kb_root, "  questions.gone.help:\n    en: Gone\n    ja: 消えた\n")
    orphan = consult(tmp_path, *args)
    assert orphan.returncode == 1
    assert "questions.gone.help: names nothing in the source (orphan key)" in orphan.stderr
    assert "1 translation errors" in orphan.stderr


def test_a_complete_language_passes_require_complete(
    kb_root: Path, consent_root: Path, tmp_path: Path
) -> None:
    update_language("ja", kb_root, consent_root)  # every text, as a placeholder
    for path in [
        *kb_root.rglob("translations/ja/**/*.yaml"),
        *consent_root.rglob("translations/ja/*.yaml"),
    ]:
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("    ja: null", '    ja: "訳文"'), encoding="utf-8")
    args = ("knowledge", "check", str(kb_root), "--consent-dir", str(consent_root))
    result = consult(tmp_path, *args, "--require-complete", "ja")
    assert result.returncode == 0, result.stderr
    assert "  consent" in result.stdout and " /   0 /    0 of " in result.stdout
    kb = load_knowledge(kb_root)
    assert kb.texts("ja").coverage()[0] == kb.texts("ja").coverage()[1]
    assert kb.texts("ja").question_label("pregnant").text == "訳文"


# --- the skeleton tool -----------------------------------------------------------------


def run_tool(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "translations.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_skeleton_adds_placeholders_and_keeps_stale_and_orphan_entries(
    kb_root: Path, consent_root: Path
) -> None:
    path = questionnaire_ja(kb_root)
    args = ("data", "ja", "--knowledge", str(kb_root), "--consent", str(consent_root))
    result = run_tool(*args)
    assert result.returncode == 0, result.stderr
    assert "questions.breastfeeding.label: stale" in result.stdout
    consent_file = consent_root / "translations" / "ja" / "prp.yaml"
    written = consent_file.read_text(encoding="utf-8")
    assert written.startswith("# Translation of resources/consent/prp.yaml")
    assert (
        '  title:\n    en: "Consent to platelet-rich plasma (PRP) treatment"\n    ja: null\n'
        in (written)
    )
    questionnaire = path.read_text(encoding="utf-8")
    assert "    en: Are you breast-feeding?" not in questionnaire  # rewritten, but...
    assert '    en: "Are you breast-feeding?"\n    ja: "授乳中ですか？"' in questionnaire  # ...kept
    assert '    ja: "妊娠していますか？"' in questionnaire
    assert '  questions.smoker.label:\n    en: "' in questionnaire
    kb = load_knowledge(kb_root)  # placeholders load, as missing
    assert kb.texts("ja").question_label("pregnant").translated
    assert not kb.texts("ja").question_label("smoker").translated
    found = coverage("ja", kb_root, consent_root)
    assert found.problems == []
    assert found.counts["questions"].translated == 1 and found.counts["questions"].stale == 1
    # A second run adds nothing and rewrites nothing.
    before = {p: p.stat().st_mtime_ns for p in kb_root.rglob("translations/**/*.yaml")}
    again = run_tool(*args)
    assert again.returncode == 0 and "new entries" not in again.stdout
    assert before == {p: p.stat().st_mtime_ns for p in kb_root.rglob("translations/**/*.yaml")}
    # An orphan is kept and reported: exit 1.
    with path.open("a", encoding="utf-8") as file:
        file.write('  questions.gone.label:\n    en: "Gone"\n    ja: "消えた"\n')
    orphan = run_tool(*args)
    assert orphan.returncode == 1
    assert "questions.gone.label: names nothing in the source" in orphan.stderr
    assert "questions.gone.label" in path.read_text(encoding="utf-8")


def test_the_skeleton_refuses_english_and_leaves_a_malformed_file_alone(
    kb_root: Path, consent_root: Path
) -> None:
    args = ("--knowledge", str(kb_root), "--consent", str(consent_root))
    assert run_tool("data", "en", *args).returncode == 2
    bad = write(kb_root / "translations" / "ja" / "treatments.yaml", "language: ja\nentries: [\n")
    result = run_tool("data", "ja", *args)
    assert result.returncode == 1
    assert "treatments.yaml" in result.stderr and "not valid YAML" in result.stderr
    assert bad.read_text(encoding="utf-8") == "language: ja\nentries: [\n"


# --- the shipped translation files -----------------------------------------------------


def test_the_shipped_translation_files_are_well_formed_with_no_orphan_key() -> None:
    languages = offered_languages()[1:]
    for language in languages:
        found = coverage(language)
        assert found.problems == [], "\n".join(found.problems)
