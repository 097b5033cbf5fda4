"""The patient's language through a consultation (issue 18), driven through the widgets.

A patient who reads Japanese, seen by a practitioner whose interface is English: the
intake shows each question, its help and its answers in Japanese with the English under
or beside them, the findings and the summary are in English, the consent text is in
Japanese, and the sealed record names ja, holds the Japanese the patient read and still
verifies. A text without a translation is shown in English, marked, and flagged in the
record. An English patient's consultation is as it always was.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
from PySide6.QtWidgets import QRadioButton

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import untranslated_note
from consult.store.database import Database
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language
from tests import factories
from tests.test_consultation_wizard import (
    answer_all,
    click_next,
    make_session,
    open_wizard,
    plan,
)

JA_NOTE = untranslated_note("ja")


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    """Staff, and a product with lots for each treatment planned here."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    manager = people["manager"]
    products = {
        "exosome": factories.product(
            ctx, manager, "exosome", "ExoGlow", source="synthetic", lots=(("EX-NEW", 200),)
        ),
        "ha_filler": factories.product(ctx, manager, "ha_filler", "Volbella"),
    }
    return {"ctx": ctx, "people": people, "products": products}


def without(kb: KnowledgeBase, *keys: str) -> KnowledgeBase:
    """``kb`` with its Japanese translations of ``keys`` taken away (as if missing)."""
    japanese = {k: v for k, v in kb.translations["ja"].items() if k not in keys}
    translations: Mapping[str, Mapping[str, str]] = MappingProxyType(
        {**kb.translations, "ja": MappingProxyType(japanese)}
    )
    return dataclasses.replace(kb, translations=translations)


def radio_texts(widget: Any) -> list[str]:
    return [button.text() for button in widget.findChildren(QRadioButton)]


def test_a_japanese_patient_reads_the_intake_in_japanese_with_the_english_under_it(
    qtbot, sqlite_db, home, clinic
) -> None:
    assert current_language() == "en"  # the practitioner's interface
    ja, en = knowledge().texts("ja"), knowledge().texts("en")
    wizard, _session, _person = open_wizard(
        qtbot, sqlite_db, home, clinic, given="花子", family="山田", language="ja"
    )
    # The sex at birth by its name, never its id.
    assert "Female" in wizard.about.text()
    assert ", female" not in wizard.about.text()
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    page = wizard.intake_page
    pregnant = page.questions["pregnant"]
    assert pregnant.label.text() == ja.question_label("pregnant").text
    assert "妊娠" in pregnant.label.text()
    assert pregnant.worded.secondary is not None
    assert pregnant.worded.secondary.text() == en.question_label("pregnant").text
    assert pregnant.worded.mark is None
    assert pregnant.help is not None
    assert pregnant.help.primary.text() == ja.question_help("pregnant").text
    assert pregnant.help.secondary is not None
    assert pregnant.help.secondary.text() == en.question_help("pregnant").text
    # The implicit answers are the patient's too, the practitioner's beside them.
    assert radio_texts(pregnant) == ["はい (Yes)", "いいえ (No)", "わからない (Not sure)"]
    yes = next(b for b in pregnant.findChildren(QRadioButton) if b.property("value") == "yes")
    assert "はい" in yes.accessibleName() and "Yes" in yes.accessibleName()
    cancer = page.questions["anticoagulants"]
    assert cancer.none_box is not None
    assert cancer.none_box.text() == "どれにも当てはまらない\n(None of these)"
    warfarin = cancer.boxes["warfarin"]
    assert warfarin.text().startswith(ja.value_label("anticoagulants", "warfarin").text)
    dated = page.questions["isotretinoin_last_date"]
    assert radio_texts(dated) == ["一度もない (Never)", "この日付： (On this date:)"]
    # The sections are the patient's.
    titles = [page.sections.item(i).text() for i in range(page.sections.count())]
    assert ja.section_title("pregnancy").text in titles
    # No mark anywhere: everything is translated.
    labels = page.findChildren(type(pregnant.label))
    assert not [label for label in labels if label.objectName() == "untranslated"]

    # Findings and the summary are the practitioner's: in English.
    answer_all(wizard, {"pregnant": "yes"})
    click_next(qtbot, wizard)
    assert wizard.page == "screening"
    [box] = wizard.screening_page.boxes
    assert box.title().startswith(en.label("treatment", "exosome").text + " — ")
    assert box.findings
    for finding in box.findings:
        assert finding.message.text() == knowledge().rule(finding.rule).message
    assert "妊娠" not in wizard.screening_page.findChildren(type(pregnant.label))[0].text()


def test_an_untranslated_question_is_shown_in_english_and_marked(
    qtbot, sqlite_db, home, clinic
) -> None:
    kb = without(
        knowledge(),
        "questions.pregnant.label",
        "context.answers.unsure.label",
        "sections.pregnancy.title",
    )
    ja = kb.texts("ja")
    assert not ja.question_label("pregnant").translated
    doctor = clinic["people"]["practitioner"]
    session = make_session(sqlite_db, home, doctor)
    person = factories.patient(clinic["ctx"], doctor, language="ja")
    info = consultation_service.start(session.ctx, person.id)
    wizard = ConsultationWizard(session, person, info, kb=kb)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.is_loaded)
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    pregnant = wizard.intake_page.questions["pregnant"]
    english = kb.question("pregnant").label
    assert pregnant.label.text() == english
    # The English stands in, marked in both languages, and said to screen readers.
    assert pregnant.worded.mark is not None
    assert JA_NOTE in pregnant.worded.mark.text()
    assert "Not translated: shown in English" in pregnant.worded.mark.text()
    assert "Not translated" in pregnant.label.accessibleName()
    # No second English line under English.
    assert pregnant.worded.secondary is None
    unsure = next(b for b in pregnant.findChildren(QRadioButton) if b.property("value") == "unsure")
    assert unsure.text() == "Not sure ⚠"
    assert "Not translated" in unsure.accessibleName()
    group = wizard.intake_page.groups["pregnancy"]
    assert "Not translated" in group.accessibleName()
    # The help, translated, has no mark.
    assert pregnant.help is not None and pregnant.help.mark is None


@pytest.mark.parametrize("language", ["en"])
def test_an_english_patient_sees_the_intake_as_before(
    qtbot, sqlite_db, home, clinic, language: str
) -> None:
    wizard, _session, _person = open_wizard(qtbot, sqlite_db, home, clinic, language=language)
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    pregnant = wizard.intake_page.questions["pregnant"]
    assert pregnant.label.text() == knowledge().question("pregnant").label
    assert pregnant.worded.secondary is None and pregnant.worded.mark is None
    assert radio_texts(pregnant) == ["Yes", "No", "Not sure"]
    assert pregnant.label.accessibleName() == knowledge().question("pregnant").label
