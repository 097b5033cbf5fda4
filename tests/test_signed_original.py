"""The original a practitioner or manager is given, on screen or to save, is the form as
the clinic signed it: the file ``consult verify FILE`` checks on its own. A form sealed
before forms were signed has only its sealed bytes, and the app says so when saving it.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select, update

from consult.store.database import Database
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services import consents, form_export
from consult.store.services.context import ServiceContext
from tests import security_support


@pytest.fixture
def clinic(sqlite_db: Database) -> dict[str, ServiceContext]:
    return security_support.contexts(ServiceContext(sqlite_db, workstation="test-workstation"))


@pytest.fixture
def record(clinic: dict[str, ServiceContext]) -> consents.ConsentInfo:
    _, _, info = security_support.signed_consent(clinic)
    return info


def _stored(db: Database, consent_id: int) -> tuple[bytes, bytes | None]:
    with db.session() as session:
        row = session.get(ConsentRecord, consent_id)
        assert row is not None
        return bytes(row.pdf), bytes(row.signed_pdf) if row.signed_pdf is not None else None


def _verify(path: Path) -> subprocess.CompletedProcess[str]:
    """``consult verify FILE`` in a process of its own, in the clinic's home (so the
    clinic's own certificate is trusted, as on its workstations)."""
    return subprocess.run(
        [sys.executable, "-m", "consult", "verify", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _panel(qtbot, sqlite_db, home, clinic, monkeypatch, target: Path):
    from consult.ui.consent import sealed_panel
    from consult.ui.consent.sealed_panel import SealedPanel
    from consult.ui.shell.session import AppSession

    session = AppSession(sqlite_db, home)
    doctor = clinic["practitioner"].user
    assert doctor is not None
    session.set_user(doctor)
    panel = SealedPanel(session)
    qtbot.addWidget(panel)
    monkeypatch.setattr(sealed_panel, "ask_save_path", lambda *_args: target)
    return panel


def test_the_app_saves_the_signed_form_and_consult_verify_accepts_it(
    qtbot, sqlite_db, home, clinic, record, monkeypatch, tmp_path
) -> None:
    sealed, signed = _stored(sqlite_db, record.id)
    assert signed is not None and signed.startswith(sealed) and len(signed) > len(sealed)
    target = tmp_path / "saved.pdf"
    panel = _panel(qtbot, sqlite_db, home, clinic, monkeypatch, target)
    panel.show_record(record, "Zoë Lefèvre", "Dr Dana Doe")
    qtbot.waitUntil(lambda: panel.pdf is not None)
    assert panel.pdf == signed  # what the panel shows is the signed original too
    panel.save_button.click()
    qtbot.waitUntil(lambda: str(target) in panel.output_status.text())
    assert "signed by the clinic" in panel.output_status.text()
    assert target.read_bytes() == signed
    checked = _verify(target)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Verified: the clinic signed this form" in checked.stdout
    with sqlite_db.session() as session:
        exported = session.execute(
            select(AuditEntry).where(AuditEntry.event == "consent.exported")
        ).scalar_one()
    assert exported.details == {"document_number": record.document_number, "signed": True}


def test_every_way_out_of_the_original_is_the_signed_file(clinic, record, sqlite_db) -> None:
    _sealed, signed = _stored(sqlite_db, record.id)
    manager, doctor = clinic["manager"], clinic["practitioner"]
    assert consents.pdf(doctor, record.id) == signed  # the consent step, the record dialog
    assert consents.pdf(manager, record.id, purpose="viewed") == signed  # reception's Open
    assert consents.original(manager, record.id, purpose="exported").signed
    given: list[bytes] = []
    written = form_export.export_form(
        manager, record.id, sealed=True, to="test", deliver=given.append
    )
    assert written.written == "sealed" and given == [signed]


def test_a_form_sealed_before_signing_is_given_as_sealed_and_said_so(
    qtbot, sqlite_db, home, clinic, record, monkeypatch, tmp_path
) -> None:
    with sqlite_db.session() as session:
        session.execute(
            update(ConsentRecord).where(ConsentRecord.id == record.id).values(signed_pdf=None)
        )
    sealed, _ = _stored(sqlite_db, record.id)
    original = consents.original(clinic["manager"], record.id)
    assert original.data == sealed and not original.signed
    target = tmp_path / "older.pdf"
    panel = _panel(qtbot, sqlite_db, home, clinic, monkeypatch, target)
    panel.info = record
    panel.save_button.click()
    qtbot.waitUntil(lambda: str(target) in panel.output_status.text())
    assert "not signed" in panel.output_status.text()
    assert target.read_bytes() == sealed
    checked = _verify(target)  # a file alone cannot prove it: the database must
    assert checked.returncode == 1 and "not signed" in checked.stdout
