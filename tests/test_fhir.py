"""The FHIR export as a receiver reads it (issue 17): every resource valid FHIR R4 4.0.1
(tests/fhir_r4.py) and R4B, and in it the patient's choices, the product's lot, the
typed answers, readable signatures, a lasting clinic and every finding."""

from __future__ import annotations

import base64
import copy
import dataclasses
import datetime as dt
import io
import json
import logging
import uuid
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from PIL import Image
from sqlalchemy import inspect as sa_inspect
from sqlalchemy import select

from consult.documents import fhir
from consult.documents.fhir_base import Ids
from consult.documents.fhir_provenance import STROKES_EXTENSION
from consult.documents.fhir_questionnaire import IntakeQuestionnaire
from consult.documents.fhir_signature import signature_png
from consult.store import migrate
from consult.store.database import Database
from consult.store.dto import RegisterFilters
from consult.store.models import Clinic, ConsentRecord
from consult.store.services import clinic as clinic_service
from consult.store.services import consents, register_export
from consult.store.services.context import ServiceContext
from consult.ui.manager import register_page
from consult.ui.manager.register_page import RegisterPage
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from tests import factories
from tests.fhir_r4 import problems
from tests.register_support import clinic as make_clinic
from tests.register_support import scribble, sign_one

R4 = "http://hl7.org/fhir/StructureDefinition/{}|4.0.1"
# An intake with an answer of every type the flagged filler consent can be signed with.
ANSWERS = {
    "anticoagulants": ["warfarin"],
    "allergies": ["other"],
    "allergies_other": "Latex gloves",
    "isotretinoin_last_date": "2019-03-14",
    "fitzpatrick_type": "III",
}


@pytest.fixture
def clinic(ctx: ServiceContext) -> dict[str, Any]:
    return make_clinic(ctx)


def _export(clinic: dict[str, Any], target: Path) -> dict[str, Any]:
    register_export.export_register(
        clinic["manager"], RegisterFilters(), "fhir", target, kb=knowledge()
    )
    data: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
    return data


def _all(data: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in data["entry"] if e["resource"]["resourceType"] == kind]


def _get(data: dict[str, Any], reference: dict[str, str]) -> dict[str, Any]:
    found: dict[str, Any] = next(
        e["resource"] for e in data["entry"] if e["fullUrl"] == reference["reference"]
    )
    return found


def _consent(data: dict[str, Any], number: str) -> dict[str, Any]:
    return next(c for c in _all(data, "Consent") if c["identifier"][0]["value"] == number)


def _sealed(ctx: ServiceContext, consent_id: int) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        document: dict[str, Any] = json.loads(row.document_json)
        return document


# --- R4 4.0.1 throughout ------------------------------------------------------------


def test_every_resource_is_valid_r4_and_names_its_profile(clinic, tmp_path) -> None:
    flagged = sign_one(clinic, answers=factories.no_answers(**ANSWERS))
    withdrawn = sign_one(clinic, "prp", given="花子", family="山田")
    voided = sign_one(clinic, "botulinum_toxin", given="Oliver", family="O'Brien, Jr")
    consents.add_event(clinic["practitioner"], withdrawn.id, "withdrawn", "Changed her mind.")
    consents.add_event(clinic["manager"], voided.id, "voided", "Entered for the wrong patient.")
    data = _export(clinic, tmp_path / "bundle.json")
    assert problems(data) == []
    Bundle.model_validate(data)  # and R4B, which most of today's libraries read
    assert data["meta"]["profile"] == [R4.format("Bundle")]
    kinds = {e["resource"]["resourceType"] for e in data["entry"]}
    assert kinds == {
        "Organization",
        "Questionnaire",
        "Patient",
        "Practitioner",
        "Medication",
        "Consent",
        "Procedure",
        "QuestionnaireResponse",
        "DetectedIssue",
        "Provenance",
    }
    for item in data["entry"]:
        resource = item["resource"]
        assert resource["meta"]["profile"] == [R4.format(resource["resourceType"])]
        assert item["fullUrl"] == f"urn:uuid:{resource['id']}"
    assert len({item["fullUrl"] for item in data["entry"]}) == len(data["entry"])
    for record in (flagged, withdrawn, voided):
        consent = _consent(data, record.document_number)
        assert consent["category"] == [
            {
                "coding": [
                    {"system": "http://loinc.org", "code": "59284-0", "display": "Patient Consent"}
                ]
            }
        ]
    states = {}
    for record in (flagged, withdrawn, voided):
        consent = _consent(data, record.document_number)
        procedure = _get(data, consent["provision"]["data"][0]["reference"])
        states[record.document_number] = (consent["status"], procedure["status"])
    assert states == {
        flagged.document_number: ("active", "preparation"),
        withdrawn.document_number: ("inactive", "not-done"),
        voided.document_number: ("entered-in-error", "entered-in-error"),
    }


