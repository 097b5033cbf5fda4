"""Reception desk and manager's desk services, exports and commands, on SQLite and
PostgreSQL."""

from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select

from consult import paths
from consult.documents import exports, fhir
from consult.documents.fhir_provenance import STROKES_EXTENSION
from consult.store import dto, migrate
from consult.store.database import open_database
from consult.store.dto import RecallCriteria, RegisterFilters, RegisterRow
from consult.store.errors import PermissionDeniedError, SealedRecordError, ValidationError
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services import (
    consent_register,
    consents,
    dashboard,
    lookups,
    reception,
    record_detail,
    register_export,
)
from consult.store.services import patients as patient_service
from consult.store.services import recall as recall_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories
from tests.register_support import JUSTIFICATION, bulk_records, sign_one
from tests.register_support import clinic as make_clinic


@pytest.fixture
def clinic(ctx: ServiceContext):
    return make_clinic(ctx)


def _all_pages(ctx, filters: RegisterFilters, limit: int) -> list[RegisterRow]:
    rows: list[RegisterRow] = []
    cursor = None
    while True:
        page = consent_register.register_page(ctx, filters, after=cursor, limit=limit)
        rows.extend(page.rows)
        if page.cursor is None:
            return rows
        cursor = page.cursor


# --- state, withdraw and void ---------------------------------------------------------


def test_void_shows_in_the_register_and_the_records_audit_trail(clinic, ctx) -> None:
    record = sign_one(clinic)
    manager = clinic["manager"]
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, record.id)
        sealed = (row.document_json, row.document_sha256, bytes(row.pdf), row.pdf_sha256)
    with pytest.raises(ValidationError, match="reason"):
        consents.add_event(manager, record.id, "voided", "no")
    reason = "Signed for the wrong treatment area; taken again."
    voided = consents.add_event(manager, record.id, "voided", reason)
    assert voided.state == "voided"
    with pytest.raises(SealedRecordError):
        consents.add_event(manager, record.id, "voided", reason)
    page = consent_register.register_page(manager, RegisterFilters(state="voided"))
    assert [(r.id, r.state) for r in page.rows] == [(record.id, "voided")]
    assert consent_register.register_page(manager, RegisterFilters(state="signed")).rows == ()
    detail = record_detail.record_detail(manager, record.id)
    assert detail.info.state == "voided" and not detail.may_change
    assert [(e.kind, e.reason, e.user_name) for e in detail.events] == [
        ("voided", reason, "Beatrice Boss")
    ]
    trail = [(a.event, a.details.get("reason")) for a in detail.audit_trail]
    assert ("consent.signed", None) in trail
    assert ("consent.voided", reason) in trail
    assert trail[-1] == ("consent.record_viewed", None)
    with ctx.unit_of_work() as session:
        row = session.get(ConsentRecord, record.id)
        assert (row.document_json, row.document_sha256, bytes(row.pdf), row.pdf_sha256) == sealed
        assert hashlib.sha256(row.pdf).hexdigest() == row.pdf_sha256


def test_the_treating_practitioner_withdraws_then_a_manager_voids(clinic) -> None:
    record = sign_one(clinic)
    doc, manager = clinic["practitioner"], clinic["manager"]
    assert consents.add_event(doc, record.id, "withdrawn", "Patient changed her mind.").state == (
        "withdrawn"
    )
    assert consent_register.register_page(manager, RegisterFilters(state="withdrawn")).rows[
        0
    ].id == (record.id)
    assert consents.add_event(manager, record.id, "voided", "Duplicate record.").state == "voided"
    assert consent_register.register_page(manager, RegisterFilters(state="withdrawn")).rows == ()


def test_reception_reprints_and_hands_over_but_cannot_void(clinic, ctx) -> None:
    record = sign_one(clinic, given="Анна", family="Иванова")
    desk = clinic["reception"]
    (today,) = reception.forms_signed_on(desk)
    assert (today.consent_id, today.prints, today.handed_over_at) == (record.id, 0, None)
    assert today.patient_name == "Анна Иванова"
    first = consents.pdf(desk, record.id, purpose="printed")
    again = consents.pdf(desk, record.id, purpose="printed")
    assert first == again and first.startswith(b"%PDF")
    handed = reception.hand_over(desk, record.id)
    assert handed.prints == 2 and handed.handed_over_at is not None
    with pytest.raises(PermissionDeniedError):
        consents.add_event(desk, record.id, "voided", "Reception may not do this.")
    with pytest.raises(PermissionDeniedError):
        consent_register.register_page(desk, RegisterFilters())
    with pytest.raises(PermissionDeniedError):
        record_detail.record_detail(desk, record.id)
    (listed,) = reception.patient_forms(desk, today.patient_id)
    assert listed.state == "signed" and listed.prints == 2
    (visit,) = reception.consultations_on(desk)
    assert visit.patient_name == "Анна Иванова" and visit.forms_signed == 1
    assert visit.treatments == ("ha_filler",)
    with ctx.unit_of_work() as session:
        events = list(
            session.execute(
                select(AuditEntry.event).where(AuditEntry.record_id == str(record.id))
            ).scalars()
        )
    assert events.count("consent.printed") == 2 and "consent.handed_over" in events


