"""``consult verify FILE.pdf`` and ``consult certificate``.

A signed form written by ``consult consent pdf --sealed`` verifies in a fresh process
with no database and no home (its signer trusted through the clinic's exported
certificate, or as the clinic's own in the clinic's home); a changed byte, the signature
stripped or another signer exit 1 naming what failed. The commands other than that
fresh process run in this process (``cli.main``), which is quicker and checks the same.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from consult import paths
from consult.proof import identity
from consult.proof.signing import sign_form
from consult.store import migrate
from consult.store.database import open_database
from consult.store.models import AuditEntry, ConsentRecord
from consult.store.services.context import ServiceContext
from tests import factories
from tests import proof_support as support
from tests.cli_fuzz_support import Outcome, run_main
from tests.register_support import clinic as make_clinic
from tests.register_support import sign_one


@pytest.fixture
def form(home: paths.Dirs) -> dict[str, Any]:
    """One form signed in the test home's database (closed again for the commands)."""
    db = open_database(home)
    try:
        migrate.upgrade(db)
        record = sign_one(make_clinic(ServiceContext(db, workstation="test-workstation")))
        with db.session() as session:
            row = session.get(ConsentRecord, record.id)
            assert row is not None and row.signed_pdf is not None
            return {
                "id": row.id,
                "number": row.document_number,
                "pdf": bytes(row.pdf),
                "signed": bytes(row.signed_pdf),
                "record_sha256": row.document_sha256,
            }
    finally:
        db.close()


def run_consult(*args: str) -> Outcome:
    """``consult ARGS`` in the test home (this process)."""
    return run_main(list(args))


def as_user(*args: str, user: str = "doc") -> Outcome:
    """``consult ARGS --as USER`` in the test home; the password is stdin's first line."""
    return run_main([*args, "--as", user], stdin=factories.PASSWORD + "\n")


