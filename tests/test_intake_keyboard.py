"""The questionnaire with the keyboard: Tab goes from question to question, arrows choose
within one, Y/N/U answer and move on, "None of these" is one Tab (or N) away, and
a whole intake takes far fewer keys than it did (about 105 keys and 30 Tabs)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QScrollBar

from consult.ui.consultation.question import QuestionWidget
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.widgets.reflow import ColumnFlowLayout, WrapCheckBox
from tests.test_consultation_wizard import clinic, open_wizard, plan, settle, show_active

__all__ = ["clinic"]  # the fixture, used by name

shown_window = pytest.mark.qt_log_ignore("propagateSizeHints")


def at_intake(qtbot, sqlite_db, home, clinic: dict[str, Any]) -> ConsultationWizard:
    wizard, _session, _person = open_wizard(qtbot, sqlite_db, home, clinic)
    wizard.resize(1024, 700)
    show_active(qtbot, wizard)
    plan(wizard, "exosome", clinic)
    wizard.next()
    settle(qtbot, wizard)
    assert wizard.page == "intake"
    return wizard


def focused() -> Any:
    return QApplication.focusWidget()


def question_of(widget: Any) -> QuestionWidget | None:
    while widget is not None and not isinstance(widget, QuestionWidget):
        widget = widget.parentWidget()
    return widget


def value(widget: QuestionWidget) -> Any:
    return widget.answer()[1] if widget.answer()[0] else "unanswered"


@shown_window
def test_arrow_keys_select_the_answer_as_in_a_native_radio_group(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard = at_intake(qtbot, sqlite_db, home, clinic)
    pregnant = wizard.intake_page.questions["pregnant"]
    assert question_of(focused()) is pregnant  # the first question, ready to answer
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    assert value(pregnant) == "no"  # selected, not only focused
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    assert value(pregnant) == "unsure"
    qtbot.keyClick(focused(), Qt.Key.Key_Left)
    assert value(pregnant) == "no"
    assert focused().property("value") == "no"
    qtbot.keyClick(focused(), Qt.Key.Key_Down)
    assert value(pregnant) == "unsure"
    qtbot.keyClick(focused(), Qt.Key.Key_Down)  # round the group
    assert value(pregnant) == "yes"
    # The radios are one exclusive group in one parent, so only one is ever checked.
    assert pregnant.group is not None and pregnant.group.exclusive()
    assert sum(b.isChecked() for b in pregnant.group.buttons()) == 1
    assert len({b.parentWidget() for b in pregnant.group.buttons()}) == 1


@shown_window
def test_tab_goes_to_the_next_question_and_answer_keys_answer_and_move_on(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard = at_intake(qtbot, sqlite_db, home, clinic)
    page = wizard.intake_page
    asked = [q.id for q in page.asked()]
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert question_of(focused()) is page.questions[asked[1]]
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert question_of(focused()) is page.questions[asked[0]]
    qtbot.keyClick(focused(), Qt.Key.Key_U)
    assert value(page.questions[asked[0]]) == "unsure"
    assert question_of(focused()) is page.questions[asked[1]]
    qtbot.keyClick(focused(), Qt.Key.Key_N)
    assert value(page.questions[asked[1]]) == "no"
    assert question_of(focused()) is page.questions[asked[2]]
    # Once answered, Tab comes back to the answer chosen, not to the first choice.
    qtbot.keyClick(focused(), Qt.Key.Key_Backtab)
    assert focused().property("value") == "no"
    # Y answers yes and a follow-up question appears; it is the next one focused.
    cancer = page.questions["cancer_history"]
    page.focus_question("cancer_history")
    qtbot.keyClick(focused(), Qt.Key.Key_Y)
    assert value(cancer) == "yes"
    assert question_of(focused()) is page.questions["cancer_types"]


@shown_window
def test_none_of_these_comes_first_one_tab_away_and_n_ticks_it(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard = at_intake(qtbot, sqlite_db, home, clinic)
    page = wizard.intake_page
    page.focus_question("cancer_history")
    qtbot.keyClick(focused(), Qt.Key.Key_Y)
    types = page.questions["cancer_types"]
    assert focused() is types.none_box  # the first thing in the list, no Tabs needed
    assert types.inputs[0] is types.none_box
    # Arrows move between the boxes, Space ticks one; Tab leaves the list.
    qtbot.keyClick(focused(), Qt.Key.Key_Right)
    first_value = next(iter(types.boxes.values()))
    assert focused() is first_value
    qtbot.keyClick(focused(), Qt.Key.Key_Space)
    assert first_value.isChecked()
    qtbot.keyClick(focused(), Qt.Key.Key_N)  # "None of these" instead, and on
    assert types.none_box is not None and types.none_box.isChecked()
    assert not first_value.isChecked()
    assert value(types) == []
    assert question_of(focused()) is page.questions["cancer_status"]
    page.focus_question("cancer_types")
    qtbot.keyClick(focused(), Qt.Key.Key_Tab)
    assert question_of(focused()) is page.questions["cancer_status"]
    # Digits choose in a list of choices.
    qtbot.keyClick(focused(), Qt.Key.Key_2)
    status = page.questions["cancer_status"]
    assert value(status) == status.question.value_ids[1]


@shown_window
def test_a_whole_intake_takes_one_key_a_question(qtbot, sqlite_db, home, clinic) -> None:
    wizard = at_intake(qtbot, sqlite_db, home, clinic)
    page = wizard.intake_page
    keys = 0
    tabs = 0
    for _ in range(200):
        if not page.missing():
            break
        widget = question_of(focused())
        assert widget is not None, "the focus left the questionnaire"
        kind = widget.question.type
        if kind in ("yn", "ynu", "multi", "date"):
            qtbot.keyClick(focused(), Qt.Key.Key_N)
        elif kind == "one":
            qtbot.keyClick(focused(), Qt.Key.Key_1)
        else:
            qtbot.keyClicks(focused(), "none")
            qtbot.keyClick(focused(), Qt.Key.Key_Tab)
            keys += 4
            tabs += 1
        keys += 1
    assert page.missing() == []
    asked = len(page.asked())
    assert keys <= asked + 4 * sum(q.type == "text" for q in page.asked())
    assert tabs <= 2
    qtbot.keyClick(focused(), Qt.Key.Key_Return)
    settle(qtbot, wizard)
    assert wizard.page == "screening"


@shown_window
def test_the_questionnaire_is_never_scrolled_sideways_at_1024_pixels(
    qtbot, sqlite_db, home, clinic
) -> None:
    wizard = at_intake(qtbot, sqlite_db, home, clinic)
    page = wizard.intake_page
    for question in ("cancer_history", "autoimmune_disease"):
        page.focus_question(question)
        qtbot.keyClick(focused(), Qt.Key.Key_Y)
    page.focus_question("autoimmune_types")
    bar: QScrollBar = page.scroll_area.horizontalScrollBar()
    assert not bar.isVisible() and bar.value() == 0
    assert page.scroll_area.widget().width() <= page.scroll_area.viewport().width()
    assert wizard.next_button.isVisible()
    corner = wizard.next_button.mapTo(wizard, wizard.next_button.rect().bottomRight())
    assert wizard.rect().contains(corner)
    # Every question's first line, "Yes" included, starts inside the visible area.
    for widget in page.questions.values():
        if widget.isVisible():
            left = widget.mapTo(page.scroll_area.viewport(), widget.rect().topLeft()).x()
            assert 0 <= left < 60
            first = widget.first_input()
            assert first.mapTo(page.scroll_area.viewport(), first.rect().topLeft()).x() >= 0
    # The long choices wrap in columns that fit; narrower, they reflow to one column.
    types = page.questions["autoimmune_types"]
    assert isinstance(types.flow, ColumnFlowLayout)
    assert types.flow.columns >= 2
    for box in types.boxes.values():
        assert isinstance(box, WrapCheckBox)
        right = box.mapTo(page.scroll_area.viewport(), box.rect().topRight()).x()
        assert right <= page.scroll_area.viewport().width()
    assert types.flow.columns_for(300) == 1
    wide = max(types.boxes.values(), key=lambda b: len(b.text()))
    assert wide.heightForWidth(200) > wide.heightForWidth(2000)
