"""Backups of the embedded database: taken, checked, sealed, rotated, restored.

Each backup is a consistent copy made with SQLite's online backup API, written as a
``.partial`` file and renamed only once it has passed its check (``PRAGMA quick_check``
and the whole audit chain). Beside it, ``NAME.manifest.json`` holds its SHA-256, size,
schema and chain head with an HMAC made with the audit key: :func:`restore` refuses a
file that no genuine manifest vouches for, whatever the file is called. The chain's head
is checkpointed at every backup. Rotation keeps the newest backup of each of the last 14
days and of each of the last 12 months, whatever the kind (daily, exit, manual, before a
restore or an upgrade). On PostgreSQL, backups are the administrator's ``pg_dump`` (see
the README).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import re
import shutil
import signal
import sqlite3
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

from sqlalchemy import URL, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from consult.domain.canonical import canonical_bytes
from consult.store import audit, integrity, migrate
from consult.store.audit import AUDIT_KEY_INFO
from consult.store.database import Database, sqlite_file_problem
from consult.store.errors import StoreError

KEEP_DAILY = 14
KEEP_MONTHLY = 12
MANIFEST_SUFFIX = ".manifest.json"
DAMAGED_DIR = "damaged"  # damaged databases set aside by a restore: never rotated
_NAME = re.compile(r"^consult-(\d{8})-(\d{6})-([\w-]+)\.sqlite3$")
# Backups taken before a schema upgrade (consult.store.migrate).
_UPGRADE_NAME = re.compile(r"^before-upgrade-[\w.-]+?-(\d{8})T(\d{6})Z\.sqlite3$")
_log = logging.getLogger(__name__)
_LEFTOVERS = ("*.partial", "*.partial-journal", "*.partial-wal", "*.partial-shm", "*.restoring")


class BackupError(StoreError):
    """A backup could not be made, or a file is not a sound backup."""


@dataclass(frozen=True)
class BackupFile:
    """One backup file and when it was taken."""

    path: Path
    taken: dt.datetime
    reason: str


def manifest_path(path: Path) -> Path:
    """The manifest beside a backup file."""
    return path.with_name(path.name + MANIFEST_SUFFIX)


def list_backups(folder: Path) -> list[BackupFile]:
    """The backups in ``folder``, oldest first."""
    found: list[BackupFile] = []
    for path in folder.glob("*.sqlite3"):
        match = _NAME.match(path.name)
        if match:
            reason = match[3]
            stamp = match[1] + match[2]
        else:
            match = _UPGRADE_NAME.match(path.name)
            if not match:
                continue
            reason, stamp = "before-upgrade", match[1] + match[2]
        taken = dt.datetime.strptime(stamp, "%Y%m%d%H%M%S").replace(tzinfo=dt.UTC)
        found.append(BackupFile(path, taken, reason))
    return sorted(found, key=lambda b: (b.taken, b.path.name))


# --- checking a file -------------------------------------------------------------------------


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _manifest_mac(key: bytes, fields: dict[str, Any]) -> str:
    body = {name: value for name, value in fields.items() if name != "mac"}
    return hmac.new(key, b"backup:" + canonical_bytes(body), hashlib.sha256).hexdigest()


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def schema_of(path: Path) -> str | None:
    """The Alembic revision a database file is at (None: none recorded)."""
    conn = _read_only(path)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


def _remove_created(path: Path, before: set[str]) -> None:
    """Remove the -wal / -shm files that opening ``path`` created (none are left behind)."""
    for suffix in ("-wal", "-shm", "-journal"):
        extra = path.with_name(path.name + suffix)
        if suffix not in before and extra.exists():
            extra.unlink(missing_ok=True)


def check_file(path: Path, key: bytes) -> list[str]:
    """Problems with a backup file: SQLite's quick check, then the audit chain."""
    if not path.is_file():
        return [f"{path} does not exist"]
    before = {s for s in ("-wal", "-shm", "-journal") if path.with_name(path.name + s).exists()}
    try:
        try:
            conn = _read_only(path)
            try:
                result = [row[0] for row in conn.execute("PRAGMA quick_check")]
            finally:
                conn.close()
        except sqlite3.DatabaseError as exc:
            return [f"{path.name} is not a readable database: {exc}"]
        if result != ["ok"]:
            return [f"{path.name} fails SQLite's check: {'; '.join(result[:3])}"]
        url = URL.create(
            "sqlite+pysqlite", database=f"file:{path}", query={"mode": "ro", "uri": "true"}
        )
        engine = create_engine(url)
        try:
            sessions = sessionmaker(engine, info={AUDIT_KEY_INFO: key})
            with sessions() as session:
                try:
                    return [str(problem) for problem in audit.iter_chain_problems(session)]
                except Exception as exc:  # a file that is SQLite but not a Consult database
                    return [f"{path.name} is not a Consult database: {exc}"]
        finally:
            engine.dispose()
    finally:
        _remove_created(path, before)


