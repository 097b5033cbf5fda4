"""Handwritten signatures as vector strokes, and the check that refuses a trivial one.

A stroke is a list of points ``{"x", "y", "t", "p"}``: canvas coordinates, milliseconds
since the signature's first point, and pen pressure (0 to 1). The signature pad and the
signing service apply the same check, so a scribble refused on screen is also refused
by the record.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from typing import Any

MIN_POINTS = 8
MIN_INK_LENGTH = 40.0
MIN_BOX_WIDTH = 20.0
MIN_BOX_HEIGHT = 10.0

Stroke = Sequence[Mapping[str, Any]]


def ink_length(strokes: Sequence[Stroke]) -> float:
    """The total length of every stroke's line, in canvas units."""
    total = 0.0
    for stroke in strokes:
        for a, b in itertools.pairwise(stroke):
            total += math.hypot(float(b["x"]) - float(a["x"]), float(b["y"]) - float(a["y"]))
    return total


def signature_problem(strokes: Sequence[Stroke]) -> str | None:
    """None for an acceptable signature, else why it is refused (plain language)."""
    points = [point for stroke in strokes for point in stroke]
    if not points:
        return "The signature is empty: please sign in the box."
    for point in points:
        for key in ("x", "y", "t"):
            value = point.get(key)
            if not isinstance(value, int | float) or not math.isfinite(value):
                return "The signature data is damaged: please sign again."
    xs = [float(point["x"]) for point in points]
    ys = [float(point["y"]) for point in points]
    if (
        len(points) < MIN_POINTS
        or ink_length(strokes) < MIN_INK_LENGTH
        or max(xs) - min(xs) < MIN_BOX_WIDTH
        or max(ys) - min(ys) < MIN_BOX_HEIGHT
    ):
        return "That is too small to be a signature: please sign your name in the box."
    return None
