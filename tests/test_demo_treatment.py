"""The demo clinic's treated patient (issue 20): a signed-off toxin chart that verifies,
before and after photos, an aftercare sheet, a complication, a review due, and all of it
in the FHIR export (valid R4 4.0.1)."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from consult import paths
from consult.documents.fhir_treatment import CHART_SEAL_SYSTEM
from consult.knowledge.consent_templates import load_templates
from consult.store import integrity
from consult.store.database import Database
from consult.store.demo import DEMO_USERS, ensure_demo
from consult.store.demo_treatment import OUT_OF_HOURS_PHONE, TREATED_PATIENT, face_photo
from consult.store.dto import RegisterFilters
from consult.store.models import TreatmentChart
from consult.store.services import (
    complications,
    follow_up,
    patients,
    photos,
    register_export,
    treatment_records,
    users,
)
from consult.store.services.context import ServiceContext
from consult.ui.patients.patient_page import PatientPage
from consult.ui.photos.comparison import ComparisonDialog
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from tests.fhir_r4 import problems
from tests.test_dark_and_focus import dark_palette


def _signed_in(db: Database, username: str) -> ServiceContext:
    ctx = ServiceContext(db)
    spec = next(u for u in DEMO_USERS if u.username == username)
    return ctx.signed_in(users.sign_in(ctx, spec.username, spec.password))


def _entries(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def test_the_demo_has_a_treated_patient_that_verifies_and_is_exported(
    sqlite_db: Database, home: paths.Dirs, tmp_path: Path
) -> None:
    assert ensure_demo(sqlite_db, patients=21)
    doctor = _signed_in(sqlite_db, "doctor")
    manager = _signed_in(sqlite_db, "manager")
    reception = _signed_in(sqlite_db, "reception")
    with sqlite_db.session() as session:
        [chart_id] = session.query(TreatmentChart.id).filter_by(state="signed").all()
    chart = treatment_records.get(doctor, chart_id[0])
    # A signed-off toxin chart: five points in units, on the glabella and the forehead.
    assert chart.treatment_id == "botulinum_toxin" and chart.signed
    assert len(chart.points) >= 3
    assert {p.point.unit for p in chart.points} == {"units"}
    assert [(t.unit, t.amount) for t in chart.totals] == [("units", Decimal(26))]
    assert treatment_records.verify(doctor, chart.id) == []
    with sqlite_db.session() as session:
        report = integrity.verify(session, home.backups)
    assert report.ok, report.lines()
    assert report.charts == 1 and report.photos == 2
    # Before and after photos on her timeline.
    shown = photos.timeline(doctor, chart.patient_id)
    assert sorted(p.kind for p in shown) == ["after", "before"]
    # Her aftercare sheet, with the clinic's out-of-hours telephone.
    pdf = treatment_records.aftercare_sheet(
        doctor, chart.id, templates=load_templates(), kb=knowledge()
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert OUT_OF_HOURS_PHONE in text
    # A complication on the manager's open list; her review on reception's.
    [event] = [e for e in complications.open_complications(manager) if e.patient_name]
    assert event.patient_name == TREATED_PATIENT and event.category == "bruising"
    due = [r for r in follow_up.reviews_due(reception) if r.patient_name == TREATED_PATIENT]
    assert len(due) == 1 and due[0].days_overdue < 0
    # All of it in the FHIR export.
    target = tmp_path / "bundle.json"
    register_export.export_register(manager, RegisterFilters(), "fhir", target, kb=knowledge())
    data = json.loads(target.read_text(encoding="utf-8"))
    assert problems(data) == []
    performed = [p for p in _entries(data, "Procedure") if p["status"] == "completed"]
    assert len(performed) == 1
    seal = next(i for i in performed[0]["identifier"] if i["system"] == CHART_SEAL_SYSTEM)
    assert seal["value"] == chart.document_sha256
    assert len(_entries(data, "Media")) == 2
    assert [a["event"]["coding"][0]["code"] for a in _entries(data, "AdverseEvent")] == ["bruising"]


def test_the_demo_photos_are_drawings_with_more_lines_before() -> None:
    before = Image.open(io.BytesIO(face_photo(lines=3))).convert("L")
    after = Image.open(io.BytesIO(face_photo(lines=1))).convert("L")
    assert before.size == after.size == (640, 800)
    # The frown lines are darker strokes between the brows: more of them before.
    box = (300, 295, 345, 335)
    dark = [sum(v < 200 for v in im.crop(box).tobytes()) for im in (before, after)]
    assert dark[0] > dark[1]


# --- pictures: the demo patient's photos in the app -------------------------------------------

SIZES = ((1366, 768), (1024, 700))


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


@pytest.mark.parametrize(("width", "height"), SIZES)
def test_pictures_of_the_demo_patients_photos(
    qtbot: Any,
    sqlite_db: Database,
    home: paths.Dirs,
    tmp_path: Path,
    palette: str,
    width: int,
    height: int,
) -> None:
    assert ensure_demo(sqlite_db, patients=21)
    doctor = _signed_in(sqlite_db, "doctor")
    patient = next(p for p in patients.recent(doctor, limit=50) if p.full_name == TREATED_PATIENT)
    session = AppSession(sqlite_db, home)
    assert doctor.user is not None
    session.set_user(doctor.user)
    page = PatientPage(session)
    qtbot.addWidget(page)
    page.resize(width, height - 60)  # the tab's share of the window
    page.show()
    with qtbot.waitSignal(page.photos.loaded, timeout=30000):
        page.set_patient(patient)
    qtbot.wait(100)
    assert len(page.photos.thumbnail_buttons) == 2
    out = Path(os.environ.get("CONSULT_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    page.grab().save(str(out / f"demo-treated-{width}x{height}-{palette}.png"))
    page.photos.thumbnail_buttons[-1].click()
    dialog = page.photos.comparison
    assert isinstance(dialog, ComparisonDialog)
    dialog.resize(min(1100, width - 40), min(720, height - 60))
    qtbot.waitUntil(dialog.is_ready, timeout=30000)
    dialog.grab().save(str(out / f"demo-compare-{width}x{height}-{palette}.png"))
    dialog.close()
