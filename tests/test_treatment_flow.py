"""From the wizard through consent to the Treatment step, as a practitioner goes."""

from __future__ import annotations

from typing import Any

import pytest

from consult.store.database import Database
from consult.store.services import treatment_records
from tests import factories
from tests.test_consent_step import clinic, fill, read_to_end, seal, sign_both, wait_loaded
from tests.test_consultation_wizard import answer_all, click_next, plan, signed_in_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
__all__ = ["clinic"]  # the autouse fixture the helpers expect, used here as it is there


def test_the_treatment_step_opens_once_the_last_consent_is_sealed(
    qtbot, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    person = factories.patient(clinic["ctx"], clinic["people"]["practitioner"], given="Ada")
    window = signed_in_window(qtbot, sqlite_db, home)
    window.resize(1366, 768)
    flow = window.workspace.clinical
    assert flow is not None
    flow.show_patient(person)
    qtbot.waitUntil(lambda: flow.patient_page.status.text() == "0 consultation(s)")
    flow.patient_page.start_button.click()
    qtbot.waitUntil(lambda: flow.consultation.wizard is not None)
    wizard = flow.consultation.wizard
    assert wizard is not None
    qtbot.waitUntil(lambda: wizard.is_loaded)
    plan(wizard, "ha_filler", clinic)
    click_next(qtbot, wizard)
    answer_all(wizard)
    click_next(qtbot, wizard)
    click_next(qtbot, wizard)
    wizard.consent_button.click()
    consent = flow.consent_dialog
    assert consent is not None
    wait_loaded(qtbot, consent)
    step = consent.step
    assert step is not None
    assert flow.treatment_dialog is None  # not before consent
    read_to_end(qtbot, step)
    fill(step)
    sign_both(step)
    seal(qtbot, step)
    step.sealed_panel.continue_button.click()
    qtbot.waitUntil(lambda: flow.treatment_dialog is not None)
    treatment = flow.treatment_dialog
    assert treatment is not None and treatment.isVisible()
    qtbot.waitUntil(lambda: treatment.is_loaded)
    [panel] = treatment.panels
    assert panel.chart.treatment_id == "ha_filler" and not panel.chart.signed
    assert panel.lot.currentData() == panel.chart.planned_lot_id
    [stored] = treatment_records.charts_for(window.session.ctx, panel.chart.consultation_id)
    assert stored.id == panel.chart.id
    treatment.close()
    qtbot.waitUntil(lambda: flow.treatment_dialog is None)
