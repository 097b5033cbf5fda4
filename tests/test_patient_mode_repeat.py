"""Patient mode at a repeat visit (issue 21): the patient says per section whether
anything has changed since the last visit, in their language, as the desk's intake
asks the practitioner; the choice fills in the last answers, reaches the desk's intake
and is saved with the draft; Next waits for it. Screens at 1366x768 and 1024x700, light
and dark."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.domain.local_dates import format_date
from consult.store.database import Database
from consult.store.services import consultations
from consult.ui.patient_mode.handover import PatientHandover
from consult.ui.patient_mode.section_confirm import CONFIRM_WORDS
from consult.ui.shell.session import AppSession
from consult.ui.widgets.tasks import wait_for_writes
from tests import repeat_visit_support
from tests.test_consultation_wizard import clinic
from tests.test_dark_and_focus import dark_palette, fusion  # noqa: F401 - a fixture
from tests.test_patient_mode import hand_over

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")

__all__ = ["clinic"]  # the fixture, shared with the wizard's tests

TOXIN = repeat_visit_support.TOXIN
SHOTS = os.environ.get("CONSULT_SCREENSHOTS")
"""A folder to save the screens to (unset: none are saved)."""


def _handed_over(qtbot, db: Database, home: Any, language: str):
    returning = repeat_visit_support.returning_patient(db, language)
    session = AppSession(db, home)
    session.set_user(returning["doctor"])
    wizard = repeat_visit_support.wizard_at_intake(qtbot, session, returning)
    assert wizard.intake_page.previous is not None
    wizard.intake_page.hand_button.click()
    handover = wizard.handover
    assert isinstance(handover, PatientHandover)
    qtbot.waitUntil(lambda: handover.window.isVisible())
    return wizard, session, handover


@pytest.mark.parametrize("language", ["en", "ja"])
def test_the_patient_says_per_section_what_has_changed(
    qtbot, sqlite_db: Database, home: Any, language: str
) -> None:
    wizard, session, handover = _handed_over(qtbot, sqlite_db, home, language)
    view, desk = handover.view, wizard.intake_page
    assert view.previous == desk.previous
    sections = view.unconfirmed_sections()
    assert sections == desk.unconfirmed_sections() and len(sections) >= 5
    first, second = sections[0], sections[1]
    assert view.current_section() == first
    bar = view.bars[first]
    # In the patient's language: patient mode's words and the date their way.
    assert desk.previous_date is not None
    day = format_date(desk.previous_date, language)
    assert bar.label.text() == view.words.say(CONFIRM_WORDS["ask"]).replace("%1", day)
    if language == "ja":
        assert "年" in bar.label.text()
    assert bar.unchanged_button.text() == view.words.say(CONFIRM_WORDS["unchanged"])
    # Next waits for the question: the same section, the question framed.
    view.next_button.click()
    assert view.current_section() == first and bar.reminder.isVisibleTo(bar)
    # Nothing has changed: the last answers filled in and kept, the desk told.
    qtbot.mouseClick(bar.unchanged_button, Qt.MouseButton.LeftButton)
    assert bar.state == "unchanged" and not bar.reminder.isVisibleTo(bar)
    kept = view.pages[first].cards
    previous = view.previous
    assert previous is not None
    for question_id, card in kept.items():
        if question_id in previous:
            assert card.answer.answer() == (True, previous[question_id])
            assert not card.isEnabled()
    assert desk.bars[first].state == "unchanged"
    view.next_button.click()
    assert view.current_section() == second
    # Something has changed: filled in, open to change.
    qtbot.mouseClick(view.bars[second].update_button, Qt.MouseButton.LeftButton)
    assert desk.bars[second].state == "update"
    assert all(card.isEnabled() for card in view.pages[second].cards.values())
    assert view.unconfirmed_sections() == desk.unconfirmed_sections() == sections[2:]
    # Saved with the draft, as the desk's own confirmations are.
    wizard.flush()
    wait_for_writes()
    stored = consultations.get(session.ctx, wizard.info.id)
    assert stored.section_confirmations == {first: "unchanged", second: "update"}


def test_a_first_visit_asks_no_such_question(qtbot, sqlite_db: Database, home: Any, clinic) -> None:
    _wizard, _session, handover = hand_over(qtbot, sqlite_db, home, clinic)
    view = handover.view
    assert view.previous is None and view.bars == {} and view.unconfirmed_sections() == []
    assert all(page.bar is None for page in view.pages.values())
    first = view.current_section()
    view.next_button.click()
    assert view.current_section() != first


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_question_on_screen(
    qtbot, request, sqlite_db: Database, home: Any, scheme: str
) -> None:
    app = request.getfixturevalue("fusion")
    if scheme == "dark":
        app.setPalette(dark_palette())
    _wizard, _session, handover = _handed_over(qtbot, sqlite_db, home, "ja")
    view = handover.view
    first = view.unconfirmed_sections()[0]
    view.confirm_section(first, "unchanged")
    view.next_button.click()
    for size in ((1024, 700), (1366, 768)):
        handover.window.resize(*size)
        qtbot.wait(50)
        bar = view.bars[view.current_section() or first]
        assert bar.unchanged_button.isVisible() and bar.update_button.isVisible()
        # Both buttons fit the bar: nothing cut off at either size.
        assert bar.update_button.geometry().right() <= bar.width()
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            handover.window.grab().save(str(Path(SHOTS) / f"patient-repeat-{size[0]}-{scheme}.png"))