def test_the_r4_check_finds_what_is_wrong(clinic, tmp_path) -> None:
    """tests/fhir_r4.py fails a bundle for each kind of fault it checks."""
    sign_one(clinic, answers=factories.no_answers(**ANSWERS))
    good = _export(clinic, tmp_path / "bundle.json")
    assert problems(good) == []

    def broken(change: Any) -> str:
        data = copy.deepcopy(good)
        by_kind = {e["resource"]["resourceType"]: e["resource"] for e in data["entry"]}
        change(by_kind, data)
        return "\n".join(problems(data))

    assert "ppc-1" in broken(lambda r, d: r["Consent"].pop("policyRule"))
    assert "consent-state-codes" in broken(lambda r, d: r["Consent"].update(status="signed"))
    assert "Superfluous" in broken(lambda r, d: r["Medication"]["batch"].update(lot="X"))
    assert "Non-optional" in broken(lambda r, d: r["Procedure"].pop("status"))
    assert "expected format" in broken(lambda r, d: r["Patient"].update(birthDate="2/4/1990"))
    assert "ele-1" in broken(lambda r, d: r["Patient"].update(telecom=[]))
    assert "que-2" in broken(lambda r, d: r["Questionnaire"]["item"][0].update(linkId="pregnant"))
    assert "qrs-1" in broken(
        lambda r, d: r["QuestionnaireResponse"]["item"][0].update(answer=[{"valueBoolean": True}])
    )
    assert "ext-1" in broken(
        lambda r, d: r["Provenance"]["signature"][0]["extension"][0].update(
            extension=[{"url": "urn:x", "valueString": "y"}]
        )
    )
    assert "bdl-7" in broken(lambda r, d: d["entry"].append(copy.deepcopy(d["entry"][0])))
    assert "per-1" in broken(
        lambda r, d: r["Consent"]["provision"].update(
            period={"start": "2026-02-02T00:00:00+00:00", "end": "2026-01-01T00:00:00+00:00"}
        )
    )


# --- what a receiver needs ------------------------------------------------------------


def test_the_photograph_and_data_choices_are_nested_provisions(clinic, tmp_path) -> None:
    no_photos = sign_one(clinic, choices={"photographs": False, "data_processing": True})
    no_audit = sign_one(
        clinic, "prp", given="Анна", choices={"photographs": True, "data_processing": False}
    )
    data = _export(clinic, tmp_path / "bundle.json")
    for record, photographs, audit in ((no_photos, "deny", "permit"), (no_audit, "permit", "deny")):
        provision = _consent(data, record.document_number)["provision"]
        assert provision["type"] == "permit"  # the treatment itself
        nested = {p["code"][0]["coding"][0]["code"]: p for p in provision["provision"]}
        assert set(nested) == {"photographs", "data_processing"}
        photos, use = nested["photographs"], nested["data_processing"]
        assert (photos["type"], use["type"]) == (photographs, audit)
        assert photos["action"][0]["coding"][0]["code"] == "collect"
        assert photos["purpose"][0]["code"] == "TREAT"
        assert photos["class"][0]["code"] == "Media"
        assert use["action"][0]["coding"][0]["code"] == "use"
        assert use["purpose"][0] == {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActReason",
            "code": "HQUALIMP",
            "display": "health quality improvement",
        }
    assert problems(data) == []


