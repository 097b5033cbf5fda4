"""The manager's consent register page: the filter bar, the paged table sorted by the
database, opening a record, and exports with progress and Cancel.

The table model is :mod:`.register_model`, the filters :mod:`.register_filters` and a
record :mod:`.record_dialog`; this page puts them together and asks the database.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from consult.documents.exports import ExportCancelled
from consult.store.dto import ExportResult, RegisterFilters, RegisterRow
from consult.store.services import consent_register
from consult.store.services.register_export import export_register
from consult.ui.manager.record_dialog import RecordDialog
from consult.ui.manager.register_filters import RegisterFilterBar
from consult.ui.manager.register_model import RegisterTableModel
from consult.ui.shell.knowledge import knowledge
from consult.ui.shell.session import AppSession
from consult.ui.widgets.basics import ErrorLabel, heading
from consult.ui.widgets.export_panel import Cancelled, ExportPanel, Progress, ask_save_path
from consult.ui.widgets.formatting import treatment_names
from consult.ui.widgets.placeholders import fill
from consult.ui.widgets.refusals import refusal_text
from consult.ui.widgets.tasks import LatestOnly, wait_for_writes


class RegisterPage(QWidget):
    """Filters, the register and its exports (the widget; a page of register rows from
    the database is :class:`consult.store.dto.RegisterPage`)."""

    DEBOUNCE_MS = 150

    def __init__(self, session: AppSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.names = treatment_names()
        layout = QVBoxLayout(self)
        layout.addWidget(heading(self.tr("Consent register"), self))
        self.filter_bar = RegisterFilterBar(self.names, self)
        layout.addWidget(self.filter_bar)
        self.runner = LatestOnly(self)
        self.count_runner = LatestOnly(self)
        self.lists_runner = LatestOnly(self)
        self.model = RegisterTableModel(
            lambda filters, after: consent_register.register_page(
                self.session.ctx, filters, after=after
            ),
            self.runner,
            self.names,
            self,
        )
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Consent records"))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, width in enumerate((130, 150, 220, 170, 190, 150, 80)):
            header.resizeSection(column, width)
        header.setSectionsClickable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(RegisterTableModel.COL_SIGNED, Qt.SortOrder.DescendingOrder)
        header.sectionClicked.connect(self._header_clicked)
        layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        self.status = QLabel(self)
        self.status.setAccessibleName(self.tr("Register status"))
        bottom.addWidget(self.status, 1)
        self.open_button = QPushButton(self.tr("&Open record…"), self)
        self.csv_button = QPushButton(self.tr("Export &CSV…"), self)
        self.fhir_button = QPushButton(self.tr("E&xport FHIR…"), self)
        for button in (self.open_button, self.csv_button, self.fhir_button):
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))
            bottom.addWidget(button)
        layout.addLayout(bottom)
        self.exporting = ExportPanel(self)
        layout.addWidget(self.exporting)
        self.error = ErrorLabel(self)
        layout.addWidget(self.error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply_filters)
        self._count: int | None = None
        self.filter_bar.changed.connect(self.filters_changed)
        self.filter_bar.reset_button.clicked.connect(self.reset_filters)
        self.model.loading_changed.connect(lambda _loading: self._show_status())
        self.model.failed.connect(self.error.show_error)
        self.model.modelReset.connect(self._update_buttons)
        self.open_button.clicked.connect(self.open_record)
        self.table.doubleClicked.connect(lambda _index: self.open_record())
        self.table.activated.connect(lambda _index: self.open_record())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.csv_button.clicked.connect(lambda: self.export("csv"))
        self.fhir_button.clicked.connect(lambda: self.export("fhir"))
        self._update_buttons()

    # --- filters ----------------------------------------------------------------------

    def filters(self) -> RegisterFilters:
        """The filters the bar shows, with the table's sort order."""
        return self.filter_bar.filters().sorted_by(
            self.model.filters.sort, self.model.filters.descending
        )

    def filters_changed(self) -> None:
        """Apply the filters shortly (typing a date changes it several times)."""
        self._timer.start()

    def reset_filters(self) -> None:
        """Back to the whole register, newest first."""
        self.filter_bar.clear()
        self.model.filters = RegisterFilters()
        self.table.horizontalHeader().setSortIndicator(
            RegisterTableModel.COL_SIGNED, Qt.SortOrder.DescendingOrder
        )
        self.apply_filters()

    def refresh(self) -> None:
        """Load the practitioners for the filter, then the register."""
        ctx = self.session.ctx
        self.lists_runner.submit(
            lambda: consent_register.practitioners(ctx),
            self._practitioners_loaded,
            lambda exc: self.error.show_error(refusal_text(exc)),
        )

    def _practitioners_loaded(self, people: list[tuple[int, str]]) -> None:
        self.filter_bar.set_practitioners(people)
        self.apply_filters()

    def apply_filters(self) -> None:
        """Ask the database for the first page and the count."""
        self._timer.stop()
        filters = self.filters()
        if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
            self.error.show_error(self.tr("The end date is before the start date."))
            return
        self.error.clear_error()
        self._count = None
        self.model.set_filters(filters)
        ctx = self.session.ctx
        self.count_runner.submit(
            lambda: consent_register.register_count(ctx, filters),
            self._counted,
            lambda exc: self.error.show_error(refusal_text(exc)),
        )
        self._show_status()

    def _counted(self, count: int) -> None:
        self._count = count
        self._show_status()

    def _show_status(self) -> None:
        if self._count is None:
            text = self.tr("Counting…")
        elif self._count >= consent_register.COUNT_CAP:
            text = self.tr("More than %1 records").replace("%1", f"{consent_register.COUNT_CAP:,}")
        else:
            text = self.tr("%n record(s)", "", self._count)
        shown = self.model.rowCount()
        if self.model.is_loading():
            text += " — " + self.tr("loading…")
        elif shown and self.model.canFetchMore():
            text += " — " + self.tr("%n shown (scroll for more)", "", shown)
        self.status.setText(text)

    def _header_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        current = self.model.sort_column()
        if column not in RegisterTableModel.SORT_KEYS:
            header.setSortIndicator(
                current,
                Qt.SortOrder.DescendingOrder
                if self.model.filters.descending
                else Qt.SortOrder.AscendingOrder,
            )
            return
        if column == current:
            descending = not self.model.filters.descending
        else:
            descending = column in (RegisterTableModel.COL_SIGNED, RegisterTableModel.COL_OVERRIDES)
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        header.setSortIndicator(column, order)
        self.model.sort(column, order)  # the count does not change with the order
        self._show_status()

    # --- records ----------------------------------------------------------------------

    def current(self) -> RegisterRow | None:
        """The selected record."""
        rows = self.table.selectionModel().selectedRows()
        return self.model.record(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.open_button.setEnabled(self.current() is not None)
        self.csv_button.setEnabled(not self.exporting.running)
        self.fhir_button.setEnabled(not self.exporting.running)

    def open_record(self) -> None:
        """Show the selected record."""
        row = self.current()
        if row is None:
            return
        dialog = RecordDialog(self.session, row.id, self)
        dialog.changed.connect(lambda _id: self.model.refresh())
        try:
            dialog.exec()
        finally:
            dialog.deleteLater()

    # --- exports ----------------------------------------------------------------------

    def export(self, fmt: str) -> None:
        """Export the filtered register (off the GUI thread, with progress and Cancel)."""
        if self.exporting.running:
            return
        stamp = dt.date.today().isoformat()
        if fmt == "csv":
            path = ask_save_path(
                self,
                self.tr("Export the register as CSV"),
                f"consents-{stamp}.csv",
                self.tr("CSV files (*.csv)"),
            )
        else:
            path = ask_save_path(
                self,
                self.tr("Export the register as FHIR"),
                f"consents-{stamp}.fhir.json",
                self.tr("FHIR JSON bundles (*.json)"),
            )
        if path is None:
            return
        filters, ctx, names = self.filters(), self.session.ctx, self.names

        def work(progress: Progress, cancelled: Cancelled) -> ExportResult:
            return export_register(
                ctx,
                filters,
                fmt,
                path,
                treatment_names=names,
                kb=knowledge(),
                progress=progress,
                cancelled=cancelled,
            )

        self.exporting.start(
            self.tr("Exporting to %1…").replace("%1", path.name),
            work,
            self._exported,
            self._export_failed,
        )
        self._update_buttons()

    def _exported(self, result: ExportResult) -> None:
        self._update_buttons()
        self.status.setText(
            fill(self.tr("Exported %1 record(s) to %2"), result.records, result.path)
        )

    def _export_failed(self, exc: Exception) -> None:
        self._update_buttons()
        if isinstance(exc, ExportCancelled):
            self.status.setText(self.tr("Export cancelled; no file was written."))
        else:
            self.error.show_error(refusal_text(exc))

    def leave(self) -> None:
        """Stop the export and wait for background work (sign-out, quit)."""
        if self.exporting.running:
            self.exporting.cancel()
        self.runner.wait()
        self.count_runner.wait()
        self.lists_runner.wait()
        wait_for_writes()


__all__ = ["RegisterPage"]
