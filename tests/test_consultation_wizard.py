"""The consultation wizard, driven through its widgets, checked against what was stored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
)

from consult.store.database import Database
from consult.store.dto import PatientInfo, UserInfo
from consult.store.models import Consultation
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consultation.intake_step import IntakePage
from consult.ui.consultation.question import QuestionWidget
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.main_window import MainWindow
from consult.ui.shell.session import AppSession
from tests import factories
from tests.register_support import sign_treatment
from tests.signin_support import wait_for_sign_in


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    """Staff, a patient, and one product with lots for each treatment used here."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    manager = people["manager"]
    products = {
        "exosome": factories.product(
            ctx,
            manager,
            "exosome",
            "ExoGlow",
            source="synthetic",
            lots=(("EX-OLD", -10), ("EX-NEW", 200)),
        ),
        "ha_filler": factories.product(ctx, manager, "ha_filler", "Volbella"),
        "iv_vitamin_c": factories.product(ctx, manager, "iv_vitamin_c", "Ascor 25 g"),
    }
    return {"ctx": ctx, "people": people, "products": products}


def make_session(db: Database, home: Any, user: UserInfo) -> AppSession:
    session = AppSession(db, home)
    session.set_user(user)
    return session


def open_wizard(qtbot, db: Database, home: Any, clinic: dict[str, Any], **patient: Any):
    doctor = clinic["people"]["practitioner"]
    session = make_session(db, home, doctor)
    person = factories.patient(clinic["ctx"], doctor, **patient)
    info = consultation_service.start(session.ctx, person.id)
    wizard = ConsultationWizard(session, person, info)
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.is_loaded)
    return wizard, session, person


def signed_in_window(qtbot, db: Database, home: Any, username: str = "doc") -> MainWindow:
    """A main window with ``username`` signed in through the sign-in page."""
    window = MainWindow(AppSession(db, home))
    qtbot.addWidget(window)
    window.sign_in.username.setText(username)
    window.sign_in.password.setText(factories.PASSWORD)
    window.sign_in.button.click()
    wait_for_sign_in(window.sign_in)  # checked off the GUI thread
    assert window.stack.currentWidget() is window.workspace
    return window


def show_active(qtbot, widget) -> None:
    """Show a top-level widget and make it the active window (keyboard focus works)."""
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()


def choose(combo: QComboBox, data: Any) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered by {combo.accessibleName()}"
    combo.setCurrentIndex(index)


def plan(wizard: ConsultationWizard, treatment: str, clinic: dict[str, Any], row: int = 0) -> None:
    page = wizard.treatments_page
    while len(page.rows) <= row:
        page.add_button.click()
    line = page.rows[row]
    choose(line.treatment, treatment)
    product = clinic["products"][treatment]
    choose(line.product, product.id)
    if line.lot.currentData() is None:
        line.lot.setCurrentIndex(1)


def click_answer(widget: QuestionWidget, value: Any) -> None:
    """Answer one question by clicking its inputs as a user would."""
    question = widget.question
    if question.type in ("yn", "ynu", "one"):
        assert widget.group is not None
        button = next(b for b in widget.group.buttons() if b.property("value") == value)
        button.click()
    elif question.type == "multi":
        if not value:
            assert widget.none_box is not None
            if not widget.none_box.isChecked():
                widget.none_box.click()
        for choice, box in widget.boxes.items():
            if (choice in value) != box.isChecked():
                box.click()
    elif question.type == "date":
        assert widget.group is not None
        mode = "never" if value is None else "date"
        next(b for b in widget.group.buttons() if b.property("value") == mode).click()
    else:
        assert widget.line is not None
        widget.line.setText(value)


def answer_all(wizard: ConsultationWizard, answers: Mapping[str, Any] = {}) -> None:
    """Answer every question asked: "no", none, never or the first value, except ``answers``."""
    page = wizard.intake_page
    for question_id, value in answers.items():
        click_answer(page.questions[question_id], value)
    for question in page.asked():
        if question.id in answers:
            continue
        widget = page.questions[question.id]
        default: Any = {"yn": "no", "ynu": "no", "multi": [], "date": None, "text": "none"}.get(
            question.type, question.value_ids[0] if question.value_ids else ""
        )
        click_answer(widget, default)
    assert page.missing() == []


