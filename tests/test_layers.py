"""The layers of docs/architecture.md: Qt only in ui/, and no Qt or SQLAlchemy in domain/."""

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
