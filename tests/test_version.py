"""The version the program reports is the version it is installed as."""

from __future__ import annotations

import tomllib
from importlib.metadata import version
from pathlib import Path

import consult


def test_version_matches_the_project_and_the_installed_package() -> None:
    project = tomllib.loads(
        (Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    )
    assert consult.__version__ == project["project"]["version"] == version("consult")
