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


_SIGNER_FIELDS: Mapping[str, tuple[tuple[str, str], ...]] = {
    "guardian": (("relationship", "The parent's or guardian's relationship to the patient"),),
    "witness": (),
    "interpreter": (("language", "The language the interpreter interpreted into"),),
}
"""Each extra signer's role, and what its entry must say besides the name (and why)."""


def signer_problem(signer: Mapping[str, Any]) -> str | None:
    """None for an acceptable extra signer's entry (a parent or guardian, a witness, an
    interpreter: :mod:`consult.domain.consent_signers`), else why it is refused. Checked
    like the patient's and the practitioner's: a name, and a signature that passes
    :func:`signature_problem`; a guardian's relationship and an interpreter's language
    too."""
    role = signer.get("role")
    if role not in _SIGNER_FIELDS:
        return f"Unknown signer role {role!r}."
    if not str(signer.get("name") or "").strip():
        return "The signer's printed name is required."
    for field, what in _SIGNER_FIELDS[str(role)]:
        if not str(signer.get(field) or "").strip():
            return f"{what} is required."
    strokes = signer.get("strokes")
    if not isinstance(strokes, list | tuple):
        return "The signature data is damaged: please sign again."
    return signature_problem(strokes)


def signers_problem(signers: Sequence[Mapping[str, Any]]) -> str | None:
    """None if every extra signer is acceptable and each role signs once, else the first
    problem."""
    seen: set[str] = set()
    for signer in signers:
        problem = signer_problem(signer)
        if problem:
            return problem
        role = str(signer.get("role"))
        if role in seen:
            return f"Only one {role} signs a consent."
        seen.add(role)
    return None
