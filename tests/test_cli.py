"""The ``consult`` command, run as a subprocess as a user or a script would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from consult import __version__, paths
from consult.store.database import open_database


def consult(
    *args: str,
    home: Path | None = None,
    env: dict[str, str] | None = None,
    stdin: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """``consult ARGS`` as a subprocess; ``stdin``: its standard input (a password)."""
    environment = dict(os.environ)
    environment.update(env or {})
    if home is not None:
        environment[paths.HOME_ENV] = str(home)
    return subprocess.run(
        [sys.executable, "-m", "consult", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )


def test_version_and_help() -> None:
    result = consult("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"consult {__version__}"
    help_text = consult("--help").stdout
    for word in ("--home", "--database-url", "demo", "db"):
        assert word in help_text


def test_unknown_option_is_one_line_and_exit_2() -> None:
    result = consult("--frobnicate")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "unrecognized arguments: --frobnicate" in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_database_urls_are_one_line_and_exit_2() -> None:
    for url, expected in (
        ("mysql://x/y", "unsupported database"),
        ("not a url", "not a database URL"),
        ("postgresql+psycopg://nobody@127.0.0.1:9/none", "cannot open the database"),
    ):
        result = consult("--database-url", url, "db", "status")
        assert result.returncode == 2, result.stderr
        assert expected in result.stderr
        assert result.stderr.count("\n") == 1
        assert "Traceback" not in result.stderr


def test_demo_creates_then_reuses_the_clinic(home: paths.Dirs) -> None:
    first = consult("demo", "--no-gui")
    assert first.returncode == 0, first.stderr
    assert "Created the demo clinic" in first.stdout
    for username in ("manager", "doctor", "nurse", "reception"):
        assert f"  {username} " in first.stdout
    assert home.database_file.exists()
    second = consult("demo", "--no-gui")
    assert second.returncode == 0
    assert "Using the demo clinic" in second.stdout
    db = open_database(home)
    try:
        with db.engine.connect() as conn:
            names = [
                row[0]
                for row in conn.exec_driver_sql(
                    "SELECT given_name || ' ' || family_name FROM patient"
                )
            ]
    finally:
        db.close()
    # The 50 of the list, and the 16-year-old whose mother signs as her guardian.
    assert len(names) == 51 and "Lily Carter" in names
    joined = " ".join(names)
    for sample in ("Zoë", "Ελένη", "Анна", "山田"):
        assert sample in joined


def test_home_option_overrides_the_environment(tmp_path: Path) -> None:
    other = tmp_path / "other-home"
    result = consult("--home", str(other), "demo", "--no-gui")
    assert result.returncode == 0, result.stderr
    assert (other / "data" / "consult.sqlite3").exists()


def test_a_second_instance_on_the_same_home_says_so(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        result = consult("db", "upgrade")
    finally:
        db.close()
    assert result.returncode == 2
    assert "already running" in result.stderr


def test_db_upgrade_and_status(home: paths.Dirs) -> None:
    result = consult("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert "upgraded to" in result.stdout
    again = consult("db", "upgrade")
    assert "already up to date" in again.stdout
    status = consult("db", "status")
    assert "(current)" in status.stdout


def test_an_uncaught_error_is_written_to_the_log_file(tmp_path: Path) -> None:
    script = (
        "from pathlib import Path\n"
        "from consult import logs, paths\n"
        f"logs.configure(paths.for_home(Path({str(tmp_path)!r})))\n"
        "raise RuntimeError('the printer caught fire')\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 1
    log = (tmp_path / "logs" / "consult.log").read_text(encoding="utf-8")
    assert "CRITICAL consult" in log and "the printer caught fire" in log


def test_an_export_never_writes_over_the_database_or_the_audit_key(home: paths.Dirs) -> None:
    assert consult("db", "upgrade").returncode == 0
    key = home.config / "audit-chain.key"
    before = (home.database_file.read_bytes(), key.read_bytes())
    for target in (home.database_file, key):
        result = consult("export", "consents", "-o", str(target), "--force", "--as", "boss")
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "Consult's own files" in result.stderr
    assert (home.database_file.read_bytes(), key.read_bytes()) == before


def test_the_database_url_does_not_get_round_the_home_lock(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        result = consult("--database-url", f"sqlite:///{home.database_file}", "db", "upgrade")
    finally:
        db.close()
    assert result.returncode == 2
    assert "already running" in result.stderr and "Traceback" not in result.stderr