def test_record_detail_lists_findings_overrides_and_signatures(clinic) -> None:
    record = sign_one(clinic, answers=factories.no_answers(anticoagulants=["warfarin"]))
    detail = record_detail.record_detail(clinic["manager"], record.id)
    justified = [f for f in detail.findings if f.decision == "justified"]
    assert justified and justified[0].justification == JUSTIFICATION
    assert justified[0].severity == "relative"
    assert [s.role for s in detail.signatures] == ["patient", "practitioner"]
    assert all(s.points == 30 for s in detail.signatures)
    assert detail.patient.full_name == "Zoë Lefèvre" and detail.practitioner_name == "Dr Dana Doe"
    assert detail.may_change and detail.product and detail.product["lot"].startswith("LOT-")
    assert detail.intake
    # The treating practitioner may open it too; reception may not.
    assert record_detail.record_detail(clinic["practitioner"], record.id).may_change


# --- register: filters, sorting, pages ------------------------------------------------


@pytest.fixture
def bulk(clinic, ctx):
    users = clinic["users"]
    patient = patient_service.register(clinic["practitioner"], factories.draft())
    ids = [users["practitioner"].id, users["manager"].id]
    return bulk_records(ctx.db, patient.id, ids, 60)


@pytest.mark.parametrize(
    ("name", "filters", "keep"),
    [
        ("all", RegisterFilters(), lambda r: True),
        ("treatment", RegisterFilters(treatment_id="prp"), lambda r: r["treatment_id"] == "prp"),
        ("outcome", RegisterFilters(outcome="caution"), lambda r: r["outcome"] == "caution"),
        ("overrides", RegisterFilters(has_overrides=True), lambda r: r["has_overrides"]),
        ("no overrides", RegisterFilters(has_overrides=False), lambda r: not r["has_overrides"]),
        ("voided", RegisterFilters(state="voided"), lambda r: r["state"] == "voided"),
        (
            "withdrawn prp",
            RegisterFilters(state="withdrawn", treatment_id="prp"),
            lambda r: r["state"] == "withdrawn" and r["treatment_id"] == "prp",
        ),
    ],
)
def test_register_filters(bulk, clinic, name, filters, keep) -> None:
    manager = clinic["manager"]
    expected = sorted(
        (r for r in bulk if keep(r)), key=lambda r: (r["signed_at"], r["id"]), reverse=True
    )
    got = _all_pages(manager, filters, limit=7)
    assert [r.id for r in got] == [r["id"] for r in expected], name
    assert consent_register.register_count(manager, filters) == len(expected)


def test_register_filters_by_practitioner_and_dates(bulk, clinic) -> None:
    manager = clinic["manager"]
    doc_id = clinic["users"]["practitioner"].id
    got = _all_pages(manager, RegisterFilters(practitioner_id=doc_id), 50)
    assert {r.id for r in got} == {r["id"] for r in bulk if r["practitioner_id"] == doc_id}
    assert {r.practitioner_name for r in got} == {"Dr Dana Doe"}
    today = dt.date.today()
    start, end = today - dt.timedelta(days=30), today - dt.timedelta(days=3)
    got = _all_pages(manager, RegisterFilters(date_from=start, date_to=end), 50)
    expected = {
        r["id"]
        for r in bulk
        if lookups.local_day_start(start)
        <= r["signed_at"]
        < lookups.local_day_start(end + dt.timedelta(days=1))
    }
    assert expected and {r.id for r in got} == expected
    with pytest.raises(ValidationError, match="before the start"):
        consent_register.register_page(manager, RegisterFilters(date_from=end, date_to=start))
    with pytest.raises(ValidationError):
        consent_register.register_page(manager, RegisterFilters(state="lost"))


