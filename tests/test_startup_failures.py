"""Why the app cannot start is told where the person starting it will see it.

From a terminal: one line on standard error. From the desktop (no terminal): a message
box as well, since standard error goes nowhere anyone reads. Exit code 2 either way.
The message boxes here are real: a timer finds them, reads them and closes them.
"""

from __future__ import annotations

import argparse
import io
import os
import secrets
import subprocess
import sys
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from consult import cli, paths
from consult.commands import app as app_command
from consult.store import keys, migrate
from consult.store.database import open_database
from consult.store.services.context import ServiceContext
from consult.ui.shell.knowledge import use_policy_dir
from tests import factories
from tests.message_boxes import message_boxes

# Showing a top-level window on the offscreen platform logs this harmless warning.
pytestmark = pytest.mark.qt_log_ignore("propagateSizeHints")


@pytest.fixture
def desktop(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(app_command.STARTED_FROM_ENV, "desktop")


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(app_command.STARTED_FROM_ENV, "terminal")


@pytest.fixture
def running(home: paths.Dirs) -> Iterator[None]:
    """Another Consult holds this home's single-instance lock."""
    db = open_database(home)
    try:
        yield
    finally:
        db.close()


def one_error_line(captured: str) -> str:
    lines = captured.strip().splitlines()
    assert len(lines) == 1, captured
    assert lines[0].startswith("consult: error: ")
    return lines[0]


# --- the two paths --------------------------------------------------------------------


def test_already_running_from_the_desktop_shows_a_message_box(
    qtbot, home, desktop, running, capsys
) -> None:
    with message_boxes(qtbot) as shown:
        assert cli.main([]) == 2
    assert len(shown) == 1
    title, message = shown[0]
    assert title == "Consult cannot start"
    assert "already running" in message
    assert "already running" in one_error_line(capsys.readouterr().err)


def test_already_running_from_a_terminal_is_one_line_on_stderr_and_no_box(
    qtbot, home, terminal, running, capsys
) -> None:
    with message_boxes(qtbot) as shown:
        assert cli.main([]) == 2
        qtbot.wait(60)
    assert shown == []
    assert "already running" in one_error_line(capsys.readouterr().err)


def test_already_running_from_a_terminal_as_a_real_process(home, running) -> None:
    environment = dict(os.environ)
    environment[app_command.STARTED_FROM_ENV] = "terminal"
    result = subprocess.run(
        [sys.executable, "-m", "consult"],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "already running" in one_error_line(result.stderr)


def _wrong_audit_key(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db)
        factories.staff(ServiceContext(db))  # the audit log is started with this key
    finally:
        db.close()
    keys.key_path(home).write_text(secrets.token_hex(32) + "\n", encoding="ascii")


def _schema_too_new(home: paths.Dirs) -> None:
    db = open_database(home)
    try:
        migrate.upgrade(db)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    finally:
        db.close()


def _policy_refused(home: paths.Dirs) -> None:
    home.policy_dir.mkdir(parents=True, exist_ok=True)
    (home.policy_dir / "weaker.yaml").write_text(
        "description: tries to weaken a shipped absolute rule\n"
        "overrides:\n"
        "  - rule: regen-active-cancer\n"
        "    severity: caution\n"
        "    reason: we would rather not\n",
        encoding="utf-8",
    )


FAILURES = {
    "wrong audit key": (_wrong_audit_key, "audit key"),
    "schema too new": (_schema_too_new, "newer version of Consult"),
    "policy refused": (_policy_refused, "regen-active-cancer"),
}


@pytest.fixture
def no_policy_left() -> Iterator[None]:
    yield
    use_policy_dir(None)


@pytest.mark.parametrize("failure", list(FAILURES))
def test_each_start_up_failure_is_shown_from_the_desktop(
    qtbot, home, desktop, capsys, no_policy_left, failure
) -> None:
    prepare, words = FAILURES[failure]
    prepare(home)
    with message_boxes(qtbot) as shown:
        assert cli.main([]) == 2
    assert len(shown) == 1, shown
    title, message = shown[0]
    assert title == "Consult cannot start"
    assert words in message
    assert words in one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize("failure", list(FAILURES))
def test_each_start_up_failure_is_one_line_from_a_terminal(
    qtbot, home, terminal, capsys, no_policy_left, failure
) -> None:
    prepare, words = FAILURES[failure]
    prepare(home)
    with message_boxes(qtbot) as shown:
        assert cli.main([]) == 2
        qtbot.wait(60)
    assert shown == []
    assert words in one_error_line(capsys.readouterr().err)


@pytest.mark.postgres
def test_a_server_schema_too_old_is_shown_from_the_desktop(
    qtbot, home, desktop, capsys, pg_schema_url
) -> None:
    db = open_database(home, pg_schema_url)
    try:
        migrate.upgrade(db, "0001")
    finally:
        db.close()
    with message_boxes(qtbot) as shown:
        assert cli.main(["--database-url", pg_schema_url]) == 2
    assert len(shown) == 1
    assert "consult db upgrade" in shown[0][1]
    assert "consult db upgrade" in one_error_line(capsys.readouterr().err)


def test_an_unexpected_error_at_start_is_shown_from_the_desktop_then_raised(
    qtbot, home, desktop, monkeypatch
) -> None:
    def broken(ctx: cli.Context) -> None:
        raise RuntimeError("the disk answered nonsense")

    monkeypatch.setattr(app_command, "open_for_use", broken)
    ctx = cli.Context(dirs=home, database_url=None)
    with message_boxes(qtbot) as shown, pytest.raises(RuntimeError, match="nonsense"):
        app_command.run_app(argparse.Namespace(), ctx)
    assert len(shown) == 1
    assert "did not expect" in shown[0][1]
    assert "RuntimeError: the disk answered nonsense" in shown[0][1]


# --- deciding whether there is a terminal ---------------------------------------------


class _Stream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self._tty = tty

    def isatty(self) -> bool:
        return self._tty


@pytest.mark.parametrize(
    ("stdin_tty", "stderr_tty", "expected"),
    [(True, True, True), (True, False, True), (False, True, True), (False, False, False)],
)
def test_a_terminal_is_a_tty_on_stdin_or_stderr(
    monkeypatch, stdin_tty, stderr_tty, expected
) -> None:
    monkeypatch.delenv(app_command.STARTED_FROM_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", _Stream(stdin_tty))
    monkeypatch.setattr(sys, "stderr", _Stream(stderr_tty))
    assert app_command.has_terminal() is expected


def test_no_streams_at_all_is_no_terminal(monkeypatch) -> None:
    monkeypatch.delenv(app_command.STARTED_FROM_ENV, raising=False)
    monkeypatch.setattr(sys, "stdin", None)
    monkeypatch.setattr(sys, "stderr", None)
    assert app_command.has_terminal() is False


def test_the_environment_decides_when_set(monkeypatch) -> None:
    monkeypatch.setattr(sys, "stdin", _Stream(True))
    monkeypatch.setenv(app_command.STARTED_FROM_ENV, "desktop")
    assert app_command.has_terminal() is False
    monkeypatch.setattr(sys, "stdin", _Stream(False))
    monkeypatch.setattr(sys, "stderr", _Stream(False))
    monkeypatch.setenv(app_command.STARTED_FROM_ENV, "terminal")
    assert app_command.has_terminal() is True


def test_without_a_display_the_message_stays_on_stderr(
    qtbot, monkeypatch, home, desktop, running, capsys
) -> None:
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    assert not app_command.can_show_dialogs()
    with message_boxes(qtbot) as shown:
        assert cli.main([]) == 2
        qtbot.wait(60)
    assert shown == []
    assert "already running" in one_error_line(capsys.readouterr().err)
