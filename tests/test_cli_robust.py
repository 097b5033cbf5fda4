"""The command line's files and inputs: ``-o`` never destroys anything, bad input is one line.

Run in process through ``consult.cli.main`` (fast); a few cases that could take the test
process down with them (a C stack overflow) run as a subprocess.
"""

from __future__ import annotations

import argparse
import errno
import hashlib
import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from consult import paths
from consult.commands import base, output
from consult.store import migrate
from consult.store.database import Database, open_database
from consult.store.models import AuditEntry
from consult.store.services.context import ServiceContext
from tests import factories
from tests.cli_fuzz_support import Outcome, run_main

# --- a home with one signed consent --------------------------------------------------------


@pytest.fixture
def clinic_home(home: paths.Dirs, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> paths.Dirs:
    """The test's home, with one signed consent (treated with lot LOT-R1); the database is
    closed again, as the command line opens it itself."""
    from tests import register_support

    monkeypatch.chdir(tmp_path)
    db = open_database(home)
    try:
        migrate.upgrade(db)
        clinic = register_support.clinic(ServiceContext(db, workstation="test"))
        register_support.sign_one(clinic, lot="LOT-R1")
    finally:
        db.close()
    return home


@pytest.fixture
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


def events(home: paths.Dirs) -> list[tuple[str, dict[str, Any]]]:
    db = open_database(home)
    try:
        with db.session() as session:
            rows = session.execute(select(AuditEntry.event, AuditEntry.details)).all()
            return [(event, dict(details)) for event, details in rows]
    finally:
        db.close()


def exported(home: paths.Dirs, event: str = "consent.register_exported") -> list[dict[str, Any]]:
    return [details for name, details in events(home) if name == event]


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def refused(outcome: Outcome, *words: str) -> None:
    """Exit 2 with one line on stderr that says ``words``, and no traceback."""
    assert outcome.escaped is None, outcome.escaped
    assert outcome.code == 2, (outcome.code, outcome.stdout, outcome.stderr)
    assert outcome.stderr.count("\n") == 1, outcome.stderr
    assert outcome.stderr.startswith("consult"), outcome.stderr
    assert "Traceback" not in outcome.stderr
    for word in words:
        assert word in outcome.stderr, (word, outcome.stderr)


def device_node(tmp_path: Path) -> Path:
    """A character device to write over: as root, a private copy of /dev/null (so that
    a regression could never replace the system's own); otherwise /dev/null itself."""
    if os.geteuid() != 0:
        return Path("/dev/null")
    node = tmp_path / "null"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return node


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


EXPORT = ["export", "consents", "-o"]


def as_boss(argv: list[str]) -> Outcome:
    """``consult ARGV`` run as the clinic's manager (the password on standard input)."""
    return run_main([*argv, "--as", "boss"], stdin=factories.PASSWORD + "\n")


# --- -o onto what must never be written over ------------------------------------------------


def test_an_export_onto_the_live_database_is_refused(clinic_home: paths.Dirs, tmp_path: Path):
    database = clinic_home.database_file
    before = digest(database)
    link = tmp_path / "innocent.csv"
    link.symlink_to(database)
    dotted = tmp_path / "exports" / ".." / "home" / "data" / "consult.sqlite3"
    for target in (database, dotted, link, clinic_home.data / "new.csv"):
        for force in ([], ["--force"]):
            refused(as_boss([*EXPORT, str(target), *force]), "Consult's own files")
    # The database named through --database-url is protected as well.
    url = f"sqlite:///{database}"
    refused(as_boss(["--database-url", url, *EXPORT, str(link), "--force"]), "own files")
    assert digest(database) == before
    assert exported(clinic_home) == []


def test_the_audit_key_and_the_backups_are_never_written_over(clinic_home: paths.Dirs):
    key = clinic_home.config / "audit-chain.key"
    before = key.read_bytes()
    refused(as_boss([*EXPORT, str(key), "--force"]), "own files")
    refused(as_boss([*EXPORT, str(clinic_home.backups / "x.csv")]), "own files")
    refused(as_boss(["recall", "--lot", "LOT-R1", "--csv", str(key), "--force"]), "own files")
    refused(
        run_main(["knowledge", "report", "-o", str(key), "--force", "--no-policy"]), "own files"
    )
    assert key.read_bytes() == before
    assert list(clinic_home.backups.glob("x.csv")) == []


def test_a_device_node_is_never_replaced(clinic_home: paths.Dirs, tmp_path: Path):
    node = device_node(tmp_path)
    for argv in (
        [*EXPORT, str(node)],
        [*EXPORT, str(node), "--force"],
        ["recall", "--lot", "LOT-R1", "--csv", str(node), "--force"],
        ["knowledge", "report", "-o", str(node), "--force", "--no-policy"],
    ):
        run = run_main if argv[0] == "knowledge" else as_boss
        refused(run(argv), "not a regular file")
    assert node.is_char_device()
    assert exported(clinic_home) == []


def test_a_fifo_and_links_to_folders_or_to_nothing_are_refused(
    clinic_home: paths.Dirs, tmp_path: Path, out: Path
):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    refused(as_boss([*EXPORT, str(fifo), "--force"]), "not a regular file")
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    to_folder = tmp_path / "to-folder"
    to_folder.symlink_to(out)
    refused(as_boss([*EXPORT, str(to_folder), "--force"]), "is a folder")
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "nowhere" / "x.csv")
    refused(as_boss([*EXPORT, str(dangling), "--force"]), "symbolic link to nothing")


