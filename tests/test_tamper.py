"""Tampering with plain SQL, as someone with the database's password could: every kind
of change is found by ``integrity.verify`` and by ``consult verify``, naming the record.

On PostgreSQL the server's trigger refuses UPDATE and DELETE of audit entries; the
attacker here is the tables' owner, who can switch the trigger off first.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from consult import paths
from consult.store import integrity
from consult.store.database import Database
from consult.store.services import patients as patient_service
from consult.store.services.consents import ConsentInfo
from consult.store.services.context import ServiceContext
from tests import security_support
from tests.test_cli import consult

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


@dataclass
class Built:
    """The clinic as built: two signed forms, and the audit log's head."""

    consents: list[ConsentInfo]
    head: int
    target: int  # an audit entry in the middle of the log


def build(ctx: ServiceContext) -> Built:
    clinic = security_support.contexts(ctx)
    _, _, first = security_support.signed_consent(clinic, given="Zoë", family="Lefèvre")
    patient, _, second = security_support.signed_consent(clinic, given="Ana", family="Silva")
    for _ in range(3):
        patient_service.get(clinic["reception"], patient.id)
    with ctx.unit_of_work() as session:
        head = int(session.execute(text("SELECT max(id) FROM audit_entry")).scalar_one())
    return Built([first, second], head, head - 3)


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


def _edit(conn: Connection, built: Built) -> list[str]:
    conn.execute(
        text("UPDATE audit_entry SET username = 'mallory' WHERE id = :id"), {"id": built.target}
    )
    return [f"audit entry {built.target}: its content does not match its hash"]


def _delete(conn: Connection, built: Built) -> list[str]:
    conn.execute(text("DELETE FROM audit_entry WHERE id = :id"), {"id": built.target})
    return [f"audit entry {built.target + 1}: does not follow the entry before it"]


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
    conn.execute(text("DELETE FROM audit_entry WHERE id > :keep"), {"keep": built.target})
    return [f"audit entry {built.head} (checkpointed"]


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
    name = f"consent {record.document_number} (record {record.id})"
    return [f"{name}: its sealed JSON does not match its hash"]


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
    return [
        f"consent {record.document_number} (record {record.id}): PDF differs from the one "
        "logged at signing"
        for record in (first, second)
    ]


def _unvoid(conn: Connection, built: Built) -> list[str]:
    record = built.consents[0]
    conn.execute(
        text(
            "INSERT INTO consent_event (consent_id, kind, reason, user_id, at) "
            "SELECT :id, 'voided', 'wrong patient', practitioner_id, signed_at "
            "FROM consent_record WHERE id = :id"
        ),
        {"id": record.id},
    )
    # The events say voided, but the register is made to show it as signed.
    name = f"consent {record.document_number} (record {record.id})"
    return [f"{name}: shown as signed, but its events say voided"]


TAMPERING: dict[str, Callable[[Connection, Built], list[str]]] = {
    "register state differs from the events": _unvoid,
    "edit an entry": _edit,
    "delete an entry": _delete,
    "reorder two entries": _reorder,
    "insert an entry": _insert,
    "cut off the tail": _cut_tail,
    "change a byte of a sealed record": _change_sealed_json,
    "swap two patients' PDFs": _swap_pdfs,
}


def _as_owner(db: Database) -> None:
    """On PostgreSQL: the trigger refuses the change; the tables' owner switches it off."""
    if db.is_sqlite:
        return
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET username = 'mallory'"))
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = 1"))
    with db.engine.begin() as conn:
        conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only"))


def _verify(db: Database, folder) -> integrity.IntegrityReport:
    with db.session() as session:
        return integrity.verify(session, folder)


@pytest.mark.slow
@pytest.mark.parametrize("kind", list(TAMPERING))
def test_tampering_is_found_and_named(
    db: Database, ctx: ServiceContext, home: paths.Dirs, kind: str
) -> None:
    built = build(ctx)
    with db.session() as session:
        integrity.write_checkpoint(session, home.backups)
    assert _verify(db, home.backups).ok
    _as_owner(db)
    with db.engine.begin() as conn:
        expected = TAMPERING[kind](conn, built)
    report = _verify(db, home.backups)
    assert not report.ok
    for fragment in expected:
        assert any(fragment in problem for problem in report.problems), (fragment, report.problems)
    if db.is_sqlite:
        db.close()  # the command opens the home itself
        result = consult("verify")
        assert result.returncode == 1, result.stderr
        for fragment in expected:
            assert fragment in result.stdout, result.stdout


@pytest.mark.slow
def test_consult_verify_passes_an_untouched_database(sqlite_db: Database, home) -> None:
    build(ServiceContext(sqlite_db))
    with sqlite_db.session() as session:
        integrity.write_checkpoint(session, home.backups)
        head = session.execute(text("SELECT id, hash FROM audit_entry ORDER BY id DESC")).first()
    sqlite_db.close()
    result = consult("verify")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Everything holds" in result.stdout
    assert f"head: entry {head[0]}, hash {head[1]}" in result.stdout
    assert "Sealed consent records: 2" in result.stdout
