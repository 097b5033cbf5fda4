"""Printing and previewing copies of a signed form, as at the reception desk: the
reception page and a finished consultation's record both do it this way."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QSize
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.roles import Role
from consult.store.services import consents
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.pdf_pages import PdfPreview, ask_for_printer
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.tasks import run_write
from consult.ui.widgets.words import MARK_WORDS


class FormCopyPrinting:
    """Printing and previewing copies of a signed form, as at the reception desk: the
    reception page and a finished consultation's record both do it this way.

    A print is the stored form with "Copy" and the date, or the VOID/WITHDRAWN mark, on
    every page, and is logged; reception's preview shows the identity and signature pages
    only. The host widget has ``session`` and a ``print_button``.
    """

    session: AppSession
    print_button: QPushButton

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """Ask which printer to use (tests replace this)."""
        return ask_for_printer(parent)

    @classmethod
    def run_preview(cls, dialog: FormPreviewDialog) -> bool:
        """Show the preview; True if the user asked to print from it (tests replace this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def sees_whole_form(self) -> bool:
        """Whether the signed-in user may see every page on screen (practitioners and
        managers); reception sees the identity and signature pages only."""
        user = self.session.user
        return user is not None and user.has(Role.PRACTITIONER, Role.MANAGER)

    def print_copy(
        self,
        consent_id: int,
        document_number: str,
        state: str,
        on_printed: Callable[[str], None],
        on_failed: Callable[[Exception], None],
        *,
        mark_word: str | None = None,
    ) -> None:
        """Print a copy through the printer dialog. The copy is fetched, and the print
        logged, off the GUI thread (a write, with the print button disabled meanwhile);
        then it is painted to the printer here. ``on_printed(what to tell the user)``, or
        ``on_failed(exc)`` (a StoreError, OSError or ValueError when it cannot print);
        nothing if the user cancels the printer dialog. ``mark_word``: the watermark's
        word as the copy carries it, in the form's language (the English word if not
        given), for what the message says was printed."""
        assert isinstance(self, QWidget)
        printer = self.choose_printer(self)
        if printer is None:
            return
        ctx = self.session.ctx
        word = mark_word or MARK_WORDS.get(state)

        def paint(pdf: bytes) -> None:
            try:
                pages = pdf_pages.paint_pdf(pdf, printer)
            except (OSError, ValueError) as exc:
                on_failed(exc)
                return
            message = (
                QCoreApplication.translate(
                    "FormCopyPrinting", "Printed a copy of %1 marked %2 (%n page(s))", "", pages
                )
                if word
                else QCoreApplication.translate(
                    "FormCopyPrinting", "Printed a copy of %1 (%n page(s))", "", pages
                )
            )
            on_printed(fill(message, document_number, word))

        run_write(
            lambda: consents.pdf(ctx, consent_id, purpose="printed"),
            paint,
            on_failed,
            busy=self.print_button,
        )

    def preview_copy(self, consent_id: int, document_number: str) -> bool:
        """Show the copy a print would give; True if the user asked to print it. Raises
        StoreError or ValueError when there is nothing to show."""
        assert isinstance(self, QWidget)
        pdf = consents.print_preview(self.session.ctx, consent_id, kb=knowledge())
        dialog = FormPreviewDialog(
            pdf,
            document_number,
            self.print_button.text(),
            whole=self.sees_whole_form(),
            parent=self,
        )
        try:
            return self.run_preview(dialog)
        finally:
            dialog.deleteLater()


class FormPreviewDialog(QDialog):
    """A copy of a signed form on screen, marked as a print would be, with a button to
    print it. ``whole`` False: the identity and signature pages only (reception)."""

    def __init__(
        self,
        pdf: bytes,
        document_number: str,
        print_text: str,
        *,
        whole: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Preview — %1").replace("%1", document_number))
        fit_dialog(self, QSize(760, 860), parent)
        layout = QVBoxLayout(self)
        self.note = QLabel(self)
        self.note.setWordWrap(True)
        self.note.setText(
            self.tr("Every page, as it will print.")
            if whole
            else self.tr(
                "Who signed what: the identity and signature pages. The health answers and "
                "the consent text are not shown at the desk; the printed copy has every page."
            )
        )
        layout.addWidget(self.note)
        self.pdf = pdf
        self.preview = PdfPreview(self)
        self.preview.show_pdf(pdf, dpi=80.0)  # a whole page's width fits the dialog
        layout.addWidget(self.preview, 1)
        box = QDialogButtonBox(self)
        self.print_button = box.addButton(print_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.print_button.setAccessibleName(print_text.replace("&", "").rstrip("…"))
        box.addButton(QDialogButtonBox.StandardButton.Close)
        box.accepted.connect(self.accept)
        box.rejected.connect(self.reject)
        layout.addWidget(box)
