"""The report of one complication for the national pharmacovigilance scheme (the MHRA
Yellow Card in GB, PMDA in Japan…, by the clinic's jurisdiction): shown as text to copy
field by field into the scheme's form, or saved as a text file. It names no patient:
an age and a sex. Making it and saving it are both audited (the service's)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from PySide6.QtCore import QSize
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from consult.store.errors import StoreError
from consult.store.services import complications as complication_service
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel
from consult.ui.widgets.export_panel import ask_save_path
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import run_write


class ComplicationReportDialog(QDialog):
    """One event's report: the text, Copy, and Save as file…."""

    def __init__(
        self,
        session: AppSession,
        complication_id: int,
        scheme: str,
        text: str,
        treatment_names: Mapping[str, str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.session = session
        self.complication_id = complication_id
        self.treatment_names = dict(treatment_names)
        self.setWindowTitle(self.tr("Report for %1").replace("%1", scheme))
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr(
                "Copy each field into the scheme's report form. The report names no "
                "patient: the clinic reference leads back to the record."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setAccessibleName(self.tr("Report text"))
        layout.addWidget(self.text, 1)
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Report status"))
        layout.addWidget(self.status)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = QPushButton(self.tr("&Copy"), self)
        self.save_button = QPushButton(self.tr("&Save as file…"), self)
        for button in (self.copy_button, self.save_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            self.buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.rejected.connect(self.reject)
        self.copy_button.clicked.connect(self.copy)
        self.save_button.clicked.connect(self.save)
        layout.addWidget(self.buttons)
        fit_dialog(self, QSize(720, 640), parent)

    def copy(self) -> None:
        """Put the whole report on the clipboard."""
        QGuiApplication.clipboard().setText(self.text.toPlainText())
        self.status.setText(self.tr("The report is on the clipboard."))

    def save(self) -> None:
        """Write the report as a text file (off the GUI thread; audited)."""
        path = ask_save_path(
            self,
            self.tr("Save the report"),
            f"adverse-event-C-{self.complication_id:06d}.txt",
            self.tr("Text files (*.txt)"),
        )
        if path is None:
            return
        ctx, event_id, names = self.session.ctx, self.complication_id, self.treatment_names
        run_write(
            lambda: complication_service.export_report(ctx, event_id, path, treatment_names=names),
            self._saved,
            self._failed,
            busy=self.save_button,
        )

    def _saved(self, path: Path) -> None:
        self.error.clear_error()
        self.status.setText(self.tr("Saved to %1").replace("%1", str(path)))

    def _failed(self, exc: Exception) -> None:
        self.error.show_error(
            refusal_text(exc) if isinstance(exc, StoreError | OSError) else repr(exc)
        )


__all__ = ["ComplicationReportDialog"]
