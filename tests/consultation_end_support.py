"""A consultation brought to the summary with two treatments, the filler and the toxin,
screened clear for both: the set-up shared by the tests of how a consultation ends
(tests/test_consultation_end_ui.py) and of the summary once part of it is settled
(tests/test_summary_settled_ui.py).

A test module imports the ``clinic`` fixture (naming it in ``__all__``), brings the
consultation to the summary with :func:`at_summary` (or :func:`screened_at_summary` for
products of its own) and opens it from the Today page with :func:`wizard_from_today`.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt

from consult.store.database import Database
from consult.store.dto import ConsultationInfo, PatientInfo, ProductInfo, UserInfo
from consult.store.services import consultations as consultation_service
from consult.store.services.context import ServiceContext
from consult.ui.consultation.today_page import TodayPage, TodayTableModel
from consult.ui.consultation.wizard import ConsultationWizard
from consult.ui.shell.clinical_flow import ClinicalFlow
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.main_window import MainWindow
from tests import factories
from tests.test_consultation_wizard import settle, signed_in_window

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


def screened_at_summary(
    ctx: ServiceContext,
    doc: ServiceContext,
    doctor: UserInfo,
    products: dict[str, ProductInfo],
) -> tuple[PatientInfo, ConsultationInfo]:
    """Today's consultation of a new patient planning each of ``products`` (treatment id:
    product, its first lot), screened clear for all of them and left at the summary
    (via the services, as ``doc``); the patient and the consultation."""
    kb = knowledge()
    person = factories.patient(ctx, doctor, family="Mixed")
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
                "product_id": product.id,
                "lot_id": product.lots[0].id,
            }
            for treatment, product in products.items()
        ],
        answers=factories.no_answers(treatments=list(products)),
    )
    info = consultation_service.run_screening(doc, info.id, info.version, kb)
    assert [r.status for r in consultation_service.reviews(info)] == ["ready"] * len(products)
    return person, info


def at_summary(clinic: dict[str, Any]) -> int:
    """Today's consultation planning the filler and the toxin, screened clear for both
    and left at the summary (via the services); its id."""
    doctor = clinic["people"]["practitioner"]
    products = {treatment: clinic["products"][treatment] for treatment in (FILLER, TOXIN)}
    _person, info = screened_at_summary(
        clinic["ctx"], clinic["ctx"].signed_in(doctor), doctor, products
    )
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


def wizard_from_today(
    qtbot: Any, db: Database, home: Any, clinic: dict[str, Any]
) -> tuple[int, MainWindow, ConsultationWizard]:
    """The filler and toxin consultation (:func:`at_summary`) opened in a signed-in main
    window at 1366x768 from the Today page, at its summary: its id, the window and the
    wizard."""
    consultation_id = at_summary(clinic)
    window = signed_in_window(qtbot, db, home)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    wizard = opened_from_today(qtbot, window, consultation_id)
    return consultation_id, window, wizard