def stored(session: AppSession, wizard: ConsultationWizard):
    return consultation_service.get(session.ctx, wizard.info.id)


def settle(qtbot, wizard: ConsultationWizard) -> None:
    """Wait until the wizard's writes (run off the GUI thread) and any move have ended."""
    qtbot.waitUntil(lambda: not wizard.busy)


def click_next(qtbot, wizard: ConsultationWizard) -> None:
    """Click Next and wait until the page is saved and the move has ended."""
    wizard.next_button.click()
    settle(qtbot, wizard)


def test_a_patient_with_no_contraindications_reaches_a_ready_summary(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    assert wizard.page == "treatments"
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    assert wizard.page == "intake"
    answer_all(wizard)
    click_next(qtbot, wizard)
    assert wizard.page == "screening"
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    assert "Ready for consent" in box.status_text
    click_next(qtbot, wizard)
    assert wizard.page == "summary"
    assert wizard.summary_page.ready == ["exosome"]
    assert wizard.summary_page.state_text == "Ready for consent: 1 treatment(s)"
    assert "EX-NEW" in wizard.summary_page.text.text()
    assert wizard.consent_button.isVisible() or wizard.consent_button.isEnabled()
    with qtbot.waitSignal(wizard.ready_for_consent) as signal:
        wizard.consent_button.click()
    assert signal.args == [wizard.info.id]
    saved = stored(session, wizard)
    assert saved.step == "summary"
    assert saved.status == "screened"
    assert saved.answers["pregnant"] == "no"
    assert saved.answers["anticoagulants"] == []
    assert saved.treatments[0]["lot_id"] == next(
        lot.id for lot in clinic["products"]["exosome"].lots if lot.lot_number == "EX-NEW"
    )


def test_a_pregnant_patient_is_blocked_from_exosomes(qtbot, sqlite_db, home, clinic) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"pregnant": "yes"})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert box.review.status == "blocked"
    assert box.status_text.startswith("Blocked")
    absolute = [f for f in box.findings if f.severity == "absolute"]
    assert absolute and all(f.justification is None and f.button is None for f in absolute)
    # Severity is shown by words and an icon, not colour alone.
    labels = [child.property("text") for child in absolute[0].findChildren(QPushButton)]
    assert labels == []
    click_next(qtbot, wizard)
    assert wizard.page == "summary"
    assert wizard.summary_page.ready == []
    assert "Nothing can go on to consent" in wizard.summary_page.state_text
    assert "Absolute contraindication" in wizard.summary_page.text.text()
    assert not wizard.consent_button.isEnabled()
    saved = stored(session, wizard)
    assert [r.status for r in consultation_service.reviews(saved)] == ["blocked"]
    assert saved.status == "draft"


def test_warfarin_before_a_filler_needs_a_written_justification(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"anticoagulants": ["warfarin"]})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert box.review.status == "needs_decision"
    [finding] = [f for f in box.findings if f.severity == "relative"]
    # Going on without deciding is refused, with a message.
    click_next(qtbot, wizard)
    assert wizard.page == "screening"
    assert "Decide on every finding" in wizard.message.text()
    assert finding.justification is not None and finding.button is not None
    finding.justification.setPlainText("INR fine")
    finding.button.click()
    settle(qtbot, wizard)
    assert "at least 20 characters" in finding.error.text()
    assert stored(session, wizard).overrides == ()
    finding.justification.setPlainText("INR 2.4 this morning; small volume, cannula, pressure.")
    finding.button.click()
    settle(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    saved = stored(session, wizard)
    [override] = saved.overrides
    assert override["kind"] == "justified"
    assert override["by"] == session.user.id
    assert override["by_name"] == "Dr Dana Doe"
    assert override["at"]
    assert override["justification"].startswith("INR 2.4")
    click_next(qtbot, wizard)
    assert wizard.page == "summary"
    text = wizard.summary_page.text.text()
    assert "Justified by Dr Dana Doe" in text
    assert "INR 2.4 this morning" in text


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_an_unsure_answer_sends_the_practitioner_back_to_the_question(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    show_active(qtbot, wizard)
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"pregnant": "unsure"})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert box.review.status == "clarify"
    assert box.status_text.startswith("Needs clarifying")
    assert box.clarify_button is not None
    box.clarify_button.click()
    settle(qtbot, wizard)
    assert wizard.page == "intake"
    question = wizard.intake_page.questions["pregnant"]
    assert question.highlighted
    assert "Please clarify" in question.error.text()
    assert question.isAncestorOf(QApplication.focusWidget())
    assert stored(session, wizard).step == "intake"
    click_answer(question, "no")
    assert not question.highlighted
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    assert stored(session, wizard).answers["pregnant"] == "no"


