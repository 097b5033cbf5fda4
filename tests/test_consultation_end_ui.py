"""A consultation whose treatments end one way and the other, through the real wizard:
the toxin recorded as not given (the Not-treated dialog), the filler signed (the consent
dialog, which no longer offers the toxin). The last settling action ends the
consultation, consented, and the wizard closes as after a full consent; the Today page
then shows it consented and nothing left to continue."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.domain.states import ConsultationStatus
from consult.store.database import Database
from consult.store.services import consultations as consultation_service
from consult.store.services import outcomes
from tests.consultation_end_support import (
    FILLER,
    NOTE,
    TOXIN,
    clinic,
    today_status,
    wizard_from_today,
)
from tests.test_consent_step import fill, read_to_end, seal, sign_both, wait_loaded

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["clinic"]  # the fixture


def test_declined_then_signed_ends_the_consultation_consented_and_today_shows_it(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    consultation_id, window, wizard = wizard_from_today(qtbot, sqlite_db, home, clinic)
    flow = window.workspace.clinical

    # The toxin: the practitioner decides not to give it; the letter is handed over.
    wizard.summary_page.not_treated_button.click()
    qtbot.waitUntil(lambda: getattr(wizard, "not_treated_dialog", None) is not None)
    dialog = wizard.not_treated_dialog
    assert dialog is not None
    qtbot.mouseClick(dialog.declined[TOXIN], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.reason, NOTE)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None, timeout=20000)
    assert dialog.outcome is not None and not dialog.outcome.closed  # the filler is open
    dialog.cancel_button.click()  # "Close"
    qtbot.waitUntil(lambda: wizard.not_treated_dialog is None)
    assert flow.consultation.wizard is wizard and not wizard.isHidden()
    assert consultation_service.get(window.session.ctx, consultation_id).status == "screened"

    # The filler goes on to consent; the toxin, recorded as not given, is not offered.
    wizard.consent_button.click()
    qtbot.waitUntil(lambda: flow.consent_dialog is not None)
    consent = flow.consent_dialog
    assert consent is not None
    wait_loaded(qtbot, consent)
    step = consent.step
    assert step is not None and step.text.treatment_id == FILLER
    assert consent.total == 1 and consent.pending == []
    assert step.position_label.text() == "Treatment 1 of 1"
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    seal(qtbot, step)
    assert consent.all_signed
    # Signed last: the consultation ended with the signing, consented.
    ended = consultation_service.get(window.session.ctx, consultation_id)
    assert ended.status == ConsultationStatus.CONSENTED
    day = flow.today
    assert day is not None
    reads: list[str] = []
    read_day = day.refresh
    day.refresh = lambda: (reads.append("day"), read_day())[1]  # type: ignore[method-assign]
    step.sealed_panel.continue_button.click()

    # The wizard closes as after a full consent; the Treatment step next, then the day.
    qtbot.waitUntil(lambda: flow.consultation.wizard is None)
    qtbot.waitUntil(lambda: flow.treatment_dialog is not None)
    treatment = flow.treatment_dialog
    assert treatment is not None
    qtbot.waitUntil(lambda: treatment.is_loaded)
    assert [panel.chart.treatment_id for panel in treatment.panels] == [FILLER]
    # The day is neither shown nor read while the step opens, but once it closes.
    assert reads == [] and window.workspace.currentWidget() is not day
    treatment.close()
    qtbot.waitUntil(lambda: flow.treatment_dialog is None)
    assert window.workspace.currentWidget() is day
    assert reads and set(reads) == {"day"}
    today = flow.today
    assert today is not None
    # The day is read again once the Treatment step has closed (not under it).
    qtbot.waitUntil(
        lambda: today.status.text() == "1 consultation(s) today: 0 to continue, 1 consented."
    )
    assert today_status(today, consultation_id) == "Consented"
    outcome = outcomes.for_consultation(window.session.ctx, consultation_id)
    assert outcome is not None and outcome.closed
    assert [t.treatment for t in outcome.treatments] == [TOXIN]


def test_signed_then_declined_ends_the_consultation_consented_and_today_shows_it(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    consultation_id, window, wizard = wizard_from_today(qtbot, sqlite_db, home, clinic)
    flow = window.workspace.clinical

    # The filler is signed; the toxin's consent is left unsigned (the dialog closed).
    wizard.consent_button.click()
    qtbot.waitUntil(lambda: flow.consent_dialog is not None)
    consent = flow.consent_dialog
    assert consent is not None
    wait_loaded(qtbot, consent)
    step = consent.step
    assert step is not None and step.text.treatment_id == FILLER and consent.total == 2
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    seal(qtbot, step)
    assert not consent.all_signed
    step.sealed_panel.continue_button.click()
    wait_loaded(qtbot, consent)
    assert consent.step is not None and consent.step.text.treatment_id == TOXIN
    consent.close_asking()  # nothing entered for the toxin: closes without asking
    qtbot.waitUntil(lambda: flow.consent_dialog is None)
    assert flow.consultation.wizard is wizard
    assert consultation_service.get(window.session.ctx, consultation_id).status == "screened"

    # The toxin: not given. Recording it settles the last treatment: the wizard closes.
    wizard.summary_page.not_treated_button.click()
    qtbot.waitUntil(lambda: getattr(wizard, "not_treated_dialog", None) is not None)
    dialog = wizard.not_treated_dialog
    assert dialog is not None
    assert list(dialog.declined) == [TOXIN]  # the filler is consented: not offered
    qtbot.mouseClick(dialog.declined[TOXIN], Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.reason, NOTE)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pdf is not None or bool(dialog.message.text()), timeout=20000)
    assert dialog.message.text() == ""
    assert dialog.outcome is not None and dialog.outcome.closed
    with qtbot.waitSignal(wizard.closed):
        dialog.cancel_button.click()  # "Close"
    qtbot.waitUntil(lambda: flow.consultation.wizard is None)
    today = flow.today
    assert today is not None and window.workspace.currentWidget() is today
    # The day is read again: the consultation ended.
    qtbot.waitUntil(
        lambda: today.status.text() == "1 consultation(s) today: 0 to continue, 1 consented."
    )
    assert today_status(today, consultation_id) == "Consented"
    assert (
        consultation_service.get(window.session.ctx, consultation_id).status
        == ConsultationStatus.CONSENTED
    )
