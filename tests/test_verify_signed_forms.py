"""``consult verify`` (the whole database) checks every stored signed form: its hash and
signer against the signing entry, the sealed PDF as its exact prefix, its signature as
``consult verify FILE`` checks it, and the record embedded in it against the record.

Each tampering is made with plain SQL, as the tables' owner could, on SQLite and on
PostgreSQL (the clinic built once per engine by :mod:`tests.tamper_support`), and
``consult verify`` must exit 1 naming the consent and what is wrong.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Connection, text

from consult.proof.signing import sign_form
from tests import proof_support
from tests.tamper_support import (
    Built,
    Clinic,
    Tampering,
    clinic,
    clinic_build,
    pg_template,
    run_consult,
    sqlite_template,
    tamper,
    verify_args,
    verify_finds,
)

__all__ = ["clinic", "clinic_build", "pg_template", "sqlite_template"]  # the fixtures


def _name(built: Built, index: int = 0) -> str:
    record = built.consents[index]
    return f"consent {record.document_number} (record {record.id})"


def _forms(conn: Connection, consent_id: int) -> tuple[bytes, bytes]:
    sealed, signed = conn.execute(
        text("SELECT pdf, signed_pdf FROM consent_record WHERE id = :id"), {"id": consent_id}
    ).one()
    assert signed is not None, "the built clinic signs its forms"
    return bytes(sealed), bytes(signed)


def _store(conn: Connection, consent_id: int, signed: bytes | None) -> None:
    conn.execute(
        text("UPDATE consent_record SET signed_pdf = :signed WHERE id = :id"),
        {"signed": signed, "id": consent_id},
    )


def _one_byte(conn: Connection, built: Built) -> list[str]:
    consent_id = built.consents[0].id
    sealed, signed = _forms(conn, consent_id)
    # A byte of the pages' part of the signed file, after the sealed prefix's header.
    at = len(sealed) // 2
    changed = signed[:at] + bytes([signed[at] ^ 0x01]) + signed[at + 1 :]
    _store(conn, consent_id, changed)
    name = _name(built)
    return [
        f"{name}: its signed PDF differs from the one logged at signing",
        f"{name}: its signed PDF does not start with its sealed PDF",
        f"{name}: its signed PDF fails the signature check: the file was changed after signing",
    ]


def _another_key(conn: Connection, built: Built) -> list[str]:
    consent_id = built.consents[0].id
    sealed, _ = _forms(conn, consent_id)
    # The sealed form signed again, by a key that names the same clinic: a forger's.
    forged = sign_form(
        sealed,
        document_number=built.consents[0].document_number,
        record_sha256=built.consents[0].document_sha256,
        identity=proof_support.impostor_identity(),
        signer_name=proof_support.CLINIC,
    ).data
    _store(conn, consent_id, forged)
    name = _name(built)
    return [
        f"{name}: its signed PDF differs from the one logged at signing",
        f"{name}: its signed PDF is signed with certificate "
        f"{proof_support.impostor_identity().fingerprint}, not with the clinic's certificate "
        "logged at signing",
    ]


def _another_form(conn: Connection, built: Built) -> list[str]:
    _, theirs = _forms(conn, built.consents[1].id)
    _store(conn, built.consents[0].id, theirs)
    name = _name(built)
    return [
        f"{name}: its signed PDF differs from the one logged at signing",
        f"{name}: its signed PDF does not start with its sealed PDF",
        f"{name}: its signed PDF's embedded record has SHA-256 "
        f"{built.consents[1].document_sha256}, not the record's "
        f"{built.consents[0].document_sha256}",
        f"{name}: its signed PDF's signature names document {built.consents[1].document_number}",
    ]


TAMPERING: dict[str, Tampering] = {
    "change one byte of a stored signed form": _one_byte,
    "sign the sealed form again with another key": _another_key,
    "store another consent's signed form": _another_form,
}


@pytest.mark.slow
def test_the_untouched_signed_forms_verify(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = clinic.owner_engine()
    try:
        with engine.connect() as conn:
            signed = conn.execute(
                text("SELECT count(*) FROM consent_record WHERE signed_pdf IS NOT NULL")
            ).scalar_one()
    finally:
        engine.dispose()
    assert signed == 2  # both forms are checked as signed forms
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 0, out + err
    assert "Everything holds" in out and "signed PDF" not in out


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TAMPERING))
def test_a_tampered_signed_form_is_found_and_named(
    clinic: Clinic,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    out = verify_finds(clinic, monkeypatch, capsys, tamper(clinic, TAMPERING[kind]))
    # The other consent's signed form is untouched, and nothing is said of it.
    assert f"{_name(clinic.built, 1)}: its signed PDF" not in out


@pytest.mark.slow
def test_a_signed_form_no_longer_stored_is_a_warning(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # What downgrading the schema below 0007 does to every signed form (and what someone
    # emptying the column would): the consent is still proved by its record and sealed
    # PDF, which verify as before, but the file that proves itself anywhere is gone.
    def remove(conn: Connection, built: Built) -> list[str]:
        _store(conn, built.consents[0].id, None)
        return []

    tamper(clinic, remove)
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 0, out + err
    assert (
        f"Warning: {_name(clinic.built)}: its signed PDF, logged at signing, is no longer "
        "stored; its sealed PDF still holds, but only the database vouches for it now"
    ) in out