def test_required_questions_are_enforced_next_to_the_question(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "exosome", clinic)
    click_next(qtbot, wizard)
    page = wizard.intake_page
    assert "cancer_types" not in {q.id for q in page.asked()}
    assert not page.questions["cancer_types"].isVisibleTo(wizard)
    click_answer(page.questions["cancer_history"], "yes")
    assert page.questions["cancer_types"].isVisibleTo(wizard)
    click_next(qtbot, wizard)
    assert wizard.page == "intake"
    assert page.questions["cancer_types"].error.text() == "⚠ Answer this question."
    assert "needs an answer" in wizard.message.text()
    click_answer(page.questions["cancer_history"], "no")
    assert not page.questions["cancer_types"].isVisibleTo(wizard)
    # Answers are saved as they change (debounced).
    qtbot.waitUntil(lambda: stored(session, wizard).answers.get("cancer_history") == "no")


def test_a_draft_survives_closing_the_window_and_reopens_where_it_was(
    qtbot, sqlite_db, home, clinic
) -> None:
    doctor = clinic["people"]["practitioner"]
    person: PatientInfo = factories.patient(clinic["ctx"], doctor)
    window = signed_in_window(qtbot, sqlite_db, home)
    tabs = window.workspace.clinical
    tabs.show_patient(person)
    qtbot.waitUntil(lambda: tabs.patient_page.status.text() == "0 consultation(s)")
    assert tabs.patient_page.start_button.isVisibleTo(window)
    tabs.patient_page.start_button.click()
    qtbot.waitUntil(lambda: tabs.consultation.wizard is not None)  # started off the GUI thread
    wizard = tabs.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    click_answer(wizard.intake_page.questions["pregnant"], "no")
    click_answer(wizard.intake_page.questions["anticoagulants"], ["warfarin", "aspirin"])
    click_answer(wizard.intake_page.questions["isotretinoin_last_date"], "2026-01-01")
    window.close()  # within the debounce delay: closing saves what is waiting

    again = signed_in_window(qtbot, sqlite_db, home)
    drafts = again.workspace.clinical.consultation.drafts
    qtbot.waitUntil(lambda: drafts.model.rowCount() == 1)
    assert drafts.model.row(0).patient.id == person.id
    drafts.resume_button.click()
    qtbot.waitUntil(lambda: again.workspace.clinical.consultation.wizard is not None)  # read
    wizard = again.workspace.clinical.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    assert wizard.page == "intake"
    answers = wizard.intake_page.answers()
    assert answers["pregnant"] == "no"
    assert answers["anticoagulants"] == ["warfarin", "aspirin"]
    assert "isotretinoin_last_date" in answers
    row = wizard.treatments_page.rows[0]
    assert row.treatment.currentData() == "ha_filler"
    assert row.lot.currentData() is not None
    again.close()


def test_an_expired_lot_cannot_be_chosen(qtbot, sqlite_db, home, clinic) -> None:
    manager = clinic["people"]["manager"]
    factories.product(
        clinic["ctx"], manager, "prp", "Old PRP kit", source="autologous", lots=(("P-1", -1),)
    )
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    row = wizard.treatments_page.rows[0]
    choose(row.treatment, "exosome")
    choose(row.product, clinic["products"]["exosome"].id)
    offered = [row.lot.itemText(i) for i in range(row.lot.count())]
    assert any("EX-NEW" in text for text in offered)
    assert not any("EX-OLD" in text for text in offered)
    choose(row.treatment, "prp")
    choose(row.product, row.product.itemData(1))
    assert not row.lot.isEnabled()
    assert "expired" in row.error.text()
    # The service refuses an expired lot too, and the wizard shows it at the lot.
    expired = next(
        lot.id for lot in clinic["products"]["exosome"].lots if lot.lot_number == "EX-OLD"
    )
    entry = {
        "id": "exosome",
        "route": "topical",
        "product_id": clinic["products"]["exosome"].id,
        "lot_id": expired,
    }
    wizard._save({"treatments": [entry]})
    settle(qtbot, wizard)
    assert "cannot be used" in row.error.text()
    assert expired not in [t.get("lot_id") for t in stored(session, wizard).treatments]


