"""Recall by what was actually used: the chart's lot (points and doses, areas), the
planned lot where no treatment was charted (said so), withdrawn and voided consents left
out with a note; ``consult recall --lot`` as a subprocess; the recall page, with
screenshots at 1366x768 and 1024x700, light and dark (``CONSULT_SCREENSHOTS=dir``)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from consult import paths
from consult.domain.treatment_chart import ChartPoint
from consult.store import migrate
from consult.store.database import open_database
from consult.store.dto import RecallCriteria
from consult.store.services import consents, recall, treatment_records
from consult.store.services.context import ServiceContext
from consult.ui.manager.recall_page import RecallPage
from consult.ui.shell.session import AppSession
from tests import factories
from tests.register_support import clinic as make_clinic
from tests.register_support import product_for, sign_one
from tests.test_dark_and_focus import dark_palette


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict[str, Any]:
    return make_clinic(ctx)


def _point(area: str, amount: str, lot_id: int | None = None) -> ChartPoint:
    return ChartPoint(
        view="front", x=0.5, y=0.4, amount=Decimal(amount), unit="mL", area=area, lot_id=lot_id
    )


def chart_with_lot(clinic: dict[str, Any], consent: Any, lot: str, *areas: str) -> None:
    """Chart the consent's treatment with another lot of its product, one point per area."""
    doc = clinic["practitioner"]
    [chart] = treatment_records.open_charts(doc, consent.consultation_id)
    _, lot_id = product_for(clinic, consent.treatment_id, lot)
    treatment_records.save_draft(
        doc,
        chart.id,
        chart.version,
        lot_id=lot_id,
        lot_reason="The planned box was opened and not sterile",
        areas=list(areas),
        points=[_point(area, "0.3") for area in areas],
    )


def test_recall_reads_the_lot_actually_used_not_the_planned_one(clinic) -> None:
    boss = clinic["manager"]
    consent = sign_one(clinic, given="Ada", family="Charted", lot="PLANNED-1")
    chart_with_lot(clinic, consent, "USED-2", "nasolabial fold left", "lips")
    sign_one(clinic, given="Ben", family="Planned", lot="PLANNED-1")
    used = recall.search(boss, RecallCriteria(lot="used-2"))
    [row] = used.rows
    assert (row.patient_name, row.lot_number, row.charted) == ("Ada Charted", "USED-2", True)
    assert row.areas == ("nasolabial fold left", "lips") and row.doses == (("0.6", "mL"),)
    assert row.treated_on is not None and used.left_out == ()
    planned = recall.search(boss, RecallCriteria(lot="planned-1"))
    [row] = planned.rows  # Ada's planned lot was not the one used: she is not in this list
    assert (row.patient_name, row.charted, row.areas, row.doses) == ("Ben Planned", False, (), ())


def test_withdrawn_and_voided_consents_are_left_out_with_a_note(clinic) -> None:
    boss, doc = clinic["manager"], clinic["practitioner"]
    kept = sign_one(clinic, given="Cleo", family="Kept", lot="LOT-W")
    withdrawn = sign_one(clinic, given="Dan", family="Withdrawn", lot="LOT-W")
    voided = sign_one(clinic, given="Eve", family="Voided", lot="LOT-W")
    consents.add_event(doc, withdrawn.id, "withdrawn", "Patient changed their mind")
    consents.add_event(boss, voided.id, "voided", "Recorded for the wrong patient")
    result = recall.search(boss, RecallCriteria(lot="LOT-W"))
    assert [r.document_number for r in result.rows] == [kept.document_number]
    assert {(r.patient_name, r.consent_state) for r in result.left_out} == {
        ("Dan Withdrawn", "withdrawn"),
        ("Eve Voided", "voided"),
    }
    assert recall.recall(boss, RecallCriteria(lot="LOT-W")) == list(result.rows)