def fresh(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` in a fresh process whose user has no Consult home at all."""
    nobody = tmp_path / "nobody"
    nobody.mkdir(exist_ok=True)
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in (paths.HOME_ENV, "CONSULT_DATABASE_URL") and not key.startswith("XDG_")
    }
    environment.update(
        HOME=str(nobody),
        XDG_CONFIG_HOME=str(nobody / ".config"),
        XDG_DATA_HOME=str(nobody / ".local" / "share"),
        XDG_STATE_HOME=str(nobody / ".local" / "state"),
        XDG_CACHE_HOME=str(nobody / ".cache"),
    )
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        capture_output=True,
        text=True,
        env=environment,
        cwd=tmp_path,
        timeout=120,
        check=False,
    )


def test_the_sealed_form_verifies_on_its_own_in_a_fresh_process(
    form: dict[str, Any], home: paths.Dirs, tmp_path: Path
) -> None:
    written = tmp_path / "form.pdf"
    result = as_user("consent", "pdf", "--id", str(form["id"]), "-o", str(written), "--sealed")
    assert result.code == 0, result.stderr
    assert written.read_bytes() == form["signed"]
    assert written.read_bytes().startswith(form["pdf"])
    certificate = tmp_path / "clinic.pem"
    result = run_consult("certificate", "export-public", str(certificate))
    assert result.code == 0, result.stderr
    assert b"PRIVATE KEY" not in certificate.read_bytes()

    # Without a database, without a home: trusting the clinic's exported certificate.
    result = fresh(tmp_path, "verify", str(written), "--trust", str(certificate))
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == f"{written}: {form['number']}"
    assert lines[-1] == "Verified: the clinic signed this form, and it is unchanged since."
    assert f"SHA-256 {form['record_sha256'][:12]}" in result.stdout
    # The record inside the form, recomputed by RFC 8785 and read against the pages.
    assert f"ok      embedded record: consent-{form['number']}.json" in result.stdout
    assert "ok      visible text: the pages show the record's" in result.stdout
    assert result.stderr == ""
    assert [p for p in (tmp_path / "nobody").rglob("*")] == []  # nothing made, no database
    # Trusting nobody, the signer is unknown.
    result = fresh(tmp_path, "verify", str(written))
    assert result.returncode == 1
    assert "valid signature, unknown signer" in result.stdout
    assert result.stdout.splitlines()[-1] == "Not verified: signer"

    # In a home that holds only the clinic's identity: its own certificate is trusted.
    workstation = paths.for_home(tmp_path / "workstation")
    workstation.config.mkdir(parents=True)
    shutil.copy(identity.identity_path(home.config), workstation.config)
    result = fresh(tmp_path, "--home", str(workstation.home), "verify", str(written))
    assert result.returncode == 0, result.stdout + result.stderr
    assert not workstation.data.exists()  # no database was opened


@pytest.mark.parametrize("tamper", ["one byte", "stripped", "another signer"])
def test_a_tampered_form_exits_1_naming_what_failed(
    form: dict[str, Any], tmp_path: Path, tamper: str
) -> None:
    if tamper == "one byte":
        data = bytearray(form["signed"])
        data[len(form["pdf"]) // 2] ^= 0x01
        expected, said = "Not verified: signature", "changed after signing"
    elif tamper == "stripped":
        data = bytearray(form["pdf"])  # the sealed bytes alone: the signature cut off
        expected, said = "Not verified: signature", "not signed"
    else:
        data = bytearray(
            sign_form(
                form["pdf"],
                document_number=form["number"],
                record_sha256=form["record_sha256"],
                identity=support.impostor_identity(),
                signer_name=support.CLINIC,
            ).data
        )
        expected, said = "Not verified: signer", "valid signature, unknown signer"
    target = tmp_path / "tampered.pdf"
    target.write_bytes(bytes(data))
    result = run_consult("verify", str(target))  # in the clinic's home: its own trusted
    assert result.code == 1, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1].startswith(expected)
    assert said in result.stdout
    if tamper == "another signer":
        other = tmp_path / "other.pem"
        other.write_bytes(support.impostor_identity().public_pem())
        trusted = run_consult("verify", str(target), "--trust", str(other))
        assert trusted.code == 0, trusted.stdout


def test_verify_s_file_options_are_checked(tmp_path: Path) -> None:
    result = run_consult("verify", "--trust", str(tmp_path / "x.pem"))
    assert result.code == 2 and "--trust applies to checking one form" in result.stderr
    result = run_consult("verify", str(tmp_path / "missing.pdf"))
    assert result.code == 2 and "missing.pdf" in result.stderr
    not_a_certificate = tmp_path / "x.pem"
    not_a_certificate.write_text("hello", encoding="utf-8")
    form = tmp_path / "form.pdf"
    form.write_bytes(support.sealed_pdf())
    result = run_consult("verify", str(form), "--trust", str(not_a_certificate))
    assert result.code == 2 and "holds no certificate" in result.stderr


def test_the_certificate_commands(form: dict[str, Any], home: paths.Dirs, tmp_path: Path):
    made = identity.load(home.config)
    shown = run_consult("certificate", "show")
    assert shown.code == 0 and f"SHA-256 fingerprint: {made.fingerprint}" in shown.stdout
    assert "itself (self-signed, made by Consult)" in shown.stdout
    # A manager imports the clinic's own certificate, its password in a file.
    own = support.clinic_identity()
    bundle = tmp_path / "clinic.p12"
    bundle.write_bytes(support.pkcs12_file(own, b"pkcs12 secret"))
    password = tmp_path / "password.txt"
    password.write_text("pkcs12 secret\n", encoding="utf-8")
    refused = as_user("certificate", "import", str(bundle), "--password-file", str(password))
    assert refused.code == 2 and "manager" in refused.stderr  # the practitioner may not
    wrong = as_user("certificate", "import", str(bundle), user="boss")
    assert wrong.code == 2 and "password" in wrong.stderr
    result = as_user(
        "certificate", "import", str(bundle), "--password-file", str(password), user="boss"
    )
    assert result.code == 0, result.stderr
    assert own.fingerprint in result.stdout and made.fingerprint in result.stdout
    shown = run_consult("certificate", "show")
    assert own.fingerprint in shown.stdout
    assert "Retired (forms it signed are still the clinic's): " in shown.stdout
    assert made.fingerprint in shown.stdout
    # The form signed before the import is still the clinic's.
    written = tmp_path / "form.pdf"
    written.write_bytes(form["signed"])
    assert run_consult("verify", str(written)).code == 0
    # The timestamp service: a manager's setting, checked, logged.
    bad = as_user("certificate", "timestamp-service", "ftp://tsa.example", user="boss")
    assert bad.code == 2 and "http://" in bad.stderr
    named = as_user("certificate", "timestamp-service", "https://tsa.example/rfc3161", user="boss")
    assert named.code == 0, named.stderr
    said = as_user("certificate", "timestamp-service", user="boss")
    assert "timestamped by https://tsa.example/rfc3161 (PAdES B-T)" in said.stdout
    assert as_user("certificate", "timestamp-service", "--none", user="boss").code == 0
    said = as_user("certificate", "timestamp-service", user="boss")
    assert "No timestamp service" in said.stdout
    db = open_database(home)
    try:
        with db.session() as session:
            events = session.execute(select(AuditEntry.event)).scalars().all()
    finally:
        db.close()
    assert events.count("certificate.imported") == 1 and events.count("settings.changed") == 2


def test_no_certificate_yet(tmp_path: Path) -> None:
    shown = run_consult("certificate", "show")
    assert shown.code == 0 and "No signing certificate yet" in shown.stdout
    result = run_consult("certificate", "export-public", str(tmp_path / "c.pem"))
    assert result.code == 2 and "no signing certificate yet" in result.stderr
