"""The heads of the audit chain that each workstation has seen (anchors), on both engines:
written every N entries and at close, compared by ``consult verify``; a missing anchor or
checkpoint file is reported; a clinic's anchor directory keeps heads out of reach; a
restore (of a backup, or of a server from a dump) is told apart from a cut."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from consult import paths
from consult.store import audit, backup, integrity, migrate
from consult.store.database import Database, open_database
from consult.store.services import patients as patient_service
from consult.store.services.context import ServiceContext
from tests import factories
from tests.tamper_support import run_consult

Ran = tuple[int, str, str]


@pytest.fixture
def opened(home: paths.Dirs, backend_url: str | None) -> Iterator[Database]:
    """An open database at the current schema, on each engine (closed by the test)."""
    db = open_database(home, backend_url)
    migrate.upgrade(db)
    yield db
    db.engine.dispose()
    if db.lock is not None:
        db.lock.release()


def _lines(path: Path, key: bytes) -> list[dict[str, object]]:
    points, problems = integrity.read_anchor_file(path, key)
    assert problems == []
    return points


def _head(db: Database) -> int:
    with db.session() as session:
        head = audit.head(session)
    assert head is not None
    return head[0]


def _cut(url: str | None, home: paths.Dirs, keep: int) -> None:
    """The attacker removes every entry after ``keep`` (on PostgreSQL, as the owner)."""
    engine = create_engine(url or f"sqlite:///{home.database_file}")
    try:
        with engine.begin() as conn:
            server = conn.dialect.name == "postgresql"
            if server:
                conn.execute(text("ALTER TABLE audit_entry DISABLE TRIGGER USER"))
            conn.execute(text("DELETE FROM audit_entry WHERE id > :keep"), {"keep": keep})
            if server:
                conn.execute(text("ALTER TABLE audit_entry ENABLE TRIGGER USER"))
    finally:
        engine.dispose()


def _verify(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    url: str | None,
    *extra: str,
) -> Ran:
    args = ["--database-url", url] if url else []
    return run_consult(monkeypatch, capsys, *args, "verify", *extra)


def test_heads_are_written_every_n_entries_and_at_close(opened: Database, home: paths.Dirs) -> None:
    db = opened
    assert db.anchors is not None
    db.anchors = replace(db.anchors, every=5)
    for index in range(12):
        with db.session() as session:
            audit.append(session, audit.SYSTEM_ACTOR, "test.event", details={"n": index})
    files = [integrity.ANCHOR_FILE] + ([integrity.CHECKPOINT_FILE] if db.is_sqlite else [])
    config = home.config / integrity.ANCHOR_FILE
    checkpoints = home.backups / integrity.CHECKPOINT_FILE
    assert [int(p["entry_id"]) for p in _lines(config, db.audit_key)] == [5, 10]
    if db.is_sqlite:
        assert [int(p["entry_id"]) for p in _lines(checkpoints, db.audit_key)] == [5, 10]
    else:
        assert not checkpoints.exists()
    key = db.audit_key
    db.close()
    # At close: the log says which files this workstation keeps, then the head.
    points = _lines(config, key)
    assert [int(p["entry_id"]) for p in points] == [5, 10, 14]
    reopened = open_database(home, None if db.is_sqlite else db.url.render_as_string(False))
    try:
        with reopened.session() as session:
            (marker,) = integrity._markers(session)
            assert marker.id == 14 and marker.details["workstation"] == audit.workstation_name()
            assert [Path(f).name for f in marker.details["files"]] == files
            assert integrity.verify(session, home.backups).ok
    finally:
        reopened.close()


def _clinic(home: paths.Dirs, url: str | None) -> int:
    """Staff and a patient, closed (so the heads are recorded); returns the head."""
    db = open_database(home, url)
    try:
        migrate.upgrade(db)
        ctx = ServiceContext(db)
        staff = factories.staff(ctx)
        patient_service.register(ctx.signed_in(staff["reception"]), factories.draft())
    finally:
        db.close()
    db = open_database(home, url)
    try:
        return _head(db)
    finally:
        db.close()


def _events(home: paths.Dirs, url: str | None, count: int) -> int:
    """Open, append ``count`` entries, close (the head is recorded); returns the head."""
    db = open_database(home, url)
    try:
        with db.session() as session:
            for index in range(count):
                audit.append(session, audit.SYSTEM_ACTOR, "test.event", details={"n": index})
        return _head(db)
    finally:
        db.close()


def test_a_missing_anchor_or_checkpoint_file_is_reported(
    home: paths.Dirs,
    backend_url: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _clinic(home, backend_url)
    code, out, _ = _verify(monkeypatch, capsys, backend_url)
    assert code == 0, out
    gone = [home.config / integrity.ANCHOR_FILE]
    if backend_url is None:
        gone.append(home.backups / integrity.CHECKPOINT_FILE)
    for path in gone:
        path.unlink()
    code, out, _ = _verify(monkeypatch, capsys, backend_url)
    assert code == 1, out
    for path in gone:
        assert f"the checkpoint file {path} is missing" in out


def test_the_anchor_directory_keeps_the_heads_when_the_local_files_are_gone(
    home: paths.Dirs,
    backend_url: str | None,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    share = tmp_path / "write-once-share"
    share.mkdir()
    monkeypatch.setenv(integrity.ANCHOR_DIR_ENV, str(share))
    _clinic(home, backend_url)
    head = _events(home, backend_url, 3)  # another day's work
    heads = sorted(share.glob(integrity.ANCHOR_DIR_GLOB))
    assert heads and all(path.stat().st_mode & 0o222 == 0 for path in heads)  # read-only
    # The attacker removes this workstation's own files and cuts the tail; verify runs
    # without the setting: the log itself names the anchor directory.
    monkeypatch.delenv(integrity.ANCHOR_DIR_ENV)
    for path in (home.config / integrity.ANCHOR_FILE, home.backups / integrity.CHECKPOINT_FILE):
        path.unlink(missing_ok=True)
    _cut(backend_url, home, head - 2)
    code, out, _ = _verify(monkeypatch, capsys, backend_url)
    assert code == 1, out
    assert f"audit entry {head} (checkpointed" in out and "cut back" in out
    assert "is missing" in out
    # A copy of the share named on the command line does the same.
    copy = tmp_path / "copy-of-share"
    shutil.copytree(share, copy)
    shutil.rmtree(share)
    code, out, _ = _verify(monkeypatch, capsys, backend_url, "--anchor-dir", str(copy))
    assert code == 1, out
    assert f"audit entry {head} (checkpointed" in out
    assert f"Warning: the anchor directory {share} cannot be read" in out


def test_an_unfinished_last_line_is_skipped_and_a_made_up_one_reported(
    home: paths.Dirs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    head = _clinic(home, None)
    anchors = home.config / integrity.ANCHOR_FILE
    with open(anchors, "a", encoding="utf-8") as handle:
        handle.write('{"at": "2026-11-21T10:00:00+00:00", "entry_id": 9')  # machine stopped
    code, out, _ = _verify(monkeypatch, capsys, None)
    assert code == 0, out
    made_up = {"at": "2026-11-21T10:00:00+00:00", "entry_id": head + 50, "hash": "0" * 64}
    with open(anchors, "a", encoding="utf-8") as handle:
        handle.write("\n" + json.dumps({**made_up, "mac": "1" * 64}) + "\n")
    code, out, _ = _verify(monkeypatch, capsys, None)
    assert code == 1, out
    assert f"checkpoint file {integrity.ANCHOR_FILE} line" in out and "is not genuine" in out
    assert f"audit entry {head + 50}" not in out


@pytest.mark.slow
def test_heads_seen_before_a_restore_are_not_expected_but_a_later_cut_is_found(
    home: paths.Dirs, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_database(home)
    migrate.upgrade(db)
    ctx = ServiceContext(db)
    staff = factories.staff(ctx)
    taken = backup.take(db, home.backups, "manual")
    desk = ctx.signed_in(staff["reception"])
    for given in ("Ana", "Ben", "Cleo"):
        patient_service.register(desk, factories.draft(given))
    db.close()  # heads seen beyond the backup
    code, out, err = run_consult(monkeypatch, capsys, "restore", str(taken.path))
    assert code == 0, out + err
    code, out, _ = _verify(monkeypatch, capsys, None)
    assert code == 0, out
    db = open_database(home)
    desk = ServiceContext(db).signed_in(staff["reception"])
    for given in ("Dina", "Emil"):
        patient_service.register(desk, factories.draft(given))
    after = _head(db)
    db.close()
    _cut(None, home, after - 3)
    code, out, _ = _verify(monkeypatch, capsys, None)
    assert code == 1, out
    assert "cut back" in out


@pytest.mark.postgres
def test_a_server_restored_from_a_dump_is_recorded_then_verifies(
    home: paths.Dirs,
    pg_schema_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _clinic(home, pg_schema_url)
    head = _events(home, pg_schema_url, 6)
    _cut(pg_schema_url, home, head - 5)  # what restoring last night's dump looks like
    code, out, _ = _verify(monkeypatch, capsys, pg_schema_url)
    assert code == 1 and "cut back" in out, out
    url = ["--database-url", pg_schema_url]
    code, out, err = run_consult(monkeypatch, capsys, *url, "db", "restored", "--reason", "x")
    assert code == 2 and "reason" in err
    reason = "restored the 02:30 dump after a disk failure"
    code, out, err = run_consult(monkeypatch, capsys, *url, "db", "restored", "--reason", reason)
    assert code == 0, out + err
    assert f"its log ends at entry {head - 5}" in out
    code, out, _ = _verify(monkeypatch, capsys, pg_schema_url)
    assert code == 0, out
    # Heads seen after the restore count again.
    after = _events(home, pg_schema_url, 4)
    _cut(pg_schema_url, home, after - 2)
    code, out, _ = _verify(monkeypatch, capsys, pg_schema_url)
    assert code == 1 and f"audit entry {after} (checkpointed" in out, out
