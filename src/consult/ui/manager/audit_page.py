"""The manager's audit log: filter, page through, export to CSV, and check integrity.

Every query runs in the database, off the GUI thread, a page at a time (the view asks
for the next page when scrolled to the end; the model is :mod:`.audit_model`). The
integrity check is ``consult verify`` run in the background; its report is the same
text, with the head of the chain and the key's fingerprint for a printed integrity
report. The export and the check are logged, so both run as writes (``run_write``).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDate, QObject, Qt, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.store import integrity
from consult.store.dto import UserInfo
from consult.store.errors import StoreError
from consult.store.services import audit_log
from consult.store.services import users as user_service
from consult.store.services.audit_log import AuditFilter, AuditRow
from consult.ui.manager.audit_model import AuditTableModel
from consult.ui.manager.findings import finding_words
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.forms import to_date
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly, run_write, wait_for_writes
from consult.ui.widgets.words import QT_TRANSLATE_NOOP

_STAGE_WORDS = {
    "records": QT_TRANSLATE_NOOP("AuditPage", "records"),
    "audit chain": QT_TRANSLATE_NOOP("AuditPage", "audit chain"),
    "re-confirmations": QT_TRANSLATE_NOOP("AuditPage", "re-confirmations"),
    "treatment charts": QT_TRANSLATE_NOOP("AuditPage", "treatment charts"),
}
"""The integrity check's stages (:mod:`consult.store.integrity`) as its progress bar
says them."""


class _Progress(QObject):
    """Carries progress from the integrity check's thread to the GUI thread."""

    changed = Signal(str, int, int)


