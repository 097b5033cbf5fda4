"""A consent after sealing: its number and short hash, the stored form on screen, and
printing, previewing and saving it.

Shown and saved is the original: the sealed form as the clinic signed it, the file
``consult verify FILE`` checks (a form sealed before forms were signed: its sealed
bytes, as the saved message says); a print is a marked copy. Every one is logged by the
service: showing, printing, previewing and saving the form are service
writes, so they run off the GUI thread through :func:`~consult.ui.widgets.tasks.run_write`
with the buttons disabled meanwhile.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from consult.store.dto import ConsentInfo
from consult.store.services import consents
from consult.store.services.context import ServiceContext
from consult.ui.consent.buttons import plain_button
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.export_panel import ask_save_path
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.pdf_pages import PdfPreview
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background, run_write
from consult.ui.widgets.tones import style_with_tones


def save_form(ctx: ServiceContext, consent_id: int, path: Path) -> bool:
    """Write the original form to ``path`` (logged as exported), through a temporary file
    so that no half file is left; True if it is signed by the clinic."""
    original = consents.original(ctx, consent_id, purpose="exported")
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(original.data)
    partial.replace(path)
    return original.signed


class SealedPanel(QWidget):
    """The sealed record of one treatment, with its form to print, preview or save.

    Signals:
        continue_requested: the practitioner pressed "Next treatment: …" / "Done".
    """

    continue_requested = Signal()

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.info: ConsentInfo | None = None
        self.pdf: bytes | None = None
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        column = QVBoxLayout()
        row.addLayout(column, 1)
        self.sealed_label = QLabel(self.tr("✔ Consent signed and sealed"), self)
        font = self.sealed_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.sealed_label.setFont(font)
        style_with_tones(self.sealed_label, "color: $ok;")
        self.sealed_label.setAccessibleName(self.tr("Consent signed and sealed"))
        column.addWidget(self.sealed_label)
        self.sealed_details = QLabel(self)
        self.sealed_details.setWordWrap(True)
        self.sealed_details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.sealed_details.setAccessibleName(self.tr("Sealed record"))
        column.addWidget(self.sealed_details)
        explain = QLabel(
            self.tr(
                "The record can no longer be changed. Printing, saving and reprinting always "
                "give the stored form, and each time is logged."
            ),
            self,
        )
        explain.setWordWrap(True)
        column.addWidget(explain)
        # The buttons that start a logged write: disabled together while one runs.
        self.output_buttons = QWidget(self)
        buttons = QVBoxLayout(self.output_buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.print_button = plain_button(self.tr("&Print…"), self.tr("Print"), self.output_buttons)
        self.preview_button = plain_button(
            self.tr("Print pre&view…"), self.tr("Print preview"), self.output_buttons
        )
        self.save_button = plain_button(
            self.tr("&Save PDF…"), self.tr("Save PDF"), self.output_buttons
        )
        for button in (self.print_button, self.preview_button, self.save_button):
            button.setMinimumWidth(220)
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.output_buttons, 0, Qt.AlignmentFlag.AlignLeft)
        self.output_status = QLabel(self)
        self.output_status.setWordWrap(True)
        self.output_status.setAccessibleName(self.tr("Printing and saving status"))
        column.addWidget(self.output_status)
        self.output_error = ErrorLabel(self)
        column.addWidget(self.output_error)
        column.addStretch(1)
        self.continue_button = plain_button(self.tr("&Done"), self.tr("Done"), self)
        self.continue_button.setMinimumWidth(220)
        column.addWidget(self.continue_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.preview = PdfPreview(self)
        row.addWidget(self.preview, 2)
        self.print_button.clicked.connect(self.print_form)
        self.preview_button.clicked.connect(self.preview_form)
        self.save_button.clicked.connect(self.save_pdf)
        self.continue_button.clicked.connect(self.continue_requested)

    def set_continue(self, text: str, name: str) -> None:
        """Label the button that goes on ("Next treatment: …" or "Done")."""
        self.continue_button.setText(text)
        self.continue_button.setAccessibleName(name)

    # Showing the record ----------------------------------------------------------------

    def show_record(self, info: ConsentInfo, patient: str, practitioner: str) -> None:
        """Show the sealed record signed by ``patient`` and ``practitioner``, then its
        stored form (read off the GUI thread: a view is logged)."""
        self.info = info
        self.sealed_details.setText(
            "<p>"
            + self.tr("Document number: <b>%1</b>").replace("%1", info.document_number)
            + "<br>"
            + self.tr("Document hash (SHA-256, short): <b>%1</b>").replace(
                "%1", info.document_sha256[:12]
            )
            + "<br>"
            + self.tr("Signed at %1 by %2 and %3")
            .replace("%1", local_time(info.signed_at.replace(tzinfo=dt.UTC)))
            .replace("%2", patient)
            .replace("%3", practitioner)
            + "</p>"
        )
        self.sealed_details.setToolTip(
            self.tr("Full document hash: %1").replace("%1", info.document_sha256)
        )
        self.continue_button.setFocus()
        ctx = self.session.ctx
        run_write(
            lambda: consents.pdf(ctx, info.id, purpose="viewed"),
            self._form_loaded,
            self._form_failed,
        )

    def _form_loaded(self, pdf: bytes) -> None:
        if not shiboken6.isValid(self):
            return
        self.pdf = pdf
        # A whole page's width fits the preview (a US letter page is 8.5 inches wide).
        room = self.preview.viewport().width() - 24
        dpi = max(48.0, min(72.0, room / 8.5))
        said = self.output_status.text()
        # Rasterised on a pool thread: the window keeps running meanwhile.
        run_in_background(
            lambda: pdf_pages.render_pages(pdf, dpi),
            lambda images: self._show_form(images, said),
            self._form_failed,
        )

    def _show_form(self, images: list[QImage], said: str) -> None:
        if not shiboken6.isValid(self):
            return
        pages = self.preview.show_images(images)
        if self.output_status.text() == said:  # a print or save meanwhile is told instead
            self.output_status.setText(self.tr("The stored form has %n page(s).", "", pages))

    def _form_failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self.output_error.show_error(
                self.tr("The form cannot be shown: %1").replace("%1", refusal_text(exc))
            )

    # Printing, previewing, saving ------------------------------------------------------

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """Ask which printer to use (tests replace this)."""
        return pdf_pages.ask_for_printer(parent)

    @classmethod
    def run_preview(cls, dialog: QPrintPreviewDialog) -> bool:
        """Show the preview; True if the user printed from it (tests replace this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def print_form(self) -> None:
        """Print a copy of the stored form, "Copy" and the date on every page (logged as
        printed)."""
        info = self.info
        if info is None:
            return
        printer = self.choose_printer(self)
        if printer is None:
            return
        self.output_error.clear_error()
        ctx = self.session.ctx
        run_write(
            lambda: consents.pdf(ctx, info.id, purpose="printed"),
            lambda pdf: self._print(pdf, printer, info),
            self._not_printed,
            busy=self.output_buttons,
        )

    def _print(self, pdf: bytes, printer: QPrinter, info: ConsentInfo) -> None:
        if not shiboken6.isValid(self):
            return
        try:
            pages = pdf_pages.paint_pdf(pdf, printer)
        except (OSError, ValueError) as exc:
            self._not_printed(exc)
            return
        self.output_status.setText(
            self.tr("Printed a copy of %1 (%n page(s)).", "", pages).replace(
                "%1", info.document_number
            )
        )

    def _not_printed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self.output_error.show_error(
                self.tr("Not printed: %1").replace("%1", refusal_text(exc))
            )

    def preview_form(self) -> None:
        """Show the copy a print gives (logged as previewed); printing from the preview is
        logged as a print."""
        info = self.info
        if info is None:
            return
        self.output_error.clear_error()
        ctx = self.session.ctx
        run_write(
            lambda: consents.print_preview(ctx, info.id, kb=knowledge()),
            lambda pdf: self._preview(pdf, info),
            self._output_failed,
            busy=self.output_buttons,
        )

    def _preview(self, pdf: bytes, info: ConsentInfo) -> None:
        """Rasterise the copy at the printer's resolution on a pool thread (a second for
        three pages at 300 dpi), the buttons waiting; then show the preview."""
        if not shiboken6.isValid(self):
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dpi = pdf_pages.print_dpi(printer)
        self.output_buttons.setEnabled(False)

        def failed(exc: Exception) -> None:
            if shiboken6.isValid(self):
                self.output_buttons.setEnabled(True)
                self._output_failed(exc)

        run_in_background(
            lambda: pdf_pages.render_pages(pdf, dpi),
            lambda images: self._show_preview(images, printer, info),
            failed,
        )

    def _show_preview(self, images: list[QImage], printer: QPrinter, info: ConsentInfo) -> None:
        if not shiboken6.isValid(self):
            return
        self.output_buttons.setEnabled(True)
        dialog = QPrintPreviewDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print preview — %1").replace("%1", info.document_number))
        dialog.paintRequested.connect(lambda target: pdf_pages.paint_images(images, target))
        try:
            printed = self.run_preview(dialog)
        finally:
            dialog.deleteLater()
        if not printed:
            return
        ctx = self.session.ctx
        run_write(
            lambda: consents.pdf(ctx, info.id, purpose="printed"),
            lambda _pdf: self._printed_from_preview(info),
            self._output_failed,
            busy=self.output_buttons,
        )

    def _printed_from_preview(self, info: ConsentInfo) -> None:
        if shiboken6.isValid(self):
            self.output_status.setText(
                self.tr("Printed a copy of %1.").replace("%1", info.document_number)
            )

    def _output_failed(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self.output_error.show_error(refusal_text(exc))

    def save_pdf(self) -> None:
        """Save the original form, byte for byte, where the user chooses (logged as exported)."""
        info = self.info
        if info is None:
            return
        path = ask_save_path(
            self,
            self.tr("Save the signed consent form"),
            f"{info.document_number}.pdf",
            self.tr("PDF documents (*.pdf)"),
        )
        if path is None:
            return
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        self.output_error.clear_error()
        ctx = self.session.ctx
        run_write(
            lambda: save_form(ctx, info.id, path),
            lambda signed: self._saved(path, signed),
            self._not_saved,
            busy=self.output_buttons,
        )

    def _saved(self, path: Path, signed: bool) -> None:
        if shiboken6.isValid(self):
            said = (
                self.tr("Saved to %1, signed by the clinic (consult verify checks it).")
                if signed
                else self.tr(
                    "Saved to %1: sealed before forms were signed, so it is not signed "
                    "(the clinic's database vouches for it)."
                )
            )
            self.output_status.setText(said.replace("%1", str(path)))

    def _not_saved(self, exc: Exception) -> None:
        if shiboken6.isValid(self):
            self.output_error.show_error(self.tr("Not saved: %1").replace("%1", refusal_text(exc)))
