"""Manager > Verify a form…: one signed consent form checked on its own, in the app.

The same check as ``consult verify FILE.pdf`` (:func:`consult.proof.verification.
verify_form`): the clinic's signature and who made it, that nothing changed since, the
form as sealed, the printed fingerprint, the record the form carries inside it and that
its pages show that record. No database is read: what a form proves, it proves by
itself. The signer is trusted when it is the clinic's own certificate as this
workstation keeps it (the one it signs with, or signed with before).

A manager chooses the PDF or drops it on the dialog; reading and checking it (a second
or so: pyHanko validates the signature) runs on a pool thread, and each check's result
is then said in plain words, with the signer's name. What each check found is a
:class:`~consult.proof.wording.Finding`: the English ``consult verify`` prints, said
here in the manager's language (:func:`~consult.ui.manager.findings.finding_words`).
"""

from __future__ import annotations

import html
import logging
from pathlib import Path

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from consult.proof import identity
from consult.proof.report import Check, FormReport, Outcome
from consult.proof.verification import verify_form
from consult.proof.wording import Finding
from consult.ui.manager.findings import finding_words
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_in_background
from consult.ui.widgets.tones import tone_span

_log = logging.getLogger(__name__)

_TONES = {Outcome.OK: "ok", Outcome.FAILED: "error", Outcome.NOTE: "muted"}
_MARKS = {Outcome.OK: "✔", Outcome.FAILED: "✘", Outcome.NOTE: "ℹ"}


def check_file(path: Path, config_dir: Path) -> FormReport:
    """Read the form at ``path`` and check it against the clinic's certificates kept in
    ``config_dir`` (on a pool thread). OSError or IdentityError when either cannot be
    read."""
    data = path.read_bytes()
    trusted = identity.trusted_certificates(config_dir)
    return verify_form(data, trusted)


def _pdf_path(urls: list[QUrl]) -> Path | None:
    """The one local PDF file among dropped ``urls`` (None: not exactly one PDF)."""
    files = [Path(url.toLocalFile()) for url in urls if url.isLocalFile()]
    if len(files) != 1 or files[0].suffix.lower() != ".pdf":
        return None
    return files[0]


