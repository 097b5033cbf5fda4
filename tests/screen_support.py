"""Screens to look at: the ``palette`` fixture (each test once in the Fusion style's light
palette and once in a dark one, the application's style and palette put back after it) and
:func:`out_dir`, the folder the grabbed screens go to.

A test module imports ``palette`` (naming it in ``__all__``, as a fixture) and saves each
grab under :func:`out_dir` with the palette in the file name.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from consult.ui.widgets import tones
from tests.test_dark_and_focus import dark_palette


@pytest.fixture(params=["light", "dark"])
def palette(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    style, before = app.style().name(), app.palette()
    app.setStyle("Fusion")
    if request.param == "dark":
        app.setPalette(dark_palette())
        assert tones.is_dark()
    else:
        app.setPalette(app.style().standardPalette())
    yield request.param
    app.setStyle(style)
    app.setPalette(before)


def out_dir(tmp_path: Path) -> Path:
    """``$CONSULT_SCREENSHOTS`` if set (to keep the screens), else the test's own folder."""
    chosen = os.environ.get("CONSULT_SCREENSHOTS")
    path = Path(chosen) if chosen else tmp_path
    path.mkdir(parents=True, exist_ok=True)
    return path
