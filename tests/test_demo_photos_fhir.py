"""The demo's photos are taken for Chloé Dubois's treatment, as a photo named with its
treatment record is in the app (``photos.add_photo(treatment_record_id=...)``): in the
FHIR export of her consultation each photo's Media is ``partOf`` the Procedure of her
signed-off chart in the same bundle, and ``consult verify`` still passes on the demo."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import select

from consult import paths
from consult.store.database import Database
from consult.store.demo import DEMO_USERS, ensure_demo
from consult.store.demo_treatment import TREATED_PATIENT, TREATMENT
from consult.store.dto import RegisterFilters
from consult.store.models import ConsentRecord, Photo, TreatmentChart
from consult.store.services import register_export, users
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests.fhir_r4 import problems
from tests.test_cli import consult


def _signed_in(db: Database, username: str) -> ServiceContext:
    ctx = ServiceContext(db)
    spec = next(u for u in DEMO_USERS if u.username == username)
    return ctx.signed_in(users.sign_in(ctx, spec.username, spec.password))


def _resources(bundle: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    """The bundle's resources of one type, by ``fullUrl``."""
    return {
        e["fullUrl"]: e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == kind
    }


def test_the_demo_photos_are_part_of_the_treatments_procedure(
    sqlite_db: Database, home: paths.Dirs, tmp_path: Path
) -> None:
    assert ensure_demo(sqlite_db, patients=21)
    with sqlite_db.session() as session:
        chart = session.execute(
            select(TreatmentChart).where(TreatmentChart.state == "signed")
        ).scalar_one()
        photos = list(
            session.execute(select(Photo).where(Photo.patient_id == chart.patient_id)).scalars()
        )
        record_id, consultation_id = chart.treatment_record_id, chart.consultation_id
        consent = session.get(ConsentRecord, chart.consent_id)
        assert consent is not None
        day = consent.signed_at.astimezone().date()
    # Both photos name the charted treatment, as one taken for it in the app does.
    assert sorted(p.kind for p in photos) == ["after", "before"]
    assert {(p.consultation_id, p.treatment_record_id) for p in photos} == {
        (consultation_id, record_id)
    }
    # Her consultation's consent in the FHIR export: the day it was signed, her treatment.
    target = tmp_path / "chloe.json"
    register_export.export_register(
        _signed_in(sqlite_db, "manager"),
        RegisterFilters(date_from=day, date_to=day, treatment_id=TREATMENT),
        "fhir",
        target,
        kb=knowledge(),
    )
    bundle = json.loads(target.read_text(encoding="utf-8"))
    assert problems(bundle) == []
    [(patient_url, _)] = [
        (url, p)
        for url, p in _resources(bundle, "Patient").items()
        if p.get("name") == [{"text": TREATED_PATIENT}]
    ]
    procedures = {
        url: p
        for url, p in _resources(bundle, "Procedure").items()
        if p["subject"]["reference"] == patient_url and p["status"] == "completed"
    }
    [procedure_url] = procedures  # her signed-off chart
    media = [
        m for m in _resources(bundle, "Media").values() if m["subject"]["reference"] == patient_url
    ]
    assert sorted(m["extension"][0]["valueCode"] for m in media) == ["after", "before"]
    for item in media:
        assert item["partOf"] == [{"reference": procedure_url}], item["content"]["title"]
    # The demo still verifies from the command line (this process lets go of the home).
    sqlite_db.close()
    checked = consult("verify", home=home.home)
    assert checked.returncode == 0, checked.stdout + checked.stderr