@pytest.mark.parametrize("sort", dto.SORT_KEYS)
@pytest.mark.parametrize("descending", [False, True])
def test_register_sorting_by_the_database_pages_without_gaps(bulk, clinic, sort, descending):
    manager = clinic["manager"]
    filters = RegisterFilters().sorted_by(sort, descending)
    got = _all_pages(manager, filters, limit=6)
    assert len(got) == len(bulk) and len({r.id for r in got}) == len(bulk)

    def key(r):
        if sort == "document_number":
            return (r.document_number,)
        if sort == "signed_at":
            return (r.signed_at, r.id)
        return (getattr(r, sort), r.signed_at, r.id)

    assert [r.id for r in got] == [r.id for r in sorted(got, key=key, reverse=descending)]
    whole = consent_register.register_page(manager, filters, limit=1000).rows
    assert [r.id for r in whole] == [r.id for r in got]


# --- recall ---------------------------------------------------------------------------


def test_recall_by_lot_product_or_expiry_with_contact_details(clinic, ctx, tmp_path) -> None:
    sign_one(
        clinic,
        "ha_filler",
        given="Ελένη",
        family="Παπαδοπούλου",
        lot="HA-77",
        address="1 Rue de la Paix\nParis, France",
    )
    sign_one(clinic, "ha_filler", given="Oliver", family="Taylor", lot="HA-78")
    sign_one(clinic, "botulinum_toxin", given="太郎", family="佐藤", lot="BT-1")
    manager = clinic["manager"]
    rows = recall_service.recall(manager, RecallCriteria(lot="ha-77"))
    assert [(r.patient_name, r.lot_number) for r in rows] == [("Ελένη Παπαδοπούλου", "HA-77")]
    assert rows[0].phone == "+447700900123" and rows[0].email == "zoe@example.org"  # E.164
    assert rows[0].document_number and rows[0].consent_state == "signed"
    by_product = recall_service.recall(manager, RecallCriteria(product="FOR HA_FILLER"))
    assert {r.lot_number for r in by_product} == {"HA-77", "HA-78"}
    soon = dt.date.today() + dt.timedelta(days=200)
    by_expiry = recall_service.recall(manager, RecallCriteria(expiry_from=soon, expiry_to=soon))
    assert len(by_expiry) == 3
    assert recall_service.recall(manager, RecallCriteria(lot="nope")) == []
    with pytest.raises(ValidationError):
        recall_service.recall(manager, RecallCriteria())
    with pytest.raises(PermissionDeniedError):
        recall_service.recall(clinic["reception"], RecallCriteria(lot="HA-77"))
    target = tmp_path / "recall.csv"
    assert recall_service.export_recall(manager, RecallCriteria(lot="HA-77"), rows, target) == 1
    with open(target, encoding="utf-8-sig", newline="") as handle:
        header, line = list(csv.reader(handle))
    assert header[:5] == ["patient", "date_of_birth", "phone", "email", "address"]
    assert line[0] == "Ελένη Παπαδοπούλου" and line[4] == "1 Rue de la Paix\nParis, France"
    # A GB clinic's number in national form, as the app shows it, with no apostrophe.
    assert line[2] == "07700 900123"
    assert target.stat().st_mode & 0o777 == 0o600
    with ctx.unit_of_work() as session:
        events = list(session.execute(select(AuditEntry.event)).scalars())
    assert events.count("recall.searched") == 4 and "recall.exported" in events


# --- dashboard ------------------------------------------------------------------------


def test_dashboard_counts_per_month_and_override_rates(bulk, clinic) -> None:
    today = dt.date.today()
    start = today - dt.timedelta(days=400)
    board = dashboard.dashboard(clinic["manager"], start, today)
    kept = [r for r in bulk if r["state"] != "voided"]
    assert sum(m.count for m in board.per_month) == len(kept)
    month = today.strftime("%Y-%m")
    now_month = {(m.treatment_id, m.count) for m in board.per_month if m.month == month}
    expected: dict[str, int] = {}
    for r in kept:
        if r["signed_at"].strftime("%Y-%m") == month:
            expected[r["treatment_id"]] = expected.get(r["treatment_id"], 0) + 1
    assert now_month == set(expected.items())
    rates = {r.practitioner_id: r for r in board.override_rates}
    for pid, rate in rates.items():
        mine = [r for r in kept if r["practitioner_id"] == pid]
        assert rate.consents == len(mine)
        assert rate.with_overrides == sum(r["has_overrides"] for r in mine)
        assert 0 <= rate.rate <= 1
    with pytest.raises(PermissionDeniedError):
        dashboard.dashboard(clinic["reception"], start, today)


# --- exports --------------------------------------------------------------------------


HARD_NAMES = [
    'Zoë "Zo" Lefèvre, Jr.',
    "Line\nbreak O'Brien",
    "Ελένη Παπαδοπούλου",
    "山田 花子",
    "=HYPERLINK(evil)",
    'Comma, Quote " and\r\nCRLF',
]