def test_a_folder_or_a_missing_folder_is_one_line(clinic_home: paths.Dirs, out: Path):
    refused(as_boss([*EXPORT, str(out)]), "is a folder, not a file")
    refused(as_boss([*EXPORT, str(out / "missing" / "x.csv")]), "no such folder")
    refused(as_boss([*EXPORT, str(out / ("x" * 300))]), "File name too long")
    refused(as_boss([*EXPORT, ""]), "no file name")
    refused(as_boss([*EXPORT, "-"]), "not to standard output")
    (out / "plain").write_text("a file\n", encoding="utf-8")
    refused(as_boss([*EXPORT, str(out / "plain" / "x.csv")]), "not a folder")
    assert sorted(p.name for p in out.iterdir()) == ["plain"]
    assert exported(clinic_home) == []


def test_an_existing_file_is_replaced_only_with_force(clinic_home: paths.Dirs, out: Path):
    target = out / "register.csv"
    target.write_text("yesterday's export\n", encoding="utf-8")
    os.chmod(target, 0o644)
    refused(as_boss([*EXPORT, str(target)]), "exists", "--force")
    assert target.read_text(encoding="utf-8") == "yesterday's export\n"
    assert exported(clinic_home) == []
    done = as_boss([*EXPORT, str(target), "--force"])
    assert done.code == 0, done.stderr
    assert "Exported 1 consent record(s) as csv" in done.stdout
    assert target.read_text(encoding="utf-8-sig").startswith("document_number,")
    assert mode(target) == 0o600
    assert leftovers(out) == []
    [entry] = exported(clinic_home)
    assert entry["file"] == "register.csv" and entry["records"] == 1 and entry["format"] == "csv"


def test_a_link_to_a_file_is_followed_with_force(clinic_home: paths.Dirs, out: Path):
    real = out / "real.json"
    real.write_text("old\n", encoding="utf-8")
    link = out / "latest.json"
    link.symlink_to(real)
    refused(as_boss([*EXPORT, str(link), "--format", "fhir"]), "exists")
    done = as_boss([*EXPORT, str(link), "--format", "fhir", "--force"])
    assert done.code == 0, done.stderr
    assert link.is_symlink() and real.read_text(encoding="utf-8").startswith('{"resourceType"')
    assert mode(real) == 0o600


def test_a_new_export_is_private_and_audited_once_in_place(
    clinic_home: paths.Dirs, out: Path, monkeypatch: pytest.MonkeyPatch
):
    from consult.store import audit

    target = out / "register.json"
    seen: list[tuple[str, bool]] = []
    append = audit.append

    def watching(session: Any, actor: Any, event: str, **kwargs: Any) -> Any:
        seen.append((event, target.exists()))
        return append(session, actor, event, **kwargs)

    monkeypatch.setattr(audit, "append", watching)
    done = as_boss([*EXPORT, str(target), "--format", "fhir", "--from", "2000-01-01"])
    assert done.code == 0, done.stderr
    assert ("consent.register_exported", True) in seen
    assert mode(target) == 0o600
    [entry] = exported(clinic_home)
    assert entry["filters"] == {"date_from": "2000-01-01"}


@pytest.mark.parametrize("where", ["while writing", "at fsync"])
def test_a_full_disk_leaves_no_file_and_no_audit_entry(
    clinic_home: paths.Dirs, out: Path, monkeypatch: pytest.MonkeyPatch, where: str
):
    from consult.documents import exports

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if where == "while writing":
        monkeypatch.setattr(exports, "register_cells", full)  # after the header is written
    else:
        monkeypatch.setattr(os, "fsync", full)
    target = out / "register.csv"
    refused(as_boss([*EXPORT, str(target)]), "cannot be written", "No space left on device")
    assert list(out.iterdir()) == []
    existing = out / "kept.csv"
    existing.write_text("kept\n", encoding="utf-8")
    refused(as_boss([*EXPORT, str(existing), "--force"]), "No space left on device")
    assert [p.name for p in out.iterdir()] == ["kept.csv"]
    assert existing.read_text(encoding="utf-8") == "kept\n"
    monkeypatch.undo()
    assert exported(clinic_home) == []


