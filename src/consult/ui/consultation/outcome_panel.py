"""A finished consultation's recorded outcome, read-only, with its letter to print again.

When treatments were not given (issue 21) the outcome is recorded once, with the letter
the patient took home (:mod:`consult.store.services.outcomes`). The consultation's record
(:mod:`consult.ui.consultation.record`) shows it here, for the practitioner or manager
reading it later: what was not given and why, who decided and when, the practitioner's
note, and each rule's next step. The words are the reader's (the interface language);
the letter stays in the patient's, printed again from what was recorded, so it is the
same letter. Each print or preview fetches it through :func:`outcomes.letter_pdf`,
which logs it (the letter carries health data), as the first print was.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.domain.knowledge_texts import KnowledgeTexts, LocalText, rule_key
from consult.store.dto import ConsultationInfo
from consult.store.services import outcomes
from consult.store.services.outcomes import OutcomeInfo
from consult.ui.consultation.not_treated import language_name
from consult.ui.consultation.styles import scrolled
from consult.ui.consultation.worded import desk_text, finding_message
from consult.ui.shell.language import LANGUAGES
from consult.ui.shell.session import AppSession
from consult.ui.widgets import pdf_pages
from consult.ui.widgets.form_copies import FormPreviewDialog
from consult.ui.widgets.formatting import local_time
from consult.ui.widgets.pdf_pages import ask_for_printer
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_write

_log = logging.getLogger(__name__)


def _escape(text: str) -> str:
    """Text for the panel's rich text (quotes stay as typed: the text is no attribute)."""
    return html.escape(text, quote=False)


def _language(language: str) -> str:
    """The letter's language as the patient record names it ("English", "日本語")."""
    return LANGUAGES.get(language) or language_name(language)


