"""Showing and printing a stored consent form PDF.

PySide6-Essentials has no QtPdf, so the pages are rasterised with PDFium (pypdfium2) and
drawn as images: on screen at screen resolution, on a printer at up to 300 dpi. The
bytes shown or printed are always the stored, sealed PDF.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QScrollArea, QVBoxLayout, QWidget

PRINT_DPI_CAP = 300.0


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(
    pdf: bytes, dpi: float = 96.0, first: int = 0, last: int | None = None
) -> list[QImage]:
    """The pages ``first`` to ``last`` (all by default) as images at ``dpi``."""
    document = pdfium.PdfDocument(pdf)
    images: list[QImage] = []
    try:
        end = len(document) if last is None else min(last + 1, len(document))
        for index in range(first, end):
            page = document[index]
            bitmap = page.render(
                scale=dpi / 72.0,
                rev_byteorder=True,
                prefer_bgrx=True,
                fill_color=(255, 255, 255, 255),
            )
            image = QImage(
                bytes(bitmap.buffer),
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGBX8888,
            ).copy()  # own the pixels: the bitmap's buffer is freed below
            bitmap.close()
            page.close()
            images.append(image)
    finally:
        document.close()
    return images


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Draw every page of ``pdf`` on ``printer``, one sheet each, keeping proportions;
    returns the number of pages printed."""
    dpi = min(float(printer.resolution()), PRINT_DPI_CAP)
    count = page_count(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        for index in range(count):
            if index:
                printer.newPage()
            (image,) = render_pages(pdf, dpi, index, index)
            area = painter.viewport()
            size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRect(area.x(), area.y(), size.width(), size.height())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return count


def open_externally(pdf: bytes, name: str) -> Path:
    """Write the PDF to a temporary file and open it in the system's PDF viewer."""
    folder = Path(tempfile.mkdtemp(prefix="consult-form-"))
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) or "consent"
    path = folder / f"{safe}.pdf"
    path.write_bytes(pdf)
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
    return path


class PdfPreview(QScrollArea):
    """The stored form's pages as images, one under the other."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setAccessibleName(self.tr("Consent form preview"))
        self.pages = QWidget(self)
        self.column = QVBoxLayout(self.pages)
        self.column.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.setWidget(self.pages)
        self.shown = 0

    def show_pdf(self, pdf: bytes, dpi: float = 90.0) -> int:
        """Render and show every page; returns how many."""
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        images = render_pages(pdf, dpi)
        for number, image in enumerate(images, start=1):
            label = QLabel(self.pages)
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(self.tr("Page %1").replace("%1", str(number)))
            label.setStyleSheet("border: 1px solid #adb5bd; background: white;")
            self.column.addWidget(label)
        self.shown = len(images)
        return self.shown
