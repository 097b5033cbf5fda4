"""Showing and printing a stored consent form PDF.

PySide6-Essentials has no QtPdf, so the pages are rasterised with PDFium (pypdfium2) and
drawn as images: on screen at screen resolution, on a printer at up to 300 dpi. The
bytes shown or printed are always the stored, sealed PDF.

Rasterising a form takes from tens of milliseconds (on screen) to a second (three pages
at 300 dpi), so callers that must not freeze the window render the pages on a pool thread
(:func:`render_pages` makes QImages, which any thread may) and hand the images to
:meth:`PdfPreview.show_images` or :func:`paint_images` on the GUI thread. PDFium itself
is not thread-safe: every call into it here holds one lock.
"""

from __future__ import annotations

import contextlib
import ctypes
import itertools
import os
import shutil
import sys
import threading
from collections.abc import Sequence
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from PySide6.QtCore import QCoreApplication, QRect, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QMessageBox, QScrollArea, QVBoxLayout, QWidget

PRINT_DPI_CAP = 300.0

# PDFium may not be called from two threads at once, even for two documents: pages are
# rendered on pool threads as well as on the GUI thread.
_pdfium_lock = threading.Lock()

# PDFium's BGRx bytes (B, G, R, 0xff) are Qt's RGB32 (0xffRRGGBB) on a little-endian
# machine; on a big-endian one PDFium writes R, G, B, 0xff (Qt's RGBX8888), converted.
_QT_ORDER = sys.byteorder == "little"


def page_count(pdf: bytes) -> int:
    """How many pages the PDF has."""
    with _pdfium_lock:
        document = pdfium.PdfDocument(pdf)
        try:
            return len(document)
        finally:
            document.close()


def _render_page(document: pdfium.PdfDocument, index: int, dpi: float) -> QImage:
    page = document[index]
    made: list[QImage] = []

    def into_image(
        width: int,
        height: int,
        format: int,  # (pypdfium2 passes it by this name)
        rev_byteorder: bool,
    ) -> pdfium.PdfBitmap:
        # PDFium draws straight into the pixels of a QImage in Qt's own opaque format
        # (see _QT_ORDER), drawn as it is, never converted when painted, scaled or
        # recorded for a print preview. No copy nor conversion either: PDFium's call
        # lets go of the GIL, a conversion by Qt held it (50 ms a page at 300 dpi, the
        # window waiting for it while a pool thread rendered).
        image = QImage(
            width,
            height,
            QImage.Format.Format_RGB32 if _QT_ORDER else QImage.Format.Format_RGBX8888,
        )
        stride = image.bytesPerLine()
        pixels = (ctypes.c_ubyte * (stride * height)).from_buffer(image.bits())
        raw = pdfium_c.FPDFBitmap_CreateEx(width, height, format, pixels, stride)
        made.append(image)
        return pdfium.PdfBitmap(
            raw, pixels, width, height, stride, format, rev_byteorder, is_foreign=False
        )

    bitmap = page.render(
        scale=dpi / 72.0,
        force_bitmap_format=pdfium_c.FPDFBitmap_BGRx,
        rev_byteorder=not _QT_ORDER,
        fill_color=(255, 255, 255, 255),
        bitmap_maker=into_image,
    )
    bitmap.close()
    page.close()
    return made[0] if _QT_ORDER else made[0].convertToFormat(QImage.Format.Format_RGB32)


def render_pages(
    pdf: bytes, dpi: float = 96.0, first: int = 0, last: int | None = None
) -> list[QImage]:
    """The pages ``first`` to ``last`` (all by default) as images at ``dpi``.

    Safe on any thread (QImage is); the lock is taken page by page, so that a page shown
    on the GUI thread never waits for a whole document rendered elsewhere.
    """
    with _pdfium_lock:
        document = pdfium.PdfDocument(pdf)
    images: list[QImage] = []
    try:
        with _pdfium_lock:
            end = len(document) if last is None else min(last + 1, len(document))
        for index in range(first, end):
            with _pdfium_lock:
                images.append(_render_page(document, index, dpi))
    finally:
        with _pdfium_lock:
            document.close()
    return images


def print_dpi(printer: QPrinter) -> float:
    """The resolution pages are rendered at for ``printer`` (its own, at most 300 dpi)."""
    return min(float(printer.resolution()), PRINT_DPI_CAP)


def ask_for_printer(parent: QWidget | None) -> QPrinter | None:
    """The system's printer dialog; the printer chosen, or None if the user cancelled."""
    from PySide6.QtPrintSupport import QPrintDialog
    from PySide6.QtWidgets import QDialog

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


