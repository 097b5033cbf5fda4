"""Versioned sealing: a record sealed before RFC 8785 (``consult.consent/1``, Consult's
first canonical form) still verifies, one sealed now uses RFC 8785 (``consult.consent/2``),
and ``consult verify`` finds tampering with either."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

import pytest
from sqlalchemy import select, text

from consult.domain.canonical import canonical_bytes, jcs_bytes, sha256_hex
from consult.domain.consent_document import LEGACY_SCHEMA, SCHEMA, SealedDocument
from consult.store import integrity
from consult.store.database import Database
from consult.store.models import ConsentRecord
from consult.store.services import consents
from consult.store.services.consents import ConsentInfo, SignatureInput
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import security_support


def _seal_as_before(document: Mapping[str, Any]) -> SealedDocument:
    """How the releases before RFC 8785 sealed a document (Consult's first form)."""
    data = dict(document)
    raw = canonical_bytes(data)
    return SealedDocument(data, raw, sha256_hex(raw))


def _signature(name: str) -> SignatureInput:
    # Whole-number floats, as a pad gives them: Consult's first form writes 16.0, RFC 8785 16.
    strokes = [
        [
            {"x": float(10 + i * 6), "y": float(40 + (i % 5) * 7), "t": i * 16, "p": 0.5}
            for i in range(30)
        ]
    ]
    return SignatureInput(
        name=name,
        strokes=strokes,
        width=480,
        height=160,
        signed_at=dt.datetime(2026, 11, 21, 10, 30, tzinfo=dt.UTC),
    )


def _sign(clinic: dict[str, ServiceContext], family: str) -> ConsentInfo:
    _, info = security_support.screened(clinic, given="Zoë", family=family)
    doc = clinic["practitioner"]
    treatment = security_support.TREATMENT
    consent_text = consents.consent_text(doc, info.id, treatment, security_support.TEMPLATES)
    return consents.sign(
        doc,
        info.id,
        treatment,
        template_version=consent_text.template_version,
        initials={section.id: "ZL" for section in consent_text.sections},
        choices={"photographs": True, "data_processing": False},
        patient_signature=_signature(f"Zoë {family}"),
        practitioner_signature=_signature("Dr Dana Doe"),
        templates=security_support.TEMPLATES,
        kb=knowledge(),
    )


@pytest.fixture
def signed(db: Database, monkeypatch: pytest.MonkeyPatch) -> dict[str, ConsentInfo]:
    """Two forms: one sealed as the releases before RFC 8785 did, one sealed now."""
    clinic = security_support.contexts(ServiceContext(db))
    with monkeypatch.context() as before:
        before.setattr(consents, "SCHEMA", LEGACY_SCHEMA)
        before.setattr(consents, "seal", _seal_as_before)
        old = _sign(clinic, "Lefèvre")
    return {"old": old, "new": _sign(clinic, "Silva")}


def _stored(db: Database, record: ConsentInfo) -> str:
    with db.session() as session:
        return session.execute(
            select(ConsentRecord.document_json).where(ConsentRecord.id == record.id)
        ).scalar_one()


def _verify(db: Database) -> integrity.IntegrityReport:
    with db.session() as session:
        return integrity.verify(session, None)


def test_old_and_new_records_each_verify_in_their_own_form(
    db: Database, signed: dict[str, ConsentInfo]
) -> None:
    old, new = signed["old"], signed["new"]
    old_json, new_json = _stored(db, old), _stored(db, new)
    # Sealed before: Consult's first form, whole-number floats written 16.0.
    assert json.loads(old_json)["schema"] == LEGACY_SCHEMA
    assert '"x":16.0,' in old_json
    assert old.document_sha256 == sha256_hex(old_json.encode())
    assert old.document_sha256 == sha256_hex(canonical_bytes(json.loads(old_json)))
    # An RFC 8785 reading of it gives another hash: verify must choose by the schema.
    assert old.document_sha256 != sha256_hex(jcs_bytes(json.loads(old_json)))
    # Sealed now: RFC 8785.
    assert json.loads(new_json)["schema"] == SCHEMA
    assert '"x":16,' in new_json and "16.0" not in new_json
    assert new.document_sha256 == sha256_hex(new_json.encode())
    assert new.document_sha256 == sha256_hex(jcs_bytes(json.loads(new_json)))
    report = _verify(db)
    assert report.ok, report.problems
    assert report.records == 2


def _change_a_letter(document: str) -> str:
    return document.replace("Zoë", "Zoé", 1)


def _rewrite_without_a_change_of_meaning(document: str) -> str:
    # The same numbers written the other way: 16.0 for 16, or 16 for 16.0.
    if '"x":16.0,' in document:
        return document.replace('"x":16.0,', '"x":16,', 1)
    return document.replace('"x":16,', '"x":16.0,', 1)


def _relabel_the_schema(document: str) -> str:
    schemas = {LEGACY_SCHEMA: SCHEMA, SCHEMA: LEGACY_SCHEMA}
    loaded = json.loads(document)
    return document.replace(loaded["schema"], schemas[loaded["schema"]], 1)


@pytest.mark.parametrize("which", ["old", "new"])
@pytest.mark.parametrize(
    "tamper",
    [_change_a_letter, _rewrite_without_a_change_of_meaning, _relabel_the_schema],
    ids=["change a letter", "rewrite a number", "relabel the schema"],
)
def test_tampering_with_either_is_found(
    db: Database,
    signed: dict[str, ConsentInfo],
    which: str,
    tamper: Callable[[str], str],
) -> None:
    record = signed[which]
    document = _stored(db, record)
    changed = tamper(document)
    assert changed != document
    with db.session() as session:
        session.execute(
            text("UPDATE consent_record SET document_json = :doc WHERE id = :id"),
            {"doc": changed, "id": record.id},
        )
    report = _verify(db)
    name = f"consent {record.document_number} (record {record.id})"
    assert f"{name}: its sealed JSON does not match its hash" in report.problems
    other = signed["new" if which == "old" else "old"]
    assert not [p for p in report.problems if f"(record {other.id})" in p]