@pytest.mark.qt_log_ignore("propagateSizeHints")
def test_the_treatments_page_with_the_keyboard_only(qtbot, sqlite_db, home, clinic) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    show_active(qtbot, wizard)
    row = wizard.treatments_page.rows[0]
    assert QApplication.focusWidget() is row.treatment
    target = row.treatment.findData("ha_filler")
    for _ in range(target):
        qtbot.keyClick(row.treatment, Qt.Key.Key_Down)
    assert row.treatment.currentData() == "ha_filler"
    qtbot.keyClick(row.treatment, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.route
    qtbot.keyClick(row.route, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.product
    qtbot.keyClick(row.product, Qt.Key.Key_Down)
    qtbot.keyClick(row.product, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.lot
    assert row.lot.currentData() is not None  # the only lot in date is chosen
    # Tab goes on to Remove and Add treatment; Space presses a button.
    qtbot.keyClick(row.lot, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.remove
    qtbot.keyClick(row.remove, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is wizard.treatments_page.add_button
    qtbot.keyClick(wizard.treatments_page.add_button, Qt.Key.Key_Space)
    assert len(wizard.treatments_page.rows) == 2
    second = wizard.treatments_page.rows[1]
    assert QApplication.focusWidget() is second.treatment
    # Route, product and lot wait for a treatment: Tab skips them.
    qtbot.keyClick(second.treatment, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is second.remove
    qtbot.keyClick(second.remove, Qt.Key.Key_Space)
    assert len(wizard.treatments_page.rows) == 1
    # Enter goes on to the intake.
    row.lot.setFocus()
    qtbot.keyClick(row.lot, Qt.Key.Key_Return)
    settle(qtbot, wizard)
    assert wizard.page == "intake"
    assert stored(session, wizard).treatments[0]["id"] == "ha_filler"
    assert wizard.intake_page.isAncestorOf(QApplication.focusWidget())
    # Every button has a mnemonic (Alt+letter); Escape leaves (the draft is kept).
    for button, key in (
        (wizard.back_button, "Alt+B"),
        (wizard.next_button, "Alt+N"),
        (wizard.close_button, "Alt+L"),
        (wizard.treatments_page.add_button, "Alt+A"),
    ):
        assert button.shortcut().toString() == key
    wizard.back_button.setFocus()
    qtbot.keyClick(wizard.back_button, Qt.Key.Key_Space)
    assert wizard.page == "treatments"
    with qtbot.waitSignal(wizard.closed):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)


def test_every_input_has_an_accessible_name(qtbot, sqlite_db, home, clinic) -> None:
    wizard, _session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"anticoagulants": ["warfarin"], "cancer_history": "yes"})
    click_next(qtbot, wizard)
    kinds = (QComboBox, QLineEdit, QRadioButton, QCheckBox, QDateEdit, QPlainTextEdit, QPushButton)
    unnamed = [
        f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}"
        for kind in kinds
        for w in wizard.findChildren(kind)
        if not w.accessibleName() and not isinstance(w.parent(), QComboBox | QDateEdit)
    ]
    assert unnamed == []


def test_questions_come_from_the_knowledge_base(qtbot, sqlite_db, home, clinic) -> None:
    wizard, _session, _ = open_wizard(qtbot, sqlite_db, home, clinic, sex_at_birth="male")
    kb = knowledge()
    assert set(wizard.intake_page.questions) == {q.id for q in kb.questions}
    assert not wizard.intake_page.groups["pregnancy"].isVisibleTo(wizard)
    assert "pregnant" not in {q.id for q in wizard.intake_page.asked()}


# --- Questions asked for some treatments only ----------------------------------------------

IVC_ONLY = ("g6pd_deficiency", "kidney_disease", "heart_disease", "haemochromatosis", "diabetes")


def shown(page: IntakePage, question_id: str) -> bool:
    """Whether the question is shown on the intake page (whichever step is on screen)."""
    return page.questions[question_id].isVisibleTo(page)


def test_questions_for_a_treatment_come_and_go_with_it_and_keep_their_answers(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    page = wizard.intake_page
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard)
    assert not any(shown(page, q) for q in IVC_ONLY)
    assert page.progress.text() == "Every question asked has an answer."
    wizard.back_button.click()
    # Picking IV vitamin C in a new row asks its questions at once, before the row is complete.
    wizard.treatments_page.add_button.click()
    second = wizard.treatments_page.rows[1]
    choose(second.treatment, "iv_vitamin_c")
    assert not second.complete()
    assert all(shown(page, q) for q in IVC_ONLY)
    assert not shown(page, "g6pd_test_normal")  # asked when G6PD deficiency is "no"
    assert sorted(page.missing()) == sorted(IVC_ONLY)
    assert "5 still to answer" in page.progress.text()
    plan(wizard, "iv_vitamin_c", clinic, row=1)
    click_next(qtbot, wizard)
    assert wizard.page == "intake"
    click_answer(page.questions["g6pd_deficiency"], "no")
    assert shown(page, "g6pd_test_normal")
    assert "5 still to answer" in page.progress.text()
    answer_all(wizard, {"g6pd_test_normal": "yes"})
    wizard.flush()
    assert stored(session, wizard).answers["g6pd_test_normal"] == "yes"

    # Removing the treatment takes its questions away and out of the saved draft.
    wizard.back_button.click()
    wizard.treatments_page.rows[1].remove.click()
    assert not any(shown(page, q) for q in (*IVC_ONLY, "g6pd_test_normal"))
    assert page.missing() == []
    assert page.progress.text() == "Every question asked has an answer."
    assert "g6pd_deficiency" not in page.answers()
    wizard.flush()
    saved = stored(session, wizard)
    assert [t["id"] for t in saved.treatments] == ["ha_filler"]
    assert not set(saved.answers) & {*IVC_ONLY, "g6pd_test_normal"}
    assert saved.answers["pregnant"] == "no"  # answers still asked are never lost

    # Planned again, the questions come back with the answers given before.
    plan(wizard, "iv_vitamin_c", clinic, row=1)
    assert all(shown(page, q) for q in (*IVC_ONLY, "g6pd_test_normal"))
    assert page.questions["g6pd_deficiency"].answer() == (True, "no")
    assert page.questions["g6pd_test_normal"].answer() == (True, "yes")
    assert page.missing() == []
    wizard.flush()
    assert stored(session, wizard).answers["g6pd_test_normal"] == "yes"
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    assert wizard.page == "screening"
    assert [b.review.status for b in wizard.screening_page.boxes] == ["ready", "ready"]


def test_a_refused_answer_is_shown_next_to_its_question(qtbot, sqlite_db, home, clinic) -> None:
    wizard, session, person = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard)
    widget = wizard.intake_page.questions["isotretinoin_last_date"]
    # The date picker offers only days from the birth to the consultation...
    assert widget.date_edit is not None
    assert widget.date_edit.maximumDate().toPython() == wizard.info.consultation_date
    assert widget.date_edit.minimumDate().toPython() == person.date_of_birth
    # ... and what the service refuses shows at the question it names.
    later = (wizard.info.consultation_date + dt.timedelta(days=3)).isoformat()
    wizard._save({"answers": {**wizard.intake_page.answers(), widget.question.id: later}})
    settle(qtbot, wizard)
    assert widget.error.text() == "⚠ after the consultation date"
    assert stored(session, wizard).answers.get(widget.question.id) != later
    hidden = wizard.intake_page.questions["cancer_types"]
    wizard._save({"answers": {**wizard.intake_page.answers(), "cancer_types": ["breast"]}})
    settle(qtbot, wizard)
    assert hidden.error.text() == '⚠ not asked, because cancer_history is "no"'
    assert "Which kind of cancer?" in wizard.message.text()  # the question is not on screen
    assert "cancer_types" not in stored(session, wizard).answers


def test_an_absolute_finding_shows_blocked_with_what_is_still_to_clarify(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, _session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"pregnant": "yes", "autoimmune_disease": "unsure"})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert box.review.outcome == "absolute"
    assert box.review.status == "blocked"
    assert box.status_text.startswith("Blocked")
    assert box.clarify_button is not None and box.clarify_button.isVisibleTo(wizard)
    label = knowledge().question("autoimmune_disease").label
    assert label in box.clarify_text
    assert "stays blocked" in box.clarify_text
    # Nothing to decide: the practitioner goes on to the summary, where it is blocked.
    click_next(qtbot, wizard)
    assert wizard.page == "summary"
    assert wizard.summary_page.blocked == ["ha_filler"]


