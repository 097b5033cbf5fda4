"""The recall list's CSV says where and how much, as the page and ``consult recall`` do:
the areas and the dose per unit (the unit in the column's name), escaped like every other
cell; a treatment never charted has empty cells. Written by the writer itself, from the
manager's Recall page and by ``consult recall --csv`` as a subprocess."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from consult import paths
from consult.documents import exports
from consult.domain.treatment_chart import ChartPoint
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.services import treatment_records
from consult.store.services.context import ServiceContext
from consult.ui.manager import recall_page
from consult.ui.manager.recall_page import RecallPage
from consult.ui.shell.session import AppSession
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one
from tests.test_recall import _consult, chart_with_lot


def _read(path: Path) -> dict[str, dict[str, str]]:
    """The CSV's lines by patient, each a mapping of column to cell."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        header, *lines = list(csv.reader(handle))
    assert tuple(header) == exports.RECALL_COLUMNS
    return {line[0]: dict(zip(header, line, strict=True)) for line in lines}


def chart_toxin(clinic: dict[str, Any], consent: Any, *points: tuple[str, str]) -> None:
    """Chart the consent's toxin with its planned lot: one point per (area, units)."""
    doc = clinic["practitioner"]
    [chart] = treatment_records.open_charts(doc, consent.consultation_id)
    treatment_records.save_draft(
        doc,
        chart.id,
        chart.version,
        lot_id=chart.lot_id,
        areas=sorted({area for area, _ in points}),
        points=[
            ChartPoint(view="front", x=0.5, y=0.3, amount=Decimal(units), unit="units", area=area)
            for area, units in points
        ],
    )


# --- the writer ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    patient_name: str
    areas: tuple[str, ...] = ()
    doses: tuple[tuple[str, str], ...] = ()
    date_of_birth: dt.date = dt.date(1990, 4, 2)
    phone: str = ""
    email: str = ""
    address: str = ""
    product_name: str = "Filler"
    manufacturer: str = "Maker"
    lot_number: str = "LOT-1"
    expiry_date: dt.date = dt.date(2027, 1, 1)
    treatment_id: str = "ha_filler"
    treated_at: dt.datetime = dt.datetime(2026, 11, 1, 10, 0, tzinfo=dt.UTC)
    practitioner_name: str = "Dr Dana Doe"
    document_number: str = "C-1"
    consent_state: str = "signed"


def test_the_columns_name_their_unit_and_come_after_the_older_ones() -> None:
    assert exports.RECALL_COLUMNS[:14] == (
        "patient",
        "date_of_birth",
        "phone",
        "email",
        "address",
        "product",
        "manufacturer",
        "lot",
        "expiry",
        "treatment_id",
        "treated_at_utc",
        "practitioner",
        "document_number",
        "consent_state",
    )
    assert exports.RECALL_COLUMNS[14:] == ("areas", "dose_units", "dose_ml")


def test_areas_and_doses_are_written_escaped_and_empty_where_none(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    target = tmp_path / "recall.csv"
    rows = [
        Line("Ada", ("lips", "cheek, left"), (("0.6", "mL"),)),
        Line("Ben", ("glabella",), (("20", "units"), ("0.1", "mL"))),
        Line("Cal"),  # never charted: the planned lot, nothing given yet
        Line("Dan", ("=cmd|'/c calc'!A1", "@SUM(A1)"), (("-1", "mL"),)),
        Line("Eve", ("chin",), (("2", "drops"),)),  # no unit the chart writes
    ]
    assert exports.write_recall_csv(rows, target) == 5
    lines = _read(target)
    cells = {
        name: (line["areas"], line["dose_units"], line["dose_ml"]) for name, line in lines.items()
    }
    assert cells == {
        "Ada": ("lips; cheek, left", "", "0.6"),
        "Ben": ("glabella", "20", "0.1"),
        "Cal": ("", "", ""),
        "Dan": ("'=cmd|'/c calc'!A1; @SUM(A1)", "", "'-1"),
        "Eve": ("chin", "", ""),
    }
    assert "2 drops of lot LOT-1 (consent C-1) is in no dose column" in caplog.text


# --- the manager's Recall page ------------------------------------------------------------


def test_the_recall_page_writes_the_areas_and_dose_of_each_treatment(
    qtbot: Any,
    sqlite_db: Database,
    home: paths.Dirs,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = make_clinic(ServiceContext(sqlite_db))
    consent = sign_one(people, given="Ada", family="Charted", lot="CSV-PLANNED")
    chart_with_lot(people, consent, "CSV-USED", "=lips", "nasolabial fold left")
    sign_one(people, given="Ben", family="Planned", lot="CSV-USED")
    session = AppSession(sqlite_db, home)
    session.set_user(people["users"]["manager"])
    page = RecallPage(session)
    qtbot.addWidget(page)
    page.lot.setText("csv-used")
    page.search()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10000)
    target = tmp_path / "recall.csv"
    monkeypatch.setattr(recall_page, "ask_save_path", lambda *_args: target)
    page.export_button.click()
    qtbot.waitUntil(lambda: target.exists() and not page.exporting.running, timeout=10000)
    lines = _read(target)
    assert set(lines) == {"Ada Charted", "Ben Planned"}
    ada, ben = lines["Ada Charted"], lines["Ben Planned"]
    assert ada["lot"] == "CSV-USED"
    # An area typed as a formula starts the cell: escaped like any other.
    assert (ada["areas"], ada["dose_units"], ada["dose_ml"]) == (
        "'=lips; nasolabial fold left",
        "",
        "0.6",
    )
    # Signed, never charted: the planned lot, with nothing said of where or how much.
    assert ben["document_number"] and ben["consent_state"] == "signed"
    assert (ben["areas"], ben["dose_units"], ben["dose_ml"]) == ("", "", "")
    assert "Wrote 2 line(s)" in page.status.text()
    page.leave()


# --- consult recall --csv ---------------------------------------------------------------------


def test_cli_recall_csv_has_the_areas_and_dose(home: paths.Dirs, tmp_path: Path) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db)
        people = make_clinic(ServiceContext(db))
        treated = sign_one(people, "botulinum_toxin", given="Gus", family="Toxin", lot="CLI-TOX")
        chart_toxin(people, treated, ("glabella", "12"), ("forehead", "4"), ("glabella", "8"))
        sign_one(people, "botulinum_toxin", given="Hal", family="Waiting", lot="CLI-TOX")
    finally:
        db.close()
    assert home.home is not None
    target = tmp_path / "recall.csv"
    result = _consult("recall", "--lot", "cli-tox", "--csv", str(target), home=home.home)
    assert result.returncode == 0, result.stderr
    assert "glabella, forehead" in result.stdout and "24 units" in result.stdout
    lines = _read(target)
    gus, hal = lines["Gus Toxin"], lines["Hal Waiting"]
    assert (gus["areas"], gus["dose_units"], gus["dose_ml"]) == ("glabella; forehead", "24", "")
    assert (hal["areas"], hal["dose_units"], hal["dose_ml"]) == ("", "", "")
    assert hal["consent_state"] == "signed" and hal["lot"] == "CLI-TOX"
