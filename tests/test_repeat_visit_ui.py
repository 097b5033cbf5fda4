"""A returning toxin patient with nothing changed, through intake and consent, as the
practitioner clicks (issue 21): every click and keystroke of the practitioner counted
(docs/repeat-visits.md reports them), and the screens of a repeat visit looked at."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget

from consult.store.database import Database
from consult.store.services import consultations, reconfirmation
from consult.ui.consent.dialog import ConsentDialog
from consult.ui.consent.reconfirm_step import ReconfirmStep
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from tests import factories, repeat_visit_support
from tests.test_consent_step import scribble
from tests.test_dark_and_focus import dark_palette, fusion  # noqa: F401 - a fixture

TOXIN = repeat_visit_support.TOXIN
SHOTS = os.environ.get("CONSULT_SCREENSHOTS")
"""A folder to save the repeat visit's screens to (unset: none are saved)."""


class Practitioner:
    """Clicks and keys through qtbot, counting each (the patient's signature is not theirs)."""

    def __init__(self, qtbot: Any) -> None:
        self.qtbot = qtbot
        self.clicks = 0
        self.keys = 0

    def click(self, button: QAbstractButton) -> None:
        assert button.isVisible() and button.isEnabled(), button.accessibleName()
        self.qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        self.clicks += 1

    def choose(self, combo: QComboBox, data: Any) -> None:
        """Open the list and pick: two clicks."""
        index = combo.findData(data)
        assert index >= 0
        combo.setCurrentIndex(index)
        self.clicks += 2


@pytest.fixture
def returning(sqlite_db: Database) -> dict[str, Any]:
    """A patient whose toxin consent, signed at the last visit, is still valid."""
    return repeat_visit_support.returning_patient(sqlite_db)


def _shot(widget: QWidget, name: str) -> None:
    if SHOTS:
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(SHOTS) / f"{name}.png"))


def test_a_returning_toxin_patient_is_through_in_under_a_minute(
    qtbot, sqlite_db: Database, home: Any, returning: dict[str, Any]
) -> None:
    session = AppSession(sqlite_db, home)
    session.set_user(returning["doctor"])
    patient = returning["patient"]
    started = time.perf_counter()
    you = Practitioner(qtbot)
    info = consultations.start(session.ctx, patient.id)  # "Start consultation"
    you.clicks += 1
    wizard = ConsultationWizard(session, patient, info)
    qtbot.addWidget(wizard)
    wizard.resize(1366, 768)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.is_loaded)
    # Treatments: toxin, its product (its one lot is chosen by itself), Next.
    row = wizard.treatments_page.rows[0]
    you.choose(row.treatment, TOXIN)
    you.choose(row.product, returning["product"].id)
    assert row.lot.currentData() is not None
    you.click(wizard.next_button)
    qtbot.waitUntil(lambda: wizard.page == "intake" and not wizard.busy, timeout=10_000)
    intake = wizard.intake_page
    assert intake.previous is not None, "a returning patient starts from the last intake"
    assert "still valid" in wizard.notice.text()
    _shot(wizard, "repeat-intake-1366")
    # Next before confirming is refused, naming what is left.
    sections = intake.unconfirmed_sections()
    assert len(sections) >= 5
    # Each section: Unchanged.
    for section_id in sections:
        you.click(intake.bars[section_id].unchanged_button)
    assert intake.unconfirmed_sections() == [] and intake.missing() == []
    _shot(wizard, "repeat-intake-confirmed-1366")
    you.click(wizard.next_button)
    qtbot.waitUntil(lambda: wizard.page == "screening" and not wizard.busy, timeout=10_000)
    you.click(wizard.next_button)
    qtbot.waitUntil(lambda: wizard.page == "summary" and not wizard.busy, timeout=10_000)
    with qtbot.waitSignal(wizard.ready_for_consent):
        you.click(wizard.consent_button)
    dialog = ConsentDialog(session, wizard.info.id, patient)
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    qtbot.waitUntil(lambda: isinstance(dialog.step, ReconfirmStep), timeout=10_000)
    step = dialog.step
    assert isinstance(step, ReconfirmStep)
    assert returning["original"].document_number in step.about.text()
    # The patient signs (their time, not the practitioner's); the practitioner seals.
    step.box.pad.set_strokes(scribble())
    _shot(dialog, "reconfirm-1366")
    you.click(step.seal_button)
    qtbot.waitUntil(lambda: step.info is not None, timeout=20_000)
    _shot(dialog, "reconfirmed-1366")
    you.click(step.continue_button)
    elapsed = time.perf_counter() - started
    done = reconfirmation.for_patient(session.ctx, patient.id)
    assert [r.consent_id for r in done] == [returning["original"].id]
    assert consultations.get(session.ctx, wizard.info.id).status == "consented"
    # The practitioner's share: 17 clicks and no keystroke (docs/repeat-visits.md); at a
    # generous two seconds a click, well under a minute, and the machine's time besides.
    assert (you.clicks, you.keys) == (17, 0), (you.clicks, you.keys)
    assert 2 * you.clicks + elapsed < 60
    print(f"repeat visit: {you.clicks} clicks, {you.keys} keys, {elapsed:.1f} s of waiting")