class VerifyFormDialog(QDialog):
    """Checks one signed form, chosen or dropped, and says what each check found."""

    checked = Signal(object)
    """The :class:`FormReport` of the form checked, once it is shown."""
    refused = Signal(str)
    """The reason a file could not be checked (unreadable), once it is shown."""

    def __init__(self, config_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._config_dir = config_dir
        self._closed = False
        self._checking: Path | None = None
        self.report: FormReport | None = None
        self.setWindowTitle(self.tr("Verify a form"))
        self.setMinimumSize(640, 480)
        self.setAcceptDrops(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Verify a signed form"), self))
        intro = QLabel(
            self.tr(
                "Checks a signed consent form on its own, without the database: the "
                "clinic's signature, that nothing changed since, and that the record "
                "inside the form is the one its pages print. Drop the PDF here, or "
                "choose it."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        row = QHBoxLayout()
        self.choose_button = QPushButton(self.tr("&Choose a PDF…"), self)
        self.choose_button.clicked.connect(self.choose)
        row.addWidget(self.choose_button)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        row.addWidget(self.status, 1)
        layout.addLayout(row)
        self.verdict = QLabel(self)
        self.verdict.setWordWrap(True)
        self.verdict.setAccessibleName(self.tr("Verdict"))
        font = self.verdict.font()
        font.setBold(True)
        self.verdict.setFont(font)
        layout.addWidget(self.verdict)
        self.signer = QLabel(self)
        self.signer.setWordWrap(True)
        layout.addWidget(self.signer)
        self.results = QTextBrowser(self)
        self.results.setAccessibleName(self.tr("What each check found"))
        self.results.setOpenLinks(False)
        layout.addWidget(self.results, 1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    # ------------------------------------------------------------------ choosing a file

    def choose(self) -> None:
        """Ask for a PDF and check it."""
        path = self.ask_for_file()
        if path is not None:
            self.verify(path)

    def ask_for_file(self) -> Path | None:
        """The PDF the manager chooses (None: cancelled; tests replace this)."""
        name, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose a signed form"), "", self.tr("PDF files (*.pdf)")
        )
        return Path(name) if name else None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        """Accept one PDF file dragged over the dialog."""
        if _pdf_path(event.mimeData().urls()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        """Keep accepting the PDF while it moves over the dialog."""
        if _pdf_path(event.mimeData().urls()) is not None:
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Check the PDF dropped on the dialog."""
        path = _pdf_path(event.mimeData().urls())
        if path is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self.verify(path)

    # ------------------------------------------------------------------ checking

    def verify(self, path: Path) -> None:
        """Check the form at ``path`` off the GUI thread, then show what was found."""
        if self._checking is not None:
            return  # one at a time: the button is disabled, a drop meanwhile waits
        self._checking = path
        self.report = None
        self.choose_button.setEnabled(False)
        self.error.clear_error()
        self.verdict.clear()
        self.signer.clear()
        self.results.clear()
        self.status.setText(fill(self.tr("Checking %1…"), path.name))
        config_dir = self._config_dir
        run_in_background(lambda: check_file(path, config_dir), self._show, self._failed)

    def done(self, result: int) -> None:
        """The dialog closes: a check still running is not shown."""
        self._closed = True
        super().done(result)

    def _show(self, report: object) -> None:
        if self._closed:
            return
        assert isinstance(report, FormReport)
        path = self._checking
        self._checking = None
        self.choose_button.setEnabled(True)
        self.report = report
        name = path.name if path is not None else ""
        number = report.document_number or self.tr("no consent form named")
        self.status.setText(f"{name}: {number}")
        if report.ok:
            verdict = self.tr("Verified: the clinic signed this form, and it is unchanged since.")
            self.verdict.setText(tone_span("ok", html.escape("✔ " + verdict)))
        else:
            titles = [self.check_title(name) for name in report.failed]
            failed = titles[0] if titles else self.tr("nothing could be proved")
            for title in titles[1:]:
                failed = fill(self.tr("%1, %2"), failed, title)
            verdict = fill(self.tr("Not verified: %1."), failed)
            self.verdict.setText(tone_span("error", html.escape("✘ " + verdict)))
        self.signer.setText(
            fill(self.tr("Signed by: %1"), report.signer)
            if report.signer
            else self.tr("No signature could be read.")
        )
        self.results.setHtml("".join(self._paragraph(check) for check in report.checks))
        self.checked.emit(report)

    def _failed(self, exc: Exception) -> None:
        if self._closed:
            return
        path = self._checking
        self._checking = None
        self.choose_button.setEnabled(True)
        self.status.clear()
        _log.info("a form could not be checked: %s", exc)
        if isinstance(exc, OSError):
            reason = str(exc.strerror or exc)
        elif exc.args and isinstance(exc.args[0], Finding):  # the clinic's certificates
            reason = finding_words(exc.args[0])
        else:
            reason = refusal_text(exc)
        message = fill(self.tr("%1 cannot be checked: %2"), path.name if path else "", reason)
        self.error.show_error(message)
        self.refused.emit(message)

    # ------------------------------------------------------------------ words

    def outcome_word(self, outcome: Outcome) -> str:
        """A check's result in plain words."""
        if outcome is Outcome.OK:
            return self.tr("Passed")
        if outcome is Outcome.FAILED:
            return self.tr("Failed")
        return self.tr("Note")

    def check_title(self, name: str) -> str:
        """A check's name in plain words (verification names them for the command line)."""
        titles = {
            "file": self.tr("The file"),
            "signature": self.tr("The clinic's digital signature"),
            "signer": self.tr("Who signed"),
            "coverage": self.tr("Changes since signing"),
            "sealed form": self.tr("The form as sealed"),
            "printed hash": self.tr("The fingerprint printed on every page"),
            "embedded record": self.tr("The record inside the form"),
            "visible text": self.tr("The pages show that record"),
            "timestamp": self.tr("Time of signing"),
        }
        return titles.get(name, name)

    def result_lines(self) -> list[str]:
        """Each check as shown, in plain text: its result, its name and what it found."""
        report = self.report
        if report is None:
            return []
        return [
            f"{self.outcome_word(c.outcome)}: {self.check_title(c.name)}: {finding_words(c.detail)}"
            for c in report.checks
        ]

    def _paragraph(self, check: Check) -> str:
        word = f"{_MARKS[check.outcome]} {self.outcome_word(check.outcome)}"
        return (
            f"<p>{tone_span(_TONES[check.outcome], html.escape(word))} — "
            f"<b>{html.escape(self.check_title(check.name))}</b><br/>"
            f"{html.escape(finding_words(check.detail))}</p>"
        )

    @classmethod
    def run(cls, config_dir: Path, parent: QWidget | None) -> None:
        """Show the dialog until it is closed (tests drive an instance instead)."""
        dialog = cls(config_dir, parent)
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()