# --- A draft screened under another rule set ---------------------------------------------


def screened_draft(clinic: dict[str, Any], session: AppSession, person: PatientInfo, **answers):
    """A consultation screened through the services, left at the screening step."""
    kb = knowledge()
    product = clinic["products"]["ha_filler"]
    info = consultation_service.start(session.ctx, person.id)
    info = consultation_service.save(
        session.ctx,
        info.id,
        info.version,
        kb,
        step="screening",
        treatments=[
            {
                "id": "ha_filler",
                "route": "injection",
                "product_id": product.id,
                "lot_id": product.lots[0].id,
            }
        ],
        answers=factories.no_answers(**answers),
    )
    return consultation_service.run_screening(session.ctx, info.id, info.version, kb)


def screened_under(db: Database, consultation_id: int, version: str, **columns: Any) -> None:
    with db.session() as s:
        row = s.get(Consultation, consultation_id)
        assert row is not None
        row.rule_set_version = version
        for name, value in columns.items():
            setattr(row, name, value)
        s.commit()


def reopen(qtbot, session: AppSession, person: PatientInfo, consultation_id: int):
    wizard = ConsultationWizard(
        session, person, consultation_service.get(session.ctx, consultation_id)
    )
    qtbot.addWidget(wizard)
    qtbot.waitUntil(lambda: wizard.is_loaded)
    return wizard


