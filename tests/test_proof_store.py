"""Signing a consent signs its form (on both databases): the signed original is stored
beside the sealed bytes, which stay its prefix and keep their hash; the identity is made
at the first signed form and logged; a manager's import and the clinic's timestamp
service; and a form sealed before forms were signed keeps printing and verifying."""

from __future__ import annotations

import hashlib
import stat
from typing import Any

import pytest
from sqlalchemy import func, select

from consult.proof import identity
from consult.proof.verification import Outcome, verify_form
from consult.store import integrity, migrate
from consult.store.database import Database
from consult.store.errors import PermissionDeniedError, ValidationError
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services import clinic as clinic_service
from consult.store.services import consents, form_export
from consult.store.services.clinic_signing import SigningIdentityError, import_certificate
from consult.store.services.context import ServiceContext
from tests import proof_support as support
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one
from tests.schema_support import newest_migration


def _row(db: Database, record_id: int) -> ConsentRecord:
    with db.session() as session:
        row = session.get(ConsentRecord, record_id)
        assert row is not None
        session.expunge(row)
        return row


def _entries(db: Database, event: str) -> list[dict[str, Any]]:
    with db.session() as session:
        return [
            dict(details)
            for details in session.execute(
                select(AuditEntry.details).where(AuditEntry.event == event).order_by(AuditEntry.id)
            ).scalars()
        ]


def _holds(db: Database, home) -> bool:
    with db.session() as session:
        report = integrity.verify(session, home.backups if db.is_sqlite else None)
    assert report.ok, report.problems
    return True


def test_signing_a_consent_signs_its_form(db: Database, ctx: ServiceContext, home) -> None:
    clinic = make_clinic(ctx)
    record = sign_one(clinic)
    row = _row(db, record.id)
    signed = row.signed_pdf
    assert signed is not None
    # The sealed bytes are the signed original's prefix and still match their hash.
    assert signed.startswith(row.pdf) and len(signed) > len(row.pdf)
    assert hashlib.sha256(row.pdf).hexdigest() == row.pdf_sha256 == record.pdf_sha256
    # The identity was made now, readable by its owner only, and logged once.
    path = identity.identity_path(home.config)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    made = identity.load(home.config)
    (created,) = _entries(db, "certificate.created")
    assert created["sha256"] == made.fingerprint and created["self_signed"] is True
    (logged,) = _entries(db, "consent.signed")
    assert logged["signed_pdf_sha256"] == hashlib.sha256(signed).hexdigest()
    assert logged["certificate_sha256"] == made.fingerprint and logged["timestamped"] is False
    # The real form verifies on its own: its footers print the record's hash.
    report = verify_form(signed, identity.trusted_certificates(home.config))
    assert report.ok, report.lines()
    assert report.document_number == row.document_number
    assert row.document_sha256 in next(c.detail for c in report.checks if c.name == "printed hash")
    # A second form is signed by the same identity; none is made again.
    second = _row(db, sign_one(clinic, "prp", given="Анна", family="Иванова").id)
    assert second.signed_pdf is not None and second.signed_pdf.startswith(second.pdf)
    assert len(_entries(db, "certificate.created")) == 1
    assert _holds(db, home)


def test_the_sealed_export_is_the_signed_original(db: Database, ctx: ServiceContext) -> None:
    clinic = make_clinic(ctx)
    record = sign_one(clinic)
    delivered: list[bytes] = []
    form = form_export.export_form(
        clinic["practitioner"], record.id, sealed=True, to="auditor.pdf", deliver=delivered.append
    )
    assert form.written == "sealed"
    assert delivered == [_row(db, record.id).signed_pdf]