def write_manifest(path: Path, key: bytes, **facts: Any) -> Path:
    """Seal a backup: its SHA-256 and size, with ``facts``, under an HMAC with the key."""
    fields: dict[str, Any] = {
        "file": path.name,
        "sha256": _sha256_file(path),
        "size": path.stat().st_size,
        "key_id": audit.key_id(key),
        **facts,
    }
    fields["mac"] = _manifest_mac(key, fields)
    target = manifest_path(path)
    partial = target.with_name(target.name + ".partial")
    with open(partial, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(fields, sort_keys=True, indent=1) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    partial.replace(target)
    return target


def read_manifest(path: Path, key: bytes) -> dict[str, Any] | None:
    """A manifest file's fields if its HMAC holds with ``key``, else None."""
    try:
        fields = json.loads(path.read_text(encoding="utf-8"))
        genuine = isinstance(fields, dict) and hmac.compare_digest(
            _manifest_mac(key, fields), str(fields.get("mac", ""))
        )
    except (OSError, ValueError, TypeError):
        return None
    return fields if genuine else None


def _vouched(source: Path, folder: Path | None, key: bytes, digest: str) -> bool:
    """True if a genuine record made when a backup was taken has this file's SHA-256:
    its manifest, any manifest in the backups folder (the file may have been renamed),
    or a checkpoint line (backups taken before manifests existed)."""
    candidates = [manifest_path(source)]
    if folder is not None and folder.is_dir():
        candidates.extend(sorted(folder.glob("*" + MANIFEST_SUFFIX)))
    for candidate in candidates:
        fields = read_manifest(candidate, key) if candidate.is_file() else None
        if fields is not None and fields.get("sha256") == digest:
            return True
    if folder is not None:
        points, _ = integrity.read_checkpoints(folder, key)
        return any(point.get("backup_sha256") == digest for point in points)
    return False


def check_backup(source: Path, key: bytes, folder: Path | None = None) -> list[str]:
    """Everything :func:`restore` requires of a file, in order: it exists; a genuine
    manifest (or checkpoint) made when it was taken has its SHA-256; its schema is not
    newer than this program; SQLite's quick check and the audit chain hold."""
    if not source.is_file():
        return [f"{source} does not exist"]
    digest = _sha256_file(source)
    if not _vouched(source, folder, key, digest):
        beside = manifest_path(source)
        if beside.is_file():
            fields = read_manifest(beside, key)
            if fields is None:
                return [f"its manifest {beside.name} is not genuine (its MAC does not hold)"]
            return [f"{source.name} has changed since it was taken (its SHA-256 differs)"]
        return [
            f"no genuine manifest vouches for {source.name}: it was altered, or not taken "
            "by Consult with this audit key"
        ]
    revision = schema_of(source)
    known = migrate.known_revisions()
    if revision is not None and revision not in known:
        return [
            f"{source.name} was written by a newer version of Consult (schema {revision}); "
            "install that version to restore it"
        ]
    return check_file(source, key)


# --- taking a backup -----------------------------------------------------------------------


def _remove_leftovers(folder: Path) -> None:
    for pattern in _LEFTOVERS:
        for path in folder.glob(pattern):
            path.unlink(missing_ok=True)


def _copy_live(db: Database, target: Path) -> None:
    """Copy the embedded database into ``target`` (online backup API), as a database with
    a rollback journal: opening the copy never leaves -wal or -shm files beside it."""
    raw = db.engine.raw_connection()
    try:
        live = raw.driver_connection
        assert isinstance(live, sqlite3.Connection)
        dest = sqlite3.connect(target)
        try:
            live.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
    finally:
        raw.close()
    _remove_created(target, set())


def _rotate(folder: Path, protect: Path | None = None) -> None:
    backups = list_backups(folder)
    keep = _to_keep(backups)
    for old in backups:
        if old.path not in keep and (protect is None or old.path.resolve() != protect.resolve()):
            old.path.unlink(missing_ok=True)
            manifest_path(old.path).unlink(missing_ok=True)


def _to_keep(backups: Iterable[BackupFile]) -> set[Path]:
    newest_per_day: dict[dt.date, BackupFile] = {}
    newest_per_month: dict[tuple[int, int], BackupFile] = {}
    for backup in backups:  # oldest first: later ones replace earlier ones
        newest_per_day[backup.taken.date()] = backup
        newest_per_month[(backup.taken.year, backup.taken.month)] = backup
    days = sorted(newest_per_day)[-KEEP_DAILY:]
    months = sorted(newest_per_month)[-KEEP_MONTHLY:]
    return {newest_per_day[d].path for d in days} | {newest_per_month[m].path for m in months}


def take_as(
    db: Database,
    folder: Path,
    name: str,
    reason: str,
    taken: dt.datetime,
    *,
    protect: Path | None = None,
    strict: bool = True,
) -> BackupFile:
    """Back up the embedded database into ``folder/name``: copy to a partial file, check
    it, rename it, seal it with its manifest, checkpoint the chain's head, rotate (never
    dropping ``protect``, the backup being restored).

    A copy that fails its check is dropped and :class:`BackupError` raised; with
    ``strict=False`` (before a schema upgrade, which must not be blocked) it is kept as
    it is, its manifest listing the problems (``consult restore`` refuses it) and
    ``consult verify`` reporting them in the database itself."""
    if not db.is_sqlite:
        raise BackupError(
            "Consult backs up only its embedded database; back up the PostgreSQL server "
            "with pg_dump (see the README)."
        )
    folder.mkdir(parents=True, exist_ok=True)
    _remove_leftovers(folder)
    partial = folder / (name + ".partial")
    try:
        _copy_live(db, partial)
        problems = check_file(partial, db.audit_key)
        if problems and strict:
            raise BackupError("The new backup failed its check: " + "; ".join(problems[:3]))
        if problems:
            _log.warning("backup %s kept although it fails its check: %s", name, problems[:3])
        target = folder / name
        partial.replace(target)
    finally:
        _remove_leftovers(folder)
    with db.session() as session:
        head = audit.head(session)
    write_manifest(
        target,
        db.audit_key,
        taken=taken.isoformat(timespec="seconds"),
        reason=reason,
        schema=schema_of(target) or migrate.head_revision(),
        head=list(head) if head else None,
        **({"problems": problems[:10]} if problems else {}),
    )
    digest = _sha256_file(target)
    with db.session() as session:
        if db.anchors is not None:
            integrity.record_head(session, db.anchors, backup=name, backup_sha256=digest)
        else:
            integrity.write_checkpoint(session, folder, backup=name, backup_sha256=digest)
    _rotate(folder, protect)
    return BackupFile(target, taken.replace(microsecond=0), reason)


def take(
    db: Database,
    folder: Path,
    reason: str = "manual",
    now: dt.datetime | None = None,
    *,
    protect: Path | None = None,
) -> BackupFile:
    """Back up the embedded database into ``folder``, check and seal it, then rotate."""
    now = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC)
    name = f"consult-{now:%Y%m%d-%H%M%S}-{reason}.sqlite3"
    return take_as(db, folder, name, reason, now, protect=protect)


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


