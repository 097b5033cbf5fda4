"""Consent in patient mode (issue 19): the patient reads the consent to its end,
initials, chooses and signs by touch on their screen; the practitioner's password brings
it back to the desk, where the practitioner countersigns and seals as usual."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest

from consult.ui.patient_mode.answer_buttons import ChoiceButton
from consult.ui.patient_mode.consent_handover import PatientConsentHandover
from tests import factories
from tests.consent_reading import read_through
from tests.test_consent_step import clinic, consent, no_waiting_question, seal

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")
__all__ = ["clinic", "consent", "no_waiting_question"]  # the fixtures, used by name


def touch_sign(pad: Any) -> None:
    """A finger's stroke on the signature pad."""
    device = QTest.createTouchDevice()
    QTest.touchEvent(pad, device).press(0, QPoint(20, 40), pad).commit()
    for x in range(30, 200, 10):
        QTest.touchEvent(pad, device).move(0, QPoint(x, 40 + (x % 30)), pad).commit()
    QTest.touchEvent(pad, device).release(0, QPoint(200, 50), pad).commit()


def test_the_patient_reads_initials_and_signs_by_touch_then_the_practitioner_seals(
    qtbot, consent
) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    step.hand_button.click()
    handover = step.handover
    assert isinstance(handover, PatientConsentHandover)
    qtbot.waitUntil(lambda: handover.window.isVisible())
    view = handover.view
    assert handover.panel.isVisible()  # the desk's consent is covered
    # Not read yet: no signing, and the patient is told what is missing.
    assert not view.signature.pad.isEnabled()
    view.signed_button.click()
    assert "read the text to its end" in view.error.text()
    assert handover.active
    read_through(qtbot, view.text_view)
    assert view.signature.pad.isEnabled()
    for edit in view.initials.values():
        qtbot.keyClicks(edit, "ZL")
    for group in view.choices.values():
        yes = next(b for b in group.buttons() if b.property("value") is True)
        assert isinstance(yes, ChoiceButton) and yes.height() >= 44
        yes.click()
    touch_sign(view.signature.pad)
    assert not view.signature.pad.is_empty()
    assert view.missing() == []
    assert "Steps done: 4 of 4" in handover.panel.sections.text()
    view.signed_button.click()
    # The practitioner's password (a wrong one refused), then the desk has it all.
    handover.unlock_here.password.setText("wrong")
    handover.unlock_here.submit()
    qtbot.waitUntil(lambda: handover.unlock_here.error.isVisible())
    assert handover.active
    with qtbot.waitSignal(handover.returned):
        handover.unlock_here.password.setText(factories.PASSWORD)
        handover.unlock_here.submit()
    assert step.handover is None and not handover.panel.isVisible()
    assert step.text_view.has_reached_end()
    assert all(edit.text() == "ZL" for edit in step.initials.values())
    assert all(group.checkedButton() is not None for group in step.choices.values())
    assert step.patient_box.pad.strokes() == handover.given["signature"]["strokes"]
    # The practitioner countersigns on their screen and seals.
    step.practitioner_box.pad.set_strokes(step.patient_box.pad.strokes())
    info = seal(qtbot, step)
    assert info.id


def test_escape_keeps_the_consent_dialog_open(qtbot, consent) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    step.hand_button.click()
    handover = step.handover
    assert isinstance(handover, PatientConsentHandover)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)  # a dialog's Escape would discard the consent
    assert not handover.window.close()
    assert dialog.isVisible() and handover.active and handover.escape_attempts >= 2


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (800, 1280)])
def test_the_consent_fits_a_tablet(qtbot, consent, tmp_path, width: int, height: int) -> None:
    dialog, _session, _person, _info = consent
    step = dialog.step
    assert step is not None
    step.hand_button.click()
    handover = step.handover
    assert isinstance(handover, PatientConsentHandover)
    window = handover.window
    window.released = True  # a picture at a tablet's size, not patient mode's full screen
    window.showNormal()
    window.resize(width, height)
    qtbot.waitUntil(lambda: window.width() == width and window.height() == height)
    view = handover.view
    read_through(qtbot, view.text_view)
    chosen = os.environ.get("CONSULT_SCREENSHOTS")
    out = Path(chosen) if chosen else tmp_path
    out.mkdir(parents=True, exist_ok=True)
    assert window.grab().save(str(out / f"patient-mode-consent-{width}x{height}.png"))
    for button in (view.signed_button, *view.choices["photographs"].buttons()):
        assert button.height() >= 44
        left = button.mapTo(window, button.rect().topLeft()).x()
        assert left >= 0 and left + button.width() <= width
    assert view.signature.pad.height() >= 120
