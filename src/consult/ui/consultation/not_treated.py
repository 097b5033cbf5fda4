"""The end of a consultation whose treatments are not given: the outcome and the letter.

The summary's "Not treated: letter for the patient…" opens this dialog. The practitioner
sees what is blocked and why (the findings, in their language), may tick a treatment
nothing forbids that they decide not to give (their note then says why), and
records the outcome (:func:`consult.store.services.outcomes.record_not_treated`, a write
off the GUI thread); the dialog then shows the patient's letter, written in the
patient's language, to print, save or open in the system's PDF viewer.

The wizard reads the consultation again before opening it
(:func:`~consult.ui.consultation.standing.read_standing`): a treatment consented
meanwhile in the consent step is settled and not offered, and the outcome is recorded
against the version that signing left. Recorded last, the outcome
ends the consultation (consented if a treatment was, else closed without consent), and
the wizard closes with the dialog.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Collection
from pathlib import Path

import shiboken6
from PySide6.QtCore import QCoreApplication, QLocale, QSize, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_model import KnowledgeBase
from consult.store.dto import ConsultationInfo, PatientInfo
from consult.store.errors import StoreError
from consult.store.services import consultations as consultation_service
from consult.store.services import outcomes
from consult.store.services.context import ServiceContext
from consult.store.services.outcomes import OutcomeInfo
from consult.ui.consultation.worded import desk_text, finding_message
from consult.ui.shell.language import current_language
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.pdf_pages import PdfPreview, ask_for_printer, open_externally
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background, run_write

_log = logging.getLogger(__name__)


def language_name(language: str) -> str:
    """A language as its own speakers name it ("日本語"), for the practitioner to check."""
    name = QLocale(language).nativeLanguageName()
    return name or language


class NotTreatedDialog(QDialog):
    """Record that treatments were not given, then hand over the patient's letter.

    A treatment already consented (``consented``) is settled: it is not offered.
    Emits :attr:`recorded` with the outcome once it is stored.
    """

    recorded = Signal(object)  # OutcomeInfo

    def __init__(
        self,
        ctx: ServiceContext,
        kb: KnowledgeBase,
        patient: PatientInfo,
        info: ConsultationInfo,
        parent: QWidget | None = None,
        consented: Collection[str] = (),
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kb = kb
        self.info = info
        reviews = consultation_service.reviews(info)
        self.blocked = [r.treatment for r in reviews if not r.can_consent]
        self.ready = [
            r.treatment for r in reviews if r.can_consent and r.treatment not in consented
        ]
        self.declined: dict[str, QCheckBox] = {}  # a ready treatment the practitioner may decline
        self.outcome: OutcomeInfo | None = None
        self.pdf: bytes | None = None
        self.setWindowTitle(self.tr("Not treated: letter for the patient"))
        fit_dialog(self, QSize(760, 820), parent)
        layout = QVBoxLayout(self)
        self.pages = QStackedWidget(self)
        layout.addWidget(self.pages, 1)
        self.pages.addWidget(self._record_page(patient))
        self.pages.addWidget(self._letter_page())
        self.message = ErrorLabel(self)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(self)
        self.record_button = self.buttons.addButton(
            self.tr("&Record and show the letter"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.record_button.setAccessibleName(self.tr("Record the outcome and show the letter"))
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.record_button.clicked.connect(self.record)
        self.cancel_button.clicked.connect(self.reject)
        layout.addWidget(self.buttons)
        self._update_record()

    # The two pages ----------------------------------------------------------------------

    def _record_page(self, patient: PatientInfo) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(heading(self.tr("Not going ahead"), page))
        texts = self.kb.texts(current_language())
        results = {
            r["treatment"]: r
            for r in (self.info.screening or {}).get("result", {}).get("results", [])
        }
        reviews = {r.treatment: r for r in consultation_service.reviews(self.info)}
        parts = ["<ul>"]
        for treatment in self.blocked:
            review = reviews[treatment]
            line = "<li><b>" + html.escape(desk_text(texts.label("treatment", treatment)))
            line += "</b>"
            for finding in results.get(treatment, {}).get("findings", []):
                if finding["rule"] in review.blocking:
                    line += "<br>✖ " + html.escape(desk_text(finding_message(texts, finding)))
            parts.append(line + "</li>")
        parts.append("</ul>")
        self.findings = QLabel("".join(parts) if self.blocked else "", page)
        self.findings.setWordWrap(True)
        self.findings.setAccessibleName(self.tr("Treatments not given and why"))
        self.findings.setVisible(bool(self.blocked))
        layout.addWidget(self.findings)
        if self.ready:
            layout.addWidget(
                QLabel(self.tr("Nothing forbids these; tick any you decide not to give:"), page)
            )
        for treatment in self.ready:
            box = QCheckBox(
                fill(
                    self.tr("Not giving %1 (your decision: say why in the note)"),
                    desk_text(texts.label("treatment", treatment)),
                ),
                page,
            )
            box.toggled.connect(self._update_record)
            self.declined[treatment] = box
            layout.addWidget(box)
        self.language_note = QLabel(
            fill(
                self.tr(
                    "The letter for %1 is written in %2, the patient's language: what was "
                    "found, what to do next, your note, the clinic's telephone and your name."
                ),
                patient.full_name,
                language_name(patient.language),
            ),
            page,
        )
        self.language_note.setWordWrap(True)
        layout.addWidget(self.language_note)
        label = QLabel(self.tr("Your &note for the patient (printed on the letter):"), page)
        self.reason = QPlainTextEdit(page)
        self.reason.setAccessibleName(self.tr("Note for the patient"))
        self.reason.setTabChangesFocus(True)
        label.setBuddy(self.reason)
        # A few lines are a note; the rest of the page stays empty rather than inviting more.
        self.reason.setMaximumHeight(self.reason.fontMetrics().lineSpacing() * 8 + 12)
        layout.addWidget(label)
        layout.addWidget(self.reason)
        layout.addStretch(1)
        return page

    def _letter_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.letter_note = QLabel(page)
        self.letter_note.setWordWrap(True)
        layout.addWidget(self.letter_note)
        self.preview = PdfPreview(page)
        layout.addWidget(self.preview, 1)
        row = QDialogButtonBox(page)
        self.print_button = QPushButton(self.tr("&Print…"), page)
        self.save_button = QPushButton(self.tr("&Save as PDF…"), page)
        self.open_button = QPushButton(self.tr("&Open in the PDF viewer"), page)
        for button in (self.print_button, self.save_button, self.open_button):
            row.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_letter)
        self.save_button.clicked.connect(self.save_letter)
        self.open_button.clicked.connect(self.open_letter)
        layout.addWidget(row)
        return page

    # Recording --------------------------------------------------------------------------

    @property
    def treatments(self) -> list[str]:
        """What is not given: every blocked treatment, and those the practitioner ticked."""
        return self.blocked + [t for t, box in self.declined.items() if box.isChecked()]

    def _update_record(self) -> None:
        self.record_button.setEnabled(bool(self.treatments))

    def record(self) -> None:
        """Record the outcome (off the GUI thread), then fetch and show the letter."""
        if not self.treatments:
            return
        ctx, info, kb = self.ctx, self.info, self.kb
        treatments, reason = self.treatments, self.reason.toPlainText()
        self.message.clear_error()
        run_write(
            lambda: outcomes.record_not_treated(
                ctx,
                info.id,
                info.version,
                treatments=treatments,
                reason=reason,
                kb=kb,
            ),
            self._recorded,
            self._failed,
            busy=self.record_button,
        )

    def _recorded(self, outcome: OutcomeInfo) -> None:
        if not shiboken6.isValid(self):
            return
        self.outcome = outcome
        self.recorded.emit(outcome)
        self.record_button.hide()
        self.cancel_button.setText(self.tr("Close"))
        self.reason.setReadOnly(True)
        for box in self.declined.values():
            box.setEnabled(False)
        ctx, consultation_id = self.ctx, outcome.consultation_id
        run_in_background(
            lambda: outcomes.letter_pdf(ctx, consultation_id),
            self._show_letter,
            self._failed,
        )

    def _show_letter(self, pdf: bytes) -> None:
        if not shiboken6.isValid(self):
            return
        self.pdf = pdf
        self.letter_note.setText(
            self.tr("The outcome is recorded. The letter for the patient, as it will print:")
        )
        self.preview.show_pdf(pdf, dpi=80.0)
        self.pages.setCurrentIndex(1)
        self.print_button.setFocus()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        if not isinstance(exc, StoreError | OSError | ValueError):
            _log.error("recording the outcome failed", exc_info=exc)
        self.message.show_error(refusal_text(exc))

    # The letter -------------------------------------------------------------------------

    def _file_name(self) -> str:
        number = self.outcome.consultation_id if self.outcome else self.info.id
        return f"letter-consultation-{number}"

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """Ask which printer to use (tests replace this)."""
        return ask_for_printer(parent)

    @classmethod
    def choose_file(cls, parent: QWidget, suggested: str) -> str:
        """Ask where to save the letter ("" if cancelled; tests replace this)."""
        path, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("NotTreatedDialog", "Save the letter"),
            suggested,
            "PDF (*.pdf)",
        )
        return path

    def print_letter(self) -> None:
        """Print the letter through the printer dialog."""
        if self.pdf is None:
            return
        printer = self.choose_printer(self)
        if printer is None:
            return
        try:
            pages = pdf_pages.paint_pdf(self.pdf, printer)
        except (OSError, ValueError) as exc:
            self.message.show_error(refusal_text(exc))
            return
        self.letter_note.setText(self.tr("Printed the letter (%n page(s)).", "", pages))

    def save_letter(self) -> None:
        """Save the letter as a PDF file where the practitioner chooses."""
        if self.pdf is None:
            return
        target = self.choose_file(self, self._file_name() + ".pdf")
        if not target:
            return
        try:
            Path(target).write_bytes(self.pdf)
        except OSError as exc:
            self.message.show_error(refusal_text(exc))
            return
        self.letter_note.setText(self.tr("Saved the letter as %1.").replace("%1", target))

    def open_letter(self) -> None:
        """Open the letter in the system's PDF viewer."""
        if self.pdf is not None:
            open_externally(self.pdf, self._file_name(), self)
