"""Printing in tests: the print dialog skipped, each print sent to a PDF file, and the
PDFs handed to the painter kept, to read as the paper would show them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrinter

from consult.ui.widgets import pdf_pages


def print_to_files(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, owner: Any) -> list[bytes]:
    """``owner.choose_printer`` gives a PDF-file printer in ``tmp_path`` (no dialog); the
    returned list gets each PDF painted, in order."""
    sent: list[bytes] = []
    real_paint = pdf_pages.paint_pdf

    def choose(cls: type, parent: object) -> QPrinter:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setResolution(72)
        printer.setOutputFileName(str(tmp_path / f"print-{len(sent)}.pdf"))
        return printer

    def paint(pdf: bytes, printer: QPrinter) -> int:
        sent.append(pdf)
        return real_paint(pdf, printer)

    monkeypatch.setattr(owner, "choose_printer", classmethod(choose))
    monkeypatch.setattr(pdf_pages, "paint_pdf", paint)
    return sent
