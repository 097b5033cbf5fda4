"""The products page quarantines a lot with the reason and releases it; the lot's status
says so in words. Screenshots at two sizes, light and dark."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path

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
from tests.test_dark_and_focus import dark_palette


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


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, before = app.style().name(), app.palette()
    app.setStyle("Fusion")
    if request.param == "dark":
        app.setPalette(dark_palette())
    else:
        app.setPalette(app.style().standardPalette())
    yield request.param
    app.setStyle(style)
    app.setPalette(before)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700)])
def test_screenshots(qtbot, page, tmp_path, palette, width, height) -> None:
    """The lot page with a quarantined lot (``CONSULT_SCREENSHOTS=dir`` keeps them)."""
    boss = page.session.ctx
    product_id, lot_id = factories.product_with_lot(boss, "ha_filler", name="Filler Q")
    product_service.add_lot(
        boss,
        product_id,
        lot_number="HA-2027-B",
        expiry_date=dt.date.today() + dt.timedelta(days=400),
        supplier="Supplier Ltd",
        supplier_accreditation="CE mark, ISO 13485",
    )
    product_service.quarantine_lot(boss, lot_id, "Field safety notice FSN-31 (sterility)")
    page.resize(width, height)
    page.show()
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    page.lots.selectRow(1)
    QApplication.processEvents()
    chosen = os.environ.get("CONSULT_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    assert page.grab().save(str(folder / f"lots-quarantine-{width}x{height}-{palette}.png"))
    page.runner.wait()
