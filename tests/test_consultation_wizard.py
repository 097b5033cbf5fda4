"""The consultation wizard, driven through its widgets, checked against what was stored."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
)

from consult.store.database import Database
from consult.store.dto import PatientInfo, UserInfo
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consultation_wizard import ConsultationWizard, QuestionWidget
from consult.ui.knowledge import knowledge
from consult.ui.main_window import MainWindow
from consult.ui.session import AppSession
from tests import factories


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


def test_a_patient_with_no_contraindications_reaches_a_ready_summary(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    assert wizard.page == "treatments"
    plan(wizard, "exosome", clinic)
    wizard.next_button.click()
    assert wizard.page == "intake"
    answer_all(wizard)
    wizard.next_button.click()
    assert wizard.page == "screening"
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    assert "Ready for consent" in box.status_text
    wizard.next_button.click()
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
    wizard.next_button.click()
    answer_all(wizard, {"pregnant": "yes"})
    wizard.next_button.click()
    [box] = wizard.screening_page.boxes
    assert box.review.status == "blocked"
    assert box.status_text.startswith("Blocked")
    absolute = [f for f in box.findings if f.severity == "absolute"]
    assert absolute and all(f.justification is None and f.button is None for f in absolute)
    # Severity is shown by words and an icon, not colour alone.
    labels = [child.property("text") for child in absolute[0].findChildren(QPushButton)]
    assert labels == []
    wizard.next_button.click()
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
    wizard.next_button.click()
    answer_all(wizard, {"anticoagulants": ["warfarin"]})
    wizard.next_button.click()
    [box] = wizard.screening_page.boxes
    assert box.review.status == "needs_decision"
    [finding] = [f for f in box.findings if f.severity == "relative"]
    # Going on without deciding is refused, with a message.
    wizard.next_button.click()
    assert wizard.page == "screening"
    assert "Decide on every finding" in wizard.message.text()
    assert finding.justification is not None and finding.button is not None
    finding.justification.setPlainText("INR fine")
    finding.button.click()
    assert "at least 20 characters" in finding.error.text()
    assert stored(session, wizard).overrides == ()
    finding.justification.setPlainText("INR 2.4 this morning; small volume, cannula, pressure.")
    finding.button.click()
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    saved = stored(session, wizard)
    [override] = saved.overrides
    assert override["kind"] == "justified"
    assert override["by"] == session.user.id
    assert override["by_name"] == "Dr Dana Doe"
    assert override["at"]
    assert override["justification"].startswith("INR 2.4")
    wizard.next_button.click()
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
    wizard.next_button.click()
    answer_all(wizard, {"pregnant": "unsure"})
    wizard.next_button.click()
    [box] = wizard.screening_page.boxes
    assert box.review.status == "clarify"
    assert box.status_text.startswith("Needs clarifying")
    assert box.clarify_button is not None
    box.clarify_button.click()
    assert wizard.page == "intake"
    question = wizard.intake_page.questions["pregnant"]
    assert question.highlighted
    assert "Please clarify" in question.error.text()
    assert question.isAncestorOf(QApplication.focusWidget())
    assert stored(session, wizard).step == "intake"
    click_answer(question, "no")
    assert not question.highlighted
    wizard.next_button.click()
    [box] = wizard.screening_page.boxes
    assert box.review.status == "ready"
    assert stored(session, wizard).answers["pregnant"] == "no"


def test_required_questions_are_enforced_next_to_the_question(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
    plan(wizard, "exosome", clinic)
    wizard.next_button.click()
    page = wizard.intake_page
    assert "cancer_types" not in {q.id for q in page.asked()}
    assert not page.questions["cancer_types"].isVisibleTo(wizard)
    click_answer(page.questions["cancer_history"], "yes")
    assert page.questions["cancer_types"].isVisibleTo(wizard)
    wizard.next_button.click()
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
    wizard = tabs.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    plan(wizard, "ha_filler", clinic)
    wizard.next_button.click()
    click_answer(wizard.intake_page.questions["pregnant"], "no")
    click_answer(wizard.intake_page.questions["anticoagulants"], ["warfarin", "aspirin"])
    click_answer(wizard.intake_page.questions["isotretinoin_last_date"], "2026-01-01")
    window.close()  # within the debounce delay: closing saves what is waiting

    again = signed_in_window(qtbot, sqlite_db, home)
    drafts = again.workspace.clinical.consultation.drafts
    qtbot.waitUntil(lambda: drafts.model.rowCount() == 1)
    assert drafts.model.row(0).patient.id == person.id
    drafts.resume_button.click()
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
    wizard, _session, _ = open_wizard(qtbot, sqlite_db, home, clinic)
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
    assert not wizard._save(treatments=[entry])
    assert "cannot be used" in row.error.text()


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
    wizard.next_button.click()
    answer_all(wizard, {"anticoagulants": ["warfarin"], "cancer_history": "yes"})
    wizard.next_button.click()
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
