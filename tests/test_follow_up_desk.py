"""Reception's follow-up reviews: the desk lists reviews due and overdue (read off the
GUI thread), Called keeps a review listed with who called, Booked takes it off.
Screenshots of the desk at 1366x768 and 1024x700, light and dark
(``CONSULT_SCREENSHOTS=dir`` keeps them)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QApplication
from sqlalchemy import update

from consult.store.database import Database
from consult.store.models import TreatmentRecord
from consult.store.services.context import ServiceContext
from consult.ui.desk.reception_page import ReceptionPage
from consult.ui.desk.reviews_panel import ReviewTableModel
from consult.ui.shell.session import AppSession
from tests import security_support
from tests.screen_support import out_dir, palette

pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")
__all__ = ["palette"]  # the fixture


@pytest.fixture
def desk(qtbot, sqlite_db: Database, home) -> tuple[ReceptionPage, dict[str, ServiceContext]]:
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    for family, days_ago in (("Overdue", 20), ("Today", 14), ("Soon", 10)):
        _, info, _ = security_support.signed_consent(clinic, given="Amelia", family=family)
        with sqlite_db.session() as session:  # treated days ago (the consent time)
            session.execute(
                update(TreatmentRecord)
                .where(TreatmentRecord.consultation_id == info.id)
                .values(recorded_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=days_ago))
            )
    session = AppSession(sqlite_db, home)
    session.set_user(clinic["reception"].user)
    page = ReceptionPage(session)
    qtbot.addWidget(page)
    return page, clinic


def load(qtbot, page: ReceptionPage) -> None:
    with qtbot.waitSignal(page.reviews.loaded, timeout=10000):
        page.refresh()


def test_reviews_due_and_overdue_then_called_and_booked(qtbot, desk) -> None:
    page, _ = desk
    load(qtbot, page)
    reviews = page.reviews
    model = reviews.model
    names = [model.data(model.index(r, ReviewTableModel.COL_PATIENT)) for r in range(3)]
    assert names == ["Amelia Overdue", "Amelia Today", "Amelia Soon"]
    overdue = [model.data(model.index(r, ReviewTableModel.COL_OVERDUE)) for r in range(3)]
    assert overdue == ["6 day(s)", "Due today", "Not yet"]
    assert model.data(model.index(0, ReviewTableModel.COL_PHONE)) == "07700 900123"
    assert page.bottom.tabText(1) == "Follow-up reviews (3)"
    assert "3 review(s) to call — 1 overdue" in reviews.status.text()
    assert not reviews.called_button.isEnabled()
    reviews.table.selectRow(0)
    with qtbot.waitSignal(reviews.loaded, timeout=10000):
        reviews.called_button.click()
    assert reviews.status.text().startswith("Amelia Overdue marked as called.")
    called = model.data(model.index(0, ReviewTableModel.COL_MARK))
    assert called.endswith("by Rita Desk")
    reviews.table.selectRow(0)
    with qtbot.waitSignal(reviews.loaded, timeout=10000):
        reviews.booked_button.click()
    assert model.rowCount() == 2 and page.bottom.tabText(1) == "Follow-up reviews (2)"
    page.leave()


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700)])
def test_screenshots(qtbot, desk, tmp_path, palette, width, height) -> None:
    page, _ = desk
    page.resize(width, height)
    page.show()
    load(qtbot, page)
    page.bottom.setCurrentWidget(page.reviews)
    page.reviews.table.selectRow(0)
    QApplication.processEvents()
    assert page.grab().save(str(out_dir(tmp_path) / f"desk-reviews-{width}x{height}-{palette}.png"))
    page.leave()