class AuditPage(QWidget):
    """Filters, the paged table, the CSV export and the integrity check."""

    loaded = Signal()
    checked = Signal(object)  # IntegrityReport
    exported = Signal(int)

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Audit log"), self))
        filters = QGridLayout()
        self.user = QComboBox(self)
        # As wide as the longest name it lists (filled after the page is shown).
        self.user.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.user.setAccessibleName(self.tr("User"))
        self.patient = QLineEdit(self)
        self.patient.setAccessibleName(self.tr("Patient"))
        self.patient.setPlaceholderText(self.tr("Patient number or name"))
        self.event_name = QComboBox(self)
        self.event_name.setEditable(True)
        self.event_name.setAccessibleName(self.tr("Event"))
        event_editor = self.event_name.lineEdit()
        assert event_editor is not None  # the box is editable
        event_editor.setPlaceholderText(self.tr("Any event (consent. = every consent event)"))
        self.all_dates = QCheckBox(self.tr("&All dates"), self)
        self.since = QDateEdit(self)
        self.until = QDateEdit(self)
        for edit, name in ((self.since, self.tr("From")), (self.until, self.tr("To"))):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setAccessibleName(name)
        self.since.setDate(QDate.currentDate().addDays(-30))
        self.until.setDate(QDate.currentDate())
        self.search_button = QPushButton(self.tr("&Search"), self)
        self.search_button.setDefault(True)
        for column, (label, widget) in enumerate(
            (
                (self.tr("Us&er"), self.user),
                (self.tr("Pa&tient"), self.patient),
                (self.tr("E&vent"), self.event_name),
                (self.tr("Fr&om"), self.since),
                (self.tr("U&ntil"), self.until),
            )
        ):
            text = QLabel(label, self)
            text.setBuddy(widget)
            filters.addWidget(text, 0, column)
            filters.addWidget(widget, 1, column)
        filters.addWidget(self.all_dates, 0, 5)
        filters.addWidget(self.search_button, 1, 5)
        filters.setColumnStretch(1, 1)
        filters.setColumnStretch(2, 1)
        layout.addLayout(filters)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.model = AuditTableModel(self)
        self.table = QTableView(splitter)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Audit entries"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(AuditTableModel.COL_DETAILS, QHeaderView.ResizeMode.Stretch)
        check_box = QWidget(splitter)
        check_layout = QVBoxLayout(check_box)
        check_layout.setContentsMargins(0, 0, 0, 0)
        self.progress = QProgressBar(check_box)
        self.progress.setAccessibleName(self.tr("Integrity check progress"))
        self.progress.setTextVisible(True)
        self.progress.hide()
        check_layout.addWidget(self.progress)
        self.report = QPlainTextEdit(check_box)
        self.report.setReadOnly(True)
        self.report.setAccessibleName(self.tr("Integrity report"))
        self.report.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.report.setPlaceholderText(
            self.tr("Run the integrity check to see whether any entry or record has changed.")
        )
        check_layout.addWidget(self.report)
        splitter.addWidget(self.table)
        splitter.addWidget(check_box)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout.addWidget(splitter, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Audit log status"))
        bottom.addWidget(self.status, 1)
        self.export_button = QPushButton(self.tr("E&xport CSV…"), self)
        self.check_button = QPushButton(self.tr("Integrity chec&k"), self)
        for button in (self.export_button, self.check_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            bottom.addWidget(button)
        layout.addLayout(bottom)
        self.runner = LatestOnly(self)
        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)
        self._filter = AuditFilter()
        self._total = 0
        self.search_button.clicked.connect(self.search)
        self.patient.returnPressed.connect(self.search)
        event_editor.returnPressed.connect(self.search)
        self.all_dates.toggled.connect(self._dates_toggled)
        self.export_button.clicked.connect(self.export_csv)
        self.check_button.clicked.connect(self.run_check)
        self.model.more_wanted.connect(self._fetch_more)

    # Filters and paging --------------------------------------------------------------

    def _dates_toggled(self, all_dates: bool) -> None:
        self.since.setEnabled(not all_dates)
        self.until.setEnabled(not all_dates)

    def current_filter(self) -> AuditFilter:
        """The filter the widgets describe."""
        event = self.event_name.currentText().strip()
        if event == self.tr("Any event"):
            event = ""
        user_id = self.user.currentData()
        return AuditFilter(
            user_id=int(user_id) if user_id is not None else None,
            patient=self.patient.text().strip(),
            event=event,
            since=None if self.all_dates.isChecked() else to_date(self.since.date()),
            until=None if self.all_dates.isChecked() else to_date(self.until.date()),
        )

    def activate(self) -> None:
        """The manager opened the tab: fill the filter lists and run the search."""
        ctx = self.session.ctx

        def load() -> tuple[list[UserInfo], list[str]]:
            return user_service.list_users(ctx), audit_log.event_names(ctx)

        self.runner.submit(load, self._lists_loaded, self._fail)

    def _lists_loaded(self, loaded: tuple[list[UserInfo], list[str]]) -> None:
        people, events = loaded
        chosen_user, chosen_event = self.user.currentData(), self.event_name.currentText()
        self.user.clear()
        self.user.addItem(self.tr("Anyone"), None)
        for person in people:
            self.user.addItem(f"{person.display_name} ({person.username})", person.id)
        self.user.setCurrentIndex(max(0, self.user.findData(chosen_user)))
        self.event_name.clear()
        self.event_name.addItem(self.tr("Any event"))
        families = sorted({name.split(".")[0] + "." for name in events if "." in name})
        self.event_name.addItems(families + events)
        self.event_name.setCurrentText(chosen_event or self.tr("Any event"))
        self.search()

    def search(self) -> None:
        """Run the filter: the first page and the number of matching entries."""
        self.error.clear_error()
        self._filter = self.current_filter()
        filt, ctx, size = self._filter, self.session.ctx, audit_log.PAGE_SIZE
        self.status.setText(self.tr("Searching…"))

        def first_page() -> tuple[list[AuditRow], int]:
            rows = audit_log.page(ctx, filt, limit=size)
            return rows, audit_log.count(ctx, filt)

        self.runner.submit(first_page, self._show_first, self._fail)

    def _show_first(self, loaded: tuple[list[AuditRow], int]) -> None:
        rows, total = loaded
        self._total = total
        self.model.set_rows(rows, len(rows) >= audit_log.PAGE_SIZE)
        self._show_status()
        self.loaded.emit()

    def _fetch_more(self, before_id: int) -> None:
        filt, ctx, size = self._filter, self.session.ctx, audit_log.PAGE_SIZE
        self.runner.submit(
            lambda: audit_log.page(ctx, filt, before_id=before_id, limit=size),
            self._show_more,
            self._fail,
        )

    def _show_more(self, rows: list[AuditRow]) -> None:
        self.model.append_rows(rows, len(rows) >= audit_log.PAGE_SIZE)
        self._show_status()
        self.loaded.emit()

    def _show_status(self) -> None:
        self.status.setText(
            fill(
                self.tr("%1 matching entries; %2 shown (scroll down for more)"),
                self._total,
                self.model.rowCount(),
            )
            if self.model.has_more
            else self.tr("%1 matching entries").replace("%1", str(self._total))
        )

    def _fail(self, exc: Exception) -> None:
        self.model.loading = False
        self.status.setText("")
        self.error.show_error(refusal_text(exc))

    # Export --------------------------------------------------------------------------

    @classmethod
    def ask_export_path(cls, parent: QWidget) -> Path | None:
        """Where to write the CSV file (tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(
            parent,
            QCoreApplication.translate("AuditPage", "Export the audit log"),
            f"audit-log-{dt.date.today().isoformat()}.csv",
            QCoreApplication.translate("AuditPage", "CSV files (*.csv)"),
        )
        return Path(name) if name else None

    def export_csv(self) -> None:
        """Write the entries matching the filter to a CSV file, in the background."""
        target = self.ask_export_path(self)
        if target is None:
            return
        filt, ctx = self.current_filter(), self.session.ctx
        self.status.setText(self.tr("Exporting…"))

        def done(count: int) -> None:
            self.status.setText(fill(self.tr("Exported %1 entries to %2"), count, target))
            self.exported.emit(count)

        run_write(
            lambda: audit_log.export_csv(ctx, filt, target),
            done,
            self._fail,
            busy=self.export_button,
            long_running=True,
        )

    # Integrity check -----------------------------------------------------------------

    def run_check(self) -> None:
        """Run the integrity check (``consult verify``) in the background."""
        ctx, folder, progress = self.session.ctx, self.session.dirs.backups, self._progress
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Checking…"))
        self.progress.show()
        self.report.clear()

        def report_progress(stage: str, done: int, total: int) -> None:
            progress.changed.emit(stage, done, total)

        run_write(
            lambda: audit_log.verify(ctx, folder, report_progress),
            self._checked,
            self._check_failed,
            busy=self.check_button,
            long_running=True,
        )

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        words = _STAGE_WORDS.get(stage)
        self.progress.setFormat(
            fill(self.tr("%1: %2 of %3"), self.tr(words) if words else stage, done, total)
        )

    def _checked(self, report: integrity.IntegrityReport) -> None:
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat(
            self.tr("Everything holds") if report.ok else self.tr("Problems found")
        )
        self.report.setPlainText("\n".join(finding_words(line) for line in report.lines()))
        self.checked.emit(report)

    def _check_failed(self, exc: Exception) -> None:
        self.progress.hide()
        message = refusal_text(exc) if isinstance(exc, StoreError) else repr(exc)
        self.report.setPlainText(self.tr("The check could not run: ") + message)

    def leave(self) -> None:
        """Wait for running work and forget what was shown (the manager signed out)."""
        self.runner.wait()
        wait_for_writes()
        self.model.set_rows([], False)
        self.report.clear()
        self.progress.hide()
        self.status.clear()

    def reset(self) -> None:
        """Forget the filters too (the manager signed out): the next manager starts with
        anyone, any event and the last 30 days."""
        self.leave()
        # A newer, empty query: the answer of one still on its way is dropped.
        self.runner.submit(lambda: None, lambda _result: None, lambda _exc: None)
        self.model.set_rows([], False)
        self.user.clear()
        self.patient.clear()
        self.event_name.clear()
        self.event_name.setCurrentText("")
        self.all_dates.setChecked(False)
        self.since.setDate(QDate.currentDate().addDays(-30))
        self.until.setDate(QDate.currentDate())
        self.error.clear_error()
        self._filter = AuditFilter()
        self._total = 0