def test_the_product_lot_and_expiry_are_a_medication_the_procedure_uses(clinic, tmp_path) -> None:
    first = sign_one(clinic, lot="RX-118")
    second = sign_one(clinic, lot="RX-118", given="Oliver", family="Taylor")
    data = _export(clinic, tmp_path / "bundle.json")
    (medication,) = _all(data, "Medication")  # one lot, written once for both records
    expiry = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    assert medication["batch"] == {"lotNumber": "RX-118", "expirationDate": expiry}
    assert medication["code"]["text"] == "Product for ha_filler"
    assert _get(data, medication["manufacturer"])["name"] == "Maker Ltd"
    for record in (first, second):
        consent = _consent(data, record.document_number)
        data_ref = consent["provision"]["data"][0]
        assert data_ref["meaning"] == "instance"
        procedure = _get(data, data_ref["reference"])
        assert procedure["resourceType"] == "Procedure"
        assert procedure["subject"] == consent["patient"]
        assert procedure["code"]["coding"][0]["code"] == "ha_filler"
        assert _get(data, procedure["usedReference"][0]) is medication
        sealed = _sealed(clinic["manager"], record.id)["treatment"]["product"]
        assert (sealed["lot"], sealed["expiry"]) == ("RX-118", expiry)


def test_answers_are_typed_against_a_questionnaire_from_the_knowledge_base(
    clinic, tmp_path
) -> None:
    record = sign_one(clinic, answers=factories.no_answers(**ANSWERS))
    data = _export(clinic, tmp_path / "bundle.json")
    (questionnaire,) = _all(data, "Questionnaire")
    (response,) = _all(data, "QuestionnaireResponse")
    assert response["questionnaire"] == f"{questionnaire['url']}|{questionnaire['version']}"
    asked = {item["linkId"]: item for group in questionnaire["item"] for item in group["item"]}
    assert set(asked) == {q.id for q in knowledge().questions}
    value_of = {
        "boolean": "valueBoolean",
        "date": "valueDate",
        "choice": "valueCoding",
        "text": "valueString",
    }
    answers: dict[str, list[Any]] = {}
    for group in response["item"]:
        sections = {knowledge().question(item["linkId"]).section for item in group["item"]}
        assert [f"section:{section}" for section in sections] == [group["linkId"]]
        for item in group["item"]:
            question = asked[item["linkId"]]
            for answer in item.get("answer", []):
                (key,) = answer
                assert key == value_of[question["type"]], item["linkId"]
                if key == "valueCoding":
                    assert {"valueCoding": answer[key]} in question["answerOption"]
                answers.setdefault(item["linkId"], []).append(answer[key])
    yes_no_unsure = "http://terminology.hl7.org/CodeSystem/v2-0532"
    assert answers["breastfeeding"] == [False]
    assert answers["pregnant"] == [{"system": yes_no_unsure, "code": "N", "display": "No"}]
    assert answers["anticoagulants"] == [
        {
            "system": "urn:consult:intake-answer:anticoagulants",
            "code": "warfarin",
            "display": "Warfarin",
        }
    ]
    assert answers["fitzpatrick_type"][0]["code"] == "III"
    assert answers["allergies"][0]["code"] == "other"
    assert answers["allergies_other"] == ["Latex gloves"]
    assert answers["isotretinoin_last_date"] == ["2019-03-14"]
    # Every question the form lists, in its words; none answered that it does not.
    summary = _sealed(clinic["manager"], record.id)["intake_summary"]
    listed = {item["linkId"]: item["text"] for g in response["item"] for item in g["item"]}
    assert listed == {line["question_id"]: line["label"] for line in summary}


def test_signatures_are_png_images_with_the_strokes_beside_them(clinic, tmp_path) -> None:
    record = sign_one(clinic)
    first = _export(clinic, tmp_path / "one.json")
    again = _export(clinic, tmp_path / "two.json")
    assert first["entry"] == again["entry"]  # the same record gives the same bytes
    (provenance,) = _all(first, "Provenance")
    sealed = _sealed(clinic["manager"], record.id)["signatures"]
    assert [s["who"]["display"] for s in provenance["signature"]] == [s["name"] for s in sealed]
    for signature, recorded in zip(provenance["signature"], sealed, strict=True):
        assert signature["sigFormat"] == "image/png"
        image = Image.open(io.BytesIO(base64.b64decode(signature["data"])))
        assert image.format == "PNG" and image.size == (960, 320)  # the pad, twice over
        assert image.convert("L").getextrema()[0] < 128  # there is ink on it
        (strokes,) = signature["extension"]
        assert strokes["url"] == STROKES_EXTENSION
        assert strokes["valueAttachment"]["contentType"] == "application/json"
        assert json.loads(base64.b64decode(strokes["valueAttachment"]["data"])) == recorded
    assert [s["type"][0]["display"] for s in provenance["signature"]] == [
        "Consent Signature",
        "Author's Signature",
    ]


