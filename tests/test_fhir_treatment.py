"""The treatment record in the FHIR export (issue 20): a signed-off chart is the
Procedure as given (completed, bodySite, the lots used, the points, the Consent), the
photos are Media (never one hidden by a withdrawal), a complication is an AdverseEvent
naming the lot; every bundle valid FHIR R4 4.0.1 (tests/fhir_r4.py) and R4B."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle

from consult.documents.fhir_adverse_event import SEVERITY_SYSTEM
from consult.documents.fhir_body_site import SNOMED
from consult.documents.fhir_media import PHOTO_SHA256_SYSTEM
from consult.documents.fhir_treatment import (
    CHART_SEAL_SYSTEM,
    INJECTION_POINT_EXTENSION,
    SUPPORTING_INFO,
)
from consult.store.dto import RegisterFilters
from consult.store.photo_images import prepare_photo
from consult.store.services import complications, photos, register_export, treatment_records
from consult.store.services.complications import ComplicationDraft
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import photo_support
from tests.fhir_r4 import problems
from tests.treatment_support import Treated, point, treated

# R4's required bindings of what this export adds (AdverseEvent, Media, Procedure).
R4_CODES = {
    "Procedure.status": {
        "preparation",
        "in-progress",
        "not-done",
        "on-hold",
        "stopped",
        "completed",
        "entered-in-error",
        "unknown",
    },
    "Media.status": {
        "preparation",
        "in-progress",
        "not-done",
        "on-hold",
        "stopped",
        "completed",
        "entered-in-error",
        "unknown",
    },
    "AdverseEvent.actuality": {"actual", "potential"},
}


def _export(ctx: ServiceContext, target: Path) -> dict[str, Any]:
    register_export.export_register(ctx, RegisterFilters(), "fhir", target, kb=knowledge())
    data: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return data


def _all(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def _get(data: dict[str, Any], reference: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e["resource"] for e in data["entry"] if e["fullUrl"] == reference["reference"]
    )
    return found


def _valid(data: dict[str, Any]) -> None:
    assert problems(data) == []
    Bundle.model_validate(data)  # R4B, as most libraries read
    for path, codes in R4_CODES.items():
        kind, element = path.split(".")
        for found in _all(data, kind):
            assert found[element] in codes, (path, found[element])


def _photo(t: Treated, kind: str, colour: tuple[int, int, int]) -> photos.PhotoInfo:
    prepared = prepare_photo(photo_support.jpeg_with_gps(colour=colour), f"{kind}.jpg")
    return photos.add_photo(t.doc, t.consultation.id, prepared, area="forehead", kind=kind)


def _charted(t: Treated) -> treatment_records.ChartInfo:
    [chart] = treatment_records.open_charts(t.doc, t.consultation.id)
    first = point("front", 0.5, 0.3, "0.3")
    chart = treatment_records.save_draft(
        t.doc,
        chart.id,
        chart.version,
        lot_id=t.other_lot,
        lot_reason="The planned box was opened yesterday",
        areas=["Forehead", "glabella"],
        notes="Tolerated well.",
        points=[
            first,
            point("front", 0.45, 0.35, "0.25"),
            point("left", 0.6, 0.5, "0.2"),
        ],
    )
    chart = treatment_records.sign_off(t.doc, chart.id, chart.version)
    treatment_records.add_addendum(t.doc, chart.id, "Patient phoned: no swelling.")
    return chart


@pytest.fixture
def t(ctx: ServiceContext) -> Treated:
    return treated(ctx)


def test_a_signed_off_chart_is_the_procedure_as_given(t: Treated, tmp_path: Path) -> None:
    chart = _charted(t)
    data = _export(t.boss, tmp_path / "bundle.json")
    _valid(data)
    [procedure] = _all(data, "Procedure")
    assert procedure["status"] == "completed"
    assert procedure["performedDateTime"] == chart.treated_on.isoformat()
    assert procedure["code"]["coding"][0]["code"] == "ha_filler"
    [consent] = _all(data, "Consent")
    supporting = [x for x in procedure["extension"] if x["url"] == SUPPORTING_INFO]
    assert _get(data, supporting[0]["valueReference"]) is consent
    # The Consent names the same Procedure.
    assert consent["provision"]["data"][0]["reference"]["reference"].endswith(procedure["id"])
    # Areas as written; the forehead coded in SNOMED CT, the glabella by text only.
    sites = {site["text"]: site for site in procedure["bodySite"]}
    assert sites["Forehead"]["coding"] == [
        {"system": SNOMED, "code": "52795006", "display": "Forehead structure"}
    ]
    assert "coding" not in sites["glabella"]
    # The lot actually used (not the planned one), with its expiry.
    [used] = [_get(data, r) for r in procedure["usedReference"]]
    assert used["batch"]["lotNumber"] == "HA-SECOND"
    assert used["batch"]["expirationDate"]
    # Every point, as data and in words.
    points = [x for x in procedure["extension"] if x["url"] == INJECTION_POINT_EXTENSION]
    assert len(points) == 3
    first = {part["url"]: part for part in points[0]["extension"]}
    assert first["amount"]["valueQuantity"] == {
        "value": 0.3,
        "unit": "mL",
        "system": "http://unitsofmeasure.org",
        "code": "mL",
    }
    assert first["lot"]["valueString"] == "HA-SECOND"
    assert first["depth"]["valueCode"] == "subcutaneous"
    assert first["technique"]["valueCode"] == "bolus"
    notes = [n["text"] for n in procedure["note"]]
    assert "Point 3 (left): 0.2 mL, subcutaneous, bolus; lot HA-SECOND" in notes
    assert "Tolerated well." in notes
    assert any(n.startswith("Addendum after sign-off: Patient phoned") for n in notes)
    seal = next(i for i in procedure["identifier"] if i["system"] == CHART_SEAL_SYSTEM)
    assert seal["value"] == treatment_records.get(t.doc, chart.id).document_sha256
    performer = _get(data, procedure["performer"][0]["actor"])
    assert performer["resourceType"] == "Practitioner"


def test_a_draft_chart_leaves_the_consents_procedure(t: Treated, tmp_path: Path) -> None:
    treatment_records.open_charts(t.doc, t.consultation.id)
    data = _export(t.boss, tmp_path / "bundle.json")
    _valid(data)
    [procedure] = _all(data, "Procedure")
    assert procedure["status"] == "preparation"
    assert "bodySite" not in procedure


def test_photos_are_media_with_their_hashes(t: Treated, tmp_path: Path) -> None:
    before = _photo(t, "before", (200, 120, 100))
    after = _photo(t, "after", (190, 110, 90))
    data = _export(t.boss, tmp_path / "bundle.json")
    _valid(data)
    found = {m["content"]["title"]: m for m in _all(data, "Media")}
    assert set(found) == {"Before: forehead", "After: forehead"}
    for info, title in ((before, "Before: forehead"), (after, "After: forehead")):
        item = found[title]
        stored = photos.image(t.boss, info.id)
        raw = base64.b64decode(item["content"]["data"])
        assert raw == stored
        assert item["content"]["contentType"] == "image/jpeg"
        assert item["content"]["size"] == len(stored)
        # Attachment.hash is R4's SHA-1 in base64; the SHA-256 is an identifier.
        sha1 = base64.b64encode(hashlib.sha1(stored).digest()).decode()
        assert item["content"]["hash"] == sha1
        sha256 = next(i for i in item["identifier"] if i["system"] == PHOTO_SHA256_SYSTEM)
        assert sha256["value"] == hashlib.sha256(stored).hexdigest()
        assert item["bodySite"]["coding"][0]["code"] == "52795006"
        assert _get(data, item["subject"])["resourceType"] == "Patient"
        assert item["createdDateTime"].startswith("2026-11-20")


def test_photos_hidden_by_a_withdrawal_are_not_exported(t: Treated, tmp_path: Path) -> None:
    _photo(t, "before", (200, 120, 100))
    photos.withdraw_consent(t.doc, t.consultation.id, "Patient asked in writing")
    data = _export(t.boss, tmp_path / "bundle.json")
    _valid(data)
    assert _all(data, "Media") == []


def test_a_complication_is_an_adverse_event_naming_the_lot(t: Treated, tmp_path: Path) -> None:
    _charted(t)
    complications.record(
        t.doc,
        t.consultation.id,
        "ha_filler",
        ComplicationDraft(
            category="vascular_occlusion",
            description="Blanching at the left nasolabial fold",
            noticed_on=dt.date.today(),
            severity="serious",
            action_taken="Hyaluronidase 1500 IU",
            outcome="ongoing",
            follow_up_on=dt.date.today() + dt.timedelta(days=2),
        ),
    )
    data = _export(t.boss, tmp_path / "bundle.json")
    _valid(data)
    [event] = _all(data, "AdverseEvent")
    assert event["actuality"] == "actual"
    assert event["event"]["coding"][0]["code"] == "vascular_occlusion"
    assert event["event"]["text"] == "Blanching at the left nasolabial fold"
    assert event["severity"]["coding"] == [
        {"system": SEVERITY_SYSTEM, "code": "severe", "display": "Severe"}
    ]
    assert event["seriousness"]["coding"][0]["code"] == "Serious"
    assert event["outcome"]["coding"][0]["code"] == "ongoing"
    assert event["date"] == dt.date.today().isoformat()
    assert event["recordedDate"]
    assert _get(data, event["subject"])["resourceType"] == "Patient"
    suspects = [_get(data, s["instance"]) for s in event["suspectEntity"]]
    medication = next(s for s in suspects if s["resourceType"] == "Medication")
    assert medication["batch"]["lotNumber"] == "HA-SECOND"
    assert any(s["resourceType"] == "Procedure" for s in suspects)
    # The complication's lot is the treatment's Medication, given once.
    [procedure] = _all(data, "Procedure")
    assert _get(data, procedure["usedReference"][0]) is medication