# --- restoring ---------------------------------------------------------------------------------


def _keep_aside(live: Path, folder: Path, now: dt.datetime) -> Path:
    """Copy a database that cannot be backed up (damaged), with its -wal and -shm, byte
    for byte into ``folder/damaged``; returns the copy of the main file."""
    aside = folder / DAMAGED_DIR
    aside.mkdir(parents=True, exist_ok=True)
    base = aside / f"consult-{now:%Y%m%d-%H%M%S}-damaged.sqlite3"
    for suffix in ("", "-wal", "-shm", "-journal"):
        part = live.with_name(live.name + suffix)
        if part.exists():
            shutil.copyfile(part, base.with_name(base.name + suffix))
    return base


def _replace_live(db: Database, source: Path, live: Path) -> None:
    """Put a copy of ``source`` in place of the live file, with no connection open."""
    staged = live.with_name(live.name + ".restoring")
    shutil.copyfile(source, staged)
    with open(staged, "rb+") as handle:
        os.fsync(handle.fileno())
    db.engine.dispose()
    for suffix in ("-wal", "-shm", "-journal"):
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    staged.replace(live)


def restore(db: Database, source: Path, folder: Path) -> BackupFile:
    """Replace the embedded database with a checked backup.

    The backup must be vouched for by a genuine manifest, be of a schema this program
    knows, and pass its check; otherwise nothing is touched. The current database is
    backed up first (``before-restore``); if it cannot be (it is damaged), it is kept
    aside byte for byte in ``folder/damaged``. Returns that copy.
    """
    if not db.is_sqlite or db.sqlite_path is None:
        raise BackupError("Restore applies to the embedded database only.")
    problems = check_backup(source, db.audit_key, folder)
    if problems:
        raise BackupError(f"{source.name} cannot be restored: " + "; ".join(problems[:3]))
    live = db.sqlite_path
    now = dt.datetime.now(dt.UTC)
    safety: BackupFile | None = None
    if sqlite_file_problem(live) is None:
        try:
            safety = take(db, folder, "before-restore", now, protect=source)
        except (BackupError, SQLAlchemyError, sqlite3.DatabaseError):
            safety = None  # it cannot be backed up as a sound database: kept aside below
    if safety is None:
        db.engine.dispose()
        safety = BackupFile(_keep_aside(live, folder, now), now.replace(microsecond=0), "damaged")
    _replace_live(db, source, live)
    if migrate.schema_state(db) is migrate.SchemaState.OLDER:
        migrate.upgrade(db)
    key = "previous_saved_as" if safety.reason != "damaged" else "damaged_kept_as"
    with db.session() as session:
        audit.append(
            session,
            audit.SYSTEM_ACTOR,
            "backup.restored",
            details={
                "file": source.name,
                "sha256": _sha256_file(source),
                key: safety.path.name,
            },
        )
    with db.session() as session:
        if db.anchors is not None:
            integrity.record_head(session, db.anchors, restored=source.name)
        else:
            integrity.write_checkpoint(session, folder, restored=source.name)
    return safety


