"""A handwritten signature for a FHIR receiver: a PNG anyone can show, and the strokes.

A receiver shows a FHIR Signature's data if it is an image; Consult's record holds the
signature as vector strokes (:mod:`consult.domain.signatures`), which no other program
reads. So the export draws the strokes into a PNG (dark ink on white, the pen's pressure
as the line's width, as the printed form draws them) and carries the signature as
recorded (strokes, pad size, name, time) beside it in an extension, for a receiver
that wants the strokes themselves.

The drawing is deterministic: the same strokes give the same bytes, so exporting a
record twice gives the same bundle. It is a two-colour palette image (paper and ink):
a few milliseconds and under a kilobyte a signature, where full colour took ten times as
long (a register of thousands of records draws two signatures each).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from typing import Any

from PIL import Image, ImageDraw

SCALE = 2
"""Pixels per unit of the signature pad: the PNG is twice the pad's size, sharp when shown
at the size it was signed."""
_PALETTE = (255, 255, 255, 16, 32, 90)
"""Paper (index 0, white) and ink (index 1, the dark blue of the printed form)."""
_PAPER, _INK = 0, 1
_MARGIN = 4.0


def _size(
    signature: Mapping[str, Any], strokes: Sequence[Sequence[Mapping[str, Any]]]
) -> tuple[float, float]:
    width = float(signature.get("width") or 0)
    height = float(signature.get("height") or 0)
    if width <= 0 or height <= 0:
        # No pad size recorded: the strokes' own extent, as the printed form does.
        width = max(float(p["x"]) for s in strokes for p in s) + _MARGIN
        height = max(float(p["y"]) for s in strokes for p in s) + _MARGIN
    return width, height


def signature_png(signature: Mapping[str, Any]) -> bytes | None:
    """The signature's strokes drawn as a PNG, or None when it has no strokes."""
    strokes = [stroke for stroke in signature.get("strokes") or [] if stroke]
    if not strokes:
        return None
    width, height = _size(signature, strokes)
    size = (max(1, round(width * SCALE)), max(1, round(height * SCALE)))
    image = Image.new("P", size, _PAPER)
    image.putpalette(_PALETTE)
    pen = ImageDraw.Draw(image)
    for stroke in strokes:
        points = [(float(p["x"]) * SCALE, float(p["y"]) * SCALE) for p in stroke]
        pressures = [float(p.get("p", 0.5)) for p in stroke]
        pressure = max(0.0, min(1.0, sum(pressures) / len(pressures)))
        line = max(1, round((1.0 + 2.2 * pressure) * SCALE))
        if len(points) == 1:
            (x, y), radius = points[0], line / 2
            pen.ellipse((x - radius, y - radius, x + radius, y + radius), fill=_INK)
            continue
        pen.line(points, fill=_INK, width=line, joint="curve")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()
