"""Patient mode (issue 19), driven through its widgets: the patient answers the whole
intake on their screen by touch-sized clicks and by keys, the desk shows progress and
never an answer, the practitioner's password takes it back (a wrong one is refused and
counted), a practitioner change is kept beside the patient's answer and audited, escape
attempts keep the desk locked and the answers saved, and the idle question locks back.

The offscreen platform has one screen: the single-screen path is driven here, and the
choice of a second screen is tested on its own (:func:`patient_screen`).
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel
from sqlalchemy import select

from consult.store.database import Database
from consult.store.models import AuditEntry
from consult.store.services import consultations as consultation_service
from consult.store.services import patient_answers
from consult.ui.patient_mode.answer_buttons import AnswerButtons, ChoiceButton
from consult.ui.patient_mode.handover import PatientHandover
from consult.ui.patient_mode.screens import patient_screen
from consult.ui.widgets.tasks import wait_for_writes
from tests import factories
from tests.test_consultation_wizard import click_answer, click_next, clinic, open_wizard, plan

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["clinic"]  # the fixture, shared with the wizard's tests

# The answer each question type gets in these tests (a list: none of these; a date: never).
DEFAULT = {"yn": "no", "ynu": "unsure", "multi": "none_of_these", "date": "never"}


def hand_over(qtbot, db: Database, home, clinic: dict[str, Any], **patient: Any):
    """A wizard on the intake of an HA filler consultation, handed to the patient."""
    wizard, session, _person = open_wizard(qtbot, db, home, clinic, **patient)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    assert wizard.page == "intake"
    wizard.show()
    wizard.intake_page.hand_button.click()
    handover = wizard.handover
    assert isinstance(handover, PatientHandover)
    qtbot.waitUntil(lambda: handover.window.isVisible())
    return wizard, session, handover


def click_section(handover: PatientHandover) -> list[str]:
    """Answer every question shown in the section on screen by clicking; returns them."""
    view = handover.view
    section = view.current_section()
    assert section is not None
    done: list[str] = []
    for card in view.pages[section].shown():
        buttons: AnswerButtons = card.answer
        question = card.question
        wanted = DEFAULT.get(question.type, question.value_ids[0] if question.value_ids else "")
        if question.type == "text":
            assert buttons.line is not None
            buttons.line.setText("none")
        else:
            button = next(b for b in buttons.buttons if b.value == wanted)
            assert button.height() >= 44 and button.isVisible()
            button.click()
        done.append(question.id)
    return done


def reviewed(qtbot, handover: PatientHandover) -> None:
    """Wait until the desk's review has read the previous consultation (off the GUI
    thread: the test's database must outlive the read)."""
    qtbot.waitUntil(lambda: handover.review is not None and handover.review.loaded)


def events(db: Database, name: str) -> list[AuditEntry]:
    with db.session() as session:
        return list(session.execute(select(AuditEntry).where(AuditEntry.event == name)).scalars())


def panel_texts(handover: PatientHandover) -> str:
    return "\n".join(label.text() for label in handover.panel.findChildren(QLabel))


def test_the_second_screen_is_chosen_when_one_is_attached() -> None:
    assert patient_screen(["desk", "tablet"], "desk") == "tablet"
    assert patient_screen(["tablet", "desk"], "desk") == "tablet"
    assert patient_screen(["desk"], "desk") is None
    assert patient_screen([], None) is None