def test_a_draft_screened_under_other_rules_is_screened_again_when_reopened(
    qtbot, sqlite_db, home, clinic
) -> None:
    kb = knowledge()
    doctor = clinic["people"]["practitioner"]
    session = make_session(sqlite_db, home, doctor)
    person = factories.patient(clinic["ctx"], doctor)
    info = screened_draft(clinic, session, person)
    old = "0123456789ab" + "f" * 52
    screened_under(sqlite_db, info.id, old)
    wizard = reopen(qtbot, session, person, info.id)
    assert wizard.notice.isVisibleTo(wizard)
    assert wizard.notice.text() == (
        "ℹ The screening rules have changed since this consultation was screened "
        f"(rule set 0123456789ab → {kb.version[:12]}); it has been screened again."
    )
    assert stored(session, wizard).rule_set_version == kb.version
    assert wizard.page == "screening"
    assert kb.version[:12] in wizard.screening_page.version.text()
    assert [b.review.status for b in wizard.screening_page.boxes] == ["ready"]
    # Moving on does not hide it.
    click_next(qtbot, wizard)
    assert wizard.page == "summary"
    assert wizard.notice.isVisibleTo(wizard)
    # Reopened again under the same rules, nothing is said.
    again = reopen(qtbot, session, person, info.id)
    assert not again.notice.isVisibleTo(again)