def test_a_form_sealed_before_forms_were_signed_prints_and_verifies_as_before(
    db: Database, ctx: ServiceContext, home
) -> None:
    clinic = make_clinic(ctx)
    kept, db.config_dir = db.config_dir, None  # as every form was sealed before
    try:
        record = sign_one(clinic)
    finally:
        db.config_dir = kept
    row = _row(db, record.id)
    assert row.signed_pdf is None
    assert not identity.exists(home.config) and not _entries(db, "certificate.created")
    assert "signed_pdf_sha256" not in _entries(db, "consent.signed")[0]
    delivered: list[bytes] = []
    form_export.export_form(
        clinic["manager"], record.id, sealed=True, to="x.pdf", deliver=delivered.append
    )
    assert delivered == [row.pdf]
    assert consents.pdf(clinic["reception"], record.id, purpose="printed").startswith(b"%PDF")
    assert _holds(db, home)
    # On its own the file proves nothing: it carries no signature.
    report = verify_form(row.pdf, [])
    assert report.failed == ["signature"] and "not signed" in report.checks[0].detail


def test_the_column_comes_and_goes_with_its_migration(
    db: Database, ctx: ServiceContext, home
) -> None:
    signed = sign_one(make_clinic(ctx))
    migrate.downgrade(db, "0006")
    migrate.upgrade(db)
    assert migrate.current_revision(db) == migrate.head_revision() == newest_migration()
    row = _row(db, signed.id)
    # The signed bytes went with the column; the sealed form is as it was.
    assert row.signed_pdf is None and hashlib.sha256(row.pdf).hexdigest() == row.pdf_sha256
    assert _holds(db, home)


def test_an_identity_that_cannot_sign_seals_nothing(db: Database, ctx: ServiceContext, home):
    clinic = make_clinic(ctx)
    identity.identity_path(home.config).write_bytes(b"not a key")
    with pytest.raises(SigningIdentityError, match=r"cannot be signed.*damaged"):
        sign_one(clinic)
    with db.session() as session:
        assert session.execute(select(func.count()).select_from(ConsentRecord)).scalar_one() == 0


def test_the_timestamp_service_is_a_clinic_setting(db: Database, ctx: ServiceContext, home):
    clinic = make_clinic(ctx)
    manager = clinic["manager"]
    found = clinic_service.get_clinic(manager)
    assert found is not None
    with pytest.raises(ValidationError, match="timestamp_url"):
        clinic_service.update_settings(manager, found.version, {"timestamp_url": "ftp://x"})
    with pytest.raises(PermissionDeniedError):
        clinic_service.update_settings(
            clinic["practitioner"], found.version, {"timestamp_url": "http://tsa.example"}
        )
    with support.local_tsa() as (url, received):
        clinic_service.update_settings(manager, found.version, {"timestamp_url": url})
        record = sign_one(clinic)
    assert received  # the service was asked, here on this machine
    signed = _row(db, record.id).signed_pdf
    assert signed is not None
    trusted = [*identity.trusted_certificates(home.config), support.tsa_certificate()]
    report = verify_form(signed, trusted)
    stamp = next(check for check in report.checks if check.name == "timestamp")
    assert report.ok and stamp.outcome is Outcome.OK and "(PAdES B-T)" in stamp.detail
    assert _entries(db, "consent.signed")[-1]["timestamped"] is True
    assert _entries(db, "settings.changed")[-1]["after"] == {"timestamp_url": url}


def test_a_manager_imports_the_clinic_s_own_certificate(db: Database, ctx: ServiceContext, home):
    clinic = make_clinic(ctx)
    before = _row(db, sign_one(clinic).id)
    made = identity.load(home.config)
    own = identity.from_pkcs12(support.pkcs12_file(support.clinic_identity(), b"pw"), b"pw")
    with pytest.raises(PermissionDeniedError):
        import_certificate(clinic["practitioner"], own)
    replaced = import_certificate(clinic["manager"], own)
    assert replaced is not None and replaced.fingerprint == made.fingerprint
    (logged,) = _entries(db, "certificate.imported")
    assert logged["sha256"] == own.fingerprint and logged["replaced"] == made.fingerprint
    after = _row(db, sign_one(clinic, "prp", given="Анна", family="Иванова").id)
    trusted = identity.trusted_certificates(home.config)
    for row, signer in ((before, made), (after, own)):
        assert row.signed_pdf is not None
        report = verify_form(row.signed_pdf, trusted)
        assert report.ok, report.lines()
        assert signer.fingerprint in next(c.detail for c in report.checks if c.name == "signer")
