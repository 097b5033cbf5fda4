"""The layers of docs/architecture.md: Qt only in ui/, no Qt or SQLAlchemy in domain/, no
module importing another's private name, and the commands never importing the command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "consult"


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def _modules(exclude_ui: bool = True) -> list[Path]:
    return [path for path in SRC.rglob("*.py") if not (exclude_ui and (SRC / "ui") in path.parents)]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_qt_is_imported_only_in_ui(path: Path) -> None:
    assert not _imports(path) & {"PySide6", "shiboken6", "PyQt5", "PyQt6"}


@pytest.mark.parametrize(
    "path", sorted((SRC / "domain").rglob("*.py")), ids=lambda p: str(p.relative_to(SRC))
)
def test_domain_is_pure(path: Path) -> None:
    assert not _imports(path) & {"PySide6", "sqlalchemy", "alembic", "reportlab", "yaml"}


def test_the_scan_sees_a_qt_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert "PySide6" in _imports(sample)


def _private_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("consult"):
            found += [
                f"{node.module}.{alias.name}"
                for alias in node.names
                if alias.name.startswith("_") and not alias.name.startswith("__")
            ]
    return found


@pytest.mark.parametrize("path", _modules(exclude_ui=False), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_modules_private_name(path: Path) -> None:
    assert _private_imports(path) == []


def test_the_scan_sees_a_private_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("from consult.store.services.users import _secret\n")
    assert _private_imports(module) == ["consult.store.services.users._secret"]


def test_the_commands_never_import_the_command_line() -> None:
    # cli.py imports the commands; the reverse would be a cycle (commands/base.py holds
    # what they share).
    for path in (SRC / "commands").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                assert node.module != "consult.cli", path
                if node.module == "consult":
                    assert "cli" not in {alias.name for alias in node.names}, path
            elif isinstance(node, ast.Import):
                assert "consult.cli" not in {alias.name for alias in node.names}, path