# --- the exit path -------------------------------------------------------------------------


def exit_backup(db: Database, folder: Path) -> BackupFile | None:
    """What Consult does when it ends, however it ends (closing, SIGTERM, session end):
    the embedded database's exit backup (a warning on stderr if it fails; never raises).
    The head of the chain is recorded when the database is closed afterwards."""
    if not db.is_sqlite:
        return None
    try:
        return take(db, folder, "exit")
    except Exception as exc:  # never in the way of quitting
        print(f"consult: warning: the backup at exit failed: {exc}", file=sys.stderr)
        return None


_TERMINATION_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def install_termination_handler(
    on_terminate: Callable[[], None] | None = None,
) -> Callable[[], None]:
    """Make SIGTERM (and SIGHUP, sent when the user's session ends) end Consult through
    its normal exit path, so that the exit backup is taken and the head recorded.

    Without ``on_terminate`` the signal raises :class:`SystemExit` (128 + signal) in the
    main thread, so ``finally`` blocks run (the command line). A GUI passes a function
    that asks its event loop to quit. Call from the main thread; returns a function that
    puts the previous handlers back.
    """

    def handler(signum: int, _frame: FrameType | None) -> None:
        if on_terminate is not None:
            on_terminate()
            return
        raise SystemExit(128 + signum)

    previous = {signum: signal.signal(signum, handler) for signum in _TERMINATION_SIGNALS}

    def put_back() -> None:
        for signum, old in previous.items():
            signal.signal(signum, old)

    return put_back