def test_points_of_two_lots_make_two_rows(clinic) -> None:
    doc, boss = clinic["practitioner"], clinic["manager"]
    consent = sign_one(clinic, given="Fay", family="Split", lot="SPLIT-A")
    _, other = product_for(clinic, consent.treatment_id, "SPLIT-B")
    [chart] = treatment_records.open_charts(doc, consent.consultation_id)
    treatment_records.save_draft(
        doc,
        chart.id,
        chart.version,
        lot_id=chart.lot_id,
        areas=["cheeks"],
        points=[
            _point("cheek left", "0.5"),
            _point("cheek right", "0.5"),
            _point("chin", "0.25", lot_id=other),
        ],
    )
    by_product = recall.search(boss, RecallCriteria(product="for ha_filler"))
    rows = {(r.lot_number, r.areas, r.doses) for r in by_product.rows}
    assert rows == {
        ("SPLIT-A", ("cheek left", "cheek right"), (("1", "mL"),)),
        ("SPLIT-B", ("chin",), (("0.25", "mL"),)),
    }


def _consult(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, **{paths.HOME_ENV: str(home)})
    return subprocess.run(
        [sys.executable, "-m", "consult", *args, "--as", "boss"],
        input=factories.PASSWORD + "\n",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_cli_recall_by_lot_says_where_and_how_much(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db)
        people = make_clinic(ServiceContext(db))
        consent = sign_one(people, given="Gus", family="Cli", lot="CLI-PLANNED")
        chart_with_lot(people, consent, "CLI-USED", "forehead")
        gone = sign_one(people, given="Hal", family="Gone", lot="CLI-USED")
        consents.add_event(people["manager"], gone.id, "voided", "Recorded in error")
    finally:
        db.close()
    assert home.home is not None
    result = _consult("recall", "--lot", "cli-used", home=home.home)
    assert result.returncode == 0, result.stderr
    assert "1 patient(s), 1 treatment(s)" in result.stdout
    assert "Gus Cli" in result.stdout and "forehead" in result.stdout
    assert "0.3 mL" in result.stdout and "charted" in result.stdout
    assert "Hal Gone" not in result.stdout
    assert "1 treatment(s) left out: consent withdrawn or voided" in result.stdout


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, before = app.style().name(), app.palette()
    app.setStyle("Fusion")
    app.setPalette(dark_palette() if request.param == "dark" else app.style().standardPalette())
    yield request.param
    app.setStyle(style)
    app.setPalette(before)


@pytest.mark.parametrize(("width", "height"), [(1366, 768), (1024, 700)])
def test_the_recall_page_says_where_how_much_and_what_was_left_out(
    qtbot, sqlite_db, home, tmp_path, palette, width, height
) -> None:
    people = make_clinic(ServiceContext(sqlite_db))
    consent = sign_one(people, given="Ada", family="Charted", lot="PAGE-PLANNED")
    chart_with_lot(people, consent, "PAGE-USED", "nasolabial fold left", "lips")
    sign_one(people, given="Ben", family="Planned", lot="PAGE-USED")
    gone = sign_one(people, given="Cal", family="Voided", lot="PAGE-USED")
    consents.add_event(people["manager"], gone.id, "voided", "Recorded in error")
    session = AppSession(sqlite_db, home)
    session.set_user(people["users"]["manager"])
    page = RecallPage(session)
    qtbot.addWidget(page)
    page.resize(width, height)
    page.show()
    page.lot.setText("page-used")
    page.search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    model = page.model
    rows = {
        model.data(model.index(r, 0)): [model.data(model.index(r, c)) for c in range(13)]
        for r in range(2)
    }
    assert rows["Ada Charted"][4] == "PAGE-USED"
    assert rows["Ada Charted"][6:9] == ["nasolabial fold left, lips", "0.6 mL", "Chart"]
    assert rows["Ben Planned"][6:9] == ["—", "—", "Planned (not charted)"]
    assert "1 treatment(s) left out: consent withdrawn or voided" in page.status.text()
    chosen = os.environ.get("CONSULT_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    assert page.grab().save(str(folder / f"recall-{width}x{height}-{palette}.png"))
    page.leave()
