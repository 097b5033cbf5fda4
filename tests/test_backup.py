"""Backups of the embedded database: consistent under load, checked, rotated, restored."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from consult import paths
from consult.store import backup, integrity, migrate, schema
from consult.store.backup import BackupFile
from consult.store.database import Database, open_database
from consult.store.models import Consultation, Patient
from consult.store.services import consultations
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import knowledge
from tests import factories, security_support, tamper_support
from tests.test_cli import consult


def _verify(db: Database, folder) -> integrity.IntegrityReport:
    with db.session() as session:
        return integrity.verify(session, folder)


@pytest.mark.slow
def test_a_backup_taken_while_a_consultation_is_saved_restores_and_verifies(
    sqlite_db: Database, home: paths.Dirs
) -> None:
    clinic = security_support.contexts(ServiceContext(sqlite_db))
    security_support.signed_consent(clinic)
    doc = clinic["practitioner"]
    patient = patient_service.register(doc, factories.draft("Ana", "Silva"))
    info = consultations.start(doc, patient.id)
    kb = knowledge()
    stop = threading.Event()
    saves: list[int] = []
    errors: list[BaseException] = []

    def keep_saving() -> None:
        current = info
        try:
            while not stop.is_set():
                answers = factories.no_answers(
                    anticoagulants=["warfarin"] if len(saves) % 2 else []
                )
                current = consultations.save(doc, current.id, current.version, kb, answers=answers)
                saves.append(current.version)
                stop.wait(0.002)  # a wizard saves a few times a second at most
        except BaseException as exc:  # reported below
            errors.append(exc)

    saver = threading.Thread(target=keep_saving)
    saver.start()
    try:
        while len(saves) < 5 and saver.is_alive():
            stop.wait(0.01)
        taken = backup.take(sqlite_db, home.backups, "manual")
        during = len(saves)
        while len(saves) < during + 5 and saver.is_alive():
            stop.wait(0.01)
    finally:
        stop.set()
        saver.join()
    assert errors == []
    assert backup.check_file(taken.path, sqlite_db.audit_key) == []
    assert _verify(sqlite_db, home.backups).ok
    backup.restore(sqlite_db, taken.path, home.backups)
    report = _verify(sqlite_db, home.backups)
    assert report.ok, report.problems
    with sqlite_db.session() as session:
        version = session.execute(
            select(Consultation.version).where(Consultation.id == info.id)
        ).scalar_one()
        events = session.execute(text("SELECT event FROM audit_entry ORDER BY id")).scalars().all()
    # The copy is the database as it was at one moment, between two saves.
    assert 1 < version < saves[-1]
    assert events[-1] == "backup.restored"


def test_a_corrupted_backup_is_refused_by_restore(sqlite_db: Database, home: paths.Dirs) -> None:
    ctx = ServiceContext(sqlite_db)
    staff = factories.staff(ctx)
    taken = backup.take(sqlite_db, home.backups)
    patient_service.register(ctx.signed_in(staff["reception"]), factories.draft())
    data = bytearray(taken.path.read_bytes())
    # A copy of the backup (same name, say on a USB stick) with damage in the middle:
    # its SHA-256 no longer matches the one recorded when it was taken.
    broken = (home.home or home.data) / "usb" / taken.path.name
    broken.parent.mkdir()
    middle = len(data) // 2
    data[middle : middle + 64] = b"\xff" * 64
    broken.write_bytes(bytes(data))
    truncated = home.backups / "truncated.sqlite3"
    truncated.write_bytes(taken.path.read_bytes()[:4096])
    not_a_db = home.backups / "notes.sqlite3"
    not_a_db.write_text("not a database", encoding="utf-8")
    for source in (broken, truncated, not_a_db, home.backups / "missing.sqlite3"):
        with pytest.raises(backup.BackupError, match="cannot be restored"):
            backup.restore(sqlite_db, source, home.backups)
    with sqlite_db.session() as session:
        assert session.execute(select(func.count()).select_from(Patient)).scalar_one() == 1


def test_a_backup_whose_audit_log_was_edited_is_refused(
    sqlite_db: Database, home: paths.Dirs
) -> None:
    factories.staff(ServiceContext(sqlite_db))
    taken = backup.take(sqlite_db, home.backups)
    import sqlite3

    with sqlite3.connect(taken.path) as conn:
        conn.execute("UPDATE audit_entry SET username = 'mallory' WHERE id = 2")
    conn.close()
    # Its manifest no longer vouches for it; re-sealed, its own chain still fails.
    with pytest.raises(backup.BackupError, match="has changed since it was taken"):
        backup.restore(sqlite_db, taken.path, home.backups)
    backup.write_manifest(taken.path, sqlite_db.audit_key)
    with pytest.raises(backup.BackupError, match="audit entry 2"):
        backup.restore(sqlite_db, taken.path, home.backups)


def _expected_kept(times: list[dt.datetime]) -> set[dt.datetime]:
    per_day: dict[dt.date, dt.datetime] = {}
    per_month: dict[tuple[int, int], dt.datetime] = {}
    for moment in sorted(times):
        per_day[moment.date()] = moment
        per_month[(moment.year, moment.month)] = moment
    days = sorted(per_day)[-14:]
    months = sorted(per_month)[-12:]
    return {per_day[d] for d in days} | {per_month[m] for m in months}


@pytest.mark.slow
def test_rotation_keeps_14_daily_and_12_monthly(sqlite_db: Database, home: paths.Dirs) -> None:
    factories.set_up_clinic(ServiceContext(sqlite_db))
    start = dt.datetime(2025, 1, 3, 9, 0, tzinfo=dt.UTC)
    # Every 9 days for 16 months, then twice a day for the last 20 days.
    times = [start + dt.timedelta(days=9 * n) for n in range(54)]
    last = times[-1]
    times += [last + dt.timedelta(days=d, hours=h) for d in range(1, 21) for h in (0, 8)]
    folder = home.backups / "rotation"
    for moment in times:
        backup.take(sqlite_db, folder, "daily", now=moment)
    kept = {b.taken for b in backup.list_backups(folder)}
    expected = _expected_kept(times)
    assert kept == expected
    assert len({t.date() for t in kept}) >= 14
    assert len({(t.year, t.month) for t in kept}) == 12
    # Every day of the last 14 keeps its newest backup only.
    newest_day = max(t.date() for t in times)
    for back in range(14):
        day = newest_day - dt.timedelta(days=back)
        assert [t for t in kept if t.date() == day] == [max(t for t in times if t.date() == day)]


@pytest.mark.slow
def test_backup_and_restore_commands(home: paths.Dirs) -> None:
    db = open_database(home)
    migrate.upgrade(db)
    ctx = ServiceContext(db)
    staff = factories.staff(ctx)
    db.close()
    made = consult("backup")
    assert made.returncode == 0, made.stderr
    (path,) = [b.path for b in backup.list_backups(home.backups) if b.reason == "manual"]
    assert str(path) in made.stdout
    db = open_database(home)
    patient_service.register(ServiceContext(db).signed_in(staff["reception"]), factories.draft())
    db.close()
    broken = home.backups / "broken.sqlite3"
    broken.write_bytes(path.read_bytes()[:2048])
    refused = consult("restore", str(broken))
    assert refused.returncode == 2
    assert "cannot be restored" in refused.stderr and "Traceback" not in refused.stderr
    restored = consult("restore", str(path))
    assert restored.returncode == 0, restored.stderr
    assert "before-restore" in restored.stdout
    db = open_database(home)
    try:
        with db.session() as session:
            assert session.execute(select(func.count()).select_from(Patient)).scalar_one() == 0
    finally:
        db.close()
    checked = consult("verify")
    assert checked.returncode == 0, checked.stdout


# --- sealed backups: manifests, refusals, damaged databases, rotation, leftovers -------------


def _leftovers(folder: Path) -> list[str]:
    """Files in a backups folder that are neither a backup, its manifest nor the
    checkpoint file (partial copies, -wal, -shm, -journal)."""
    allowed = (".sqlite3", backup.MANIFEST_SUFFIX, integrity.CHECKPOINT_FILE)
    return sorted(
        path.name
        for path in folder.rglob("*")
        if path.is_file() and not path.name.endswith(allowed)
    )


def test_a_backup_is_sealed_by_its_manifest_and_leaves_nothing_behind(
    sqlite_db: Database, home: paths.Dirs
) -> None:
    factories.staff(ServiceContext(sqlite_db))
    taken = backup.take(sqlite_db, home.backups)
    fields = backup.read_manifest(backup.manifest_path(taken.path), sqlite_db.audit_key)
    assert fields is not None
    assert fields["file"] == taken.path.name
    assert fields["sha256"] == hashlib.sha256(taken.path.read_bytes()).hexdigest()
    assert fields["schema"] == migrate.head_revision()
    assert backup.read_manifest(backup.manifest_path(taken.path), b"k" * 32) is None
    assert backup.check_backup(taken.path, sqlite_db.audit_key, home.backups) == []
    assert _leftovers(home.backups) == []
    # A backup whose check fails (the live log was edited) is dropped, partial and all.
    with sqlite_db.engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET username = 'mallory' WHERE id = 2"))
    with pytest.raises(backup.BackupError, match="failed its check"):
        backup.take(sqlite_db, home.backups, "manual", now=dt.datetime(2031, 1, 1, tzinfo=dt.UTC))
    assert [b.path for b in backup.list_backups(home.backups)] == [taken.path]
    assert _leftovers(home.backups) == []


def _consent_changed(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE consent_record SET document_json = replace(document_json, 'Zoë', 'Zoe')")


def _pdf_swapped(conn: sqlite3.Connection) -> None:
    conn.execute(
        "UPDATE consent_record SET pdf = (SELECT pdf FROM consent_record WHERE id = 2), "
        "pdf_sha256 = (SELECT pdf_sha256 FROM consent_record WHERE id = 2) WHERE id = 1"
    )


def _consent_deleted(conn: sqlite3.Connection) -> None:
    for table in ("consent_event", "treatment_record"):
        conn.execute(f"DELETE FROM {table} WHERE consent_id = 1")
    conn.execute("DELETE FROM consent_record WHERE id = 1")


def _role_escalated(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE app_user SET roles = 'manager reception' WHERE username = 'desk'")


ALTERATIONS = {
    "a consent byte changed": _consent_changed,
    "a PDF swapped with its hash": _pdf_swapped,
    "a consent deleted": _consent_deleted,
    "a role escalated": _role_escalated,
}


@pytest.fixture
def signed_home(
    sqlite_template: tamper_support.Clinic, home: paths.Dirs
) -> Iterator[tuple[Database, BackupFile]]:
    """The signed clinic in this home, open, with one backup taken."""
    assert home.home is not None
    tamper_support.copy_home(sqlite_template.home, home.home)
    db = open_database(home)
    try:
        yield db, backup.take(db, home.backups, "manual")
    finally:
        db.close()


@pytest.fixture(scope="module")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> tamper_support.Clinic:
    return tamper_support.build_sqlite_home(tmp_path_factory.mktemp("signed") / "home")


def _count(db: Database, table: str) -> int:
    with db.engine.connect() as conn:
        return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


@pytest.mark.parametrize("alteration", list(ALTERATIONS))
def test_an_altered_backup_is_refused_whatever_its_name(
    signed_home: tuple[Database, BackupFile], home: paths.Dirs, alteration: str
) -> None:
    db, taken = signed_home
    # Each alteration leaves the copy's own audit chain and quick_check intact: only the
    # sealed SHA-256 tells.
    altered = home.backups / "consult-20991231-235959-manual.sqlite3"
    shutil.copyfile(taken.path, altered)
    conn = sqlite3.connect(altered)
    try:
        ALTERATIONS[alteration](conn)
        conn.commit()
    finally:
        conn.close()
    assert backup.check_file(altered, db.audit_key) == []
    before = (_count(db, "audit_entry"), len(backup.list_backups(home.backups)))
    with pytest.raises(backup.BackupError, match="no genuine manifest vouches for"):
        backup.restore(db, altered, home.backups)
    # Renamed together with the genuine manifest of the backup it was made from.
    shutil.copyfile(backup.manifest_path(taken.path), backup.manifest_path(altered))
    with pytest.raises(backup.BackupError, match="has changed since it was taken"):
        backup.restore(db, altered, home.backups)
    # A manifest made up without the key.
    forged = json.loads(backup.manifest_path(altered).read_text(encoding="utf-8"))
    forged["sha256"] = hashlib.sha256(altered.read_bytes()).hexdigest()
    backup.manifest_path(altered).write_text(json.dumps(forged), encoding="utf-8")
    with pytest.raises(backup.BackupError, match="is not genuine"):
        backup.restore(db, altered, home.backups)
    # Nothing was touched: no safety backup, no entry.
    assert (_count(db, "audit_entry"), len(backup.list_backups(home.backups))) == before


def test_a_genuine_backup_restores_under_another_name(
    signed_home: tuple[Database, BackupFile], home: paths.Dirs
) -> None:
    db, taken = signed_home
    renamed = home.backups / "consult-20991231-235959-manual.sqlite3"
    shutil.copyfile(taken.path, renamed)
    safety = backup.restore(db, renamed, home.backups)
    assert safety.reason == "before-restore"
    with db.session() as session:
        assert integrity.verify(session, home.backups).ok


def test_a_backup_of_a_newer_schema_is_refused_before_anything_is_touched(
    signed_home: tuple[Database, BackupFile], home: paths.Dirs
) -> None:
    db, taken = signed_home
    newer = home.backups / "consult-20991231-235959-manual.sqlite3"
    shutil.copyfile(taken.path, newer)
    conn = sqlite3.connect(newer)
    try:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
        conn.commit()
    finally:
        conn.close()
    # Sealed with the key, as a newer Consult at the same clinic would have.
    backup.write_manifest(newer, db.audit_key, schema="9999_future")
    live = db.sqlite_path
    assert live is not None
    before = (_count(db, "audit_entry"), len(backup.list_backups(home.backups)))
    with pytest.raises(
        backup.BackupError, match=r"newer version of Consult \(schema 9999_future\)"
    ):
        backup.restore(db, newer, home.backups)
    assert (_count(db, "audit_entry"), len(backup.list_backups(home.backups))) == before
    assert migrate.current_revision(db) == migrate.head_revision()


@pytest.mark.slow
def test_restore_over_a_damaged_database_keeps_it_aside(home: paths.Dirs) -> None:
    db = open_database(home)
    migrate.upgrade(db)
    factories.staff(ServiceContext(db))
    taken = backup.take(db, home.backups, "manual")
    db.close()
    live = home.database_file
    data = bytearray(live.read_bytes())
    data[:100] = bytes(100)  # a zeroed header
    live.write_bytes(bytes(data))
    damaged = live.read_bytes()
    # Every command says so in one line; restore is what to do.
    checked = consult("verify")
    assert checked.returncode == 2, checked.stdout + checked.stderr
    assert "is damaged" in checked.stderr and "consult restore" in checked.stderr
    assert checked.stderr.count("\n") == 1 and "Traceback" not in checked.stderr
    restored = consult("restore", str(taken.path))
    assert restored.returncode == 0, restored.stderr
    assert "Traceback" not in restored.stderr
    (kept,) = (home.backups / backup.DAMAGED_DIR).glob("*.sqlite3")
    assert str(kept) in restored.stdout and "byte for byte" in restored.stdout
    assert kept.read_bytes() == damaged
    assert not list(home.data.glob("*.restoring"))
    assert _leftovers(home.backups) == []
    checked = consult("verify")
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_every_kind_of_backup_rotates(sqlite_db: Database, home: paths.Dirs) -> None:
    factories.set_up_clinic(ServiceContext(sqlite_db))
    folder = home.backups / "kinds"
    start = dt.datetime(2025, 1, 3, 9, 0, tzinfo=dt.UTC)
    kinds = ["daily", "exit", "manual", "before-restore", "before-upgrade"]
    times: list[dt.datetime] = []
    for n in range(40):  # every 11 days, for 14 months, each kind in turn
        moment = start + dt.timedelta(days=11 * n)
        kind = kinds[n % len(kinds)]
        if kind == "before-upgrade":
            name = f"before-upgrade-0004-{moment:%Y%m%dT%H%M%SZ}.sqlite3"
            backup.take_as(sqlite_db, folder, name, kind, moment)
        else:
            backup.take(sqlite_db, folder, kind, now=moment)
        times.append(moment)
    kept = backup.list_backups(folder)
    assert {b.taken for b in kept} == _expected_kept(times)
    assert {b.reason for b in kept} == set(kinds)
    manifests = sorted(p.name for p in folder.glob("*" + backup.MANIFEST_SUFFIX))
    assert manifests == sorted(b.path.name + backup.MANIFEST_SUFFIX for b in kept)
    assert _leftovers(folder) == []


def test_an_upgrade_is_not_blocked_by_a_log_that_fails_its_check(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db, "0001")
        with db.engine.begin() as conn:  # an entry nobody with the key wrote
            conn.execute(
                text(
                    "INSERT INTO audit_entry (at, username, workstation, event, record_type, "
                    "record_id, details, prev_hash, hash) VALUES ('2026-11-21 10:00:00.000000', "
                    "'x', 'w', 'audit.chain_started', '', '', '{}', :genesis, :forged)"
                ),
                {"genesis": "0" * 64, "forged": "f" * 64},
            )
        assert schema.prepare(db, home.backups) is migrate.SchemaState.OLDER
        assert migrate.schema_state(db) is migrate.SchemaState.CURRENT
        (kept,) = backup.list_backups(home.backups)
        assert kept.reason == "before-upgrade" and kept.path.name.startswith("before-upgrade-0001-")
        fields = backup.read_manifest(backup.manifest_path(kept.path), db.audit_key)
        assert fields is not None and fields["schema"] == "0001" and fields["problems"]
        with pytest.raises(backup.BackupError, match="audit entry 1"):
            backup.restore(db, kept.path, home.backups)
        assert _leftovers(home.backups) == []
    finally:
        db.close()
