"""The products page: managers add products and lots; expired lots say so."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from consult.store.database import Database
from consult.store.services import products as product_service
from consult.store.services.context import ServiceContext
from consult.ui.manager.product_dialogs import LotDialog, ProductDialog
from consult.ui.manager.product_tables import LotTableModel, ProductTableModel
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


def save(qtbot, dialog: ProductDialog | LotDialog) -> None:
    """Save, and wait for the save (a write off the GUI thread) to end."""
    dialog.save()
    qtbot.waitUntil(lambda: not dialog.is_saving())


def load(qtbot, page: ProductsPage) -> None:
    with qtbot.waitSignal(page.loaded):
        page.refresh()


def test_models_pass_the_model_tester(qtmodeltester, sqlite_db, people) -> None:
    ctx = ServiceContext(sqlite_db)
    made = factories.product(ctx, people["manager"], "prp", "Kit", source="autologous")
    products = ProductTableModel()
    products.set_rows([made])
    qtmodeltester.check(products)
    lots = LotTableModel()
    lots.set_rows(made.lots)
    qtmodeltester.check(lots)


def test_a_manager_adds_a_product_and_its_lots_and_sees_expired_ones(
    qtbot, page, monkeypatch, sqlite_db, people
) -> None:
    load(qtbot, page)
    assert page.model.rowCount() == 0
    assert not page.lot_button.isEnabled()

    def fill_product(session, product, parent):
        dialog = ProductDialog(session, product, parent)
        qtbot.addWidget(dialog)
        save(qtbot, dialog)  # nothing typed: the name is required, at the name
        assert dialog.form.errors["name"].text() == "⚠ The product's name is required."
        qtbot.keyClicks(dialog.name, "ExoGlow")
        qtbot.keyClicks(dialog.manufacturer, "Regenica")
        dialog.treatment.setCurrentIndex(dialog.treatment.findData("exosome"))
        sources = [dialog.source.itemData(i) for i in range(dialog.source.count())]
        assert sources == ["synthetic", "plant", "human_allogeneic", "animal"]
        dialog.source.setCurrentIndex(dialog.source.findData("plant"))
        save(qtbot, dialog)
        return dialog.result_product

    monkeypatch.setattr(ProductDialog, "ask", classmethod(lambda cls, *a: fill_product(*a)))
    with qtbot.waitSignal(page.loaded):
        qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    assert page.model.rowCount() == 1
    assert page.model.index(0, ProductTableModel.COL_SOURCE).data() == "Plant-derived"
    assert page.model.index(0, ProductTableModel.COL_TREATMENT).data() == "Exosome therapy"

    def fill_lot(session, product, parent, number, expiry):
        dialog = LotDialog(session, product, parent)
        qtbot.addWidget(dialog)
        assert dialog.expiry.calendarPopup()
        qtbot.keyClicks(dialog.lot_number, number)
        dialog.expiry.setDate(QDate(expiry.year, expiry.month, expiry.day))
        save(qtbot, dialog)  # no accreditation yet: refused at that field
        assert "AABB" in dialog.form.errors["supplier_accreditation"].text()
        qtbot.keyClicks(dialog.accreditation, "FACT accredited")
        save(qtbot, dialog)
        return dialog.result_lot

    today = dt.date.today()
    for number, expiry in (
        ("OLD-1", today - dt.timedelta(days=3)),
        ("NEW-1", today.replace(year=today.year + 1)),
    ):
        monkeypatch.setattr(
            LotDialog,
            "ask",
            classmethod(lambda cls, s, p, w, n=number, e=expiry: fill_lot(s, p, w, n, e)),
        )
        with qtbot.waitSignal(page.loaded):
            page.lot_button.click()
    assert page.model.index(0, ProductTableModel.COL_LOTS).data() == "1 of 2"
    statuses = {
        page.lot_model.index(row, LotTableModel.COL_LOT).data(): page.lot_model.index(
            row, LotTableModel.COL_STATUS
        ).data()
        for row in range(page.lot_model.rowCount())
    }
    assert statuses == {"OLD-1": "Expired: cannot be used", "NEW-1": "In date"}
    expired_row = next(
        row
        for row in range(page.lot_model.rowCount())
        if page.lot_model.lot(row).lot_number == "OLD-1"
    )
    index = page.lot_model.index(expired_row, LotTableModel.COL_STATUS)
    assert index.data(Qt.ItemDataRole.DecorationRole) is not None  # an icon, not colour alone
    [stored] = product_service.list_products(page.session.ctx)
    assert {lot.lot_number: lot.supplier_accreditation for lot in stored.lots} == {
        "OLD-1": "FACT accredited",
        "NEW-1": "FACT accredited",
    }
    assert [lot.lot_number for lot in product_service.usable_lots(stored, today)] == ["NEW-1"]


def test_editing_a_product_can_withdraw_it(qtbot, page, sqlite_db, people) -> None:
    factories.product(
        ServiceContext(sqlite_db), people["manager"], "prp", "Kit", source="autologous"
    )
    load(qtbot, page)
    dialog = ProductDialog(page.session, page.current())
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Kit"
    assert dialog.source.currentData() == "autologous"
    dialog.active.setChecked(False)
    save(qtbot, dialog)
    assert dialog.result_product is not None and not dialog.result_product.active
    assert product_service.list_products(page.session.ctx, "prp") == []


def test_a_practitioner_cannot_add_products(qtbot, sqlite_db, home, people) -> None:
    session = AppSession(sqlite_db, home)
    session.set_user(people["practitioner"])
    dialog = ProductDialog(session)
    qtbot.addWidget(dialog)
    dialog.name.setText("Sneaky")
    save(qtbot, dialog)
    assert "manager" in dialog.error.text()
    assert dialog.result_product is None
