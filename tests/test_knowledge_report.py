"""The knowledge report: every rule under each treatment it applies to, in words."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from consult.knowledge.loader import load_knowledge
from consult.knowledge.report import condition_words, render_report, severity_words
from tests.screening_support import shipped


def test_markdown_lists_every_rule_under_its_treatments() -> None:
    kb = shipped()
    text = render_report(kb, "md")
    assert kb.version in text
    for treatment in kb.treatments:
        assert f"(`{treatment.id}`)" in text
    for rule in kb.rules:
        assert f"`{rule.id}`" in text
    section = text.split("(`botulinum_toxin`)")[1].split("\n## ")[0]
    assert (
        "`toxin-neuromuscular` | botulinum_toxin | absolute | neuromuscular_disorder is yes |"
        in section
    )
    assert "`regen-active-cancer`" not in section
    assert "Bocouture package leaflet" in section and "product label" in section


def test_condition_and_severity_in_words() -> None:
    kb = shipped()
    assert condition_words(kb.rule("regen-jp-non-doctor")) == (
        "the jurisdiction is JP and the practitioner's qualification is not doctor"
    )
    assert condition_words(kb.rule("regen-cancer-history")) == (
        "cancer_history is yes, unless regen-active-cancer or regen-melanoma or "
        "regen-blood-cancer applies"
    )
    assert (
        severity_words(kb.rule("laser-isotretinoin"))
        == "ablative: absolute, non_ablative: relative"
    )
    assert severity_words(kb.rule("prp-smoker")) == "caution"


def test_html_is_escaped_and_well_formed() -> None:
    text = render_report(shipped(), "html")
    assert text.startswith("<!DOCTYPE html>")
    assert "Bocouture package leaflet (per-product: Botox lists it as a warning)" in text
    assert "&quot;Patients with active cancer should avoid exosome therapy&quot;" in text
    HTMLParser().feed(text)


def test_policy_rules_are_marked(tmp_path: Path) -> None:
    (tmp_path / "p.yaml").write_text(
        "overrides:\n  - {rule: prp-smoker, severity: relative, reason: board | decision}\n",
        encoding="utf-8",
    )
    text = render_report(load_knowledge(policy_dir=tmp_path), "md")
    assert "severity raised by clinic policy p.yaml: board \\| decision" in text
