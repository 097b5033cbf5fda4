"""The audit key is never silently replaced, and Consult's exit path (the exit backup and
the head of the chain) runs on SIGTERM and at the end of a session too."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from consult import paths
from consult.store import backup, integrity, keys, migrate
from consult.store.database import open_database
from consult.store.services.context import ServiceContext
from tests import factories
from tests.tamper_support import run_consult


def test_a_missing_audit_key_on_a_database_with_a_log_refuses_to_open(
    home: paths.Dirs,
    backend_url: str | None,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    db = open_database(home, backend_url)
    try:
        migrate.upgrade(db)
        factories.staff(ServiceContext(db))
    finally:
        db.close()
    key_file = keys.key_path(home)
    key_file.unlink()
    with pytest.raises(keys.MissingKeyError, match=r"is missing, but .* already has an audit log"):
        open_database(home, backend_url)
    assert not key_file.exists()  # no new key was made
    url = ["--database-url", backend_url] if backend_url else []
    for command in (
        ["verify"],
        ["backup"],
        ["consent", "pdf", "--id", "1", "-o", "-", "--as", "doc"],
    ):
        if backend_url and command == ["backup"]:
            continue
        code, out, err = run_consult(monkeypatch, capsys, *url, *command)
        assert code == 2, out + err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert f"The audit key {key_file} is missing" in err
        assert not key_file.exists()
    if backend_url:
        # The owner's schema commands write no entry: they need no key.
        code, out, err = run_consult(monkeypatch, capsys, *url, "db", "status")
        assert code == 0 and "(current)" in out, out + err
        assert not key_file.exists()


def test_a_database_without_a_log_gets_a_new_key(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db)
    finally:
        db.close()
    keys.key_path(home).unlink()
    db = open_database(home)  # the schema but no entry yet: a first run
    db.close()
    assert keys.key_path(home).stat().st_mode & 0o077 == 0


SIGNALLED = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from consult import paths
    from consult.store import backup, migrate
    from consult.store.database import open_database
    from consult.store.services.context import ServiceContext
    from tests import factories

    dirs = paths.for_home(Path(sys.argv[1]))
    db = open_database(dirs)
    migrate.upgrade(db)
    backup.install_termination_handler()
    try:
        factories.staff(ServiceContext(db))
        print("READY", flush=True)
        time.sleep(60)
    finally:
        # The exit path, as the app runs it on closing.
        backup.exit_backup(db, dirs.backups)
        db.close()
    """
)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_termination_signal_takes_the_exit_backup_and_records_the_head(
    home: paths.Dirs, signum: int
) -> None:
    assert home.home is not None
    child = subprocess.Popen(
        [sys.executable, "-c", SIGNALLED, str(home.home)],
        cwd=Path(__file__).resolve().parent.parent,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline().strip() == "READY", child.stderr
        child.send_signal(signum)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 128 + signum, err
    (made,) = [b for b in backup.list_backups(home.backups) if b.reason == "exit"]
    db = open_database(home)
    try:
        assert backup.check_backup(made.path, db.audit_key, home.backups) == []
        points, problems = integrity.read_anchor_file(
            home.config / integrity.ANCHOR_FILE, db.audit_key
        )
        with db.session() as session:
            report = integrity.verify(session, home.backups)
            (marker,) = integrity._markers(session)
    finally:
        db.close()
    assert problems == [] and report.ok, report.problems
    assert max(int(p["entry_id"]) for p in points) == marker.id  # the head at close


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_the_app_quits_on_sigterm_through_its_exit_path(home: paths.Dirs) -> None:
    """The desktop app itself: SIGTERM while the sign-in window waits takes the exit
    backup and ends with exit code 0, like closing the window."""
    assert home.home is not None
    db = open_database(home)
    try:
        migrate.upgrade(db)
        factories.staff(ServiceContext(db))
    finally:
        db.close()
    environment = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        CONSULT_HOME=str(home.home),
        CONSULT_STARTED_FROM="terminal",
    )
    environment.pop("CONSULT_DATABASE_URL", None)
    child = subprocess.Popen(
        [sys.executable, "-m", "consult"],
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        # Wait until the app has the database (its lock file names the holder).
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and child.poll() is None:
            if any(b.reason == "daily" for b in backup.list_backups(home.backups)):
                break
            time.sleep(0.2)
        assert child.poll() is None, child.communicate()
        child.send_signal(signal.SIGTERM)
        _, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == 0, err
    assert [b for b in backup.list_backups(home.backups) if b.reason == "exit"], err