def _draw_page(painter: QPainter, image: QImage) -> None:
    """One page on the painter's sheet, as large as it fits, keeping proportions."""
    area = painter.viewport()
    size = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
    painter.drawImage(QRect(area.x(), area.y(), size.width(), size.height()), image)


def paint_pdf(pdf: bytes, printer: QPrinter) -> int:
    """Draw every page of ``pdf`` on ``printer``, one sheet each, keeping proportions;
    returns the number of pages printed. Each page is rendered as it is printed (at most
    one page's image in memory)."""
    dpi = print_dpi(printer)
    count = page_count(pdf)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        for index in range(count):
            if index:
                printer.newPage()
            (image,) = render_pages(pdf, dpi, index, index)
            _draw_page(painter, image)
    finally:
        painter.end()
    return count


def paint_images(images: Sequence[QImage], printer: QPrinter) -> int:
    """Draw pages already rendered (:func:`render_pages` at :func:`print_dpi`) on
    ``printer``, one sheet each, as :func:`paint_pdf` does; returns how many."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started.")
    try:
        for index, image in enumerate(images):
            if index:
                printer.newPage()
            _draw_page(painter, image)
    finally:
        painter.end()
    return len(images)


class OpenCopies:
    """The folder of decrypted copies of stored forms handed to the system's PDF viewer.

    The viewer needs a file; the copy is written here (mode 0600, in a folder of the
    app's own, never the shared temporary folder), and the folder is emptied when the
    app starts and when it closes.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, pdf: bytes, name: str) -> Path:
        """Write ``pdf`` as ``name``.pdf (a name of its own if that one is still in use)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(OSError):
            self.folder.chmod(0o700)
        safe = "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name) or "consent"
        for number in itertools.count(1):
            path = self.folder / (f"{safe}.pdf" if number == 1 else f"{safe}-{number}.pdf")
            try:
                path.unlink(missing_ok=True)  # an earlier copy of the same form
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            except OSError:  # still open in a viewer that locks it (Windows)
                if number >= 100:
                    raise
                continue
            with os.fdopen(fd, "wb") as handle:
                handle.write(pdf)
            return path
        raise AssertionError("unreachable")  # pragma: no cover

    def files(self) -> list[Path]:
        """The copies there now."""
        if not self.folder.is_dir():
            return []
        return sorted(path for path in self.folder.iterdir())

    def clear(self) -> int:
        """Remove every copy (one a viewer still locks stays until next time); how many went."""
        removed = 0
        for path in self.files():
            try:
                if path.is_dir() and not path.is_symlink():
                    shutil.rmtree(path)
                else:
                    path.unlink()
            except OSError:
                continue
            removed += 1
        return removed


_open_copies: OpenCopies | None = None


def use_open_copies(copies: OpenCopies | None) -> None:
    """Keep the copies for the PDF viewer in ``copies`` (the app does this at start)."""
    global _open_copies
    _open_copies = copies


def open_copies() -> OpenCopies:
    """Where the copies for the PDF viewer go."""
    if _open_copies is not None:
        return _open_copies
    from consult import paths

    return OpenCopies(paths.resolve().open_copies)


def open_externally(
    pdf: bytes,
    name: str,
    parent: QWidget | None = None,
    copies: OpenCopies | None = None,
) -> Path | None:
    """Open the PDF in the system's PDF viewer, through a copy in the app's own folder.

    Returns the copy, or None if no program could open it: the copy is then removed at
    once and a message says so.
    """
    path = (copies or open_copies()).write(pdf, name)
    if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
        return path
    path.unlink(missing_ok=True)
    QMessageBox.warning(
        parent,
        QCoreApplication.translate("pdf_pages", "The form could not be opened"),
        QCoreApplication.translate(
            "pdf_pages",
            "No program to show PDF files was found on this computer, so the form could "
            "not be opened.\n\nUse “Print preview…” to see it, or ask for a PDF viewer to "
            "be installed.",
        ),
    )
    return None


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
        return self.show_images(render_pages(pdf, dpi))

    def show_images(self, images: Sequence[QImage]) -> int:
        """Show pages already rendered (on a pool thread, by :func:`render_pages`);
        returns how many."""
        while self.column.count():
            item = self.column.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        for number, image in enumerate(images, start=1):
            label = QLabel(self.pages)
            label.setPixmap(QPixmap.fromImage(image))
            label.setAccessibleName(self.tr("Page %1").replace("%1", str(number)))
            label.setStyleSheet("border: 1px solid #adb5bd; background: white;")
            self.column.addWidget(label)
        self.shown = len(images)
        return self.shown
