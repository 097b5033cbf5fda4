"""Start-up imports only what the first screen uses.

``consult --version`` and ``--help`` import no subcommand, a subcommand imports its own
module, ``consult screen`` neither the database nor Qt, and the sign-in window is shown
before SQLAlchemy, the store services, Alembic, ReportLab and the workspace are imported
(the database is opened behind it). The knowledge base comes from
its cache in the home on a second start. How fast this is: benchmarks/bench_startup.py.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlalchemy import text

from consult import cli, commands, paths
from consult.commands import app as app_command
from consult.commands import screening as screening_command
from consult.store import migrate
from consult.store.database import open_database
from tests.screening_support import intake

HEAVY = (
    "sqlalchemy",
    "alembic",
    "reportlab",
    "PySide6",
    "yaml",
    "jsonschema",
    "pypdfium2",
    "pypdf",
    "consult.store",
    "consult.knowledge",
    "consult.documents",
)


def loaded_after(code: str, env: dict[str, str] | None = None) -> tuple[set[str], str]:
    """Run ``code`` in a fresh interpreter; the heavy modules (and the consult.commands
    submodules but ``base``, which the command line itself needs) it left loaded, and
    what it printed on stdout."""
    script = textwrap.dedent(code) + textwrap.dedent(
        f"""
        import sys as _sys
        _wanted = {HEAVY!r}
        _found = sorted(
            name for name in _sys.modules
            if (name.startswith("consult.commands.") and name != "consult.commands.base")
            or any(name == w or name.startswith(w + ".") for w in _wanted)
        )
        print("LOADED " + " ".join(_found), file=_sys.stderr)
        """
    )
    environment = dict(os.environ, **(env or {}))
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    lines = [line for line in result.stderr.splitlines() if line.startswith("LOADED")]
    assert lines, result.stderr
    return set(lines[-1].split()[1:]), result.stdout


def roots(names: set[str]) -> set[str]:
    return {name.split(".")[0] if not name.startswith("consult.") else name for name in names}


# --- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_version_and_help_import_no_subcommand(option: str) -> None:
    loaded, out = loaded_after(
        f"""
        from consult.cli import main
        assert main([{option!r}]) == 0
        """
    )
    assert loaded == set(), loaded
    assert "consult" in out


def test_a_subcommands_help_imports_its_module_only() -> None:
    loaded, out = loaded_after(
        """
        from consult.cli import main
        assert main(["screen", "--help"]) == 0
        """
    )
    assert "--no-policy" in out
    assert loaded == {"consult.commands.screening"}, loaded


def test_screen_imports_neither_the_database_nor_qt_and_reads_the_cache(tmp_path: Path) -> None:
    file = tmp_path / "intake.json"
    file.write_text(json.dumps(intake("botulinum_toxin")), encoding="utf-8")
    env = {paths.HOME_ENV: str(tmp_path / "home")}
    code = f"""
        from consult.cli import main
        assert main(["screen", {str(file)!r}]) == 0
        """
    first, out = loaded_after(code, env)
    assert json.loads(out)["results"][0]["treatment"] == "botulinum_toxin"
    second, _ = loaded_after(code, env)
    for loaded in (first, second):
        assert not {"sqlalchemy", "alembic", "reportlab", "PySide6", "pypdfium2"} & roots(loaded)
        assert not any(name.startswith(("consult.store", "consult.documents")) for name in loaded)
    assert "jsonschema" in roots(first)  # the files validated once…
    assert "jsonschema" not in roots(second)  # …then read from the cache
    cache = screening_command.knowledge_cache(paths.for_home(tmp_path / "home"))
    assert len(list(cache.glob("knowledge-*.json"))) == 1


def _eager_tree() -> list[tuple[str, str]]:
    sub = next(a for a in cli.build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return [(choice.dest, choice.help or "") for choice in sub._choices_actions]


def test_the_listing_of_subcommands_is_the_modules_own() -> None:
    assert [(c.name, c.help) for c in commands.SUBCOMMANDS] == _eager_tree()
    for module in commands.MODULES:
        scratch = argparse.ArgumentParser().add_subparsers()
        commands.registrar(module)(scratch)
        assert set(scratch.choices) == {c.name for c in commands.SUBCOMMANDS if c.module == module}
    lazy = cli.build_parser(lazy=True).format_help()
    assert lazy == cli.build_parser().format_help()


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--home", "/tmp/x", "demo", "--no-gui"],
        ["screen", "--format", "text", "--no-policy", "f.json"],
        ["knowledge", "report", "--format", "html"],
        ["db", "upgrade", "--grant-to", "clinic"],
        ["consent", "pdf", "--id", "12", "-o", "out.pdf", "--sealed", "--as", "doc"],
        ["export", "consents", "-o", "x.csv", "--from", "2026-01-01", "--as", "boss"],
        ["recall", "--lot", "A1", "--user", "boss"],
        ["verify"],
    ],
)
def test_the_lazy_parser_reads_a_command_line_as_the_whole_one_does(argv: list[str]) -> None:
    lazy = vars(cli.build_parser(lazy=True).parse_args(argv))
    assert lazy == vars(cli.build_parser().parse_args(argv))


# --- the app --------------------------------------------------------------------------


def test_the_newest_migration_is_found_without_alembic(home: paths.Dirs) -> None:
    assert app_command.head_revision() == migrate.head_revision()
    db = open_database(home)
    try:
        assert not app_command.schema_is_current(db)  # empty
        migrate.upgrade(db, "0001")
        assert not app_command.schema_is_current(db)  # older
        migrate.upgrade(db)
        assert app_command.schema_is_current(db)
        with db.engine.begin() as conn:
            conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
        assert not app_command.schema_is_current(db)  # newer: Alembic says so
    finally:
        db.close()


def test_migrations_that_are_not_one_plain_chain_are_left_to_alembic(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import consult.store

    store = tmp_path / "store"
    versions = store / "migrations" / "versions"
    versions.mkdir(parents=True)
    monkeypatch.setattr(consult.store, "__file__", str(store / "__init__.py"))

    def write(name: str, revision: str, down: str, extra: str = "") -> None:
        (versions / f"{name}.py").write_text(
            f'revision: str = "{revision}"\ndown_revision: str | None = {down}\n{extra}',
            encoding="utf-8",
        )

    write("0001_a", "0001", "None")
    write("0002_b", "0002", '"0001"')
    assert app_command.head_revision() == "0002"
    write("0003_c", "0003", '"0001"')  # a branch: two heads
    assert app_command.head_revision() is None
    (versions / "0003_c.py").unlink()
    write("0003_c", "0003", '("0001", "0002")')  # a merge
    assert app_command.head_revision() is None
    write("0003_c", "0003", '"0002"', 'depends_on = "0001"\n')
    assert app_command.head_revision() is None
    write("0003_c", "0003", '"0002"', "branch_labels = None\ndepends_on = None\n")
    assert app_command.head_revision() == "0003"
    (versions / "abc_d.py").write_text("# no revision\n", encoding="utf-8")
    assert app_command.head_revision() is None


def test_the_sign_in_window_is_shown_before_the_database_and_the_workspace(
    home: paths.Dirs,
) -> None:
    from consult.knowledge.loader import load_knowledge
    from consult.ui.shell.knowledge import knowledge_cache

    db = open_database(home)
    try:
        migrate.upgrade(db)
    finally:
        db.close()
    load_knowledge(policy_dir=home.policy_dir, cache_dir=knowledge_cache(home))  # not the 1st
    # A real start of the app with the start-up probe (which quits once the window is on
    # screen): what is loaded when the window has just been shown, before the work that
    # follows it starts.
    script = textwrap.dedent(
        """
        import sys
        from consult import cli
        from consult.ui.shell import app as ui_app

        shown = ui_app._AfterShown.__init__
        def at_show(self, *args, **kwargs):
            print("SHOWN " + " ".join(sorted(sys.modules)), file=sys.stderr, flush=True)
            shown(self, *args, **kwargs)
        ui_app._AfterShown.__init__ = at_show
        sys.exit(cli.main([]))
        """
    )
    environment = dict(
        os.environ,
        CONSULT_STARTUP_PROBE="1",
        QT_QPA_PLATFORM="offscreen",
        **{app_command.STARTED_FROM_ENV: "terminal"},
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "consult-startup-probe shown " in result.stdout
    # …then the database opened behind it, and Sign in enabled.
    assert "consult-startup-probe ready " in result.stdout
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("SHOWN ")]
    at_show = set(line.split()[1:])
    assert {"PySide6", "consult.ui.shell.signin", "consult.ui.shell.main_window"} <= at_show
    for absent in (
        "sqlalchemy",
        "zxcvbn",
        "consult.store.database",
        "consult.store.services",
        "consult.ui.shell.session",
        "consult.ui.shell.first_run",
        "alembic",
        "reportlab",
        "jsonschema",
        "pypdf",
        "consult.store.migrate",
        "consult.store.backup",
        "consult.documents.consent_pdf",
        "consult.ui.shell.workspace",
        "consult.ui.patients.search_page",
        "consult.ui.consultation.wizard",
    ):
        assert absent not in at_show, absent


def test_the_app_and_screen_share_the_knowledge_cache(home: paths.Dirs) -> None:
    from consult.ui.shell.knowledge import knowledge_cache

    assert knowledge_cache(home) == screening_command.knowledge_cache(home)
    assert knowledge_cache(home).is_relative_to(home.data)


@pytest.mark.qt_log_ignore("propagateSizeHints")  # the offscreen platform, at show()
def test_the_app_loads_the_knowledge_base_from_its_cache_on_a_second_start(
    qtbot, sqlite_db, home: paths.Dirs, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QThreadPool
    from PySide6.QtWidgets import QApplication

    from consult.knowledge import loader
    from consult.ui.shell import app as ui_app
    from consult.ui.shell.knowledge import knowledge, knowledge_cache, use_policy_dir
    from consult.ui.shell.main_window import MainWindow
    from consult.ui.widgets import pdf_pages

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # run_gui installs its own
    # QApplication.exec is not run in a test: each start returns once its window has
    # the session (the database opened and the knowledge base loaded on a pool thread).
    seen: set[int] = set()

    def until_open(*_args: object) -> int:
        def opened() -> bool:
            for widget in QApplication.topLevelWidgets():
                if isinstance(widget, MainWindow) and id(widget) not in seen and widget.is_open:
                    seen.add(id(widget))
                    return True
            return False

        qtbot.waitUntil(opened, timeout=30_000)
        return 0

    monkeypatch.setattr(QApplication, "exec", until_open)
    versions = []
    try:
        assert ui_app.run_gui(sqlite_db, home) == 0  # first start: the files are read
        versions.append(knowledge().version)
        assert len(list(knowledge_cache(home).glob("knowledge-*.json"))) == 1

        def no_files(path: Path) -> object:
            raise AssertionError(f"{path} read again: the cache was not used")

        monkeypatch.setattr(loader, "read_yaml", no_files)
        monkeypatch.setattr(loader, "_schemas", no_files)
        assert ui_app.run_gui(sqlite_db, home) == 0  # second start: from the cache
        versions.append(knowledge().version)
    finally:
        QThreadPool.globalInstance().waitForDone()
        pdf_pages.use_open_copies(None)
        use_policy_dir(None)
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow):
                widget.close()
                widget.deleteLater()
    assert versions[0] == versions[1]