class OutcomePanel(QWidget):
    """The outcome of one consultation and its letter: hidden until :meth:`show_outcome`.

    Signals:
        printed(str): what to tell the reader after the letter was printed again.
        failed(str): why the letter could not be fetched or printed.
    """

    printed = Signal(str)
    failed = Signal(str)

    def __init__(
        self, session: AppSession, texts: KnowledgeTexts, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.texts = texts  # the reader's language
        self.outcome: OutcomeInfo | None = None
        # Beside the summary, whose margins it shares: its title and the letter's buttons
        # on top, the details under them (scrolled when long, the space left below).
        layout = QVBoxLayout(self)
        self.title = QLabel(self)
        self.title.setWordWrap(True)
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        layout.addWidget(self.title)
        row = QHBoxLayout()
        self.print_button = QPushButton(self.tr("Print the &letter again…"), self)
        self.print_button.setAccessibleName(self.tr("Print the letter again"))
        self.preview_button = QPushButton(self.tr("Previe&w the letter…"), self)
        self.preview_button.setAccessibleName(self.tr("Preview the letter"))
        row.addWidget(self.print_button)
        row.addWidget(self.preview_button)
        row.addStretch(1)
        layout.addLayout(row)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.RichText)
        self.text.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.text.setAccessibleName(self.tr("Outcome of this consultation"))
        self.text.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByKeyboard
            | Qt.TextInteractionFlag.TextSelectableByMouse
        )
        layout.addWidget(scrolled(self.text, self), 1)
        self.print_button.clicked.connect(self.print_letter)
        self.preview_button.clicked.connect(self.preview_letter)
        self.hide()

    # Showing ----------------------------------------------------------------------------

    def show_outcome(self, outcome: OutcomeInfo | None, info: ConsultationInfo) -> None:
        """Show ``outcome`` of ``info`` (the consultation, for its findings), or hide the
        panel when none was recorded."""
        self.outcome = outcome
        if outcome is None:
            self.text.clear()
            self.hide()
            return
        self.title.setText(
            self.tr("Not treated: blocked by the screening")
            if outcome.reason_kind == outcomes.BLOCKED
            else self.tr("Not treated: the practitioner's decision")
        )
        self.text.setText(self.outcome_html(outcome, info))
        self.show()

    def outcome_html(self, outcome: OutcomeInfo, info: ConsultationInfo) -> str:
        """The outcome in the reader's words: who decided and when, each treatment not
        given with its findings and their next steps, and the note for the patient."""
        letter = outcome.letter
        practitioner = str(letter.get("practitioner", {}).get("name", "")) or "—"
        parts = [
            "<p>"
            + _escape(
                fill(
                    self.tr("Recorded by %1 on %2. The patient's letter is in %3."),
                    practitioner,
                    local_time(outcome.decided_at),
                    _language(outcome.language),
                )
            )
            + "</p><ul>"
        ]
        screened = {
            str(r["treatment"]): r
            for r in (info.screening or {}).get("result", {}).get("results", [])
        }
        printed = {str(t.get("id")): t for t in letter.get("treatments", [])}
        for entry in outcome.treatments:
            name = desk_text(self.texts.label("treatment", entry.treatment))
            decision = (
                self.tr("blocked by an absolute contraindication")
                if entry.blocked
                else self.tr("not given (the practitioner's decision)")
            )
            line = f"<li><b>{_escape(name)}</b>: {_escape(decision)}"
            findings = {
                str(f.get("rule")): f for f in screened.get(entry.treatment, {}).get("findings", [])
            }
            on_letter = {
                str(f.get("rule")): f for f in printed.get(entry.treatment, {}).get("findings", [])
            }
            for rule in entry.findings:
                message = self._finding(rule, findings.get(rule), on_letter.get(rule, {}))
                line += ("<br>✖ " if entry.blocked else "<br>• ") + _escape(message)
                step = self._next_step(rule, on_letter.get(rule, {}), outcome.language)
                if step:
                    line += "<br>&nbsp;&nbsp;→ " + _escape(fill(self.tr("Next step: %1"), step))
            parts.append(line + "</li>")
        parts.append("</ul><p>")
        if outcome.reason:
            parts.append(_escape(fill(self.tr("Note for the patient: “%1”"), outcome.reason)))
        else:
            parts.append(_escape(self.tr("No note for the patient.")))
        parts.append("</p>")
        return "".join(parts)

    def _finding(
        self, rule: str, screened: Mapping[str, Any] | None, on_letter: Mapping[str, Any]
    ) -> str:
        """A finding's message in the reader's words: as the screening stored it, else
        the rule's message, else the sentence the letter printed."""
        if screened is not None:
            return desk_text(finding_message(self.texts, screened))
        fallback = str(on_letter.get("risk", "")) or rule
        return desk_text(self.texts.text(rule_key(rule, "message"), fallback))

    def _next_step(self, rule: str, on_letter: Mapping[str, Any], language: str) -> str:
        """A rule's next step as recorded on the letter when the reader reads the letter's
        language; otherwise the rule's next step in the reader's, or, when the knowledge
        base no longer has one, the recorded words with the letter's language named."""
        recorded = str(on_letter.get("next_step", ""))
        if language == self.texts.language:
            if not recorded:
                return ""
            return desk_text(
                LocalText(recorded, bool(on_letter.get("next_step_translated", True)), language)
            )
        step = self.texts.next_step(rule)
        if step is not None:
            return desk_text(step)
        if not recorded:
            return ""
        return fill(self.tr("%1 (on the letter, in %2)"), recorded, _language(language))

    # The letter -------------------------------------------------------------------------

    @classmethod
    def choose_printer(cls, parent: QWidget) -> QPrinter | None:
        """Ask which printer to use (tests replace this)."""
        return ask_for_printer(parent)

    @classmethod
    def run_preview(cls, dialog: FormPreviewDialog) -> bool:
        """Show the preview; True if the reader asked to print from it (tests replace
        this)."""
        return dialog.exec() == QDialog.DialogCode.Accepted

    def _letter_name(self) -> str:
        consultation = self.outcome.consultation_id if self.outcome else 0
        return self.tr("Letter of consultation %1").replace("%1", str(consultation))

    def print_letter(self) -> None:
        """Print the letter again through the printer dialog: fetched (and the print
        logged) off the GUI thread, with the button disabled meanwhile, then painted."""
        if self.outcome is None:
            return
        printer = self.choose_printer(self)
        if printer is None:
            return
        ctx, consultation_id = self.session.ctx, self.outcome.consultation_id
        run_write(
            lambda: outcomes.letter_pdf(ctx, consultation_id),
            lambda pdf: self._paint(pdf, printer),
            self._not_fetched,
            busy=self.print_button,
        )

    def _paint(self, pdf: bytes, printer: QPrinter) -> None:
        if not shiboken6.isValid(self):  # the record was closed meanwhile
            return
        try:
            pages = pdf_pages.paint_pdf(pdf, printer)
        except (OSError, ValueError) as exc:
            _log.warning("the letter could not be printed", exc_info=exc)
            self.failed.emit(fill(self.tr("Not printed: %1"), refusal_text(exc)))
            return
        self.printed.emit(self.tr("Printed the letter again (%n page(s)).", "", pages))

    def preview_letter(self) -> None:
        """Show the letter as it prints (fetched and logged off the GUI thread); printing
        from the preview prints it, logged again."""
        if self.outcome is None:
            return
        ctx, consultation_id = self.session.ctx, self.outcome.consultation_id
        run_write(
            lambda: outcomes.letter_pdf(ctx, consultation_id),
            self._show_preview,
            self._not_fetched,
            busy=self.preview_button,
        )

    def _show_preview(self, pdf: bytes) -> None:
        if not shiboken6.isValid(self):
            return
        dialog = FormPreviewDialog(
            pdf, self._letter_name(), self.print_button.text(), whole=True, parent=self
        )
        try:
            wants_print = self.run_preview(dialog)
        finally:
            dialog.deleteLater()
        if wants_print:
            self.print_letter()

    def _not_fetched(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        # run_write logged a program error with its traceback; a refusal is the reader's.
        self.failed.emit(fill(self.tr("The letter could not be fetched: %1"), refusal_text(exc)))


__all__ = ["OutcomePanel"]
