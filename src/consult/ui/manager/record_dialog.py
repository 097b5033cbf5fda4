"""One signed consent record, opened from the register: its summary, findings, audit trail
and stored form, with withdraw and void for whoever may (the treating practitioner may
withdraw; a manager may also void)."""

from __future__ import annotations

from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QSize, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from consult.domain.states import ConsentState
from consult.store.dto import RecordDetail
from consult.store.errors import StoreError, ValidationError
from consult.store.services import consents
from consult.store.services.record_detail import record_detail
from consult.ui.manager.reason_dialog import ReasonDialog
from consult.ui.manager.record_html import findings_html, summary_html
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.formatting import local_time, treatment_name
from consult.ui.widgets.geometry import fit_dialog
from consult.ui.widgets.pdf_pages import PdfPreview, open_externally, render_pages
from consult.ui.widgets.refusals import refusal_message, refusal_text, refusal_words
from consult.ui.widgets.tasks import run_in_background, run_write

PREVIEW_DPI = 90.0
"""The Form tab's pages: readable on screen, small enough to draw in a moment."""


class RecordDialog(QDialog):
    """One signed record: summary, findings and overrides, signatures and events, its own
    audit trail and the stored form; withdraw and void for whoever may."""

    changed = Signal(int)  # consent id, once the record is read again after a change
    loaded = Signal()

    def __init__(self, session: AppSession, consent_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.consent_id = consent_id
        self.detail: RecordDetail | None = None
        self._pdf: bytes | None = None
        self._preview_asked = False  # the Form tab's pages are being (or were) drawn
        self.setWindowTitle(self.tr("Consent record"))
        fit_dialog(self, QSize(980, 700), parent)
        layout = QVBoxLayout(self)
        self.title = heading("", self)
        layout.addWidget(self.title)
        self.tabs = QTabWidget(self)
        self.summary = QTextBrowser(self)
        self.summary.setAccessibleName(self.tr("Record summary"))
        self.findings = QTextBrowser(self)
        self.findings.setAccessibleName(self.tr("Findings and overrides"))
        self.trail = QTableWidget(0, 5, self)
        self.trail.setAccessibleName(self.tr("Audit trail of this record"))
        self.trail.setHorizontalHeaderLabels(
            [
                self.tr("When"),
                self.tr("Who"),
                self.tr("Workstation"),
                self.tr("Event"),
                self.tr("Details"),
            ]
        )
        self.trail.verticalHeader().hide()
        self.trail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.trail.setWordWrap(False)
        trail_header = self.trail.horizontalHeader()
        trail_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        trail_header.setStretchLastSection(True)
        self.preview = PdfPreview(self)
        self.tabs.addTab(self.summary, self.tr("&Summary"))
        self.tabs.addTab(self.findings, self.tr("&Findings and overrides"))
        self.tabs.addTab(self.trail, self.tr("&Audit trail"))
        self.tabs.addTab(self.preview, self.tr("F&orm (PDF)"))
        layout.addWidget(self.tabs, 1)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self.action_row = QWidget(self)  # disabled as a whole while a change is being saved
        buttons = QHBoxLayout(self.action_row)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.withdraw_button = QPushButton(self.tr("&Withdraw…"), self.action_row)
        self.void_button = QPushButton(self.tr("&Void…"), self.action_row)
        self.open_button = QPushButton(self.tr("Open &PDF"), self.action_row)
        self.close_button = QPushButton(self.tr("Close"), self.action_row)
        for button in (self.withdraw_button, self.void_button, self.open_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout.addWidget(self.action_row)
        self._saving = False
        self._changed_pending = False
        self.is_loaded = False
        self.withdraw_button.clicked.connect(lambda: self.change(ConsentState.WITHDRAWN))
        self.void_button.clicked.connect(lambda: self.change(ConsentState.VOIDED))
        self.open_button.clicked.connect(self.open_pdf)
        self.close_button.clicked.connect(self.accept)
        self.tabs.currentChanged.connect(self._tab_changed)
        self.load()

    def load(self) -> None:
        """Read the record again, off the GUI thread (the view is logged, so it is a
        service write): the buttons wait meanwhile, the title says it is loading the
        first time. :attr:`is_loaded` and :attr:`loaded` tell when it is shown."""
        self.is_loaded = False
        if self.detail is None:
            self.title.setText(self.tr("Loading the record…"))
        ctx, consent_id = self.session.ctx, self.consent_id
        run_write(
            lambda: record_detail(ctx, consent_id),
            self._loaded,
            self._not_loaded,
            busy=self.action_row,
        )

    def _not_loaded(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):  # closed meanwhile
            return
        if not isinstance(exc, StoreError):
            raise exc  # a program error: logged by run_write and shown by the error dialog
        self.error.show_error(refusal_text(exc))
        for button in (self.withdraw_button, self.void_button, self.open_button):
            button.setEnabled(False)
        self._settled()

    def _loaded(self, detail: RecordDetail) -> None:
        if not shiboken6.isValid(self):  # closed meanwhile
            return
        self.detail = detail
        info = detail.info
        self.title.setText(
            f"{info.document_number} — {detail.patient.full_name} — "
            + treatment_name(info.treatment_id)
        )
        self.summary.setHtml(summary_html(detail))
        self.findings.setHtml(findings_html(detail))
        self.trail.setRowCount(len(detail.audit_trail))
        for row, entry in enumerate(detail.audit_trail):
            details = ", ".join(f"{k}: {v}" for k, v in sorted(entry.details.items()))
            for column, text in enumerate(
                (
                    local_time(entry.at),
                    entry.username or "—",
                    entry.workstation,
                    entry.event,
                    details,
                )
            ):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.trail.setItem(row, column, item)
        signed = info.state == ConsentState.SIGNED
        self.withdraw_button.setVisible(detail.may_change or signed)
        self.withdraw_button.setEnabled(detail.may_change and signed)
        self.void_button.setEnabled(detail.may_change)
        self.void_button.setVisible(detail.may_change or info.state != ConsentState.VOIDED)
        self.open_button.setEnabled(True)
        self._settled()

    def _settled(self) -> None:
        """The record is shown (or why not); a change saved before is told now."""
        self.is_loaded = True
        self.loaded.emit()
        if self._changed_pending:
            self._changed_pending = False
            self.changed.emit(self.consent_id)

    def _with_pdf(self, then: Callable[[bytes], None], *, busy: QWidget | None) -> None:
        """Call ``then`` with the stored form, read once off the GUI thread (reading it is
        logged, so it is a service write)."""
        if self._pdf is not None:
            then(self._pdf)
            return
        ctx, consent_id = self.session.ctx, self.consent_id

        def done(pdf: bytes) -> None:
            if shiboken6.isValid(self):
                self._pdf = pdf
                then(pdf)

        run_write(
            lambda: consents.pdf(ctx, consent_id, purpose="viewed"),
            done,
            self._form_refused,
            busy=busy,
        )

    def _form_refused(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        if not isinstance(exc, StoreError):
            raise exc  # a program error: logged where it ran and shown by the error dialog
        self._preview_asked = False  # asked again when the tab is shown again
        self.error.show_error(refusal_message(exc))

    def _tab_changed(self, index: int) -> None:
        if self.tabs.widget(index) is self.preview and not self._preview_asked:
            self._preview_asked = True
            self._with_pdf(self._draw_pages, busy=None)

    def _draw_pages(self, pdf: bytes) -> None:
        """The Form tab's pages, drawn on a pool thread (not the write thread: drawing
        is no write, and saves need not wait for it)."""

        def show(images: list[QImage]) -> None:
            if shiboken6.isValid(self):
                self.preview.show_images(images)

        run_in_background(lambda: render_pages(pdf, PREVIEW_DPI), show, self._form_refused)

    def open_pdf(self) -> None:
        """Open the stored form in the system's PDF viewer."""

        def show(pdf: bytes) -> None:
            if self.detail is not None:
                open_externally(pdf, self.detail.info.document_number, self)

        self._with_pdf(show, busy=self.open_button)

    def change(self, kind: ConsentState) -> None:
        """Withdraw or void the record, with a reason; the change is saved off the GUI
        thread, the buttons disabled meanwhile, and the record read again after it."""
        if self.detail is None or self._saving:
            return
        if kind == ConsentState.WITHDRAWN:
            title = self.tr("Withdraw consent")
            prompt = self.tr(
                "Why is the patient's consent withdrawn? The record is kept, marked withdrawn."
            )
        else:
            title = self.tr("Void consent")
            prompt = self.tr(
                "Why is this record void (for example, entered for the wrong patient)? "
                "The record is kept, marked void."
            )
        reason = ReasonDialog.ask(self, title, prompt)
        if reason is None:
            return
        ctx, consent_id = self.session.ctx, self.consent_id
        self._saving = True
        run_write(
            lambda: consents.add_event(ctx, consent_id, kind, reason),
            self._changed,
            self._refused,
            busy=self.action_row,
        )

    def _changed(self, _info: object) -> None:
        self._saving = False
        self.error.clear_error()
        self._changed_pending = True  # told once the record is read again
        self.load()

    def _refused(self, exc: Exception) -> None:
        self._saving = False
        if isinstance(exc, ValidationError):
            self.error.show_error(refusal_words(exc.message))
        elif isinstance(exc, StoreError):
            self.error.show_error(refusal_message(exc))
        else:  # a bug: run_write logged it with its traceback
            self.error.show_error(
                self.tr("The change could not be saved: %1").replace("%1", repr(exc))
            )

    def reject(self) -> None:
        """Escape and the window's close button wait while a change is being saved."""
        if not self._saving:
            super().reject()

    def accept(self) -> None:
        """Close waits while a change is being saved."""
        if not self._saving:
            super().accept()


__all__ = ["RecordDialog"]