def _row(n: int, name: str) -> RegisterRow:
    return RegisterRow(
        id=n,
        document_number=f"C-2026-{n:06d}-1",
        signed_at=dt.datetime(2026, 11, 21, 10, n, tzinfo=dt.UTC),
        patient_id=n,
        patient_name=name,
        date_of_birth=dt.date(1990, 1, 2),
        practitioner_id=1,
        practitioner_name="Dr Dana Doe, MD",
        treatment_id="prp",
        outcome="clear",
        has_overrides=bool(n % 2),
        state="signed",
    )


def test_register_csv_round_trips_awkward_names(tmp_path) -> None:
    target = tmp_path / "register.csv"
    rows = [_row(n, name) for n, name in enumerate(HARD_NAMES)]
    assert exports.write_register_csv(rows, target, treatment_names={"prp": "PRP, face"}) == 6
    with open(target, encoding="utf-8-sig", newline="") as handle:
        header, *lines = list(csv.reader(handle))
    assert header == list(exports.REGISTER_COLUMNS)
    names = [line[2] for line in lines]
    assert names[:4] == HARD_NAMES[:4] and names[5] == HARD_NAMES[5]
    assert names[4] == "'=HYPERLINK(evil)"  # never run as a formula by a spreadsheet
    assert {line[4] for line in lines} == {"Dr Dana Doe, MD"}
    assert {line[6] for line in lines} == {"PRP, face"}
    assert lines[0][1] == "2026-11-21T10:00:00+00:00"


def test_exports_report_progress_and_can_be_cancelled(tmp_path) -> None:
    rows = [_row(n % 50, "Ann Smith") for n in range(1000)]
    seen: list[tuple[int, int]] = []
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "big.csv"
    exports.write_register_csv(rows, target, total=1000, progress=lambda d, t: seen.append((d, t)))
    assert seen[0] == (200, 1000) and seen[-1] == (1000, 1000)
    target.unlink()
    with pytest.raises(exports.ExportCancelled):
        exports.write_register_csv(
            rows,
            target,
            total=1000,
            progress=lambda d, t: seen.append((d, t)),
            cancelled=lambda: len(seen) > 6,
        )
    assert list(folder.iterdir()) == []  # nothing half-written is left behind


def test_register_export_csv_from_the_database(clinic, ctx, tmp_path) -> None:
    sign_one(clinic, given='Renée "Rae"', family="O'Brien, Smith")
    sign_one(clinic, "prp", given="Дмитрий", family="Соколов")
    target = tmp_path / "consents.csv"
    result = register_export.export_register(clinic["manager"], RegisterFilters(), "csv", target)
    assert result.records == 2
    with open(target, encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle))
    assert {line["patient"] for line in lines} == {'Renée "Rae" O\'Brien, Smith', "Дмитрий Соколов"}
    with pytest.raises(PermissionDeniedError):
        register_export.export_register(clinic["reception"], RegisterFilters(), "csv", target)
    with ctx.unit_of_work() as session:
        entry = session.execute(
            select(AuditEntry).where(AuditEntry.event == "consent.register_exported")
        ).scalar_one()
    assert entry.details["records"] == 2 and entry.details["format"] == "csv"


