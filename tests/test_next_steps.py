"""The rules' next_step sentences (issue 21): what a patient who is not treated should do
next, as translatable rule data, reported by ``consult knowledge check``."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from consult.domain.knowledge_model import KnowledgeBase
from consult.knowledge.loader import load_knowledge
from consult.knowledge.translation_coverage import category_of

MAIN_BLOCKING = (
    "toxin-pregnant-breastfeeding",
    "filler-pregnant-breastfeeding",
    "prp-active-cancer",
    "regen-active-cancer",
    "filler-anticoagulant",
    "prp-anticoagulant",
    "toxin-active-skin-infection",
    "filler-active-skin-infection",
    "toxin-under-18-gb",
    "filler-under-18-gb",
    "regen-jp-cellular-no-plan",
    "reg-jp-prp-no-plan",
)


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_knowledge()


@pytest.mark.parametrize("rule_id", MAIN_BLOCKING)
def test_the_main_blocking_rules_say_what_to_do_next_in_english_and_japanese(
    kb: KnowledgeBase, rule_id: str
) -> None:
    english = kb.texts("en").next_step(rule_id)
    japanese = kb.texts("ja").next_step(rule_id)
    assert english is not None and english.translated and english.text == kb.rule(rule_id).next_step
    assert japanese is not None and japanese.translated and japanese.text != english.text


def test_a_rule_without_a_next_step_has_none(kb: KnowledgeBase) -> None:
    assert kb.rule("peel-cold-sores").next_step == ""
    assert kb.texts("ja").next_step("peel-cold-sores") is None
    assert kb.texts("en").next_step("no-such-rule") is None


def test_next_step_keys_are_a_category_of_their_own() -> None:
    assert category_of("rules.prp-active-cancer.next_step") == "next_step"
    assert category_of("rules.prp-active-cancer.patient_risk") == "patient_risk"
    assert category_of("rules.prp-active-cancer.message") == "message"


def test_an_untranslated_next_step_falls_back_to_english_marked(kb: KnowledgeBase) -> None:
    texts = kb.texts("el")  # a language without translations
    step = texts.next_step("prp-active-cancer")
    assert step is not None and not step.translated
    assert step.text == kb.rule("prp-active-cancer").next_step


def test_knowledge_check_stays_clean_and_reports_next_step_coverage(tmp_path: Path) -> None:
    environment = dict(os.environ, CONSULT_HOME=str(tmp_path))
    environment.pop("CONSULT_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", "consult", "knowledge", "check", "--require-complete", "ja"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    found = re.search(r"^  next_step +(\d+) / +(\d+) / +(\d+) of (\d+)$", result.stdout, re.M)
    assert found is not None, result.stdout
    translated, stale, missing, total = (int(n) for n in found.groups())
    assert total >= len(MAIN_BLOCKING) and translated == total and stale == missing == 0
