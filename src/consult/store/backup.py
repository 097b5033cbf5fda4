"""Backups of the embedded database: taken, checked, rotated, restored.

Each backup is a consistent copy made with SQLite's online backup API. It is checked
(``PRAGMA quick_check`` and the whole audit chain) before any older backup is dropped,
and the chain's head is checkpointed beside it. Rotation keeps the newest backup of
each of the last 14 days and of each of the last 12 months. On PostgreSQL, backups are
the administrator's ``pg_dump`` (see the README).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import URL, create_engine
from sqlalchemy.orm import sessionmaker

from consult.domain.canonical import sha256_hex
from consult.store import audit, integrity
from consult.store.audit import AUDIT_KEY_INFO
from consult.store.database import Database
from consult.store.errors import StoreError
from consult.store.migrate import backup_sqlite

KEEP_DAILY = 14
KEEP_MONTHLY = 12
_NAME = re.compile(r"^consult-(\d{8})-(\d{6})-(\w+)\.sqlite3$")


class BackupError(StoreError):
    """A backup could not be made, or a file is not a sound backup."""


@dataclass(frozen=True)
class BackupFile:
    """One backup file and when it was taken."""

    path: Path
    taken: dt.datetime
    reason: str


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, oldest first."""
    found: list[BackupFile] = []
    for path in folder.glob("consult-*.sqlite3"):
        match = _NAME.match(path.name)
        if match:
            taken = dt.datetime.strptime(match[1] + match[2], "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
            found.append(BackupFile(path, taken, match[3]))
    return sorted(found, key=lambda b: b.taken)


def check_file(path: Path, key: bytes) -> list[str]:
    """Problems with a backup file: SQLite's quick check, then the audit chain."""
    if not path.is_file():
        return [f"{path} does not exist"]
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            result = [row[0] for row in conn.execute("PRAGMA quick_check")]
        conn.close()
    except sqlite3.DatabaseError as exc:
        return [f"{path.name} is not a readable database: {exc}"]
    if result != ["ok"]:
        return [f"{path.name} fails SQLite's check: {'; '.join(result[:3])}"]
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=f"file:{path}", query={"mode": "ro", "uri": "true"})
    )
    try:
        sessions = sessionmaker(engine, info={AUDIT_KEY_INFO: key})
        with sessions() as session:
            try:
                return [str(problem) for problem in audit.iter_chain_problems(session)]
            except Exception as exc:  # a file that is SQLite but not a Consult database
                return [f"{path.name} is not a Consult database: {exc}"]
    finally:
        engine.dispose()


def _to_keep(backups: Iterable[BackupFile]) -> set[Path]:
    newest_per_day: dict[dt.date, BackupFile] = {}
    newest_per_month: dict[tuple[int, int], BackupFile] = {}
    for backup in backups:  # oldest first: later ones replace earlier ones
        newest_per_day[backup.taken.date()] = backup
        newest_per_month[(backup.taken.year, backup.taken.month)] = backup
    days = sorted(newest_per_day)[-KEEP_DAILY:]
    months = sorted(newest_per_month)[-KEEP_MONTHLY:]
    return {newest_per_day[d].path for d in days} | {newest_per_month[m].path for m in months}


def take(
    db: Database, folder: Path, reason: str = "manual", now: dt.datetime | None = None
) -> BackupFile:
    """Back up the embedded database into ``folder``, check it, then rotate old ones."""
    if not db.is_sqlite:
        raise BackupError(
            "Consult backs up only its embedded database; back up the PostgreSQL server "
            "with pg_dump (see the README)."
        )
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"consult-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    partial = folder / (name + ".partial")
    backup_sqlite(db, partial)
    problems = check_file(partial, db.audit_key)
    if problems:
        partial.unlink(missing_ok=True)
        raise BackupError("The new backup failed its check: " + "; ".join(problems[:3]))
    target = folder / name
    partial.replace(target)
    with db.session() as session:
        integrity.write_checkpoint(
            session, folder, backup=name, backup_sha256=sha256_hex(target.read_bytes())
        )
    keep = _to_keep(list_backups(folder))
    for old in list_backups(folder):
        if old.path not in keep:
            old.path.unlink(missing_ok=True)
    return BackupFile(target, now.replace(microsecond=0), reason)


def daily_if_needed(
    db: Database, folder: Path, now: dt.datetime | None = None
) -> BackupFile | None:
    """Take the day's first backup if there is none for today yet."""
    if not db.is_sqlite:
        return None
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    if any(b.taken.date() == now.date() for b in list_backups(folder)):
        return None
    return take(db, folder, "daily", now)


def restore(db: Database, source: Path, folder: Path) -> BackupFile:
    """Replace the embedded database with a checked backup, after backing up the current one.

    Returns the safety backup of the database as it was.
    """
    if not db.is_sqlite:
        raise BackupError("Restore applies to the embedded database only.")
    problems = check_file(source, db.audit_key)
    if not problems and source.is_file():
        # A backup Consult took has its SHA-256 in the checkpoint file: any change to
        # the file since, even one SQLite's check cannot see, is refused.
        points, _ = integrity.read_checkpoints(folder, db.audit_key)
        recorded = {p["backup"]: p.get("backup_sha256") for p in points if "backup" in p}
        expected = recorded.get(source.name)
        if expected and expected != sha256_hex(source.read_bytes()):
            problems = [f"{source.name} has changed since it was taken"]
    if problems:
        raise BackupError(f"{source.name} cannot be restored: " + "; ".join(problems[:3]))
    safety = take(db, folder, "before-restore")
    raw = db.engine.raw_connection()
    try:
        live = raw.driver_connection
        assert isinstance(live, sqlite3.Connection)
        staged = folder / (source.name + ".restoring")
        shutil.copyfile(source, staged)
        try:
            with sqlite3.connect(staged) as copy:
                copy.backup(live)
            copy.close()
        finally:
            staged.unlink(missing_ok=True)
    finally:
        raw.close()
    with db.session() as session:
        audit.append(
            session,
            audit.SYSTEM_ACTOR,
            "backup.restored",
            details={"file": source.name, "previous_saved_as": safety.path.name},
        )
    with db.session() as session:
        integrity.write_checkpoint(session, folder, restored=source.name)
    return safety
