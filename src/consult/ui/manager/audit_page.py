"""The manager's audit log: filter, page through, export to CSV, and check integrity.

Every query runs in the database, off the GUI thread, a page at a time (the view asks
for the next page when scrolled to the end). The integrity check is ``consult verify``
run in the background; its report is the same text, with the head of the chain and the
key's fingerprint for a printed integrity report.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThreadPool,
    Signal,
)
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
from consult.store.errors import StoreError
from consult.store.services import audit_log
from consult.store.services import users as user_service
from consult.store.services.audit_log import AuditFilter, AuditRow
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.forms import to_date
from consult.ui.widgets.tasks import LatestOnly, run_in_background

AnyIndex = QModelIndex | QPersistentModelIndex


def details_text(details: dict[str, Any]) -> str:
    """An entry's details on one line."""
    if not details:
        return ""
    return json.dumps(details, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


class AuditTableModel(QAbstractTableModel):
    """Audit entries, newest first, fetched a page at a time.

    The model does not query: :meth:`fetchMore` emits :attr:`more_wanted` and the page
    delivers the next rows with :meth:`append_rows` when the background query ends.
    """

    COL_AT, COL_USER, COL_WORKSTATION, COL_EVENT, COL_RECORD, COL_PATIENT, COL_DETAILS = range(7)
    HEADERS = ("Time", "User", "Workstation", "Event", "Record", "Patient", "Details")
    more_wanted = Signal(int)  # the id the next page starts below

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[AuditRow] = []
        self.has_more = False
        self.loading = False

    def set_rows(self, rows: Sequence[AuditRow], has_more: bool) -> None:
        """Replace every row (a new search)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.has_more = has_more
        self.loading = False
        self.endResetModel()

    def append_rows(self, rows: Sequence[AuditRow], has_more: bool) -> None:
        """Add the next page."""
        self.loading = False
        self.has_more = has_more
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows.extend(rows)
            self.endInsertRows()

    def entry(self, row: int) -> AuditRow:
        """The entry on ``row``."""
        return self._rows[row]

    def rows(self) -> list[AuditRow]:
        """Every row loaded so far."""
        return list(self._rows)

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self.has_more and not self.loading

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if self.canFetchMore(parent) and self._rows:
            self.loading = True
            self.more_wanted.emit(self._rows[-1].id)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.tr(self.HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        entry = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            if column == self.COL_AT:
                return entry.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
            if column == self.COL_USER:
                return entry.username or "—"
            if column == self.COL_WORKSTATION:
                return entry.workstation
            if column == self.COL_EVENT:
                return entry.event
            if column == self.COL_RECORD:
                return f"{entry.record_type} {entry.record_id}".strip()
            if column == self.COL_PATIENT:
                return "" if entry.patient_id is None else str(entry.patient_id)
            if column == self.COL_DETAILS:
                return details_text(entry.details)
        if role == Qt.ItemDataRole.ToolTipRole and column == self.COL_DETAILS:
            return json.dumps(entry.details, ensure_ascii=False, indent=2, sort_keys=True)
        if role == Qt.ItemDataRole.UserRole:
            return entry.id
        return None


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
        self.user.setAccessibleName(self.tr("User"))
        self.patient = QLineEdit(self)
        self.patient.setAccessibleName(self.tr("Patient"))
        self.patient.setPlaceholderText(self.tr("Patient number or name"))
        self.event = QComboBox(self)
        self.event.setEditable(True)
        self.event.setAccessibleName(self.tr("Event"))
        self.event.lineEdit().setPlaceholderText(
            self.tr("Any event (consent. = every consent event)")
        )
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
                (self.tr("E&vent"), self.event),
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
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._progress = _Progress(self)
        self._progress.changed.connect(self._show_progress)
        self._filter = AuditFilter()
        self._total = 0
        self.search_button.clicked.connect(self.search)
        self.patient.returnPressed.connect(self.search)
        self.event.lineEdit().returnPressed.connect(self.search)
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
        event = self.event.currentText().strip()
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

        def load() -> tuple[list[Any], list[str]]:
            return user_service.list_users(ctx), audit_log.event_names(ctx)

        self.runner.submit(load, self._lists_loaded, self._fail)

    def _lists_loaded(self, loaded: tuple[list[Any], list[str]]) -> None:
        people, events = loaded
        chosen_user, chosen_event = self.user.currentData(), self.event.currentText()
        self.user.clear()
        self.user.addItem(self.tr("Anyone"), None)
        for person in people:
            self.user.addItem(f"{person.display_name} ({person.username})", person.id)
        self.user.setCurrentIndex(max(0, self.user.findData(chosen_user)))
        self.event.clear()
        self.event.addItem(self.tr("Any event"))
        families = sorted({name.split(".")[0] + "." for name in events if "." in name})
        self.event.addItems(families + events)
        self.event.setCurrentText(chosen_event or self.tr("Any event"))
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
            self.tr("%d matching entries; %d shown (scroll down for more)")
            % (self._total, self.model.rowCount())
            if self.model.has_more
            else self.tr("%d matching entries") % self._total
        )

    def _fail(self, exc: Exception) -> None:
        self.model.loading = False
        self.status.setText("")
        self.error.show_error(str(exc))

    # Export --------------------------------------------------------------------------

    @classmethod
    def ask_export_path(cls, parent: QWidget) -> Path | None:
        """Where to write the CSV file (tests replace this)."""
        name, _ = QFileDialog.getSaveFileName(
            parent,
            parent.tr("Export the audit log"),
            f"audit-log-{dt.date.today().isoformat()}.csv",
            parent.tr("CSV files (*.csv)"),
        )
        return Path(name) if name else None

    def export_csv(self) -> None:
        """Write the entries matching the filter to a CSV file, in the background."""
        target = self.ask_export_path(self)
        if target is None:
            return
        filt, ctx = self.current_filter(), self.session.ctx
        self.export_button.setEnabled(False)
        self.status.setText(self.tr("Exporting…"))

        def done(count: int) -> None:
            self.export_button.setEnabled(True)
            self.status.setText(self.tr("Exported %d entries to %s") % (count, target))
            self.exported.emit(count)

        def failed(exc: Exception) -> None:
            self.export_button.setEnabled(True)
            self._fail(exc)

        run_in_background(lambda: audit_log.export_csv(ctx, filt, target), done, failed, self.pool)

    # Integrity check -----------------------------------------------------------------

    def run_check(self) -> None:
        """Run the integrity check (``consult verify``) in the background."""
        ctx, folder, progress = self.session.ctx, self.session.dirs.backups, self._progress
        self.check_button.setEnabled(False)
        self.progress.setRange(0, 0)
        self.progress.setFormat(self.tr("Checking…"))
        self.progress.show()
        self.report.clear()

        def report_progress(stage: str, done: int, total: int) -> None:
            progress.changed.emit(stage, done, total)

        run_in_background(
            lambda: audit_log.verify(ctx, folder, report_progress),
            self._checked,
            self._check_failed,
            self.pool,
        )

    def _show_progress(self, stage: str, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(min(done, total))
        self.progress.setFormat(self.tr("%s: %d of %d") % (stage, done, total))

    def _checked(self, report: integrity.IntegrityReport) -> None:
        self.check_button.setEnabled(True)
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.progress.setFormat(
            self.tr("Everything holds") if report.ok else self.tr("Problems found")
        )
        self.report.setPlainText("\n".join(report.lines()))
        self.checked.emit(report)

    def _check_failed(self, exc: Exception) -> None:
        self.check_button.setEnabled(True)
        self.progress.hide()
        message = str(exc) if isinstance(exc, StoreError) else repr(exc)
        self.report.setPlainText(self.tr("The check could not run: ") + message)

    def leave(self) -> None:
        """Wait for running work and forget what was shown (the manager signed out)."""
        self.runner.wait()
        self.pool.waitForDone()
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
        self.event.clear()
        self.event.setCurrentText("")
        self.all_dates.setChecked(False)
        self.since.setDate(QDate.currentDate().addDays(-30))
        self.until.setDate(QDate.currentDate())
        self.error.clear_error()
        self._filter = AuditFilter()
        self._total = 0
