"""The products page quarantines a lot with the reason and releases it; the lot's status
says so in words. Screenshots at two sizes, light and dark."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from consult.store.database import Database
from consult.store.services import products as product_service
from consult.store.services.context import ServiceContext
from consult.ui.manager import products_page
from consult.ui.manager.product_tables import LotTableModel
from consult.ui.manager.products_page import ProductsPage
from consult.ui.shell.session import AppSession
from tests import factories


@pytest.fixture
def people(sqlite_db: Database):
    return factories.staff(ServiceContext(sqlite_db))


@pytest.fixture
def page(qtbot, sqlite_db: Database, home, people) -> ProductsPage:
    session = AppSession(sqlite_db, home)
    session.set_user(people["manager"])
    widget = ProductsPage(session)
    qtbot.addWidget(widget)
    return widget


def test_a_manager_quarantines_then_releases_a_lot(qtbot, page, monkeypatch, people) -> None:
    boss = page.session.ctx
    factories.product_with_lot(boss, "ha_filler", name="Filler Q")
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert not page.quarantine_button.isEnabled()
    page.lots.selectRow(0)
    assert page.quarantine_button.text() == "&Quarantine lot…"
    reasons = iter(["Field safety notice FSN-31", "Notice withdrawn by the maker"])
    monkeypatch.setattr(products_page.ReasonDialog, "ask", lambda *a: next(reasons))
    with qtbot.waitSignal(page.loaded):
        page.quarantine_button.click()
    status = page.lot_model.index(0, LotTableModel.COL_STATUS)
    assert page.lot_model.data(status) == "Quarantined: Field safety notice FSN-31"
    [product] = product_service.list_products(boss, "ha_filler")
    assert product.lots[0].quarantined
    page.lots.selectRow(0)
    assert page.quarantine_button.text() == "&Release lot…"
    with qtbot.waitSignal(page.loaded):
        page.quarantine_button.click()
    assert page.lot_model.data(status) == "In date"
    page.lots.selectRow(0)
    monkeypatch.setattr(products_page.ReasonDialog, "ask", lambda *a: None)
    page.quarantine_button.click()  # cancelled: nothing is written
    [product] = product_service.list_products(boss, "ha_filler")
    assert not product.lots[0].quarantined
    QApplication.processEvents()