def test_a_signature_is_drawn_where_its_strokes_are() -> None:
    sig = {"width": 480, "height": 160, "strokes": scribble()}
    png = signature_png(sig)
    assert png is not None and png == signature_png(copy.deepcopy(sig))
    image = Image.open(io.BytesIO(png)).convert("L")
    left, top, right, bottom = image.point(lambda v: 255 if v < 128 else 0).getbbox() or (0,) * 4
    # scribble(): x from 10 to 184, y from 40 to 68, in pad units.
    assert 14 <= left <= 22 and 360 <= right <= 380 and 74 <= top <= 82 and 130 <= bottom <= 144
    assert signature_png({"strokes": []}) is None and signature_png({}) is None
    unsized = signature_png({"strokes": scribble()})  # no pad size: the strokes' extent
    assert unsized is not None and Image.open(io.BytesIO(unsized)).size == (376, 144)


def test_a_detected_issue_for_every_finding_with_its_severity(clinic, tmp_path) -> None:
    flagged = sign_one(clinic, answers=factories.no_answers(anticoagulants=["warfarin"]))
    voided = sign_one(
        clinic, answers=factories.no_answers(anticoagulants=["warfarin"]), given="Ann"
    )
    consents.add_event(clinic["manager"], voided.id, "voided", "Duplicate of another record.")
    data = _export(clinic, tmp_path / "bundle.json")
    issues = _all(data, "DetectedIssue")
    expected = []
    for record in (flagged, voided):
        consent_url = next(
            e["fullUrl"]
            for e in data["entry"]
            if e["resource"] is _consent(data, record.document_number)
        )
        findings = _sealed(clinic["manager"], record.id)["findings"]
        assert findings
        for finding in findings:
            expected.append((consent_url, finding["rule"], finding["severity"]))
    severity = {"absolute": "high", "relative": "moderate", "caution": "low"}
    found = [
        (i["implicated"][0]["reference"], i["code"]["coding"][0]["code"], i["severity"])
        for i in issues
    ]
    assert sorted(found) == sorted((c, rule, severity[s]) for c, rule, s in expected)
    statuses = {i["implicated"][0]["reference"]: i["status"] for i in issues}
    assert sorted(statuses.values()) == ["entered-in-error", "final"]
    assert all(i["mitigation"][0]["author"]["display"] == "Dr Dana Doe" for i in issues)


# --- the clinic, whatever it is called ------------------------------------------------


def test_the_organization_keeps_its_id_when_the_clinic_is_renamed(clinic, ctx, tmp_path) -> None:
    sign_one(clinic)
    before = _export(clinic, tmp_path / "before.json")
    info = clinic_service.get_clinic(ctx)
    assert info is not None
    clinic_service.update_clinic(
        clinic["manager"],
        expected_version=info.version,
        name="Harley Street Aesthetics",
        address="2 New Street",
        jurisdiction=info.jurisdiction,
        regenerative_medicine_plan=info.regenerative_medicine_plan,
    )
    after = _export(clinic, tmp_path / "after.json")
    (old,), (new,) = (
        [o for o in _all(d, "Organization") if o["type"][0]["coding"][0]["code"] == "prov"]
        for d in (before, after)
    )
    assert old["id"] == new["id"] and (old["name"], new["name"]) == (
        "Test Clinic",
        "Harley Street Aesthetics",
    )
    with ctx.unit_of_work() as session:
        stored = session.execute(select(Clinic.uuid)).scalar_one()
    assert old["id"] == stored and old["identifier"] == [
        {"system": "urn:ietf:rfc:3986", "value": f"urn:uuid:{stored}"}
    ]
    assert [e["fullUrl"] for e in before["entry"]] == [e["fullUrl"] for e in after["entry"]]
    (consent,) = _all(after, "Consent")
    assert consent["organization"] == [{"reference": f"urn:uuid:{stored}"}]


