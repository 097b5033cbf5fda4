"""Render the app icon set from ``resources/icons/consult.svg``.

    uv run python packaging/icons.py

Writes, next to the SVG: ``consult-N.png`` for every size in ``PNG_SIZES`` (Linux
hicolor theme, window icons), ``consult.ico`` (Windows: the executables and the
installer) and ``consult.icns`` (macOS: the app bundle). The drawing is rendered with
Qt's SVG renderer; the ICO and ICNS containers hold those PNGs and are written here
with ``struct``, so nothing beyond PySide6 is needed. Run it again after changing the
SVG and commit the results.
"""

from __future__ import annotations

import os
import struct
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SVG = ICONS / "consult.svg"
PNG_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types holding PNG data, and their pixel sizes (the @2x ones are Retina).
ICNS_TYPES = (
    (b"icp4", 16),
    (b"icp5", 32),
    (b"icp6", 64),
    (b"ic07", 128),
    (b"ic08", 256),
    (b"ic09", 512),
    (b"ic10", 1024),
    (b"ic11", 32),
    (b"ic12", 64),
    (b"ic13", 256),
    (b"ic14", 512),
)


def render(renderer: QSvgRenderer, size: int) -> bytes:
    """The SVG at ``size`` x ``size`` pixels, as PNG bytes."""
    image = QImage(size, size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise RuntimeError(f"could not encode the {size} px icon as PNG")
    buffer.close()
    return bytes(data.data())


def ico(pngs: dict[int, bytes]) -> bytes:
    """A Windows icon holding one PNG per size (Windows Vista and later read PNG entries)."""
    sizes = [size for size in ICO_SIZES if size in pngs]
    header = struct.pack("<HHH", 0, 1, len(sizes))
    offset = len(header) + 16 * len(sizes)
    entries, payload = b"", b""
    for size in sizes:
        data = pngs[size]
        side = 0 if size >= 256 else size  # 0 means 256 in an ICO directory entry
        entries += struct.pack("<BBBBHHII", side, side, 0, 0, 1, 32, len(data), offset)
        payload += data
        offset += len(data)
    return header + entries + payload


def icns(pngs: dict[int, bytes]) -> bytes:
    """A macOS icon family of PNG elements, 16 to 1024 px."""
    body = b"".join(
        kind + struct.pack(">I", 8 + len(pngs[size])) + pngs[size] for kind, size in ICNS_TYPES
    )
    return b"icns" + struct.pack(">I", 8 + len(body)) + body


def main() -> int:
    """Render every size and write the PNG, ICO and ICNS files."""
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SVG))
    if not renderer.isValid():
        print(f"icons: {SVG} is not a valid SVG", file=sys.stderr)
        return 1
    sizes = sorted({*PNG_SIZES, *ICO_SIZES, *(size for _, size in ICNS_TYPES)})
    pngs = {size: render(renderer, size) for size in sizes}
    written = []
    for size in PNG_SIZES:
        target = ICONS / f"consult-{size}.png"
        target.write_bytes(pngs[size])
        written.append(target)
    (ICONS / "consult.ico").write_bytes(ico(pngs))
    (ICONS / "consult.icns").write_bytes(icns(pngs))
    written += [ICONS / "consult.ico", ICONS / "consult.icns"]
    for path in written:
        print(f"{path.relative_to(ICONS.parents[1])}  {path.stat().st_size:>8} bytes")
    del app
    return 0


if __name__ == "__main__":
    sys.exit(main())
