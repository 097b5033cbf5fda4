"""Pages rasterised by PDFium straight into a QImage (consult.ui.widgets.pdf_pages): Qt's
opaque format, the right colours (byte order), opaque everywhere."""

from __future__ import annotations

import io
import sys

from PySide6.QtGui import QColor, QImage
from reportlab.pdfgen import canvas

from consult.ui.widgets.pdf_pages import render_pages


def _two_pages() -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(200, 100))
    for red, green, blue in ((0.8, 0.2, 0.4), (0.1, 0.6, 0.9)):
        pdf.setFillColorRGB(red, green, blue)
        pdf.rect(0, 0, 100, 100, stroke=0, fill=1)  # the left half; the right stays white
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_pages_are_rendered_in_qt_format_with_their_colours(qapp) -> None:
    images = render_pages(_two_pages(), dpi=72.0)
    assert [image.size().toTuple() for image in images] == [(200, 100), (200, 100)]
    for image, expected in zip(images, ((204, 51, 102), (26, 153, 230)), strict=True):
        assert image.format() == QImage.Format.Format_RGB32
        left, right = image.pixelColor(20, 50), image.pixelColor(180, 50)
        assert all(abs(a - b) <= 1 for a, b in zip(left.getRgb()[:3], expected, strict=True))
        assert right == QColor(255, 255, 255)
        # RGB32 is 0xffRRGGBB: the unused byte must be 0xff (Qt relies on it).
        pixels = bytes(image.constBits())
        unused = pixels[3::4] if sys.byteorder == "little" else pixels[0::4]
        assert set(unused) == {0xFF}


def test_a_page_outlives_the_document_it_was_rendered_from(qapp) -> None:
    (image,) = render_pages(_two_pages(), dpi=144.0, first=1, last=1)
    copy = image.copy()  # the pixels are the image's own, not PDFium's freed buffer
    assert copy == image
    assert image.pixelColor(40, 100).blue() > 200