def test_the_knowledge_report_uses_the_same_rules(home: paths.Dirs, out: Path, monkeypatch):
    report = out / "report.md"
    done = run_main(["knowledge", "report", "-o", str(report), "--no-policy"])
    assert done.code == 0, done.stderr
    assert mode(report) == 0o600
    first = report.read_bytes()
    refused(run_main(["knowledge", "report", "-o", str(report), "--no-policy"]), "exists")
    assert report.read_bytes() == first

    def full(*args: Any, **kwargs: Any) -> Any:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    refused(
        run_main(["knowledge", "report", "-o", str(report), "--force", "--no-policy"]),
        "No space left on device",
    )
    assert report.read_bytes() == first
    assert leftovers(out) == []


# --- recall --csv ----------------------------------------------------------------------------


def test_recall_csv_is_private_refuses_existing_files_and_is_audited(
    clinic_home: paths.Dirs, out: Path
):
    target = out / "recall.csv"
    done = as_boss(["recall", "--lot", "lot-r1", "--csv", str(target)])
    assert done.code == 0, done.stderr
    assert "1 patient(s), 1 treatment(s)" in done.stdout
    assert mode(target) == 0o600
    assert "Zoë Lefèvre" in target.read_text(encoding="utf-8-sig")
    [entry] = exported(clinic_home, "recall.exported")
    assert entry["file"] == "recall.csv" and entry["rows"] == 1 and entry["lot"] == "lot-r1"
    before = target.read_bytes()
    refused(as_boss(["recall", "--lot", "LOT-R1", "--csv", str(target)]), "exists")
    assert target.read_bytes() == before
    assert len(exported(clinic_home, "recall.exported")) == 1
    assert as_boss(["recall", "--lot", "LOT-R1", "--csv", str(target), "--force"]).code == 0
    assert len(exported(clinic_home, "recall.exported")) == 2


# --- the shared function itself -----------------------------------------------------------------


def cli_context(home: paths.Dirs, url: str | None = None) -> base.Context:
    return base.Context(dirs=home, database_url=url)


def test_a_failed_audit_takes_the_new_file_away_again(home: paths.Dirs, out: Path):
    target = out / "x.csv"

    def audit_fails(path: Path) -> None:
        assert path == target and path.read_bytes() == b"data"
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        output.write_bytes(cli_context(home), str(target), b"data", force=False, after=audit_fails)
    assert list(out.iterdir()) == []


def test_write_with_returns_what_the_writer_returns(home: paths.Dirs, out: Path):
    def writer(path: Path) -> int:
        path.write_text("three\n", encoding="utf-8")
        return 3

    placed: list[Path] = []
    got = output.write_with(
        cli_context(home), str(out / "n.txt"), writer, force=False, after=placed.append
    )
    assert got == 3 and placed == [out / "n.txt"]
    assert mode(out / "n.txt") == 0o600 and leftovers(out) == []


def test_the_check_names_the_option_and_quotes_odd_names(home: paths.Dirs, out: Path):
    with pytest.raises(base.UsageError) as caught:
        output.check(cli_context(home), str(out / "a\nb" / "x"), force=False, option="--csv")
    message = str(caught.value)
    assert message.startswith("--csv ") and "\n" not in message and "no such folder" in message


# --- arguments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--from", "0001-01-01"], ["--from", "out of range"]),
        (["--to", "9999-12-31"], ["--to", "out of range"]),
        (["--from", "2024-02-30"], ["--from", "no such day"]),
        (["--from", "20240101"], ["--from", "YYYY-MM-DD"]),
        (["--from", "٢٠٢٤-٠١-٠١"], ["--from", "YYYY-MM-DD"]),
        (["--from", "2024-05-02", "--to", "2024-05-01"], ["--to is before --from"]),
    ],
)
def test_export_dates_are_checked(home: paths.Dirs, out: Path, argv: list[str], words: list[str]):
    refused(as_boss([*EXPORT, str(out / "x.csv"), *argv]), *words)
    assert list(out.iterdir()) == []


def test_recall_dates_are_checked(home: paths.Dirs):
    refused(as_boss(["recall", "--expiry-from", "0001-01-01"]), "--expiry-from", "out of range")
    refused(as_boss(["recall", "--expiry-to", "9999-12-31"]), "--expiry-to", "out of range")
    refused(as_boss(["recall"]), "lot number")