def test_a_changed_answer_says_why_the_full_consent(
    qtbot, sqlite_db: Database, home: Any, returning: dict[str, Any]
) -> None:
    session = AppSession(sqlite_db, home)
    session.set_user(returning["doctor"])
    doc, kb = session.ctx, knowledge()
    info = consultations.start(doc, returning["patient"].id)
    info = consultations.save(
        doc,
        info.id,
        info.version,
        kb,
        step="summary",
        treatments=[
            {
                "id": TOXIN,
                "route": "intramuscular",
                "product_id": returning["product"].id,
                "lot_id": returning["product"].lots[0].id,
            }
        ],
        answers=factories.no_answers(treatments=[TOXIN], trying_to_conceive="yes"),
    )
    info = consultations.run_screening(doc, info.id, info.version, kb)
    info = consultations.decide(
        doc, info.id, info.version, treatment=TOXIN, rule="toxin-trying-to-conceive"
    )
    dialog = ConsentDialog(session, info.id)
    qtbot.addWidget(dialog)
    dialog.resize(1024, 700)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.step is not None and not dialog.loading, timeout=10_000)
    assert not isinstance(dialog.step, ReconfirmStep)
    assert dialog.why.isVisible()
    said = dialog.why.text()
    assert "full consent" in said
    assert kb.question("trying_to_conceive").label in said
    _shot(dialog, "full-consent-why-1024")
    dialog.reject()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_screens_of_a_repeat_visit(
    qtbot, request, sqlite_db: Database, home: Any, returning: dict[str, Any], scheme: str
) -> None:
    """The intake's section bars, grabbed at 1024x700 and 1366x768, light and dark (saved
    where CONSULT_SCREENSHOTS says, to look at)."""
    app = request.getfixturevalue("fusion")
    if scheme == "dark":
        app.setPalette(dark_palette())
    session = AppSession(sqlite_db, home)
    session.set_user(returning["doctor"])
    info = consultations.start(session.ctx, returning["patient"].id)
    wizard = ConsultationWizard(session, returning["patient"], info)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitUntil(lambda: wizard.is_loaded)
    intake = wizard.intake_page
    intake.set_treatments([TOXIN])
    intake.set_previous(
        factories.no_answers(treatments=[TOXIN]), dt.date.today() - dt.timedelta(days=90)
    )
    first = intake.unconfirmed_sections()[0]
    intake.confirm_section(first, "unchanged")
    intake.confirm_section(intake.unconfirmed_sections()[0], "update")
    wizard.stack.setCurrentWidget(intake)
    intake.reveal_all()
    for size in ((1024, 700), (1366, 768)):
        wizard.resize(*size)
        qtbot.wait(50)
        assert wizard.grab().width() == size[0]
        _shot(wizard, f"repeat-bars-{size[0]}-{scheme}")
    bar = intake.bars[first]
    assert bar.unchanged_button.isHidden() and not bar.update_button.isHidden()


def test_a_reopened_draft_remembers_the_sections_confirmed(
    qtbot, sqlite_db: Database, home: Any, returning: dict[str, Any]
) -> None:
    """The confirmations are saved with the draft: closed after two sections and opened
    again, the intake still starts from the last one, those two are confirmed (kept as
    they were) and Next asks only for the others."""
    session = AppSession(sqlite_db, home)
    session.set_user(returning["doctor"])
    patient = returning["patient"]
    wizard = repeat_visit_support.wizard_at_intake(qtbot, session, returning)
    intake = wizard.intake_page
    sections = intake.unconfirmed_sections()
    first, second, *rest = sections
    qtbot.mouseClick(intake.bars[first].unchanged_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(intake.bars[second].update_button, Qt.MouseButton.LeftButton)
    wizard.flush()
    stored = consultations.get(session.ctx, wizard.info.id)
    assert stored.section_confirmations == {first: "unchanged", second: "update"}
    wizard.close()

    again = ConsultationWizard(session, patient, stored)
    qtbot.addWidget(again)
    again.resize(1366, 768)
    again.show()
    qtbot.waitUntil(lambda: again.is_loaded, timeout=10_000)
    assert again.page == "intake"
    reopened = again.intake_page
    assert reopened.previous is not None, "the reopened draft starts from the last intake"
    assert reopened.bars[first].state == "unchanged"
    assert reopened.bars[second].state == "update"
    assert reopened.unconfirmed_sections() == rest
    # Kept unchanged: its answered questions are kept as they were; updated: open.
    kept = [w for w in reopened.questions.values() if w.question.section == first]
    assert kept and not any(w.isEnabled() for w in kept if w.question.id in reopened.previous)
    opened = [w for w in reopened.questions.values() if w.question.section == second]
    assert opened and all(w.isEnabled() for w in opened)
    # Next still refuses while the rest are left.
    qtbot.mouseClick(again.next_button, Qt.MouseButton.LeftButton)
    qtbot.wait(200)
    assert again.page == "intake"