def test_fhir_bundle_is_valid_r4(clinic, tmp_path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    plain = sign_one(clinic, given="花子", family="山田")
    flagged = sign_one(clinic, answers=factories.no_answers(anticoagulants=["warfarin"]))
    consents.add_event(clinic["manager"], plain.id, "voided", "Entered for the wrong patient.")
    target = tmp_path / "bundle.json"
    result = register_export.export_register(
        clinic["manager"], RegisterFilters(), "fhir", target, kb=knowledge()
    )
    assert result.records == 2
    data = json.loads(target.read_text(encoding="utf-8"))
    bundle = Bundle.model_validate(data)
    kinds = [entry.resource.get_resource_type() for entry in bundle.entry]
    assert kinds.count("Consent") == 2 and kinds.count("QuestionnaireResponse") == 2
    assert kinds.count("Provenance") == 2 and kinds.count("Patient") == 2
    assert kinds.count("Practitioner") == 1 and kinds.count("DetectedIssue") >= 1
    by_number = {
        e.resource.identifier[0].value: e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "Consent"
    }
    voided = by_number[plain.document_number]
    assert voided.status == "entered-in-error"
    assert by_number[flagged.document_number].status == "active"
    stored = consents.pdf(clinic["manager"], flagged.id, purpose="exported")
    attachment = by_number[flagged.document_number].sourceAttachment
    assert attachment.data == stored  # fhir.resources decodes base64Binary
    raw = next(
        e["resource"]
        for e in data["entry"]
        if e["resource"]["resourceType"] == "Consent"
        and e["resource"]["identifier"][0]["value"] == flagged.document_number
    )
    assert base64.b64decode(raw["sourceAttachment"]["data"]) == stored
    issues = [e.resource for e in bundle.entry if e.resource.get_resource_type() == "DetectedIssue"]
    mitigations = [m.action.text for i in issues for m in (i.mitigation or [])]
    assert any(JUSTIFICATION in text for text in mitigations)
    provenances = [
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "Provenance"
    ]
    assert all(len(p.signature) == 2 for p in provenances)
    # The signature as an image; the strokes as recorded in Consult's extension.
    assert provenances[0].signature[0].sigFormat == "image/png"
    assert provenances[0].signature[0].data.startswith(b"\x89PNG")
    strokes = provenances[0].signature[0].extension[0]
    assert strokes.url == STROKES_EXTENSION
    signature = json.loads(strokes.valueAttachment.data)
    assert signature["role"] == "patient" and signature["strokes"]


def test_an_empty_fhir_bundle_is_valid(tmp_path) -> None:
    from fhir.resources.R4B.bundle import Bundle

    target = tmp_path / "empty.json"
    clinic = fhir.ClinicIdentity("0b7e8c3a-52d4-4c1e-9a57-0d1f5c2e8a61", "Test Clinic")
    assert fhir.write_fhir_bundle([], target, clinic=clinic, kb=knowledge()) == 0
    assert Bundle.model_validate_json(target.read_text(encoding="utf-8")).entry is None


# --- the command line -----------------------------------------------------------------


def _consult(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` as the manager, whose password is the first line of stdin."""
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


def test_cli_export_and_recall(home: paths.Dirs, tmp_path) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db)
        people = make_clinic(ServiceContext(db))
        sign_one(people, given="Søren", family="Kierkegård, Jr", lot="RX-118")
        sign_one(people, "prp", given="Анна", family="Иванова", lot="PRP-1")
    finally:
        db.close()
    root = home.home
    assert root is not None
    out = tmp_path / "c.csv"
    result = _consult("export", "consents", "--format", "csv", "-o", str(out), home=root)
    assert result.returncode == 0, result.stderr
    assert "Exported 2 consent record(s)" in result.stdout
    with open(out, encoding="utf-8-sig", newline="") as handle:
        assert {r["patient"] for r in csv.DictReader(handle)} == {
            "Søren Kierkegård, Jr",
            "Анна Иванова",
        }
    bundle = tmp_path / "c.json"
    today = dt.date.today().isoformat()
    result = _consult(
        "export",
        "consents",
        "--format",
        "fhir",
        "-o",
        str(bundle),
        "--from",
        today,
        "--to",
        today,
        home=root,
    )
    assert result.returncode == 0, result.stderr
    from fhir.resources.R4B.bundle import Bundle

    assert len(Bundle.model_validate_json(bundle.read_text(encoding="utf-8")).entry) > 6
    result = _consult("export", "consents", "-o", str(out), "--from", "2026-13-45", home=root)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "--from" in result.stderr
    assert "Traceback" not in result.stderr
    result = _consult("recall", "--lot", "rx-118", home=root)
    assert result.returncode == 0, result.stderr
    assert "1 patient(s)" in result.stdout and "Søren Kierkegård, Jr" in result.stdout
    assert "+447700900123" in result.stdout and "Анна" not in result.stdout  # E.164
    result = _consult("recall", home=root)
    assert result.returncode == 2 and "lot number" in result.stderr


def test_migration_0004_fills_the_state_from_the_events(clinic, ctx) -> None:
    voided = sign_one(clinic)
    withdrawn = sign_one(clinic, "prp", given="Анна", family="Иванова")
    kept = sign_one(clinic, "botulinum_toxin", given="Oliver", family="Taylor")
    consents.add_event(clinic["manager"], voided.id, "withdrawn", "Changed her mind.")
    consents.add_event(clinic["manager"], voided.id, "voided", "Wrong patient entirely.")
    consents.add_event(clinic["practitioner"], withdrawn.id, "withdrawn", "Changed his mind.")
    migrate.downgrade(ctx.db, "0003")
    migrate.upgrade(ctx.db)
    with ctx.unit_of_work() as session:
        states = dict(session.execute(select(ConsentRecord.id, ConsentRecord.state)).all())
    assert states == {voided.id: "voided", withdrawn.id: "withdrawn", kept.id: "signed"}