def test_dates_at_the_ends_of_the_range_work(clinic_home: paths.Dirs, out: Path):
    done = as_boss([*EXPORT, str(out / "x.csv"), "--from", "1900-01-01", "--to", "2999-12-31"])
    assert done.code == 0, done.stderr
    assert "Exported 1 consent record(s)" in done.stdout


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1", 1), (" 12 ", 12), (str(2**63 - 1), 2**63 - 1), ("CF-2026-0001", "CF-2026-0001")],
)
def test_record_argument_accepts(text: str, expected: object):
    assert base.record_argument(text) == expected


@pytest.mark.parametrize("text", ["0", "-1", str(2**63), str(2**70), "", "  ", "\udcff", "x" * 101])
def test_record_argument_refuses(text: str):
    with pytest.raises(argparse.ArgumentTypeError):
        base.record_argument(text)


# --- the last line of defence ------------------------------------------------------------------


def test_help_version_and_usage_errors_return_a_code():
    assert run_main(["--version"]).code == 0
    assert run_main(["--help"]).code == 0
    refused(run_main(["--frobnicate"]), "unrecognized arguments")
    refused(run_main(["export", "consents"]), "required: -o/--output")


def test_an_unexpected_error_is_one_line_and_logged(
    home: paths.Dirs, monkeypatch: pytest.MonkeyPatch
):
    from consult.commands import screening

    def boom(args: argparse.Namespace, ctx: base.Context) -> int:
        raise ZeroDivisionError("the printer caught fire\nsecond line")

    monkeypatch.setattr(screening, "_screen", boom)
    outcome = run_main(["screen", "intake.json"])
    refused(outcome, "unexpected ZeroDivisionError", "the printer caught fire\\nsecond line")
    log = Path(outcome.stderr.rsplit("the details are in ", 1)[1].rstrip(")\n"))
    text = log.read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: the printer caught fire" in text


def test_a_home_that_cannot_be_made_is_one_line(home: paths.Dirs, tmp_path: Path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    refused(as_boss(["--home", str(blocker), "recall", "--lot", "x"]), "Not a directory")

    def read_only(self: paths.Dirs) -> paths.Dirs:
        raise PermissionError(errno.EACCES, "Permission denied", str(self.backups))

    monkeypatch.setattr(paths.Dirs, "ensure", read_only)
    refused(as_boss(["recall", "--lot", "x"]), "backups: Permission denied")


def test_a_policy_file_nested_too_deep_is_refused_not_a_crash(tmp_path: Path):
    policy = tmp_path / "policy"
    policy.mkdir()
    (policy / "deep.yaml").write_text("a: " + "[" * 50_000 + "]" * 50_000, encoding="utf-8")
    environment = dict(os.environ, CONSULT_HOME=str(tmp_path / "home"))
    for args in (
        ["knowledge", "check", "--policy", str(policy)],
        ["screen", "-", "--policy", str(policy)],
    ):
        result = subprocess.run(
            [sys.executable, "-m", "consult", *args],
            input="{}",
            capture_output=True,
            text=True,
            env=environment,
            timeout=120,
            check=False,
        )
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "nested more than 64 levels" in result.stderr


# --- one writer per SQLite file, however it is named ------------------------------------------


@pytest.fixture
def running(clinic_home: paths.Dirs) -> Iterator[Database]:
    """The home's database held open, as the app holds it."""
    db = open_database(clinic_home)
    try:
        yield db
    finally:
        db.close()


def test_the_home_database_named_by_url_is_behind_the_same_lock(
    clinic_home: paths.Dirs, running: Database, tmp_path: Path
):
    database = clinic_home.database_file
    link = tmp_path / "data-link"
    link.symlink_to(clinic_home.data)
    for spelling in (
        database,
        clinic_home.data / ".." / "data" / "consult.sqlite3",
        link / "consult.sqlite3",
    ):
        outcome = as_boss(["--database-url", f"sqlite:///{spelling}", "recall", "--lot", "x"])
        refused(outcome, "already running")


def test_another_sqlite_file_is_locked_by_its_real_path(home: paths.Dirs, tmp_path: Path):
    folder = tmp_path / "clinic"
    folder.mkdir()
    real = folder / "clinic.db"
    held = open_database(home, f"sqlite:///{real}")
    try:
        migrate.upgrade(held)
        link = tmp_path / "clinic-link"
        link.symlink_to(folder)
        outcome = run_main(["--database-url", f"sqlite:///{link / 'clinic.db'}", "backup"])
        refused(outcome, "already running")
    finally:
        held.close()


def test_the_home_database_by_url_works_when_nothing_else_has_it(clinic_home: paths.Dirs):
    url = f"sqlite:///{clinic_home.data / '..' / 'data' / 'consult.sqlite3'}"
    done = as_boss(["--database-url", url, "recall", "--lot", "LOT-R1"])
    assert done.code == 0, done.stderr
    assert "1 patient(s)" in done.stdout