def test_two_clinics_never_share_an_id() -> None:
    one, other = Ids(str(uuid.uuid4())), Ids(str(uuid.uuid4()))
    assert one.url("patient", 1) != other.url("patient", 1)
    assert one.url("patient", 1) == Ids(str(one.clinic)).url("patient", 1)
    assert one.organization == f"urn:uuid:{one.clinic}"


def test_migration_0009_gives_an_existing_clinic_its_uuid(db: Database, ctx) -> None:
    factories.staff(ctx)
    migrate.downgrade(db, "0008")
    with db.engine.connect() as connection:
        assert "uuid" not in {c["name"] for c in sa_inspect(connection).get_columns("clinic")}
    migrate.upgrade(db)
    with ctx.unit_of_work() as session:
        name, made = session.execute(select(Clinic.name, Clinic.uuid)).one()
    assert name == "Test Clinic" and str(uuid.UUID(made)) == made


# --- the intake's answers, one by one -------------------------------------------------


def test_an_answer_the_knowledge_base_cannot_type_keeps_its_printed_words(caplog) -> None:
    intake = IntakeQuestionnaire(knowledge())
    summary = [
        {"question_id": "autoimmune_disease", "label": "Autoimmune?", "answer": "Not sure"},
        {"question_id": "breastfeeding", "label": "Breastfeeding?", "answer": "Perhaps"},
        {"question_id": "isotretinoin_last_date", "label": "Isotretinoin?", "answer": "never"},
        {"question_id": "retired_question", "label": "Asked once", "answer": "Yes"},
    ]
    answers = {"autoimmune_disease": "unsure", "breastfeeding": "perhaps"}
    with caplog.at_level(logging.WARNING, logger="consult.documents.fhir_questionnaire"):
        items = intake.response_items(summary, answers, "C-1")
    by_id = {
        item["linkId"]: item.get("answer") for entry in items for item in entry.get("item", [entry])
    }
    assert by_id == {
        "autoimmune_disease": [
            {
                "valueCoding": {
                    "system": "http://terminology.hl7.org/CodeSystem/v2-0532",
                    "code": "ASKU",
                    "display": "asked but unknown",
                }
            }
        ],
        "breastfeeding": [{"valueString": "Perhaps"}],
        "isotretinoin_last_date": None,
        "retired_question": [{"valueString": "Yes"}],
    }
    assert items[-1]["linkId"] == "retired_question"  # outside every section's group
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "'breastfeeding'" in logged and "'retired_question'" in logged and "C-1" in logged


def test_the_questionnaire_version_follows_its_questions_only() -> None:
    kb = knowledge()
    same_questions = dataclasses.replace(kb, version="another rule set")
    fewer = dataclasses.replace(kb, questions=kb.questions[:-1])
    assert IntakeQuestionnaire(same_questions).version == IntakeQuestionnaire(kb).version
    assert IntakeQuestionnaire(fewer).version != IntakeQuestionnaire(kb).version


def test_an_empty_bundle_is_valid_r4(tmp_path) -> None:
    target = tmp_path / "empty.json"
    clinic = fhir.ClinicIdentity(str(uuid.uuid4()), "Test Clinic")
    assert fhir.write_fhir_bundle([], target, clinic=clinic, kb=knowledge()) == 0
    data = json.loads(target.read_text(encoding="utf-8"))
    assert "entry" not in data and problems(data) == []


def test_the_register_page_exports_a_valid_r4_bundle(
    qtbot, sqlite_db: Database, home, monkeypatch, tmp_path
) -> None:
    people = make_clinic(ServiceContext(sqlite_db, workstation="test-workstation"))
    record = sign_one(people, answers=factories.no_answers(**ANSWERS))
    session = AppSession(sqlite_db, home)
    session.set_user(people["users"]["manager"])
    page = RegisterPage(session)
    qtbot.addWidget(page)
    target = tmp_path / "register.fhir.json"
    monkeypatch.setattr(register_page, "ask_save_path", lambda *a: target)
    page.fhir_button.click()
    qtbot.waitUntil(lambda: not page.exporting.running and target.exists(), timeout=30000)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert problems(data) == []
    assert _consent(data, record.document_number)["status"] == "active"
    (response,) = _all(data, "QuestionnaireResponse")
    assert any(
        "valueDate" in a for g in response["item"] for i in g["item"] for a in i.get("answer", [])
    )
