"""Tampering with plain SQL, as someone with the database file or the tables' owner could:
every kind of change makes ``consult verify`` exit 1 and name what was changed.

Each kind runs on SQLite and on PostgreSQL. The clinic is built once per engine (two
signed forms, one voided, a print, a hand-over, a second lot) and copied for each test.
On PostgreSQL the clinic is used through the workstations' login, which owns nothing;
the attacker here is the tables' owner, who switches the append-only trigger off for
the change and on again.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest
from sqlalchemy import Connection, text, update

from consult import paths
from consult.store.models import ConsentRecord
from tests.tamper_support import (
    Built,
    Clinic,
    Tampering,
    clinic,
    clinic_build,
    copy_home,
    pg_template,
    run_consult,
    sqlite_template,
    tamper,
    verify_args,
    verify_finds,
)

__all__ = ["clinic", "clinic_build", "pg_template", "sqlite_template"]  # the fixtures

TRIGGER = "audit_entry_append_only"
AUDIT_COLUMNS = [
    "at",
    "user_id",
    "username",
    "workstation",
    "event",
    "record_type",
    "record_id",
    "patient_id",
    "details",
    "prev_hash",
    "hash",
]


def _name(built: Built, index: int) -> str:
    record = built.consents[index]
    return f"consent {record.document_number} (record {record.id})"


# --- the audit log ----------------------------------------------------------------------------


def _edit(conn: Connection, built: Built) -> list[str]:
    conn.execute(
        text("UPDATE audit_entry SET username = 'mallory' WHERE id = :id"), {"id": built.target}
    )
    return [f"audit entry {built.target}: its content does not match its hash"]


def _delete(conn: Connection, built: Built) -> list[str]:
    conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": built.target})
    return [f"audit entry {built.target + 1}: does not follow the entry before it"]


def _delete_first(conn: Connection, built: Built) -> list[str]:
    conn.execute(text("DELETE FROM audit_entry WHERE id = 1"))
    return [
        "audit entry 2: the start of the chain is missing (entry 1 missing / chain starts at 2)"
    ]


def _swap_audit_entries(conn: Connection, a: int, b: int) -> None:
    conn.execute(text("CREATE TEMP TABLE swap_src AS SELECT * FROM audit_entry"))
    conn.execute(
        text("UPDATE audit_entry SET hash = 'tmp' || id WHERE id IN (:a, :b)"), {"a": a, "b": b}
    )
    assignments = ", ".join(
        f"{column} = (SELECT s.{column} FROM swap_src s WHERE s.id = "
        f"CASE WHEN audit_entry.id = :a THEN :b ELSE :a END)"
        for column in AUDIT_COLUMNS
    )
    conn.execute(
        text(f"UPDATE audit_entry SET {assignments} WHERE id IN (:a, :b)"), {"a": a, "b": b}
    )
    conn.execute(text("DROP TABLE swap_src"))


def _reorder(conn: Connection, built: Built) -> list[str]:
    _swap_audit_entries(conn, built.target, built.target + 1)
    return [f"audit entry {built.target}: does not follow the entry before it"]


def _insert(conn: Connection, built: Built) -> list[str]:
    # A plausible entry (a copy of the head, by someone else), with a made-up hash: the
    # attacker does not have the audit key.
    conn.execute(
        text(
            "INSERT INTO audit_entry (id, at, user_id, username, workstation, event, "
            "record_type, record_id, patient_id, details, prev_hash, hash) "
            "SELECT id + 1, at, user_id, 'mallory', workstation, event, record_type, "
            "record_id, patient_id, details, hash, :forged FROM audit_entry WHERE id = :head"
        ),
        {"head": built.head, "forged": "f" * 64},
    )
    return [f"audit entry {built.head + 1}: its content does not match its hash"]


def _cut_tail(conn: Connection, built: Built) -> list[str]:
    # Everything after an entry in the middle, so the chain that is left still holds:
    # only the heads seen (the checkpoint at the last close) tell.
    conn.execute(text("DELETE FROM audit_entry WHERE id > :keep"), {"keep": built.target})
    return [f"audit entry {built.head} (checkpointed", "the log has been cut back"]


# --- sealed records and the register ------------------------------------------------------------


def _change_sealed_json(conn: Connection, built: Built) -> list[str]:
    record = built.consents[0]
    document = conn.execute(
        text("SELECT document_json FROM consent_record WHERE id = :id"), {"id": record.id}
    ).scalar_one()
    changed = document.replace("900123", "900124", 1)
    assert len(changed.encode()) == len(document.encode()) and changed != document
    conn.execute(
        text("UPDATE consent_record SET document_json = :doc WHERE id = :id"),
        {"doc": changed, "id": record.id},
    )
    return [f"{_name(built, 0)}: its sealed JSON does not match its hash"]


def _swap_pdfs(conn: Connection, built: Built) -> list[str]:
    first, second = built.consents
    rows = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            text("SELECT id, pdf, pdf_sha256 FROM consent_record WHERE id IN (:a, :b)"),
            {"a": first.id, "b": second.id},
        )
    }
    for mine, theirs in ((first, second), (second, first)):
        pdf, digest = rows[theirs.id]
        conn.execute(
            text("UPDATE consent_record SET pdf = :pdf, pdf_sha256 = :digest WHERE id = :id"),
            {"pdf": bytes(pdf), "digest": digest, "id": mine.id},
        )
    return [f"{_name(built, i)}: PDF differs from the one logged at signing" for i in (0, 1)]


def _delete_record(conn: Connection, built: Built) -> list[str]:
    record = built.consents[0]
    for table in ("consent_event", "treatment_record"):
        conn.execute(text(f"DELETE FROM {table} WHERE consent_id = :id"), {"id": record.id})
    conn.execute(text("DELETE FROM consent_record WHERE id = :id"), {"id": record.id})
    return [f"{_name(built, 0)}: signed (audit entry", "but the record is gone (deleted)"]


def _undo_void(conn: Connection, built: Built) -> list[str]:
    record = built.consents[1]
    conn.execute(
        text("DELETE FROM consent_event WHERE consent_id = :id AND kind = 'voided'"),
        {"id": record.id},
    )
    conn.execute(
        text("UPDATE consent_record SET state = 'signed' WHERE id = :id"), {"id": record.id}
    )
    return [
        f"{_name(built, 1)}: the audit log records it voided (1 event(s)), but the event is gone",
        f"{_name(built, 1)}: shown as signed, but its audited events say voided",
    ]


def _forged_event(conn: Connection, record_id: int, kind: str) -> None:
    conn.execute(
        text(
            "INSERT INTO consent_event (consent_id, kind, reason, user_id, at) "
            "SELECT :id, :kind, 'the patient asked by phone', practitioner_id, signed_at "
            "FROM consent_record WHERE id = :id"
        ),
        {"id": record_id, "kind": kind},
    )


def _forge_withdrawal(conn: Connection, built: Built) -> list[str]:
    record = built.consents[0]
    _forged_event(conn, record.id, "withdrawn")
    conn.execute(
        text("UPDATE consent_record SET state = 'withdrawn' WHERE id = :id"), {"id": record.id}
    )
    return [
        f"{_name(built, 0)}: 1 'withdrawn' event(s) that the audit log does not record",
        f"{_name(built, 0)}: shown as withdrawn, but its audited events say signed",
    ]


def _forge_void_event(conn: Connection, built: Built) -> list[str]:
    # The event alone: the register still shows the form as signed.
    _forged_event(conn, built.consents[0].id, "voided")
    return [f"{_name(built, 0)}: 1 'voided' event(s) that the audit log does not record"]


def _change_outcome(conn: Connection, built: Built) -> list[str]:
    conn.execute(
        text(
            "UPDATE consent_record SET outcome = "
            "CASE WHEN outcome = 'clear' THEN 'caution' ELSE 'clear' END WHERE id = :id"
        ),
        {"id": built.consents[0].id},
    )
    return [f"{_name(built, 0)}: the register's outcome"]


def _change_practitioner(conn: Connection, built: Built) -> list[str]:
    conn.execute(
        text("UPDATE consent_record SET practitioner_id = :user WHERE id = :id"),
        {"user": built.users["manager"], "id": built.consents[0].id},
    )
    return [f"{_name(built, 0)}: the register's practitioner (user {built.users['manager']})"]


def _change_date(conn: Connection, built: Built) -> list[str]:
    record = built.consents[0]
    conn.execute(
        update(ConsentRecord)
        .where(ConsentRecord.id == record.id)
        .values(signed_at=record.signed_at - dt.timedelta(days=3))
    )
    return [f"{_name(built, 0)}: the register's date signed"]


def _change_treatment(conn: Connection, built: Built) -> list[str]:
    conn.execute(
        text("UPDATE consent_record SET treatment_id = 'botulinum_toxin' WHERE id = :id"),
        {"id": built.consents[0].id},
    )
    return [f"{_name(built, 0)}: the register's treatment (botulinum_toxin)"]


def _change_lot(conn: Connection, built: Built) -> list[str]:
    conn.execute(
        text("UPDATE treatment_record SET lot_id = :lot WHERE consent_id = :id"),
        {"lot": built.other_lot, "id": built.consents[0].id},
    )
    return [f"{_name(built, 0)}: its treatment record gives lot LOT-OTHER"]


def _escalate_role(conn: Connection, built: Built) -> list[str]:
    desk = built.users["reception"]
    conn.execute(
        text("UPDATE app_user SET roles = 'manager reception' WHERE id = :id"), {"id": desk}
    )
    return [f"user desk (id {desk}): has the roles manager reception, but the last audited"]


def _practitioner_qualified_as_doctor(conn: Connection, built: Built) -> list[str]:
    # An aesthetician made a doctor in the database passes every qualification rule.
    doctor = built.users["practitioner"]
    conn.execute(
        text("UPDATE app_user SET qualification = 'dentist' WHERE id = :id"), {"id": doctor}
    )
    return [f"(id {doctor}): has the qualification dentist, but the last audited"]


def _known_password_hash(conn: Connection, built: Built) -> list[str]:
    # A hash of a password the attacker knows, written over the manager's.
    from consult.store.passwords import hash_password

    manager = built.users["manager"]
    conn.execute(
        text("UPDATE app_user SET password_hash = :hash WHERE id = :id"),
        {"hash": hash_password("Attacker-Knows-This-1"), "id": manager},
    )
    return [f"(id {manager}): the stored password is not the one last set through Consult"]


TAMPERING: dict[str, Tampering] = {
    "edit an entry": _edit,
    "delete an entry": _delete,
    "delete the first entry": _delete_first,
    "reorder two entries": _reorder,
    "insert an entry": _insert,
    "cut the tail after the last checkpoint": _cut_tail,
    "change a byte of a sealed record": _change_sealed_json,
    "swap two patients' PDFs with their hashes": _swap_pdfs,
    "delete a consent record": _delete_record,
    "undo a void": _undo_void,
    "forge a withdrawal": _forge_withdrawal,
    "add a void event only": _forge_void_event,
    "change an outcome": _change_outcome,
    "change the practitioner": _change_practitioner,
    "change the date signed": _change_date,
    "change the treatment": _change_treatment,
    "change a treatment record's lot": _change_lot,
    "give reception the manager role": _escalate_role,
    "change a practitioner's qualification": _practitioner_qualified_as_doctor,
    "write a known password hash over a manager's": _known_password_hash,
}


@pytest.mark.slow
def test_the_untouched_clinic_verifies(
    clinic: Clinic, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_consult(monkeypatch, capsys, *verify_args(clinic))
    assert code == 0, out + err
    assert "Everything holds" in out
    assert "Warning" not in out  # on PostgreSQL the workstations' login owns nothing
    assert "Sealed consent records: 2" in out
    engine = clinic.owner_engine()
    try:
        with engine.connect() as conn:
            head = conn.execute(text("SELECT id, hash FROM audit_entry ORDER BY id DESC")).first()
    finally:
        engine.dispose()
    assert head is not None
    assert f"head: entry {head[0]}, hash {head[1]}" in out


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TAMPERING))
def test_tampering_is_found_and_named(
    clinic: Clinic,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    verify_finds(clinic, monkeypatch, capsys, tamper(clinic, TAMPERING[kind], audit_log=True))


def _corrupt_an_index(path: str) -> None:
    """Overwrite the page header of an index no query of ``verify`` reads: the tables
    still answer, but SQLite's own quick_check fails."""
    conn = sqlite3.connect(path)
    try:
        root = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'ix_patient_dob'"
        ).fetchone()[0]
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    finally:
        conn.close()
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\x0d\xff\xff\xff\xff")


@pytest.mark.slow
def test_a_database_whose_quick_check_fails_does_not_verify(
    sqlite_template: Clinic,
    home: paths.Dirs,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert home.home is not None
    copy_home(sqlite_template.home, home.home)
    _corrupt_an_index(str(home.database_file))
    code, out, err = run_consult(monkeypatch, capsys, "verify")
    assert code == 1, out + err
    assert "SQLite's quick_check fails" in out
