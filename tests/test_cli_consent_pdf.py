"""``consult consent pdf``, run as a subprocess: what a print gives, or the sealed bytes."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from consult import paths
from consult.store import migrate
from consult.store.database import open_database
from consult.store.models import AuditEntry, ConsentEvent, ConsentRecord
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from tests import factories
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one
from tests.test_cli import consult as run_consult

REASON = "Signed for the wrong treatment area; consent taken again."


@pytest.fixture
def forms(home: paths.Dirs) -> dict[str, dict[str, object]]:
    """A signed form and a voided one in the test home's database (closed again, so the
    command can open it)."""
    db = open_database(home)
    try:
        migrate.upgrade(db)
        clinic = make_clinic(ServiceContext(db, workstation="test-workstation"))
        signed = sign_one(clinic, given="Zoë", family="Lefèvre")
        voided = sign_one(clinic, "prp", given="Анна", family="Иванова")
        consents.add_event(clinic["manager"], voided.id, "voided", REASON)
        out: dict[str, dict[str, object]] = {}
        with db.session() as session:
            for name, record in (("signed", signed), ("voided", voided)):
                row = session.get(ConsentRecord, record.id)
                assert row is not None
                event = session.execute(
                    select(ConsentEvent.at).where(
                        ConsentEvent.consent_id == row.id, ConsentEvent.kind == "voided"
                    )
                ).scalar_one_or_none()
                out[name] = {
                    "id": row.id,
                    "number": row.document_number,
                    "pdf": bytes(row.pdf),
                    "signed": bytes(row.signed_pdf or b""),
                    "sha": row.pdf_sha256,
                    "voided_at": event,
                }
        return out
    finally:
        db.close()


def consult(*args: str) -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` as the practitioner, whose password is the first line of stdin."""
    return run_consult(*args, "--as", "doc", stdin=factories.PASSWORD + "\n")


def _pages(path: Path) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(path).pages]


def test_consent_pdf_writes_what_a_print_gives(forms, tmp_path: Path) -> None:
    voided = forms["voided"]
    target = tmp_path / "void.pdf"
    result = consult("consent", "pdf", "--id", str(voided["id"]), "-o", str(target))
    assert result.returncode == 0, result.stderr
    assert f"Wrote {voided['number']} (a copy marked VOID) to {target}" in result.stdout
    pages = _pages(target)
    sealed = PdfReader(io.BytesIO(voided["pdf"])).pages  # type: ignore[arg-type]
    assert len(pages) == len(sealed)
    at = voided["voided_at"]
    assert isinstance(at, dt.datetime)
    local = at.astimezone()
    today = dt.datetime.now().astimezone().date().isoformat()
    for text in pages:
        assert f"VOID: this consent was voided on {local:%Y-%m-%d %H:%M} {local.tzname()}." in text
        assert f"Reason: {REASON}" in text and f"Copy printed {today}." in text
    # A form still signed, named by its document number: a copy with today's date.
    signed = forms["signed"]
    copy = tmp_path / "copy.pdf"
    result = consult("consent", "pdf", "--id", str(signed["number"]), "-o", str(copy))
    assert result.returncode == 0, result.stderr
    assert "(a copy)" in result.stdout
    for text in _pages(copy):
        assert f"COPY of the signed form, printed {today}." in text and "VOID" not in text


def test_consent_pdf_sealed_writes_the_stored_bytes_unchanged(
    forms, home: paths.Dirs, tmp_path: Path
) -> None:
    voided = forms["voided"]
    target = tmp_path / "sealed.pdf"
    result = consult("consent", "pdf", "--id", str(voided["id"]), "-o", str(target), "--sealed")
    assert result.returncode == 0, result.stderr
    assert "(the sealed form, as signed)" in result.stdout
    written = target.read_bytes()
    # The original as the clinic signed it: the sealed bytes, unchanged, then the signature.
    sealed = voided["pdf"]
    assert isinstance(sealed, bytes)
    assert written == voided["signed"] and written.startswith(sealed) and written != sealed
    assert hashlib.sha256(written[: len(sealed)]).hexdigest() == voided["sha"]
    assert all("VOID" not in text for text in _pages(target))
    # To standard output too, byte for byte.
    # (The home fixture names the test's home in CONSULT_HOME.)
    command = ["consent", "pdf", "--id", str(voided["id"]), "-o", "-", "--sealed"]
    piped = subprocess.run(
        [sys.executable, "-m", "consult", *command, "--as", "doc"],
        input=factories.PASSWORD.encode() + b"\n",
        capture_output=True,
        timeout=120,
        check=False,
    )
    assert piped.returncode == 0 and piped.stdout == voided["signed"]
    # Each export is logged, saying what was written; the stored form never changes.
    db = open_database(home)
    try:
        with db.session() as session:
            exported = [
                (username, details["as"])
                for username, details in session.execute(
                    select(AuditEntry.username, AuditEntry.details).where(
                        AuditEntry.event == "consent.exported"
                    )
                )
            ]
            row = session.get(ConsentRecord, voided["id"])
            assert row is not None and bytes(row.pdf) == voided["pdf"]
    finally:
        db.close()
    assert exported == [("doc", "sealed"), ("doc", "sealed")]  # logged as who exported it


def test_consent_pdf_of_an_unknown_form_is_one_line_and_exit_2(forms, tmp_path: Path) -> None:
    result = consult("consent", "pdf", "--id", "C-1999-000001-1", "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no consent record" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_consent_pdf_never_writes_over_the_database_or_without_force(
    forms, home: paths.Dirs, tmp_path: Path
) -> None:
    record = str(forms["signed"]["id"])
    key = home.config / "audit-chain.key"
    before = home.database_file.read_bytes(), key.read_bytes()
    for target in (home.database_file, key):
        result = consult("consent", "pdf", "--id", record, "-o", str(target), "--force")
        assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert (home.database_file.read_bytes(), key.read_bytes()) == before
    existing = tmp_path / "existing.pdf"
    existing.write_bytes(b"keep me")
    result = consult("consent", "pdf", "--id", record, "-o", str(existing))
    assert result.returncode == 2 and "--force" in result.stderr
    assert existing.read_bytes() == b"keep me"
    result = consult("consent", "pdf", "--id", record, "-o", str(existing), "--force")
    assert result.returncode == 0, result.stderr
    assert existing.read_bytes().startswith(b"%PDF") and existing.stat().st_mode & 0o777 == 0o600
    result = consult("consent", "pdf", "--id", str(2**70), "-o", str(tmp_path / "x.pdf"))
    assert result.returncode == 2 and "Traceback" not in result.stderr
