"""Backups of the embedded database: consistent under load, checked, rotated, restored."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select, text

from consult import paths
from consult.store import backup, integrity
from consult.store.database import Database, open_database
from consult.store.models import Consultation, Patient
from consult.store.services import consultations
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from consult.ui.knowledge import knowledge
from tests import factories, security_support
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
    from consult.store import migrate

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
