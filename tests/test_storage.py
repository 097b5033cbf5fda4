"""Storage on SQLite and PostgreSQL: migrations, locking, the audit chain, the home lock."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from consult import paths
from consult.store import audit, migrate, schema
from consult.store.database import Database, open_database
from consult.store.errors import ConflictError, DatabaseInUseError, DatabaseVersionError
from consult.store.models import AuditEntry, Patient, User
from consult.store.services import patients as patient_service
from consult.store.services import users as user_service
from consult.store.services.context import ServiceContext
from tests import factories


def _table_counts(db: Database) -> dict[str, int]:
    counts = {}
    with db.engine.connect() as conn:
        for table in ("clinic", "app_user", "patient", "patient_name_token", "audit_entry"):
            counts[table] = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    return counts


def test_upgrade_from_empty_then_down_and_up_again(empty_db: Database) -> None:
    assert migrate.schema_state(empty_db) is migrate.SchemaState.EMPTY
    migrate.upgrade(empty_db)
    assert migrate.schema_state(empty_db) is migrate.SchemaState.CURRENT
    migrate.downgrade(empty_db, "base")
    assert migrate.schema_state(empty_db) is migrate.SchemaState.EMPTY
    migrate.upgrade(empty_db)
    assert migrate.current_revision(empty_db) == migrate.head_revision()


def test_an_old_database_keeps_every_row_when_upgraded(empty_db: Database) -> None:
    migrate.upgrade(empty_db, "0001")
    ctx = ServiceContext(empty_db)
    # Rows written through SQL of the old schema (the new columns do not exist yet).
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, roles, qualification, "
                "password_hash, must_change_password, active, failed_attempts, version, "
                "created_at, updated_at) VALUES (1, 'old', 'Old User', 'manager', NULL, 'x', "
                "false, true, 0, 1, :now, :now)"
            ),
            {"now": dt.datetime.now(dt.UTC)},
        )
        conn.execute(
            text(
                "INSERT INTO patient (id, given_name, family_name, date_of_birth, sex_at_birth, "
                "phone, email, address, search_name, phone_digits, version, created_at, "
                "updated_at) VALUES (7, 'Zoë', 'Lefèvre', '1990-04-02', 'female', '', '', '', "
                "'lefevre zoe', '', 3, :now, :now)"
            ),
            {"now": dt.datetime.now(dt.UTC)},
        )
        conn.execute(text("INSERT INTO patient_name_token VALUES (7, 'zoe'), (7, 'lefevre')"))
    before = _table_counts(empty_db)
    migrate.upgrade(empty_db)
    assert _table_counts(empty_db) == before
    with ctx.unit_of_work() as session:
        user = session.execute(select(User)).scalar_one()
        patient = session.get(Patient, 7)
        assert user.username == "old" and user.last_signin_at is None
        assert patient is not None and patient.given_name == "Zoë" and patient.version == 3
    with empty_db.engine.connect() as conn:
        tokens = conn.execute(
            text("SELECT token, search_name, date_of_birth FROM patient_name_token ORDER BY token")
        ).all()
    # Migration 0005 filled the search key of the tokens written before it.
    assert [(t, n, str(d)) for t, n, d in tokens] == [
        ("lefevre", "lefevre zoe", "1990-04-02"),
        ("zoe", "lefevre zoe", "1990-04-02"),
    ]


def test_upgrade_stores_phone_numbers_in_e164_where_they_can_be_read(empty_db: Database) -> None:
    migrate.upgrade(empty_db, "0005")
    now = dt.datetime.now(dt.UTC)
    typed = {
        7: "07700 900123",  # national form, read in the clinic's country (GB)
        8: "+44 7505 605832",
        9: "+1 (201) 555-0123",
        10: "0044 20 7946 0000",
        11: "12",  # not a number: left as it was typed
        12: "",
    }
    with empty_db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO clinic (name, address, jurisdiction, settings, version, "
                "created_at, updated_at) VALUES ('Kept', '', 'GB', '{}', 1, :t, :t)"
            ),
            {"t": now},
        )
        conn.execute(
            text(
                "INSERT INTO app_user (id, username, display_name, roles, qualification, "
                "password_hash, must_change_password, active, failed_attempts, version, "
                "created_at, updated_at) VALUES (1, 'desk', 'Desk', 'reception', NULL, 'x', "
                "false, true, 0, 1, :now, :now)"
            ),
            {"now": now},
        )
        for patient_id, phone in typed.items():
            conn.execute(
                text(
                    "INSERT INTO patient (id, given_name, family_name, date_of_birth, "
                    "sex_at_birth, phone, email, address, search_name, phone_digits, version, "
                    "created_at, updated_at) VALUES (:id, 'Ann', :family, '1990-04-02', "
                    "'female', :phone, '', '', :search, :digits, 3, :now, :now)"
                ),
                {
                    "id": patient_id,
                    "family": f"P{'x' * patient_id}",
                    "phone": phone,
                    "search": f"p{'x' * patient_id} ann",
                    "digits": "".join(ch for ch in phone if ch.isdigit()),
                    "now": now,
                },
            )
    migrate.upgrade(empty_db)
    with empty_db.engine.connect() as conn:
        stored = {
            row.id: (row.phone, row.phone_digits, row.version)
            for row in conn.execute(text("SELECT id, phone, phone_digits, version FROM patient"))
        }
    assert stored == {
        7: ("+447700900123", "447700900123", 3),
        8: ("+447505605832", "447505605832", 3),
        9: ("+12015550123", "12015550123", 3),
        10: ("+442079460000", "442079460000", 3),
        11: ("12", "12", 3),
        12: ("", "", 3),
    }
    with empty_db.session() as session:
        desk = ServiceContext(empty_db).signed_in(user_service.user_info(session.get(User, 1)))

    def found(query: str) -> list[int]:
        return [p.id for p in patient_service.search(desk, query)]

    assert found("07505 605832") == found("7505605832") == found("+447505605832") == [8]
    assert found("+44 7700 900123") == found("07700 900 123") == [7]
    assert found("020 7946") == [10]


def test_embedded_database_older_than_the_code_is_backed_up_then_upgraded(
    home: paths.Dirs,
) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db, "0001")
        with db.engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO clinic (name, address, jurisdiction, settings, version, "
                    "created_at, updated_at) VALUES ('Kept', '', 'GB', '{}', 1, :t, :t)"
                ),
                {"t": dt.datetime.now(dt.UTC)},
            )
        assert schema.prepare(db, home.backups) is migrate.SchemaState.OLDER
        assert migrate.schema_state(db) is migrate.SchemaState.CURRENT
    finally:
        db.close()
    backups = list(home.backups.glob("before-upgrade-0001-*.sqlite3"))
    assert len(backups) == 1
    with sqlite3.connect(backups[0]) as copy:
        assert copy.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert copy.execute("SELECT name FROM clinic").fetchall() == [("Kept",)]


def test_a_database_newer_than_the_code_is_refused_and_left_untouched(db: Database) -> None:
    with db.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    with pytest.raises(DatabaseVersionError, match="newer version of Consult"):
        schema.prepare(db, db.sqlite_path.parent if db.sqlite_path else paths.resolve().backups)
    assert migrate.current_revision(db) == "9999_future"


def test_postgresql_is_never_migrated_by_the_app(home: paths.Dirs, pg_schema_url: str) -> None:
    db = open_database(home, pg_schema_url)
    try:
        migrate.upgrade(db, "0001")
        with pytest.raises(DatabaseVersionError, match="consult db upgrade"):
            schema.prepare(db, home.backups)
        assert migrate.current_revision(db) == "0001"
    finally:
        db.close()


def test_sqlite_settings(sqlite_db: Database) -> None:
    with sqlite_db.engine.connect() as conn:
        pragma = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar_one()
            for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout", "mmap_size")
        }
    assert pragma == {
        "journal_mode": "wal",
        "synchronous": 2,
        "foreign_keys": 1,
        "busy_timeout": 10_000,
        "mmap_size": 0,
    }
    assert sqlite_db.engine.pool.size() == 1  # type: ignore[attr-defined]


def test_a_second_process_on_the_same_home_is_refused(
    sqlite_db: Database, home: paths.Dirs
) -> None:
    with pytest.raises(DatabaseInUseError, match="already running"):
        open_database(home)


def test_the_home_lock_is_let_go_when_the_database_closes(home: paths.Dirs) -> None:
    first = open_database(home)
    assert first.lock is not None and first.lock.is_locked
    assert home.lock_file.read_text(encoding="utf-8").startswith(f"process {os.getpid()} on ")
    first.close()
    first.close()  # twice is harmless
    second = open_database(home)
    second.close()


# Holds a home's database open in a process of its own until told to stop, then ends
# without closing anything: the system lets go of the lock, as after a crash.
_HOLDER = """
import os, sys
from pathlib import Path
from consult import paths
from consult.store.database import open_database
db = open_database(paths.for_home(Path(sys.argv[1])))
print("holding", os.getpid(), flush=True)
sys.stdin.readline()
os._exit(0)
"""


def _consult(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="the subprocess script is POSIX-only")
def test_a_second_process_is_refused_until_the_first_one_ends(home: paths.Dirs) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(home.home)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdin is not None
        word, pid = holder.stdout.readline().split()
        assert word == "holding"
        # Another process (the consult command) is refused, and told who holds the home.
        refused = _consult("db", "upgrade")
        assert refused.returncode == 2
        assert "Consult is already running with this database" in refused.stderr
        assert f"process {pid} on " in refused.stderr
        # So is this one.
        with pytest.raises(DatabaseInUseError, match=f"process {pid} on "):
            open_database(home)
        holder.stdin.write("\n")
        holder.stdin.flush()
        assert holder.wait(timeout=60) == 0
    finally:
        if holder.poll() is None:
            holder.kill()
            holder.wait()
        for stream in (holder.stdin, holder.stdout):
            if stream is not None:
                stream.close()
    # The first process ended without letting go: the system did, and a new one gets it.
    taken = _consult("db", "upgrade")
    assert taken.returncode == 0, taken.stderr
    db = open_database(home)
    db.close()


def test_two_workstations_editing_one_patient_conflict(ctx: ServiceContext) -> None:
    staff = factories.staff(ctx)
    alice = ctx.signed_in(staff["practitioner"])
    bob = ctx.signed_in(staff["reception"])
    patient = patient_service.register(alice, factories.draft())
    # Both read version 1; Alice saves first.
    saved = patient_service.update(
        alice, patient.id, patient.version, factories.draft(phone="+44 7700 900999")
    )
    with pytest.raises(ConflictError, match="Someone else saved"):
        patient_service.update(
            bob, patient.id, patient.version, factories.draft(email="bob@example.org")
        )
    kept = patient_service.get(alice, patient.id)
    assert kept.phone == "+447700900999"  # stored in E.164
    assert kept.email == "zoe@example.org"
    assert kept.version == saved.version == 2


def test_a_race_between_check_and_write_is_caught_by_the_version_column(
    home: paths.Dirs, pg_schema_url: str
) -> None:
    # Only a server has two connections in one process: the embedded database serialises
    # every unit of work on its single connection, so this race cannot happen there.
    database = open_database(home, pg_schema_url)
    migrate.upgrade(database)
    ctx = ServiceContext(database)
    staff = factories.staff(ctx)
    user = ctx.signed_in(staff["practitioner"])
    patient = patient_service.register(user, factories.draft())
    with ctx.unit_of_work() as first:
        row = first.get(Patient, patient.id)
        assert row is not None
        row.phone = "+44 1"
        # Another workstation commits in between.
        patient_service.update(user, patient.id, 1, factories.draft(phone="+44 7700 111111"))
        with pytest.raises(Exception, match="expected to update 1 row"):
            first.flush()
        first.rollback()
    assert patient_service.get(user, patient.id).phone == "+447700111111"
    database.close()


def test_audit_chain_holds_and_detects_an_edit(ctx: ServiceContext) -> None:
    with ctx.unit_of_work() as session:
        for index in range(5):
            audit.append(session, audit.SYSTEM_ACTOR, "test.event", details={"n": index})
    with ctx.unit_of_work() as session:
        assert list(audit.iter_chain_problems(session)) == []
    if ctx.db.is_sqlite:
        with ctx.db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entry SET details = '{\"n\": 99}' WHERE id = 3"))
        with ctx.unit_of_work() as session:
            problems = list(audit.iter_chain_problems(session))
        assert [p.entry_id for p in problems] == [3]
    else:
        with pytest.raises(DBAPIError, match="append-only"), ctx.db.engine.begin() as conn:
            conn.execute(text("UPDATE audit_entry SET event = 'x' WHERE id = 3"))
        with pytest.raises(DBAPIError, match="append-only"), ctx.db.engine.begin() as conn:
            conn.execute(text("DELETE FROM audit_entry"))


def _append_many(db: Database, thread: int, count: int, errors: list[BaseException]) -> None:
    actor = audit.Actor(None, f"thread{thread}", f"workstation-{thread}")
    try:
        for index in range(count):
            with db.session() as session:
                audit.append(session, actor, "test.concurrent", details={"i": index})
    except BaseException as exc:  # reported by the test
        errors.append(exc)


@pytest.mark.slow
def test_concurrent_appends_form_one_chain(db: Database) -> None:
    threads_n, per_thread = 4, 250
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=_append_many, args=(db, n, per_thread, errors))
        for n in range(threads_n)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with db.session() as session:
        events = list(session.execute(select(AuditEntry.event).order_by(AuditEntry.id)).scalars())
        assert events == [audit.CHAIN_STARTED] + ["test.concurrent"] * 1000
        assert list(audit.iter_chain_problems(session)) == []
        # Every entry follows a different one: no fork in the chain.
        assert len(set(session.execute(select(AuditEntry.prev_hash)).scalars())) == 1001