def test_a_full_intake_answered_in_patient_mode_reaches_the_desk(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    view = handover.view
    # The desk is covered (nothing under the panel reachable); the patient's window holds
    # only the questionnaire.
    assert handover.panel.isVisible() and not handover.on_second_screen
    assert not wizard.intake_page.isEnabled() and not wizard.next_button.isEnabled()
    assert handover.panel.take_back_button.isEnabled()
    assert handover.window.isFullScreen()
    sections = view.sections()
    assert view.where.text() == f"Section 1 of {len(sections)}"
    answered: list[str] = []
    for index in range(len(sections)):
        assert view.current_section() == sections[index]
        answered += click_section(handover)
        # The desk: how far, never what (no answer, no question).
        assert f"Sections done: {index + 1} of {len(sections)}" in panel_texts(handover)
        view.next_button.click()
    assert view.stack.currentWidget() is view.confirm_page
    assert view.missing() == []
    view.finish_button.click()
    assert view.stack.currentWidget() is view.done_page
    assert handover.unlock_here.isVisible()  # one screen: the practitioner unlocks here
    desk = panel_texts(handover)
    for question_id in answered:
        assert view.kb.question(question_id).label not in desk
    for word in ("Not sure", "None of these", "Never", "unsure", "none_of_these"):
        assert word not in desk
    # Every answer was saved as the patient went (through the wizard's draft writes).
    qtbot.waitUntil(lambda: not wizard._answers_timer.isActive() and not wizard.busy)
    wait_for_writes()
    saved = consultation_service.get(session.ctx, wizard.info.id).answers
    assert saved == view.answers() and set(saved) == set(answered)

    # A wrong password is refused, said, and counted like the idle lock's.
    handover.unlock_here.password.setText("not-the-password")
    handover.unlock_here.unlock_button.click()
    qtbot.waitUntil(lambda: handover.unlock_here.error.isVisible())
    assert "not correct" in handover.unlock_here.error.text()
    assert handover.active and handover.window.isVisible() and handover.panel.isVisible()
    assert [e.details["failures"] for e in events(sqlite_db, "unlock.failed")] == [1]

    with qtbot.waitSignal(handover.returned):
        handover.unlock_here.password.setText(factories.PASSWORD)
        handover.unlock_here.unlock_button.click()
    assert wizard.handover is None and not handover.window.isVisible()
    qtbot.waitUntil(lambda: handover.review is not None and handover.review.loaded)
    given = patient_answers.get(session.ctx, wizard.info.id)
    assert given is not None and given.answers == saved and given.language == "en"
    assert wizard.intake_page.answers() == saved
    assert wizard.intake_page.missing() == []
    assert wizard.intake_page.isEnabled() and wizard.next_button.isEnabled()


def test_the_patient_answers_with_the_keyboard(qtbot, sqlite_db, home, clinic) -> None:
    _wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    view = handover.view
    first = view.pages[view.current_section() or ""].shown()[0]
    start = first.answer.first_button()
    # The keyboard starts on the first question.
    qtbot.waitUntil(lambda: QApplication.focusWidget() is start)
    # Right moves to the next answer, Space chooses it, Enter chooses too.
    qtbot.keyClick(start, Qt.Key.Key_Right)
    second = QApplication.focusWidget()
    assert isinstance(second, ChoiceButton) and second is first.answer.buttons[1]
    qtbot.keyClick(second, Qt.Key.Key_Space)
    assert first.answer.answer() == (True, second.value)
    qtbot.keyClick(second, Qt.Key.Key_Left)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert first.answer.answer() == (True, first.answer.buttons[0].value)
    assert first.answer.buttons[0].text().startswith("✓")  # a tick, not colour alone
    # Enter on Next goes on; Page Up comes back.
    before = view.current_section()
    view.next_button.setFocus()
    qtbot.keyClick(view.next_button, Qt.Key.Key_Return)
    assert view.current_section() != before
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.current_section() == before


def test_finishing_lists_the_questions_left(qtbot, sqlite_db, home, clinic) -> None:
    _wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    view = handover.view
    click_section(handover)
    view.ask_finished()
    missing = view.missing()
    assert missing
    assert "no answer yet" in view.confirm_text.text()
    assert view.finish_button.text() == "Finish without answering them"
    # A listed question is a button that goes to it.
    [button, *_] = [b for b in view.missing_list.findChildren(ChoiceButton.__mro__[1])]
    button.click()
    assert view.current_section() == missing[0].section


def test_the_desk_panel_takes_back_with_the_password(qtbot, sqlite_db, home, clinic) -> None:
    wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    click_section(handover)
    handover.view.refresh()
    assert "Questions answered:" in panel_texts(handover)
    handover.panel.take_back_button.click()
    assert handover.panel.unlock.isVisibleTo(handover.panel)
    with qtbot.waitSignal(handover.returned):
        handover.panel.unlock.password.setText(factories.PASSWORD)
        handover.panel.unlock.submit()
    assert wizard.handover is None
    assert not handover.panel.isVisible()
    reviewed(qtbot, handover)


def test_a_practitioner_change_is_kept_beside_the_patients_answer(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    view = handover.view
    for _ in view.sections():
        click_section(handover)
        view.next_button.click()
    view.finish_button.click()
    with qtbot.waitSignal(handover.returned):
        handover.unlock_here.password.setText(factories.PASSWORD)
        handover.unlock_here.submit()
    qtbot.waitUntil(lambda: handover.review is not None and handover.review.loaded)
    review = handover.review
    assert review is not None
    assert wizard.intake_page.answers()["pregnant"] == "unsure"
    # After talking it through, the practitioner answers "no".
    click_answer(wizard.intake_page.questions["pregnant"], "no")
    qtbot.waitUntil(lambda: bool(events(sqlite_db, "consultation.answer_changed_by_practitioner")))
    wait_for_writes()
    [entry] = events(sqlite_db, "consultation.answer_changed_by_practitioner")
    assert entry.details == {
        "question": "pregnant",
        "reason": "changed by practitioner after discussion",
    }
    given = patient_answers.get(session.ctx, wizard.info.id)
    assert given is not None
    assert given.answers["pregnant"] == "unsure" and given.changed["pregnant"]["answer"] == "no"
    note = review.notes["pregnant"]
    assert "the patient answered “Not sure”" in note.text() and note.isVisible()
    qtbot.waitUntil(
        lambda: consultation_service.get(session.ctx, wizard.info.id).answers["pregnant"] == "no"
    )


def test_escape_attempts_keep_the_desk_locked_and_the_answers(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard, session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    answered = click_section(handover)
    window = handover.window
    target = window.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(target, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(target, Qt.Key.Key_Escape)
    qtbot.keyClick(target, Qt.Key.Key_Tab, Qt.KeyboardModifier.AltModifier)
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # the desk's Escape closes a consultation
    assert not window.close()
    window.showNormal()
    qtbot.waitUntil(lambda: window.isFullScreen())
    assert handover.escape_attempts >= 6
    assert window.isVisible() and handover.active
    assert handover.panel.isVisible() and wizard.handover is handover
    assert not wizard._closed  # Escape did not close the consultation under the panel
    qtbot.waitUntil(lambda: not wizard._answers_timer.isActive() and not wizard.busy)
    wait_for_writes()
    saved = consultation_service.get(session.ctx, wizard.info.id).answers
    assert set(answered) <= set(saved)


def test_idle_asks_then_locks_back_to_the_practitioner(qtbot, sqlite_db, home, clinic) -> None:
    wizard, session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    answered = click_section(handover)
    still = handover.still_there
    still.answer_ms = 200
    still.watcher.start(100)
    qtbot.waitUntil(lambda: handover.window.prompt.isVisible())
    assert still.asking
    # Answered: the questions again.
    handover.window.prompt.here_button.click()
    assert not handover.window.prompt.isVisible()
    still.watcher.start(100)
    qtbot.waitUntil(lambda: handover.window.prompt.isVisible())
    qtbot.waitUntil(lambda: handover.view.stack.currentWidget() is handover.view.done_page)
    assert "paused" in handover.view.done_text.text()
    assert handover.unlock_here.isVisible() and handover.active
    assert "paused" in panel_texts(handover)
    wait_for_writes()
    qtbot.waitUntil(lambda: not wizard._answers_timer.isActive() and not wizard.busy)
    saved = consultation_service.get(session.ctx, wizard.info.id).answers
    assert set(answered) <= set(saved)


def test_a_second_hand_over_replaces_the_review(qtbot, sqlite_db, home, clinic) -> None:
    wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    with qtbot.waitSignal(handover.returned):
        handover.panel.take_back_button.click()
        handover.panel.unlock.password.setText(factories.PASSWORD)
        handover.panel.unlock.submit()
    reviewed(qtbot, handover)
    wizard.intake_page.hand_button.click()
    second = wizard.handover
    assert isinstance(second, PatientHandover) and second is not handover
    with qtbot.waitSignal(second.returned):
        second.panel.take_back_button.click()
        second.panel.unlock.password.setText(factories.PASSWORD)
        second.panel.unlock.submit()
    reviewed(qtbot, second)
    QApplication.processEvents()
    assert wizard.intake_page.findChildren(type(second.review)) == [second.review]


def test_on_a_second_screen_the_desk_takes_the_password(
    qtbot, sqlite_db, home, clinic, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Offscreen Qt has one screen: the desk's stands in for the patient's own here.
    monkeypatch.setattr(
        "consult.ui.patient_mode.handover.patient_screen", lambda _screens, desk: desk
    )
    wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    assert handover.on_second_screen and not handover.window.keep_focus
    assert handover.window.screen() is wizard.screen()
    view = handover.view
    for _ in view.sections():
        click_section(handover)
        view.next_button.click()
    view.finish_button.click()
    # The patient is thanked; the password is asked at the desk, not on their screen.
    assert "will be with you" in view.done_text.text()
    assert not handover.unlock_here.isVisibleTo(view)
    assert handover.panel.unlock.isVisibleTo(handover.panel)
    assert "The patient has finished" in panel_texts(handover)
    handover.panel.unlock.password.setText("wrong")
    handover.panel.unlock.submit()
    qtbot.waitUntil(lambda: handover.panel.unlock.error.isVisible())
    assert handover.active
    with qtbot.waitSignal(handover.returned):
        handover.panel.unlock.password.setText(factories.PASSWORD)
        handover.panel.unlock.submit()
    reviewed(qtbot, handover)
    assert handover.given is not None and handover.given.answers == wizard.intake_page.answers()
