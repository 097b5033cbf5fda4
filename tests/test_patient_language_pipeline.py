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
import hashlib
import io
import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

import pytest
import rfc8785
from pypdf import PdfReader
from PySide6.QtWidgets import QRadioButton

from consult.domain.knowledge_model import KnowledgeBase
from consult.domain.knowledge_texts import untranslated_note
from consult.proof.record_check import check_record, read_record
from consult.proof.report import Outcome
from consult.store.database import Database
from consult.store.demo import DEMO_USERS, ensure_demo
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.models import ConsentRecord
from consult.store.services import consents, users
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consent import plan as consent_plan
from consult.ui.consent import step as consent_step
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consent.step import ConsentStep
from consult.ui.consent.templates import consent_templates
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.language import current_language
from consult.ui.shell.session import AppSession
from tests import factories
from tests.consent_reading import read_through
from tests.test_consent_step import scribble
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
    none = ja.answer("none_of_these")
    assert none.translated
    assert cancer.none_box.text() == f"{none.text}\n(None of these)"
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


# The consent and the sealed record ------------------------------------------------------


@pytest.fixture(autouse=True)
def no_waiting_question(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing with entries asks first; here the answer is "discard"."""
    monkeypatch.setattr(ConsentDialog, "confirm_discard", classmethod(lambda cls, parent: True))


def ready_for_consent(
    session: AppSession, clinic: dict[str, Any], language: str
) -> tuple[PatientInfo, ConsultationInfo]:
    """A screened ha_filler consultation of a patient reading ``language`` (via services)."""
    kb = knowledge()
    person = factories.patient(
        clinic["ctx"],
        clinic["people"]["practitioner"],
        given="花子",
        family="山田",
        language=language,
    )
    info = consultation_service.start(session.ctx, person.id)
    product = clinic["products"]["ha_filler"]
    row = {
        "id": "ha_filler",
        "route": kb.treatment("ha_filler").routes[0],
        "product_id": product.id,
        "lot_id": product.lots[0].id,
    }
    info = consultation_service.save(
        session.ctx,
        info.id,
        info.version,
        kb,
        step="summary",
        treatments=[row],
        answers=factories.no_answers(),
    )
    info = consultation_service.run_screening(session.ctx, info.id, info.version, kb)
    return person, info


def open_consent(qtbot, session: AppSession, info: ConsultationInfo) -> ConsentStep:
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    dialog.resize(1280, 800)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.loading)
    assert dialog.step is not None
    return dialog.step


def sign_through(qtbot, step: ConsentStep) -> consents.ConsentInfo:
    """Read to the end, initial, choose, sign both pads and seal, as in the app."""
    read_through(qtbot, step.text_view)
    qtbot.waitUntil(step.patient_box.pad.isEnabled)
    for edit in step.initials.values():
        edit.setText("YH")
    for group in step.choices.values():
        next(b for b in group.buttons() if b.property("value") is True).click()
    for box in step.pads.values():
        box.pad.set_strokes(scribble())
    with qtbot.waitSignal(step.sealed, timeout=30000) as signal:
        step.sign_button.click()
    info: consents.ConsentInfo = signal.args[0]
    return info


def sealed(session: AppSession, info: consents.ConsentInfo) -> tuple[dict[str, Any], bytes]:
    with session.db.session() as db_session:
        row = db_session.get(ConsentRecord, info.id)
        assert row is not None
        return json.loads(row.document_json), bytes(row.pdf)


def assert_verifies(document: dict[str, Any], pdf: bytes, info: consents.ConsentInfo) -> None:
    """The record's hash is its RFC 8785 JSON's, and the form's embedded record checks
    out against it and against what its pages show (proof/record_check)."""
    assert info.document_sha256 == hashlib.sha256(rfc8785.dumps(document)).hexdigest()
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    checks = check_record(
        read_record(reader),
        pages,
        expected_sha256=info.document_sha256,
        printed=info.document_sha256[:12],
        signed_with_record=False,
    )
    assert [c.outcome for c in checks] == [Outcome.OK, Outcome.OK], checks


def test_a_japanese_patient_reads_and_signs_the_consent_in_japanese(
    qtbot, sqlite_db, home, clinic
) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    _person, info = ready_for_consent(session, clinic, "ja")
    template = consent_templates()["ha_filler"]
    step = open_consent(qtbot, session, info)
    shown = step.text_view.toPlainText()
    assert template.title_for("ja").text in shown
    for section in template.sections:
        heading = template.text("ja", f"sections.{section.id}.heading")
        assert heading.translated
        assert heading.text in shown
    assert JA_NOTE not in shown  # every passage is translated
    # The choices' answers are the patient's words, the practitioner's beside them.
    yes = next(b for b in step.choices["photographs"].buttons() if b.property("value") is True)
    assert yes.text() == "はい (&Yes)"
    consent = sign_through(qtbot, step)
    document, pdf = sealed(session, consent)
    assert document["language"] == "ja"
    assert document["template"]["title"] == template.title_for("ja").text
    assert document["template"]["translation_version"] == template.translation_version("ja")
    assert document["template"]["version"] == template.version
    assert [s["heading"] for s in document["template"]["sections"]] == [
        s.heading for s in step.text.sections
    ]
    assert not any(s.get("untranslated") for s in document["template"]["sections"])
    ja = knowledge().texts("ja")
    assert document["treatment"]["name"] == ja.label("treatment", "ha_filler").text
    assert (
        document["treatment"]["route_label"]
        == ja.label("route", document["treatment"]["route"]).text
    )
    first = document["intake_summary"][0]
    assert first["label"] == ja.question_label(first["question_id"]).text
    answers = {entry["answer"] for entry in document["intake_summary"]}
    assert "いいえ" in answers and "No" not in answers
    assert_verifies(document, pdf, consent)


def test_an_untranslated_consent_section_is_marked_and_flagged_in_the_record(
    qtbot, sqlite_db, home, clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    shipped_templates = consent_templates()
    template = shipped_templates["ha_filler"]
    first = template.sections[0].id
    missing = {f"sections.{first}.heading"}
    japanese = {k: v for k, v in template.translations["ja"].items() if k not in missing}
    changed = dataclasses.replace(
        template, translations=MappingProxyType({"ja": MappingProxyType(japanese)})
    )
    templates = {**shipped_templates, "ha_filler": changed}
    monkeypatch.setattr(consent_plan, "consent_templates", lambda: templates)
    monkeypatch.setattr(consent_step, "consent_templates", lambda: templates)
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    _person, info = ready_for_consent(session, clinic, "ja")
    step = open_consent(qtbot, session, info)
    assert step.text.sections[0].untranslated
    assert step.text.sections[0].heading == template.sections[0].heading  # the English
    shown = step.text_view.toPlainText()
    # Marked in the patient's language and the practitioner's, under the passage's heading.
    assert shown.count(JA_NOTE) == 1
    assert "Not translated: shown in English" in shown
    assert shown.index(template.sections[0].heading) < shown.index(JA_NOTE)
    consent = sign_through(qtbot, step)
    document, pdf = sealed(session, consent)
    flags = [s.get("untranslated", False) for s in document["template"]["sections"]]
    assert flags == [True] + [False] * (len(flags) - 1)
    assert_verifies(document, pdf, consent)


def test_an_english_patient_signs_as_before(qtbot, sqlite_db, home, clinic) -> None:
    session = make_session(sqlite_db, home, clinic["people"]["practitioner"])
    _person, info = ready_for_consent(session, clinic, "en")
    step = open_consent(qtbot, session, info)
    template = consent_templates()["ha_filler"]
    assert template.title in step.text_view.toPlainText()
    yes = next(b for b in step.choices["photographs"].buttons() if b.property("value") is True)
    assert yes.text() == "&Yes"
    consent = sign_through(qtbot, step)
    document, pdf = sealed(session, consent)
    assert document["language"] == "en"
    assert "translation_version" not in document["template"]
    assert document["treatment"]["name"] == knowledge().treatment("ha_filler").name
    question = knowledge().question(document["intake_summary"][0]["question_id"])
    assert document["intake_summary"][0]["label"] == question.label
    assert_verifies(document, pdf, consent)


# The demo clinic --------------------------------------------------------------------------


def test_the_demo_clinic_has_a_japanese_doctor_and_a_form_signed_in_japanese(
    sqlite_db: Database,
) -> None:
    assert ensure_demo(sqlite_db, patients=21)
    ctx = ServiceContext(sqlite_db)
    spec = next(u for u in DEMO_USERS if u.interface_language == "ja")
    tanaka = users.sign_in(ctx, spec.username, spec.password)
    assert tanaka.qualification == "doctor"
    assert any("\u3040" <= ch <= "\u9fff" for ch in tanaka.display_name)
    assert users.interface_language(ctx.signed_in(tanaka)) == "ja"
    with sqlite_db.session() as session:
        rows = session.query(ConsentRecord).all()
        documents = {row.id: (json.loads(row.document_json), row) for row in rows}
    japanese = [(d, row) for d, row in documents.values() if d.get("language") == "ja"]
    # Hers, and the form signed with an interpreter by the English desk (issue 21).
    assert len(japanese) == 2
    [(document, row)] = [(d, row) for d, row in japanese if row.practitioner_id == tanaka.id]
    assert document["patient"]["full_name"] == "花子 山田"
    assert row.state == "signed"
    assert row.practitioner_id == tanaka.id
    assert document["signatures"][1]["name"] == "田中 美咲"
    template = consent_templates()[document["treatment"]["id"]]
    assert document["template"]["title"] == template.title_for("ja").text
    assert not any(s.get("untranslated") for s in document["template"]["sections"])
    assert (
        document["treatment"]["name"]
        == knowledge().texts("ja").label("treatment", document["treatment"]["id"]).text
    )
    info = consents.consent_info(row)
    assert_verifies(document, bytes(row.pdf), info)
    # Everyone else's forms are in English.
    assert {d.get("language") for d, _row in documents.values()} == {"ja", "en"}