def test_a_draft_the_rules_in_force_refuse_goes_back_to_the_intake(
    qtbot, sqlite_db, home, clinic
) -> None:
    kb = knowledge()
    doctor = clinic["people"]["practitioner"]
    session = make_session(sqlite_db, home, doctor)
    person = factories.patient(clinic["ctx"], doctor)
    info = screened_draft(clinic, session, person)
    # Say the old rules asked everyone about G6PD deficiency.
    old = "a" * 64
    screened_under(sqlite_db, info.id, old, answers={**info.answers, "g6pd_deficiency": "yes"})
    wizard = reopen(qtbot, session, person, info.id)
    assert wizard.page == "intake"
    assert wizard.notice.isVisibleTo(wizard)
    assert "it could not be screened again" in wizard.notice.text()
    question = wizard.intake_page.questions["g6pd_deficiency"]
    assert "asked only for iv_vitamin_c" in question.error.text()
    assert question.question.label in wizard.message.text()  # not shown: named above
    assert stored(session, wizard).rule_set_version == old  # kept as it was screened
    # The wizard saves only the answers asked, so going on screens it under the new rules.
    click_next(qtbot, wizard)
    assert wizard.page == "screening"
    assert [b.review.status for b in wizard.screening_page.boxes] == ["ready"]
    saved = stored(session, wizard)
    assert saved.rule_set_version == kb.version
    assert "g6pd_deficiency" not in saved.answers


def test_a_consultation_with_a_signed_consent_keeps_its_screening(
    qtbot, sqlite_db, home, clinic
) -> None:
    kb = knowledge()
    doctor = clinic["people"]["practitioner"]
    session = make_session(sqlite_db, home, doctor)
    person = factories.patient(clinic["ctx"], doctor)
    vitamin = clinic["products"]["iv_vitamin_c"]
    info = screened_draft(clinic, session, person)
    info = consultation_service.save(
        session.ctx,
        info.id,
        info.version,
        kb,
        treatments=[
            *info.treatments,
            {
                "id": "iv_vitamin_c",
                "route": "intravenous",
                "product_id": vitamin.id,
                "lot_id": vitamin.lots[0].id,
            },
        ],
        answers=factories.no_answers(treatments=["ha_filler", "iv_vitamin_c"]),
    )
    info = consultation_service.run_screening(session.ctx, info.id, info.version, kb)
    sign_treatment(session.ctx, info.id, "ha_filler")
    old = "b" * 64
    screened_under(sqlite_db, info.id, old)
    wizard = reopen(qtbot, session, person, info.id)
    assert wizard.notice.isVisibleTo(wizard)
    assert wizard.notice.text().endswith(
        f"(rule set {old[:12]} → {kb.version[:12]}); a consent of it is already signed, so "
        "it keeps the screening that consent was signed with."
    )
    assert stored(session, wizard).rule_set_version == old
    assert wizard.page == "screening"
    assert [b.treatment for b in wizard.screening_page.boxes] == ["ha_filler", "iv_vitamin_c"]
    assert old[:12] in wizard.screening_page.version.text()


def test_a_justification_must_say_something(qtbot, sqlite_db, home, clinic) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard, {"anticoagulants": ["warfarin"]})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    [finding] = [f for f in box.findings if f.severity == "relative"]
    assert finding.justification is not None and finding.button is not None
    finding.justification.setFocus()
    qtbot.keyClicks(finding.justification, "x" * 25)
    finding.button.click()
    settle(qtbot, wizard)
    assert "at least three different words" in finding.error.text()
    assert stored(session, wizard).overrides == ()


def test_the_same_finding_from_two_tables_is_shown_and_justified_once(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "exosome", clinic)
    choose(wizard.treatments_page.rows[0].route, "microneedling")
    click_next(qtbot, wizard)
    answer_all(wizard, {"anticoagulants": ["warfarin"]})
    click_next(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    rules = [f.rule for f in box.findings]
    assert "microneedling-anticoagulant" in rules and "regen-anticoagulant" not in rules
    finding = wizard.screening_page.finding("exosome", "regen-anticoagulant")
    assert finding is not None and finding.rule == "microneedling-anticoagulant"
    assert finding.same_rules == ["regen-anticoagulant"]
    texts = [label.text() for label in finding.findChildren(QLabel)]
    assert any(text.startswith("The same finding, also:") for text in texts)
    assert finding.justification is not None and finding.button is not None
    finding.justification.setPlainText("INR 2.4 this morning; firm pressure after needling.")
    finding.button.click()
    settle(qtbot, wizard)
    [box] = wizard.screening_page.boxes
    assert "microneedling-anticoagulant" not in box.review.unjustified
    assert "regen-anticoagulant" not in box.review.unjustified
    [override] = [
        o for o in stored(session, wizard).overrides if o["rule"].endswith("anticoagulant")
    ]
    assert override["rule"] == "microneedling-anticoagulant"
