"""Locate the data files shipped under ``resources/``.

In an installed wheel they live inside the package (``consult/resources``); in a source
checkout they are the top-level ``resources/`` directory. Both are reached the same way.
"""

from __future__ import annotations

import functools
from importlib import resources as importlib_resources
from pathlib import Path


@functools.cache
def root() -> Path:
    """The resources directory (found once: where the program is installed does not change
    while it runs, and windows look up their icons and diagrams in it as they are made)."""
    packaged = Path(str(importlib_resources.files("consult"))) / "resources"
    if packaged.is_dir():
        return packaged
    checkout = Path(__file__).resolve().parents[2] / "resources"
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(  # pragma: no cover - a broken installation
        f"Consult's resources are missing: looked in {packaged} and {checkout}"
    )


def path(*parts: str) -> Path:
    """A file or directory under the resources directory."""
    return root().joinpath(*parts)
