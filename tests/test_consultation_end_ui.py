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
from consult.store.services.context import ServiceContext
from consult.ui.consultation.today_page import TodayPage, TodayTableModel
from consult.ui.shell.clinical_flow import ClinicalFlow
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.main_window import MainWindow
from tests import factories
from tests.test_consent_step import fill, read_to_end, seal, sign_both, wait_loaded
from tests.test_consultation_wizard import settle, signed_in_window

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints", "does not support raise")

FILLER, TOXIN = "ha_filler", "botulinum_toxin"
NOTE = "Only the filler today; we will talk about the toxin in spring."


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, Any]:
    """Staff and a product with a lot in date for the filler and the toxin."""
    ctx = ServiceContext(sqlite_db)
    people = factories.staff(ctx)
    manager = people["manager"]
    products = {
        FILLER: factories.product(ctx, manager, FILLER, "Volbella"),
        TOXIN: factories.product(ctx, manager, TOXIN, "Azzalure"),
    }
    return {"ctx": ctx, "people": people, "products": products}


def at_summary(clinic: dict[str, Any]) -> int:
    """Today's consultation planning the filler and the toxin, screened clear for both
    and left at the summary (via the services); its id."""
    kb = knowledge()
    doctor = clinic["people"]["practitioner"]
    doc = clinic["ctx"].signed_in(doctor)
    person = factories.patient(clinic["ctx"], doctor, family="Mixed")
    info = consultation_service.start(doc, person.id)
    info = consultation_service.save(
        doc,
        info.id,
        info.version,
        kb,
        step="summary",
        treatments=[
            {
                "id": treatment,
                "route": kb.treatment(treatment).routes[0],
                "product_id": clinic["products"][treatment].id,
                "lot_id": clinic["products"][treatment].lots[0].id,
            }
            for treatment in (FILLER, TOXIN)
        ],
        answers=factories.no_answers(treatments=[FILLER, TOXIN]),
    )
    info = consultation_service.run_screening(doc, info.id, info.version, kb)
    assert [r.status for r in consultation_service.reviews(info)] == ["ready", "ready"]
    return info.id


def today_status(today: TodayPage, consultation_id: int) -> str:
    row = today.model.row_of(lambda r: r.consultation.id == consultation_id)
    return str(today.model.index(row, TodayTableModel.COL_STATUS).data())


def opened_from_today(qtbot: Any, window: MainWindow, consultation_id: int) -> Any:
    """The consultation opened from the Today page with Return, at its summary."""
    flow = window.workspace.clinical
    assert isinstance(flow, ClinicalFlow) and flow.today is not None
    today = flow.today
    qtbot.waitUntil(lambda: today.model.rowCount() == 1)
    assert today_status(today, consultation_id) == "In progress (screened)"
    assert today.status.text() == "1 consultation(s) today: 1 to continue, 0 consented."
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert flow.consultation is not None
    qtbot.waitUntil(lambda: flow.consultation.wizard is not None)
    wizard = flow.consultation.wizard
    assert wizard is not None and wizard.info.id == consultation_id
    qtbot.waitUntil(lambda: wizard.is_loaded)
    settle(qtbot, wizard)
    assert wizard.page == "summary"
    assert wizard.summary_page.ready == [FILLER, TOXIN]
    return wizard


def test_declined_then_signed_ends_the_consultation_consented_and_today_shows_it(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    consultation_id = at_summary(clinic)
    window = signed_in_window(qtbot, sqlite_db, home)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    flow = window.workspace.clinical
    wizard = opened_from_today(qtbot, window, consultation_id)

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
    step.sealed_panel.continue_button.click()

    # The wizard closes as after a full consent, back to the day; the Treatment step next.
    qtbot.waitUntil(lambda: flow.consultation.wizard is None)
    assert window.workspace.currentWidget() is flow.today
    qtbot.waitUntil(lambda: flow.treatment_dialog is not None)
    treatment = flow.treatment_dialog
    assert treatment is not None
    qtbot.waitUntil(lambda: treatment.is_loaded)
    assert [panel.chart.treatment_id for panel in treatment.panels] == [FILLER]
    treatment.close()
    qtbot.waitUntil(lambda: flow.treatment_dialog is None)
    today = flow.today
    assert today is not None
    qtbot.waitUntil(lambda: today_status(today, consultation_id) == "Consented")
    assert today.status.text() == "1 consultation(s) today: 0 to continue, 1 consented."
    outcome = outcomes.for_consultation(window.session.ctx, consultation_id)
    assert outcome is not None and outcome.closed
    assert [t.treatment for t in outcome.treatments] == [TOXIN]


def test_signed_then_declined_ends_the_consultation_consented_and_today_shows_it(
    qtbot: Any, sqlite_db: Database, home: Any, clinic: dict[str, Any]
) -> None:
    consultation_id = at_summary(clinic)
    window = signed_in_window(qtbot, sqlite_db, home)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    flow = window.workspace.clinical
    wizard = opened_from_today(qtbot, window, consultation_id)

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
    qtbot.waitUntil(lambda: today_status(today, consultation_id) == "Consented")
    assert today.status.text() == "1 consultation(s) today: 0 to continue, 1 consented."
    assert (
        consultation_service.get(window.session.ctx, consultation_id).status
        == ConsultationStatus.CONSENTED
    )
