"""Complications: recorded by practitioners against a consented treatment and linked to
its lot, edited with their history kept in the audit log, the managers' list of open
events, and the report of one event for the national pharmacovigilance scheme."""

from __future__ import annotations

import datetime as dt

import pytest

from consult.domain import complications as vocabulary
from consult.store.errors import (
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    ValidationError,
)
from consult.store.services import complications
from tests import security_support

TODAY = dt.date.today()


@pytest.fixture
def clinic(ctx):
    return security_support.contexts(ctx)


def _draft(**changes: object) -> complications.ComplicationDraft:
    values: dict[str, object] = {
        "category": "nodule",
        "description": "Firm 4 mm nodule, left nasolabial fold",
        "noticed_on": TODAY,
        "severity": "moderate",
        "action_taken": "Massage; hyaluronidase offered",
        "outcome": "ongoing",
        "follow_up_on": TODAY + dt.timedelta(days=7),
    }
    values.update(changes)
    return complications.ComplicationDraft(**values)  # type: ignore[arg-type]


def test_recorded_against_the_treatment_and_its_lot(clinic) -> None:
    doc = clinic["practitioner"]
    patient, info, _ = security_support.signed_consent(clinic, family="Nodule")
    event = complications.record(doc, info.id, security_support.TREATMENT, _draft())
    assert (event.patient_id, event.patient_name) == (patient.id, "Zoë Nodule")
    assert event.product_name == "HA Nodule" and event.manufacturer == "Maker Ltd"
    assert event.lot_number and event.expiry_date is not None
    assert event.treated_on == TODAY and event.recorded_by == "Dr Dana Doe" and event.is_open
    assert complications.for_patient(doc, patient.id) == [event]
    with pytest.raises(NotFoundError):
        complications.record(doc, info.id, "botulinum_toxin", _draft())


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"category": "headache"}, "category"),
        ({"category": "other", "description": " "}, "description"),
        ({"severity": "awful"}, "severity"),
        ({"outcome": "fine"}, "outcome"),
        ({"noticed_on": None}, "noticed_on"),
        ({"noticed_on": TODAY + dt.timedelta(days=1)}, "noticed_on"),
        ({"noticed_on": TODAY - dt.timedelta(days=1)}, "noticed_on"),
        ({"follow_up_on": TODAY - dt.timedelta(days=1)}, "follow_up_on"),
    ],
)
def test_what_is_refused(clinic, changes, field) -> None:
    _, info, _ = security_support.signed_consent(clinic, family="Refused")
    with pytest.raises(ValidationError) as caught:
        complications.record(
            clinic["practitioner"], info.id, security_support.TREATMENT, _draft(**changes)
        )
    assert caught.value.field == field


def test_edits_keep_their_history_and_resolved_events_leave_the_open_list(clinic) -> None:
    doc, boss = clinic["practitioner"], clinic["manager"]
    _, info, _ = security_support.signed_consent(clinic, family="History")
    mild = complications.record(doc, info.id, security_support.TREATMENT, _draft(severity="mild"))
    severe = complications.record(
        doc,
        info.id,
        security_support.TREATMENT,
        _draft(category="vascular_occlusion", severity="serious"),
    )
    assert [c.id for c in complications.open_complications(boss)] == [severe.id, mild.id]
    changed = complications.update(
        boss, mild.id, mild.version, _draft(severity="mild", outcome="resolved")
    )
    assert not changed.is_open and changed.version == mild.version + 1
    with pytest.raises(ConflictError):
        complications.update(doc, mild.id, mild.version, _draft(outcome="unknown"))
    assert [c.id for c in complications.open_complications(boss)] == [severe.id]
    recorded, updated = complications.history(doc, mild.id)
    assert recorded.event == "complication.recorded" and recorded.username == "doc"
    assert recorded.changes["severity"] == (None, "mild")
    assert updated.username == "boss" and updated.changes == {"outcome": ("ongoing", "resolved")}


def test_roles(clinic) -> None:
    _, info, _ = security_support.signed_consent(clinic, family="Roles")
    for role in ("manager", "reception"):
        with pytest.raises(PermissionDeniedError):
            complications.record(clinic[role], info.id, security_support.TREATMENT, _draft())
    event = complications.record(
        clinic["practitioner"], info.id, security_support.TREATMENT, _draft()
    )
    with pytest.raises(PermissionDeniedError):
        complications.get(clinic["reception"], event.id)
    with pytest.raises(PermissionDeniedError):
        complications.open_complications(clinic["practitioner"])


def test_the_report_names_no_patient_and_the_scheme_of_the_jurisdiction(clinic, tmp_path) -> None:
    doc = clinic["practitioner"]
    patient, info, _ = security_support.signed_consent(clinic, family="Quillfeather")
    event = complications.record(
        doc,
        info.id,
        security_support.TREATMENT,
        _draft(category="vascular_occlusion", severity="serious", outcome="resolved_with_sequelae"),
    )
    made = complications.report(clinic["manager"], event.id)
    text = complications.report_text(made, {"ha_filler": "Dermal filler (hyaluronic acid)"})
    age = vocabulary.age_on(patient.date_of_birth, TODAY)
    for line in (
        "for MHRA Yellow Card scheme",
        f"Age at the reaction: {age} years",
        "Sex: Female",
        "Reaction: Vascular occlusion",
        "Serious: yes",
        "Outcome: Recovered with lasting effects (sequelae)",
        "Product (brand name): HA Quillfeather",
        "Manufacturer: Maker Ltd",
        f"Batch / lot number: {event.lot_number}",
        f"Expiry date: {event.expiry_date}",
        "Procedure: Dermal filler (hyaluronic acid)",
        f"Date of treatment: {TODAY.isoformat()}",
        f"Date the reaction started: {TODAY.isoformat()}",
        "Clinic: Test Clinic",
    ):
        assert line in text, line
    assert "Zoë" not in text and "Quillfeather" not in text.replace("HA Quillfeather", "")
    assert patient.date_of_birth.isoformat() not in text and patient.phone not in text
    target = tmp_path / "report.txt"
    complications.export_report(doc, event.id, target, treatment_names={})
    assert "Procedure: ha_filler" in target.read_text(encoding="utf-8")


def test_each_jurisdiction_names_its_scheme() -> None:
    assert "Yellow Card" in vocabulary.scheme_for("GB").name
    assert "PMDA" in vocabulary.scheme_for("JP").name
    assert "MedWatch" in vocabulary.scheme_for("US").name
    assert vocabulary.scheme_for("OTHER") == vocabulary.OTHER_SCHEME
